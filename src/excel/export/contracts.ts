/** Rows of the contract templates (management / supply) and their objects. */
import { DataSource } from "typeorm";
import { Contract, ContractObject, House, Premise, Room } from "../../../entities";
import { SECOND_PARTY, gisDate, label, yesNo } from "../format";
import { RowValues } from "../template-writer";
import { inHouses, pages } from "./paging";
import { ExportScope } from "./scope";

type Kind = "management" | "supply";
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : (v as string | null));
const dayText = (d: unknown, next: unknown) => (d === null || d === undefined ? null : `${d}${Number(next) || next === true ? " (след. месяца)" : ""}`);

export async function* contractRows(ds: DataSource, scope: ExportScope, kind: Kind): AsyncGenerator<RowValues> {
  const make = () => {
    const qb = ds
      .createQueryBuilder()
      .select("c.number", "number")
      .addSelect("c.signedDate", "signed")
      .addSelect("c.effectiveDate", "effective")
      .addSelect("c.plannedEndDate", "plannedEnd")
      .addSelect("c.secondPartyKind", "party")
      .addSelect("c.secondPartyName", "partyName")
      .addSelect("c.isPublic", "isPublic")
      .addSelect("c.readingsFromDay", "rf")
      .addSelect("c.readingsFromNextMonth", "rfn")
      .addSelect("c.readingsToDay", "rt")
      .addSelect("c.readingsToNextMonth", "rtn")
      .addSelect("c.paymentDocumentDay", "pd")
      .addSelect("c.paymentDocumentNextMonth", "pdn")
      .addSelect("c.paymentDay", "pay")
      .addSelect("c.paymentNextMonth", "payn")
      .from(Contract, "c")
      .where("c.kind = :kind", { kind })
      .andWhere("c.terminationDate IS NULL");
    if (scope.houses === null) return qb;
    const sub = qb.subQuery().select("sco.contractId").from(ContractObject, "sco");
    return qb.andWhere(`c.id IN ${inHouses(sub, "sco.houseId", scope.houses).getQuery()}`);
  };
  for await (const r of pages(make, "c")) {
    yield {
      contractNumber: r.number,
      signedDate: gisDate(day(r.signed)),
      effectiveDate: gisDate(day(r.effective)),
      plannedEndDate: gisDate(day(r.plannedEnd)),
      secondParty: label(SECOND_PARTY, r.party),
      secondPartyName: r.partyName,
      isPublic: yesNo(Boolean(Number(r.isPublic))),
      readingsFrom: dayText(r.rf, r.rfn),
      readingsTo: dayText(r.rt, r.rtn),
      paymentDocumentDay: dayText(r.pd, r.pdn),
      paymentDay: dayText(r.pay, r.payn),
    };
  }
}

export async function* contractObjectRows(ds: DataSource, scope: ExportScope, kind: Kind): AsyncGenerator<RowValues> {
  const make = () =>
    inHouses(
      ds
        .createQueryBuilder()
        .select("c.number", "number")
        .addSelect("h.address", "address")
        .addSelect("h.fiasHouseGuid", "fias")
        .addSelect("p.number", "premise")
        .addSelect("r.number", "room")
        .addSelect("co.startDate", "start")
        .addSelect("co.endDate", "end")
        .from(ContractObject, "co")
        .innerJoin(Contract, "c", "c.id = co.contractId")
        .innerJoin(House, "h", "h.id = co.houseId")
        .leftJoin(Premise, "p", "p.id = co.premiseId")
        .leftJoin(Room, "r", "r.id = co.roomId")
        .where("c.kind = :kind", { kind })
        .andWhere("c.terminationDate IS NULL"),
      "co.houseId",
      scope.houses,
    );
  for await (const r of pages(make, "co")) {
    yield {
      contractNumber: r.number,
      address: r.address,
      fiasHouseGuid: r.fias,
      premiseNumber: r.premise,
      roomNumber: r.room,
      startDate: gisDate(day(r.start)),
      endDate: gisDate(day(r.end)),
    };
  }
}

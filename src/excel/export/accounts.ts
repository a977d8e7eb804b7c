/** Rows of the accounts template: the account with its payer, then what it pays for. */
import { DataSource } from "typeorm";
import { Account, AccountAccommodation, House, Organization, Premise, Room } from "../../../entities";
import { ACCOUNT_TYPE, IDENTITY_DOCUMENT, label, num, yesNo } from "../format";
import { RowValues } from "../template-writer";
import { inHouses, pages } from "./paging";
import { ExportScope, accountsInHouses } from "./scope";

export async function* accountRows(ds: DataSource, scope: ExportScope): AsyncGenerator<RowValues> {
  const make = () =>
    accountsInHouses(
      ds
        .createQueryBuilder()
        .select("a.number", "number")
        .addSelect("a.accountType", "type")
        .addSelect("a.payerKind", "payerKind")
        .addSelect("a.payerLastName", "lastName")
        .addSelect("a.payerFirstName", "firstName")
        .addSelect("a.payerMiddleName", "middleName")
        .addSelect("a.payerSnils", "snils")
        .addSelect("a.payerDocumentType", "docType")
        .addSelect("a.payerDocumentSeries", "docSeries")
        .addSelect("a.payerDocumentNumber", "docNumber")
        .addSelect("o.inn", "payerInn")
        .addSelect("a.payerIsRenter", "renter")
        .addSelect("a.totalArea", "totalArea")
        .addSelect("a.residentialArea", "residentialArea")
        .addSelect("a.heatedArea", "heatedArea")
        .addSelect("a.residentsCount", "residents")
        .from(Account, "a")
        .leftJoin(Organization, "o", "o.id = a.payerOrganizationId")
        .where("a.closedDate IS NULL"),
      "a.id",
      scope.houses,
    );
  for await (const r of pages(make, "a")) {
    const person = r.payerKind !== "organization";
    yield {
      accountNumber: r.number,
      accountType: label(ACCOUNT_TYPE, r.type),
      lastName: person ? r.lastName : null,
      firstName: person ? r.firstName : null,
      middleName: person ? r.middleName : null,
      snils: person ? r.snils : null,
      documentType: person ? label(IDENTITY_DOCUMENT, r.docType) : null,
      documentSeries: person ? r.docSeries : null,
      documentNumber: person ? r.docNumber : null,
      payerOrganization: person ? null : r.payerInn,
      isRenter: yesNo(Boolean(Number(r.renter))),
      totalArea: num(r.totalArea),
      residentialArea: num(r.residentialArea),
      heatedArea: num(r.heatedArea),
      residentsCount: num(r.residents),
    };
  }
}

export async function* accommodationRows(ds: DataSource, scope: ExportScope): AsyncGenerator<RowValues> {
  const make = () =>
    inHouses(
      ds
        .createQueryBuilder()
        .select("a.number", "account")
        .addSelect("h.address", "address")
        .addSelect("h.fiasHouseGuid", "fias")
        .addSelect("p.number", "premise")
        .addSelect("rp.number", "roomPremise")
        .addSelect("r.number", "room")
        .addSelect("acc.sharePercent", "share")
        .from(AccountAccommodation, "acc")
        .innerJoin(Account, "a", "a.id = acc.accountId")
        .leftJoin(Room, "r", "r.id = acc.roomId")
        .leftJoin(Premise, "rp", "rp.id = r.premiseId")
        .leftJoin(Premise, "p", "p.id = acc.premiseId")
        .innerJoin(House, "h", "h.id = COALESCE(acc.houseId, p.houseId, r.houseId)")
        .where("a.closedDate IS NULL"),
      "h.id",
      scope.houses,
    );
  for await (const r of pages(make, "acc")) {
    yield {
      accountNumber: r.account,
      address: r.address,
      fiasHouseGuid: r.fias,
      premiseNumber: r.premise ?? r.roomPremise,
      roomNumber: r.room,
      sharePercent: num(r.share) ?? 100,
    };
  }
}

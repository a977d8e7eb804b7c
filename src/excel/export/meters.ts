/** Rows of the meter and readings templates. */
import { DataSource } from "typeorm";
import { Account, House, Meter, MeterAccount, MeterReading, Premise, Room } from "../../../entities";
import { METER_KIND, RESOURCE, gisDate, label, num, yesNo } from "../format";
import { RowValues } from "../template-writer";
import { inHouses, pageBatches, Raw } from "./paging";
import { ExportScope } from "./scope";
import { identityExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";

/** Account numbers per meter, for one page of meters. */
async function accountNumbers(ds: DataSource, meterIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!meterIds.length) return out;
  const rows = await ds
    .createQueryBuilder()
    .select("ma.meterId", "meterId")
    .addSelect("a.number", "number")
    .from(MeterAccount, "ma")
    .innerJoin(Account, "a", "a.id = ma.accountId")
    .where("ma.meterId IN (:...ids)", { ids: meterIds })
    .orderBy("a.number")
    .getRawMany();
  for (const r of rows) {
    const id = Number(r.meterId);
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push(r.number);
  }
  return out;
}

function meterQuery(ds: DataSource, scope: ExportScope) {
  const qb = inHouses(
    ds
      .createQueryBuilder()
      .select("h.address", "address")
      .addSelect("h.fiasHouseGuid", "fias")
      .addSelect("p.number", "premise")
      .addSelect("r.number", "room")
      .addSelect("m.factoryNumber", "factoryNumber")
      .addSelect("m.meterType", "meterType")
      .addSelect("m.brand", "brand")
      .addSelect("m.model", "model")
      .addSelect("m.municipalResourceCode", "resource")
      .addSelect("m.tariffCount", "tariffs")
      .addSelect("m.installedDate", "installed")
      .addSelect("m.commissionedDate", "commissioned")
      .addSelect("m.lastVerificationDate", "verified")
      .addSelect("m.verificationIntervalMonths", "interval")
      .addSelect("m.factorySealed", "sealed")
      .addSelect("m.remoteReading", "remote")
      .addSelect("m.transformationRatio", "ratio")
      .addSelect("m.initialValueT1", "t1")
      .addSelect("m.initialValueT2", "t2")
      .addSelect("m.initialValueT3", "t3")
      .addSelect("m.id", "meterId")
      .from(Meter, "m")
      .leftJoin(House, "h", "h.id = m.houseId")
      .leftJoin(Premise, "p", "p.id = m.premiseId")
      .leftJoin(Room, "r", "r.id = m.roomId")
      .where("m.state = 'active'"),
    "m.houseId",
    scope.houses,
  );
  // A meter the stand holds archived is not offered to it again (GIS's archived state is that stand's).
  const archived = identityExpr(qb, "m", "gisArchived", scope.stand);
  qb.andWhere(`(${archived} IS NULL OR ${archived} = :notArchived)`, { notArchived: false });
  return qb.addSelect(identityExpr(qb, "m", "gisNumber", scope.stand), "gisNumber");
}

const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : (v as string | null));

export async function* meterRows(ds: DataSource, scope: ExportScope): AsyncGenerator<RowValues> {
  for await (const page of pageBatches(() => meterQuery(ds, scope), "m")) {
    const accounts = await accountNumbers(
      ds,
      page.map((r) => Number(r.meterId)),
    );
    for (const r of page) {
      yield {
        factoryNumber: r.factoryNumber,
        meterKind: label(METER_KIND, r.meterType),
        brand: r.brand,
        model: r.model,
        address: r.address,
        fiasHouseGuid: r.fias,
        premiseNumber: r.premise,
        roomNumber: r.room,
        accountNumbers: (accounts.get(Number(r.meterId)) ?? []).join(", ") || null,
        resource: label(RESOURCE, r.resource),
        tariffCount: num(r.tariffs),
        installedDate: gisDate(day(r.installed)),
        commissionedDate: gisDate(day(r.commissioned)),
        lastVerificationDate: gisDate(day(r.verified)),
        verificationInterval: num(r.interval),
        factorySealed: yesNo(Boolean(Number(r.sealed))),
        remoteReading: yesNo(Boolean(Number(r.remote))),
        transformationRatio: num(r.ratio),
        initialT1: r.t1,
        initialT2: r.t2,
        initialT3: r.t3,
      };
    }
  }
}

/** Our (billing) readings from `scope.from` on: individual devices or common-house ones. */
export async function* readingRows(ds: DataSource, scope: ExportScope, common: boolean): AsyncGenerator<RowValues> {
  const make = () => {
    const qb = inHouses(
      ds
        .createQueryBuilder()
        .select("h.address", "address")
        .addSelect("h.fiasHouseGuid", "fias")
        .addSelect("p.number", "premise")
        .addSelect("m.factoryNumber", "factoryNumber")
        .addSelect("m.municipalResourceCode", "resource")
        .addSelect("rd.readingDate", "date")
        .addSelect("rd.valueT1", "t1")
        .addSelect("rd.valueT2", "t2")
        .addSelect("rd.valueT3", "t3")
        .addSelect("m.id", "meterId")
        .from(MeterReading, "rd")
        .innerJoin(Meter, "m", "m.id = rd.meterId")
        .leftJoin(House, "h", "h.id = m.houseId")
        .leftJoin(Premise, "p", "p.id = m.premiseId")
        .where("rd.source = 'billing'")
        .andWhere(common ? "m.meterType = 'common_house'" : "m.meterType <> 'common_house'"),
      "m.houseId",
      scope.houses,
    );
    qb.addSelect(identityExpr(qb, "m", "gisNumber", scope.stand), "gisNumber");
    whereOfStand(qb, "rd", scope.stand);
    return scope.from ? qb.andWhere("rd.readingDate >= :from", { from: scope.from }) : qb;
  };
  for await (const page of pageBatches(make, "rd")) {
    const accounts = common ? new Map<number, string[]>() : await accountNumbers(ds, [...new Set(page.map((r: Raw) => Number(r.meterId)))]);
    for (const r of page) {
      yield {
        address: r.address,
        fiasHouseGuid: r.fias,
        premiseNumber: r.premise,
        accountNumber: (accounts.get(Number(r.meterId)) ?? [])[0] ?? null,
        factoryNumber: r.factoryNumber,
        meterGisNumber: r.gisNumber,
        resource: label(RESOURCE, r.resource),
        readingDate: gisDate(day(r.date)),
        valueT1: clean(r.t1),
        valueT2: clean(r.t2),
        valueT3: clean(r.t3),
      };
    }
  }
}

/** "12.5000000" → "12.5" (readings keep their exact decimal text). */
export function clean(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = String(v);
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

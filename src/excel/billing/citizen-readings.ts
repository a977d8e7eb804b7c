/**
 * Readings residents entered in GIS (pulled back with source "citizen") as a workbook the billing
 * program loads — the manual's «Подкачка из ГИС показаний ИПУ». ЕЛС and the meter's GIS number and
 * GUID are those of the stand the readings are taken from.
 */
import { DataSource } from "typeorm";
import { Account, House, Meter, MeterAccount, MeterReading, Premise, Room } from "../../../entities";
import { RESOURCE, gisDate, label } from "../format";
import { inHouses, pageBatches } from "../export/paging";
import { clean } from "../export/meters";
import { HouseSelection } from "../export/selection";
import { TableColumn, writeTable } from "../table-writer";
import { identityExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";

export const CITIZEN_READING_COLUMNS: TableColumn[] = [
  { key: "address", header: "Адрес", width: 50 },
  { key: "premise", header: "Помещение", width: 10 },
  { key: "room", header: "Комната", width: 10 },
  { key: "account", header: "Номер ЛС", width: 14 },
  { key: "unified", header: "ЕЛС", width: 12 },
  { key: "factoryNumber", header: "Заводской номер ПУ", width: 18 },
  { key: "gisNumber", header: "Номер ПУ в ГИС", width: 14 },
  { key: "meterGuid", header: "Идентификатор ПУ в ГИС", width: 38 },
  { key: "resource", header: "Ресурс", width: 20 },
  { key: "date", header: "Дата показаний", width: 12 },
  { key: "t1", header: "Показание Т1", width: 12 },
  { key: "t2", header: "Показание Т2", width: 12 },
  { key: "t3", header: "Показание Т3", width: 12 },
  { key: "entered", header: "Внесено в ГИС", width: 18 },
];

async function accountsOf(ds: DataSource, stand: string, meterIds: number[]): Promise<Map<number, { number: string; unified: string | null }>> {
  const out = new Map<number, { number: string; unified: string | null }>();
  if (!meterIds.length) return out;
  const qb = ds
    .createQueryBuilder()
    .select("ma.meterId", "meterId")
    .addSelect("a.number", "number")
    .from(MeterAccount, "ma")
    .innerJoin(Account, "a", "a.id = ma.accountId");
  const rows = await qb
    .addSelect(identityExpr(qb, "a", "unifiedNumber", stand), "unified")
    .where("ma.meterId IN (:...ids)", { ids: meterIds })
    .orderBy("ma.id")
    .getRawMany();
  for (const r of rows) if (!out.has(Number(r.meterId))) out.set(Number(r.meterId), { number: r.number, unified: r.unified });
  return out;
}

export async function* citizenReadingRows(ds: DataSource, stand: string, from: string, houses: HouseSelection) {
  const make = () => {
    const qb = inHouses(
      ds
        .createQueryBuilder()
        .select("h.address", "address")
        .addSelect("p.number", "premise")
        .addSelect("r.number", "room")
        .addSelect("m.factoryNumber", "factoryNumber")
        .addSelect("m.municipalResourceCode", "resource")
        .addSelect("m.id", "meterId")
        .addSelect("rd.readingDate", "date")
        .addSelect("rd.valueT1", "t1")
        .addSelect("rd.valueT2", "t2")
        .addSelect("rd.valueT3", "t3")
        .addSelect("rd.enteredAt", "entered")
        .from(MeterReading, "rd")
        .innerJoin(Meter, "m", "m.id = rd.meterId")
        .leftJoin(House, "h", "h.id = m.houseId")
        .leftJoin(Premise, "p", "p.id = m.premiseId")
        .leftJoin(Room, "r", "r.id = m.roomId")
        .where("rd.source = 'citizen'")
        .andWhere("rd.readingDate >= :from", { from }),
      "m.houseId",
      houses,
    );
    // Readings pulled from another stand are not this stand's citizens' readings.
    whereOfStand(qb, "rd", stand);
    return qb.addSelect(identityExpr(qb, "m", "gisNumber", stand), "gisNumber").addSelect(identityExpr(qb, "m", "gisRootGuid", stand), "meterGuid");
  };
  for await (const page of pageBatches(make, "rd")) {
    const accounts = await accountsOf(ds, stand, [...new Set(page.map((r) => Number(r.meterId)))]);
    for (const r of page) {
      const a = accounts.get(Number(r.meterId));
      const entered = r.entered ? new Date(r.entered) : null;
      const date = r.date instanceof Date ? r.date.toISOString().slice(0, 10) : r.date;
      yield {
        address: r.address,
        premise: r.premise,
        room: r.room,
        account: a?.number ?? null,
        unified: a?.unified ?? null,
        factoryNumber: r.factoryNumber,
        gisNumber: r.gisNumber,
        meterGuid: r.meterGuid,
        resource: label(RESOURCE, r.resource),
        date: gisDate(date),
        t1: clean(r.t1),
        t2: clean(r.t2),
        t3: clean(r.t3),
        entered: entered ? `${gisDate(entered.toISOString())} ${entered.toISOString().slice(11, 16)}` : null,
      };
    }
  }
}

export async function exportCitizenReadings(ds: DataSource, stand: string, from: string, houses: HouseSelection, out: string): Promise<number> {
  const [n] = await writeTable(
    out,
    [
      {
        name: "Показания ИПУ из ГИС",
        caption: [`Показания ИПУ, переданные гражданами в ГИС ЖКХ, с ${gisDate(from)}`],
        columns: CITIZEN_READING_COLUMNS,
        rows: citizenReadingRows(ds, stand, from, houses),
      },
    ],
    "xlsx",
  );
  return n;
}

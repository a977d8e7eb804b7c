import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { DB_KINDS, withTestDb } from "./support/databases";
import { House } from "../entities";
import { codeFromGar, HouseCoding } from "../src/fias/coding";
import { parseAddress } from "../src/fias/address";
import { codingSheet, formatCoding } from "../src/fias/coding-output";
import { checkHouseGuids } from "../src/fias/check";

/** A small ГАР extract in the real format: region folder, AS_* files, attributes as the tax service writes them. */
interface AddrSpec {
  id: number;
  name: string;
  type: string;
  level: number;
  parent: number;
  actual?: boolean;
}
interface HouseSpec {
  id: number;
  parent: number;
  num: string;
  add1?: string;
  type1?: string;
  add2?: string;
  type2?: string;
}

const guidOf = (id: number) => `${String(id).padStart(8, "0")}-0000-4000-8000-${String(id).padStart(12, "0")}`;
const attrs = (o: Record<string, string | number>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}="${String(v).replace(/"/g, "&quot;")}"`)
    .join(" ");
const dates = { UPDATEDATE: "2024-05-01", STARTDATE: "2024-05-01", ENDDATE: "2079-06-06" };

export const ADDR: AddrSpec[] = [
  { id: 1, name: "Татарстан", type: "Респ", level: 1, parent: 0 },
  { id: 2, name: "Казань", type: "г", level: 5, parent: 1 },
  { id: 3, name: "Зеленодольск", type: "г", level: 5, parent: 1 },
  { id: 4, name: "Габдуллы Тукая", type: "ул", level: 8, parent: 2 },
  { id: 104, name: "Тукая старая", type: "ул", level: 8, parent: 2, actual: false },
  { id: 5, name: "Батурина", type: "ул", level: 8, parent: 2 },
  { id: 6, name: "Московская", type: "ул", level: 8, parent: 3 },
  { id: 7, name: "Московская", type: "пер", level: 8, parent: 3 },
  { id: 8, name: "Баумана", type: "ул", level: 8, parent: 3 },
  { id: 9, name: "Баумана", type: "ул", level: 8, parent: 2 },
  { id: 10, name: "Лесной", type: "мкр", level: 7, parent: 2 },
  { id: 11, name: "Садовая", type: "ул", level: 8, parent: 10 },
  { id: 12, name: "Высокогорский", type: "р-н", level: 2, parent: 1 },
  { id: 13, name: "Пестречинский", type: "р-н", level: 2, parent: 1 },
  { id: 14, name: "Новое", type: "с", level: 6, parent: 12 },
  { id: 15, name: "Новое", type: "с", level: 6, parent: 13 },
  { id: 16, name: "Центральная", type: "ул", level: 8, parent: 14 },
  { id: 60, name: "Другая", type: "обл", level: 1, parent: 0 },
  { id: 61, name: "Казань", type: "г", level: 5, parent: 60 },
];

export const HOUSES: HouseSpec[] = [
  { id: 201, parent: 4, num: "1" },
  { id: 202, parent: 5, num: "2", add1: "1", type1: "1" },
  { id: 203, parent: 5, num: "2", add1: "2", type1: "1" },
  { id: 204, parent: 6, num: "5" },
  { id: 205, parent: 11, num: "7" },
  { id: 206, parent: 9, num: "1" },
  { id: 207, parent: 8, num: "3" },
];

export function writeGarExtract(root: string, opts: { params?: boolean; adm?: boolean; mun?: boolean } = {}): string {
  const dir = path.join(root, "16");
  fs.mkdirSync(dir, { recursive: true });
  const file = (kind: string, rootTag: string, rows: string[]) =>
    fs.writeFileSync(
      path.join(dir, `AS_${kind}_20250120_${crypto.randomUUID()}.XML`),
      `\uFEFF<?xml version="1.0" encoding="utf-8"?><${rootTag}>${rows.join("")}</${rootTag}>`,
    );
  let change = 1000;
  file(
    "ADDR_OBJ",
    "ADDRESSOBJECTS",
    ADDR.map(
      (o) =>
        `<OBJECT ${attrs({
          ID: o.id + 5000,
          OBJECTID: o.id,
          OBJECTGUID: guidOf(o.id),
          CHANGEID: change++,
          NAME: o.name,
          TYPENAME: o.type,
          LEVEL: o.level,
          OPERTYPEID: 1,
          PREVID: 0,
          NEXTID: 0,
          ...dates,
          ISACTUAL: o.actual === false ? 0 : 1,
          ISACTIVE: o.actual === false ? 0 : 1,
        })} />`,
    ),
  );
  file(
    "HOUSES",
    "HOUSES",
    HOUSES.map(
      (h) =>
        `<HOUSE ${attrs({
          ID: h.id + 5000,
          OBJECTID: h.id,
          OBJECTGUID: guidOf(h.id),
          CHANGEID: change++,
          HOUSENUM: h.num,
          ...(h.add1 ? { ADDNUM1: h.add1, ADDTYPE1: h.type1 ?? "1" } : {}),
          ...(h.add2 ? { ADDNUM2: h.add2, ADDTYPE2: h.type2 ?? "2" } : {}),
          HOUSETYPE: 2,
          OPERTYPEID: 1,
          PREVID: 0,
          NEXTID: 0,
          ...dates,
          ISACTUAL: 1,
          ISACTIVE: 1,
        })} />`,
    ),
  );
  const links = [...ADDR.filter((o) => o.parent), ...HOUSES];
  const oktmoOf = (id: number) => (id === 201 ? "92701000001" : [2, 4, 5, 9, 10, 11, 205, 206].includes(id) ? "92701000" : "92628101");
  if (opts.adm !== false) {
    file(
      "ADM_HIERARCHY",
      "ITEMS",
      links.map(
        (o, i) =>
          `<ITEM ${attrs({
            ID: 9000 + i,
            OBJECTID: o.id,
            PARENTOBJID: o.parent,
            CHANGEID: change++,
            REGIONCODE: 16,
            AREACODE: 0,
            CITYCODE: 0,
            PLACECODE: 0,
            PLANCODE: 0,
            STREETCODE: 0,
            PREVID: 0,
            NEXTID: 0,
            ...dates,
            ISACTIVE: 1,
            PATH: `1.${o.parent}.${o.id}`,
          })} />`,
      ),
    );
  }
  if (opts.mun) {
    file(
      "MUN_HIERARCHY",
      "ITEMS",
      links.map(
        (o, i) =>
          `<ITEM ${attrs({
            ID: 19000 + i,
            OBJECTID: o.id,
            PARENTOBJID: o.parent,
            CHANGEID: change++,
            OKTMO: oktmoOf(o.id),
            PREVID: 0,
            NEXTID: 0,
            ...dates,
            ISACTIVE: 1,
            PATH: `1.${o.parent}.${o.id}`,
          })} />`,
      ),
    );
  }
  if (opts.params !== false) {
    file("ADDR_OBJ_PARAMS", "PARAMS", [
      `<PARAM ${attrs({ ID: 1, OBJECTID: 2, CHANGEID: 1, CHANGEIDEND: 0, TYPEID: 7, VALUE: "92701000", ...dates })} />`,
      `<PARAM ${attrs({ ID: 2, OBJECTID: 2, CHANGEID: 1, CHANGEIDEND: 0, TYPEID: 6, VALUE: "92401000000", ...dates })} />`,
      `<PARAM ${attrs({ ID: 3, OBJECTID: 3, CHANGEID: 1, CHANGEIDEND: 0, TYPEID: 7, VALUE: "92628101", ...dates })} />`,
    ]);
    file("HOUSES_PARAMS", "PARAMS", [
      `<PARAM ${attrs({ ID: 10, OBJECTID: 201, CHANGEID: 1, CHANGEIDEND: 2, TYPEID: 7, VALUE: "92701000999", UPDATEDATE: "2019-01-01", STARTDATE: "2015-01-01", ENDDATE: "2020-01-01" })} />`,
      `<PARAM ${attrs({ ID: 11, OBJECTID: 201, CHANGEID: 2, CHANGEIDEND: 0, TYPEID: 7, VALUE: "92701000001", UPDATEDATE: "2020-01-01", STARTDATE: "2020-01-01", ENDDATE: "2079-06-06" })} />`,
      `<PARAM ${attrs({ ID: 12, OBJECTID: 204, CHANGEID: 3, CHANGEIDEND: 0, TYPEID: 5, VALUE: "422540", ...dates })} />`,
    ]);
  }
  return root;
}

const FUND: Array<[string, string, Partial<House>?]> = [
  ["F1", "Республика Татарстан, г. Казань, ул. Габдуллы Тукая, д. 1"],
  ["F2", "Республика Татарстан, г. Казань, ул. Батурина, д. 2, корп. 2"],
  ["F3", "Республика Татарстан, г. Казань, ул. Батурина, д. 2"],
  ["F4", "Республика Татарстан, г. Казань, ул. Тукая, д. 1"],
  ["F5", "Республика Татарстан, г. Зеленодольск, ул. Московская, д. 5, корп. 1"],
  ["F6", "Республика Татарстан, г. Зеленодольск, ул. Несуществующая, д. 1"],
  ["F7", "Республика Татарстан, с. Новое, ул. Центральная, д. 1"],
  ["F8", "Республика Татарстан, г. Казань, ул. Садовая, д. 7"],
  ["F9", "Республика Татарстан, г. Казань, ул. Баумана, д. 1", { fiasHouseGuid: "aaaaaaaa-0000-4000-8000-000000000000" }],
];

async function seedFund(ds: DataSource): Promise<void> {
  for (const [externalId, address, extra] of FUND) await ds.getRepository(House).save({ externalId, address, houseType: "MKD", ...extra });
}

const by = (rs: HouseCoding[], ext: string) => rs.find((r) => r.externalId === ext)!;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-gar-"));

test("addresses split into settlement, street and house as FIAS codes them", () => {
  const a = parseAddress("Республика Татарстан, г. Казань, ул. Батурина, д. 2, корп. 2");
  assert.equal(a.region, "Республика Татарстан");
  assert.deepEqual(a.settlement, { type: "г", name: "Казань" });
  assert.deepEqual(a.street, { type: "ул", name: "Батурина" });
  assert.deepEqual(a.house, { number: "2", building: "2", structure: null });
  const v = parseAddress("Волгоградская обл., д. Ивановка, пер. Садовый, д. 10а, стр. 1 !Архив");
  assert.deepEqual(v.settlement, { type: "д", name: "Ивановка" });
  assert.deepEqual(v.street, { type: "пер", name: "Садовый" });
  assert.deepEqual(v.house, { number: "10а", building: null, structure: "1" });
  assert.equal(v.archived, true);
});

for (const kind of DB_KINDS) {
  test(`${kind}: ГАР coding top-down — exact, partial, incomplete, not found; --apply writes exact matches with OKTMO`, async () => {
    await withTestDb(kind, async (ds) => {
      await seedFund(ds);
      const gar = writeGarExtract(tmp());
      const results = await codeFromGar(ds, { garDir: gar, regionCode: "16", mainSettlementGuid: guidOf(1), houses: null, apply: true });

      const f1 = by(results, "F1");
      assert.equal(f1.settlement.outcome, "exact");
      assert.equal(f1.street!.outcome, "exact");
      assert.equal(f1.house.outcome, "exact");
      assert.equal(f1.house.chosen!.guid, guidOf(201));
      assert.equal(f1.oktmo, "92701000001", "the current OKTMO param, not the expired one");

      assert.equal(by(results, "F2").house.chosen!.guid, guidOf(203), "корпус 2, not корпус 1");
      const f3 = by(results, "F3");
      assert.equal(f3.house.outcome, "partial", "two buildings of house 2 — the user chooses");
      assert.deepEqual(f3.house.candidates.map((c) => c.guid).sort(), [guidOf(202), guidOf(203)]);

      const f4 = by(results, "F4");
      assert.equal(f4.street!.outcome, "incomplete");
      assert.equal(f4.street!.chosen!.guid, guidOf(4), "«Тукая» → proposed «Габдуллы Тукая»");

      const f5 = by(results, "F5");
      assert.equal(f5.street!.outcome, "exact", "ул. Московская, not пер. Московский");
      assert.equal(f5.street!.chosen!.guid, guidOf(6));
      assert.equal(f5.house.outcome, "incomplete", "FIAS has house 5 without корпус");

      const f6 = by(results, "F6");
      assert.equal(f6.street!.outcome, "not_found");
      assert.equal(f6.house.outcome, "skipped");

      const f7 = by(results, "F7");
      assert.equal(f7.settlement.outcome, "partial", "two villages «Новое» in different districts");
      assert.equal(f7.settlement.candidates.length, 2);

      assert.equal(by(results, "F8").house.chosen!.guid, guidOf(205), "street under a planning-structure element");
      assert.equal(by(results, "F8").oktmo, "92701000", "house without its own OKTMO takes the street's / settlement's");
      assert.equal(by(results, "F9").house.chosen!.guid, guidOf(206), "Баумана of Казань, not of Зеленодольск");

      const repo = ds.getRepository(House);
      const h1 = await repo.findOneByOrFail({ externalId: "F1" });
      assert.equal(h1.fiasHouseGuid, guidOf(201));
      assert.equal(h1.fiasStreetGuid, guidOf(4));
      assert.equal(h1.fiasSettlementGuid, guidOf(2));
      assert.equal(h1.oktmo, "92701000001");
      assert.equal((await repo.findOneByOrFail({ externalId: "F3" })).fiasHouseGuid, null, "partial is not written");
      const h4 = await repo.findOneByOrFail({ externalId: "F4" });
      assert.equal(h4.fiasHouseGuid, null, "a house under a proposed street is not written without --accept-proposals");
      assert.equal(h4.fiasStreetGuid, null);
      assert.equal(h4.fiasSettlementGuid, guidOf(2));
      const h9 = await repo.findOneByOrFail({ externalId: "F9" });
      assert.equal(h9.fiasHouseGuid, "aaaaaaaa-0000-4000-8000-000000000000", "an existing GUID is kept without --overwrite");
      assert.match(by(results, "F9").note!, /--overwrite/);

      const text = formatCoding(results, true);
      assert.match(text, /Домов проверено: 9/);
      assert.match(text, /ул\. Батурина, д\. 2 — Дом: Найдено частичное совпадение — выберите вариант/);
      assert.match(text, new RegExp(`варианты: д\\. 2 к\\. 1 \\(${guidOf(202)}\\); д\\. 2 к\\. 2 \\(${guidOf(203)}\\)`));
      assert.match(text, /Записано в базу: \d+ домов\./);
      const rows = [...(codingSheet(results).rows as Iterable<Record<string, unknown>>)];
      const f1House = rows.find((r) => r.address === FUND[0][1] && r.level === "Дом")!;
      assert.equal(f1House.guid, guidOf(201));
      assert.equal(f1House.oktmo, "92701000001");
      assert.match(String(f1House.written), /fiasHouseGuid/);
    });
  });
}

for (const kind of DB_KINDS) {
  test(`${kind}: the main settlement setting scopes the search; proposals are written when accepted; municipal hierarchy gives OKTMO`, async () => {
    await withTestDb(kind, async (ds) => {
      await seedFund(ds);
      const gar = writeGarExtract(tmp(), { params: false, adm: false, mun: true });
      const unscoped = await codeFromGar(ds, { garDir: gar, regionCode: "16", mainSettlementGuid: null, houses: null });
      assert.equal(by(unscoped, "F1").settlement.outcome, "partial", "two «г. Казань» without the main settlement");
      const ids = (await ds.getRepository(House).findBy({ externalId: "F4" })).map((h) => h.id);
      const r = await codeFromGar(ds, { garDir: gar, regionCode: "16", mainSettlementGuid: guidOf(1), houses: ids, apply: true, acceptProposals: true });
      assert.equal(r.length, 1);
      const h4 = await ds.getRepository(House).findOneByOrFail({ externalId: "F4" });
      assert.equal(h4.fiasHouseGuid, guidOf(201));
      assert.equal(h4.fiasStreetGuid, guidOf(4));
      assert.equal(h4.oktmo, "92701000001", "OKTMO from AS_MUN_HIERARCHY when there are no params files");
    });
  });
}

for (const kind of DB_KINDS) {
  test(`${kind}: a folder without ГАР files and a broken XML file give clear Russian errors`, async () => {
    await withTestDb(kind, async (ds) => {
      await seedFund(ds);
      const empty = tmp();
      await assert.rejects(
        codeFromGar(ds, { garDir: empty, regionCode: "16", mainSettlementGuid: null, houses: null }),
        /В выгрузке ГАР нет файлов AS_ADDR_OBJ_\*\.XML/,
      );
      const gar = writeGarExtract(tmp());
      const f = fs.readdirSync(path.join(gar, "16")).find((n) => n.startsWith("AS_HOUSES_2"))!;
      fs.writeFileSync(path.join(gar, "16", f), '<HOUSES><HOUSE OBJECTID="1" </HOUSES>');
      await assert.rejects(codeFromGar(ds, { garDir: gar, regionCode: "16", mainSettlementGuid: null, houses: null }), new RegExp(`Файл ГАР «${f}» повреждён`));
    });
  });
}

for (const kind of DB_KINDS) {
  test(`${kind}: checking the FIAS GUIDs houses already have — actual, historical, unknown — and setting OKTMO by GUID`, async () => {
    await withTestDb(kind, async (ds) => {
      const repo = ds.getRepository(House);
      await repo.save({ externalId: "G1", address: "г. Казань, ул. Габдуллы Тукая, д. 1", fiasHouseGuid: guidOf(201), oktmo: "92701000999" });
      await repo.save({ externalId: "G2", address: "г. Казань, Садовая 7", fiasHouseGuid: guidOf(205) });
      await repo.save({ externalId: "G3", address: "г. Казань, ул. Выдуманная, д. 5", fiasHouseGuid: "bbbbbbbb-0000-4000-8000-000000000000" });
      await repo.save({ externalId: "G4", address: "без ГУИД" });
      const gar = writeGarExtract(tmp());
      // A historical record of the house with another GUID (ISACTUAL=0).
      const housesFile = fs.readdirSync(path.join(gar, "16")).find((n) => n.startsWith("AS_HOUSES_2"))!;
      const p = path.join(gar, "16", housesFile);
      fs.writeFileSync(
        p,
        fs
          .readFileSync(p, "utf8")
          .replace(
            "</HOUSES>",
            `<HOUSE ID="1" OBJECTID="299" OBJECTGUID="${guidOf(299)}" CHANGEID="1" HOUSENUM="9" HOUSETYPE="2" OPERTYPEID="1" PREVID="0" NEXTID="0" UPDATEDATE="2019-01-01" STARTDATE="2019-01-01" ENDDATE="2020-01-01" ISACTUAL="0" ISACTIVE="0" /></HOUSES>`,
          ),
      );
      await repo.save({ externalId: "G5", address: "г. Казань, ул. Старая, д. 9", fiasHouseGuid: guidOf(299) });
      const checks = await checkHouseGuids(ds, { garDir: gar, regionCode: "16", houses: null, apply: true });
      const of = (ext: string) => checks.find((c) => c.externalId === ext)!;
      assert.equal(checks.length, 4, "houses without a GUID are not checked");
      assert.equal(of("G1").state, "ok");
      assert.equal(of("G1").garOktmo, "92701000001");
      assert.equal(of("G1").written, true);
      assert.equal(of("G2").state, "ok");
      assert.equal(of("G2").garOktmo, null, "no OKTMO param for that house");
      assert.equal(of("G3").state, "not_found");
      assert.equal(of("G5").state, "not_actual");
      assert.equal((await repo.findOneByOrFail({ externalId: "G1" })).oktmo, "92701000001");
    });
  });
}

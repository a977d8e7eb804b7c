import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { DataSource } from "typeorm";
import { DB_KINDS, withTestDb } from "./support/databases";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { Account, Acknowledgment, House, Meter, MeterReading, Payment, PaymentDocument, Service } from "../entities";
import { exportIdentifiers } from "../src/excel/billing/identifiers";
import { exportCitizenReadings } from "../src/excel/billing/citizen-readings";
import { exportKvitReport } from "../src/excel/billing/kvit-report";
import { exportTemplate, parseDay, parseMonth } from "../src/excel/export";
import { simulateGisProcessing } from "../src/excel/gis-simulator";
import { importIds } from "../src/excel/import-ids";
import { resolveHouses } from "../src/excel/export/selection";
import { coverageReport, duplicateGuids } from "../src/fias/reports";
import { updateAt } from "../src/storage/identity/update";
import { STAND, fileIdentity, saveAt } from "./support/identity";

const tmp = (p = "gis-sync-excel-") => fs.mkdtempSync(path.join(os.tmpdir(), p));

let bundle: string | null = null;
async function loadDemo(ds: DataSource): Promise<void> {
  if (!bundle) {
    bundle = tmp("gis-sync-excel-demo-");
    await writeDemoBundle(bundle);
  }
  await importPath(ds, bundle);
}

async function sheetRows(file: string, sheet?: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = sheet ? wb.getWorksheet(sheet)! : wb.worksheets[0];
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= ws.columnCount; i++) {
      const v = row.getCell(i).value;
      cells.push(v === null || v === undefined ? "" : String(v));
    }
    out.push(cells);
  });
  return out;
}

for (const kind of DB_KINDS) {
  test(`${kind}: ЕЛС / ИЖКУ / ИПД for the billing program — one row per account and document of the month, CSV and XLSX`, async () => {
    await withTestDb(kind, async (ds) => {
      await loadDemo(ds);
      const accounts = ds.getRepository(Account);
      const a1 = await accounts.findOneByOrFail({ externalId: "A1" });
      await updateAt(ds, STAND, Account, a1.id, { unifiedNumber: "16АА000001", utilityServiceId: "16АА000001-01" });
      await updateAt(ds, "sit01", Account, a1.id, { unifiedNumber: "16ББ000009" });
      const doc = await ds.getRepository(PaymentDocument).findOneByOrFail({ accountId: a1.id, periodYear: 2025, periodMonth: 12 });
      await updateAt(ds, STAND, PaymentDocument, doc.id, { gisPaymentDocumentId: "16АА000001-1225-01" });
      // A second document the same month: two rows for that account.
      const extra = await ds
        .getRepository(PaymentDocument)
        .save({ ...doc, id: undefined, externalId: "EXTRA", number: "доп-1", gisPaymentDocumentId: "16АА000001-1225-02" });
      await fileIdentity(ds, "payment_document", [extra]);
      const dir = tmp();
      const csv = path.join(dir, "ids.csv");
      const n = await exportIdentifiers(ds, STAND, 2025, 12, null, csv, "csv");
      const lines = fs.readFileSync(csv, "utf8").split("\r\n").filter(Boolean);
      assert.equal(lines[0], "\uFEFFНомер ЛС;ЕЛС;ИЖКУ;Период;Номер ПД;ИПД;Адрес");
      assert.equal(lines.length - 1, n);
      const a1Lines = lines.filter((l) => l.startsWith(`${a1.number};`));
      assert.equal(a1Lines.length, 2);
      assert.match(a1Lines[0], /^1600000001;16АА000001;16АА000001-01;12\.2025;1600000001-202512;16АА000001-1225-01;Республика Татарстан/);
      assert.match(a1Lines[1], /;доп-1;16АА000001-1225-02;/);
      const accountCount = await accounts.count();
      assert.equal(n, accountCount + 1, "every account once, plus the extra document");
      // Another stand's identifiers: its own ЕЛС, no ИЖКУ or ИПД it never gave.
      const sit = path.join(dir, "ids-sit01.csv");
      assert.equal(await exportIdentifiers(ds, "sit01", 2025, 12, null, sit, "csv"), n);
      const sitLines = fs
        .readFileSync(sit, "utf8")
        .split("\r\n")
        .filter((l) => l.startsWith(`${a1.number};`));
      assert.match(sitLines[0], /^1600000001;16ББ000009;;12\.2025;1600000001-202512;;/);
      assert.match(sitLines[1], /;доп-1;;/);

      const xlsx = path.join(dir, "ids.xlsx");
      const houses = await resolveHouses(ds, "H1");
      const m = await exportIdentifiers(ds, STAND, 2025, 12, houses, xlsx, "xlsx");
      const rows = await sheetRows(xlsx);
      assert.match(rows[0][0], /за 12\.2025/);
      assert.deepEqual(rows[1], ["Номер ЛС", "ЕЛС", "ИЖКУ", "Период", "Номер ПД", "ИПД", "Адрес"]);
      assert.equal(rows.length - 2, m);
      assert.ok(m > 1 && m < n, "house H1 only");
      assert.ok(
        rows.slice(2).every((r) => r[6].includes("Габдуллы Тукая, д. 1")),
        "addresses of house H1",
      );
    });
  });

  test(`${kind}: citizens' readings from GIS since a date, and the kvitirovanie error report`, async () => {
    await withTestDb(kind, async (ds) => {
      await loadDemo(ds);
      const meter = await ds.getRepository(Meter).findOneByOrFail({ externalId: "M3" });
      const readings = ds.getRepository(MeterReading);
      await readings.save({
        externalId: "gis:1",
        meterId: meter.id,
        readingDate: "2025-11-20",
        valueT1: "3500.5",
        valueT2: "1400",
        source: "citizen",
        enteredAt: new Date("2025-11-20T10:15:00Z"),
      });
      await readings.save({ externalId: "gis:2", meterId: meter.id, readingDate: "2025-10-20", valueT1: "3400", source: "citizen" });
      const meterGuid = "0a1b2c3d-0000-4000-8000-0000000000aa";
      await updateAt(ds, STAND, Meter, meter.id, { gisNumber: "ПУ-77", gisRootGuid: meterGuid });
      await updateAt(ds, "sit01", Meter, meter.id, { gisNumber: "ПУ-SIT" });
      const dir = tmp();
      const out = path.join(dir, "readings.xlsx");
      assert.equal(await exportCitizenReadings(ds, STAND, "2025-11-01", null, out), 1, "only citizens' readings since the date");
      const rows = await sheetRows(out);
      assert.equal(rows[1][0], "Адрес");
      const r = rows[2];
      assert.equal(r[5], meter.factoryNumber);
      assert.deepEqual([r[6], r[7]], ["ПУ-77", meterGuid], "the stand's GIS number and GUID of the meter");
      assert.equal(r[9], "20.11.2025");
      assert.equal(r[10], "3500.5");
      assert.equal(r[11], "1400");
      assert.equal(r[13], "20.11.2025 10:15");
      assert.equal(await exportCitizenReadings(ds, STAND, "2025-11-01", await resolveHouses(ds, "H2"), path.join(dir, "none.xlsx")), 0, "house selection");

      const payment = await ds.getRepository(Payment).findOneByOrFail({ externalId: "PM2" });
      const service = await ds.getRepository(Service).findOneByOrFail({ externalId: "S1" });
      await saveAt(ds, "acknowledgment", {
        paymentId: payment.id,
        paymentDocumentId: payment.paymentDocumentId!,
        serviceId: service.id,
        amount: 100,
        state: "impossible",
        impossibleReason: "Сумма квитирования превышает сумму начисления",
      });
      await ds.getRepository(Payment).update({ externalId: "PM1" }, { paymentDocumentId: null });
      const report = path.join(dir, "kvit.xlsx");
      assert.equal(await exportKvitReport(ds, null, report, STAND), 2);
      const k = await sheetRows(report);
      assert.equal(k[0][0], "Отчёт по ошибкам квитирования");
      const body = k.slice(k.findIndex((x) => x[0] === "Номер ЛС") + 1);
      assert.equal(body[0][10], "Квитирование невозможно");
      assert.equal(body[0][11], "Сумма квитирования превышает сумму начисления");
      assert.equal(body[0][5], service.name);
      assert.match(body[1][11], /не сопоставлен с платёжным документом/);
    });
  });
}

for (const kind of DB_KINDS) {
  test(`${kind}: FIAS reports — levels with and without GUID, houses sharing one GUID within a selection or the whole database`, async () => {
    await withTestDb(kind, async (ds) => {
      const repo = ds.getRepository(House);
      const g = "11111111-2222-4333-8444-555555555555";
      await repo.save({
        externalId: "A",
        address: "Республика Татарстан, г. Казань, ул. Новокузнецкая, д. 20",
        fiasHouseGuid: g,
        fiasStreetGuid: "aaaaaaaa-0000-4000-8000-000000000001",
        fiasSettlementGuid: "aaaaaaaa-0000-4000-8000-000000000002",
        oktmo: "92701000",
      });
      await repo.save({ externalId: "B", address: "Республика Татарстан, г. Казань, ул. Новокузнецкая, д. 20 !Архив", fiasHouseGuid: g, oktmo: "92701000" });
      await repo.save({ externalId: "C", address: "Республика Татарстан, г. Казань, ул. Гаусова, д. 21", fiasHouseGuid: g });
      await repo.save({ externalId: "D", address: "Республика Татарстан, г. Казань, ул. Гаусова, д. 23" });
      const cov = await coverageReport(ds, null);
      assert.deepEqual(
        cov.settlements.map((s) => [s.address, s.guid, s.houses]),
        [["Республика Татарстан, г. Казань", "aaaaaaaa-0000-4000-8000-000000000002", 4]],
      );
      assert.deepEqual(
        cov.streets.map((s) => [s.address, s.guid]),
        [
          ["г. Казань, ул. Гаусова", null],
          ["г. Казань, ул. Новокузнецкая", "aaaaaaaa-0000-4000-8000-000000000001"],
        ],
      );
      const without = await coverageReport(ds, null, "without");
      assert.deepEqual(
        without.houses.map((h) => h.address),
        ["Республика Татарстан, г. Казань, ул. Гаусова, д. 23"],
      );
      assert.deepEqual(
        without.streets.map((s) => s.address),
        ["г. Казань, ул. Гаусова"],
      );

      const sel = await resolveHouses(ds, "A,D");
      assert.deepEqual(await duplicateGuids(ds, sel, "selection"), [], "within A and D nothing repeats");
      const db = await duplicateGuids(ds, sel, "database");
      assert.deepEqual(db.map((r) => r.address).sort(), [
        "Республика Татарстан, г. Казань, ул. Гаусова, д. 21",
        "Республика Татарстан, г. Казань, ул. Новокузнецкая, д. 20",
        "Республика Татарстан, г. Казань, ул. Новокузнецкая, д. 20 !Архив",
      ]);
      assert.equal((await duplicateGuids(ds, sel, "database", true)).length, 2, "archived address ignored");
    });
  });
}

for (const kind of DB_KINDS) {
  test(`${kind}: bad input — unreadable workbook, empty folder, a non-GUID answer, a bad month or date, an unknown house`, async () => {
    await withTestDb(kind, async (ds) => {
      await loadDemo(ds);
      const dir = tmp();
      fs.writeFileSync(path.join(dir, "broken.xlsx"), "this is not a zip");
      await assert.rejects(importIds(ds, STAND, dir), /Не удаётся прочитать книгу Excel «broken\.xlsx»/);
      await assert.rejects(importIds(ds, STAND, tmp()), /нет файлов \.xlsx/);

      const out = tmp();
      const r = await exportTemplate(ds, "mkd", { houses: await resolveHouses(ds, "H4"), stand: STAND }, out);
      const processed = tmp();
      const file = path.join(processed, "mkd.xlsx");
      await simulateGisProcessing(r.file, file);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      wb.getWorksheet("Характеристики МКД")!.getCell(3, 16).value = "не-гуид";
      await wb.xlsx.writeFile(file);
      const res = await importIds(ds, STAND, processed);
      assert.equal(res.unmatched.length, 1);
      assert.deepEqual([res.unmatched[0].file, res.unmatched[0].sheet, res.unmatched[0].row], ["mkd.xlsx", "Характеристики МКД", 3]);
      assert.equal(res.unmatched[0].text, "в столбце «Идентификатор дома в ГИС ЖКХ» не ГУИД: «не-гуид»");

      assert.throws(() => parseMonth("2025-13"), /--month: ожидается месяц в виде ГГГГ-ММ, получено «2025-13»/);
      assert.throws(() => parseDay("31.02.x"), /--from: ожидается дата/);
      assert.equal(parseDay("20.11.2025"), "2025-11-20");
      await assert.rejects(resolveHouses(ds, "H1,nope"), /--houses: дом «nope» не найден/);
    });
  });
}

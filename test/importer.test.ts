import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import iconv from "iconv-lite";
import ExcelJS from "exceljs";
import { DB_KINDS, withTestDb } from "./support/databases";
import { EXPECTED_ISSUES, FIXTURE, writeFixture } from "./support/bundle-fixture";
import { importPath } from "../src/importer/import-run";
import { Account, FieldPolicy, ImportIssue, ImportRun, Meter, MeterReading, Organization, Payment, Premise } from "../entities";
import { valueAt } from "../src/history/history";
import { FieldPolicies } from "../src/history/policy";
import { GisIdentity } from "../entities/gis-identity";
import { STAND, fileIdentity, reloadAt } from "./support/identity";

const BIN = path.resolve("bin/gis-sync.js");

for (const kind of DB_KINDS) {
  test(`${kind}: bundle with broken rows imports the good rows and journals every bad one`, async () => {
    await withTestDb(kind, async (ds) => {
      const dir = writeFixture();
      const r = await importPath(ds, dir, { asOf: "2026-06-01" });
      assert.equal(r.status, "ok_with_errors");
      const issues = await ds.getRepository(ImportIssue).find({ where: { runId: r.runId }, order: { id: "ASC" } });
      const order = (a: readonly unknown[]) => `${String(a[0])}:${String(a[1]).padStart(6)}`;
      const sorted = (x: Array<readonly unknown[]>) => [...x].sort((a, b) => order(a).localeCompare(order(b)));
      const got = issues.map((i) => [i.file, i.row, i.column, i.severity]);
      assert.deepEqual(sorted(got), sorted(EXPECTED_ISSUES.map((e) => [...e])), "exactly the broken rows, with file/row/column");
      assert.ok(issues.every((i) => i.message.length > 5));
      assert.equal(issues.find((i) => i.column === "total_area")!.value, "abc", "the bad value is kept");

      assert.equal(await ds.getRepository(Premise).count(), 3, "p3 (unknown house) rejected; p2 loaded without its bad area");
      assert.equal((await ds.getRepository(Premise).findOneByOrFail({ externalId: "p2" })).totalArea, null);
      assert.equal(await ds.getRepository(Account).count(), 2);
      assert.equal(await ds.getRepository(Payment).count(), 1);
      assert.equal(await ds.getRepository(MeterReading).count(), 3, "decreasing reading imported with a warning");
      const org = await ds.getRepository(Organization).findOneByOrFail({ externalId: "org1" });
      assert.equal(org.fullName, 'ООО "Водоканал"', "unescaped quotes inside a field are read as text");
      const meter = await ds.getRepository(Meter).findOneByOrFail({ externalId: "m1" });
      assert.equal(meter.lastVerificationDate, "2030-05-31", "verification date taken as the last one by default");
      const reading = await ds.getRepository(MeterReading).findOneByOrFail({ externalId: "r2" });
      assert.equal(reading.valueT1, "12.75", "reading kept exact");
      const a1 = await reloadAt(ds, "account", (await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" })).id);
      assert.equal(a1.sync.status, "not_sent");
      assert.ok(a1.sync.changedAt, "changedAt stamped");
      assert.equal(await ds.getRepository(GisIdentity).count(), 0, "the billing import writes no stand's identity");
      // A stand's identity of a1, as a push would leave it: a re-import keeps it.
      const pushed = { id: a1.id, gisAccountGuid: "0a1b2c3d-0000-4000-8000-000000000001", sync: { status: "ok" } };
      await fileIdentity(ds, "account", [pushed]);

      const run = await ds.getRepository(ImportRun).findOneByOrFail({ id: r.runId });
      assert.equal(run.status, "ok_with_errors");
      assert.equal(run.rowsRejected, 5);

      // Second import of the same bundle: nothing changes.
      const again = await importPath(ds, dir, { asOf: "2026-06-01" });
      for (const f of again.files) {
        assert.equal(f.inserted, 0, `${f.file}: nothing inserted again`);
        assert.equal(f.updated, 0, `${f.file}: nothing updated again`);
      }
      const after = await reloadAt(ds, "account", a1.id);
      assert.equal(after.sync.changedAt!.getTime(), a1.sync.changedAt!.getTime(), "unchanged rows keep their changedAt");
      assert.deepEqual([after.gisAccountGuid, after.sync.status], ["0a1b2c3d-0000-4000-8000-000000000001", "ok"], `${STAND}'s identity kept`);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  test(`${kind}: a changed history field keeps the old value for the days it was in force`, async () => {
    await withTestDb(kind, async (ds) => {
      const dir = writeFixture();
      await importPath(ds, dir, { asOf: "2026-01-01" });
      writeFixture({ accounts: FIXTURE.accounts.replace("a1;org1;100001;RSO;person;Иванов;45.5", "a1;org1;100001;RSO;person;Иванов;50") }, dir);
      const r = await importPath(ds, dir, { asOf: "2026-03-01" });
      assert.equal(r.files.find((f) => f.file === "accounts.csv")!.updated, 1);
      const a1 = await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" });
      assert.equal(a1.totalArea, 50);
      const at = (day: string) => valueAt(ds, { entityType: "account", entityId: a1.id, field: "totalArea", day, current: a1.totalArea });
      assert.equal(await at("2026-02-28"), 45.5, "old value before the change");
      assert.equal(await at("2026-03-01"), 50, "new value from the change day");
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
}

test("sqlite: fields imported from GIS are never overwritten by billing; replicated fields refuse manual edits", async () => {
  await withTestDb("sqlite", async (ds) => {
    const dir = writeFixture();
    await importPath(ds, dir);
    await ds.getRepository(FieldPolicy).save({ entityType: "account", field: "payerLastName", replicated: false, history: false, importedFromGis: true });
    writeFixture({ accounts: FIXTURE.accounts.replace("Иванов", "Иванова") }, dir);
    await importPath(ds, dir);
    assert.equal((await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" })).payerLastName, "Иванов");
    const p = await FieldPolicies.load(ds);
    assert.throws(() => p.assertEditable("account", "totalArea"), /учётной системы/);
    assert.throws(() => p.assertEditable("account", "unifiedNumber"), /ГИС ЖКХ/);
    assert.doesNotThrow(() => p.assertEditable("account", "note"));
  });
});

test("sqlite: Windows-1251 comma-separated CSV and XLSX are read like UTF-8 CSV", async () => {
  await withTestDb("sqlite", async (ds) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-enc-"));
    fs.writeFileSync(
      path.join(dir, "organizations.csv"),
      iconv.encode(FIXTURE.organizations.replace(/;/g, ",").replace('ООО "Водоканал"', "ООО Водоканал") + "\r\n", "win1251"),
    );
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Дома");
    ws.addRow(["id", "address", "house_type", "built_year", "closed_date"]);
    ws.addRow(["h1", "г. Казань, ул. Баумана, д. 5", "MKD", 1965, new Date(Date.UTC(2030, 0, 31))]);
    await wb.xlsx.writeFile(path.join(dir, "houses.xlsx"));
    const r = await importPath(ds, dir);
    assert.deepEqual(
      r.files.map((f) => [f.file, f.inserted]),
      [
        ["organizations.csv", 2],
        ["houses.xlsx", 1],
      ],
    );
    assert.equal((await ds.getRepository(Organization).findOneByOrFail({ externalId: "org1" })).fullName, "ООО Водоканал");
    const { House } = await import("../entities");
    const h = await ds.getRepository(House).findOneByOrFail({ externalId: "h1" });
    assert.equal(h.address, "г. Казань, ул. Баумана, д. 5");
    assert.equal(h.builtYear, 1965);
    assert.equal(h.closedDate, "2030-01-31");
  });
});

test("sqlite: a file broken half-way is rolled back whole; CLI exits non-zero with a clear message", async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-home-"));
  const dir = writeFixture({
    organizations: FIXTURE.organizations,
    houses: ["id;address;house_type", ...Array.from({ length: 30 }, (_, i) => `h${i};г. Казань, д. ${i};MKD`), 'h99;"unterminated;MKD'].join("\n"),
  });
  const env = { ...process.env, GIS_SYNC_HOME: home, DB_URL: "" };
  const res = spawnSync(process.execPath, [BIN, "import", dir, "--batch", "10"], { env, encoding: "utf8" });
  assert.notEqual(res.status, 0);
  assert.match(res.stdout + res.stderr, /houses\.csv.*(повреждён|не загружен)/);
  assert.doesNotMatch(res.stderr, /at .*\.js:\d+/, "no stack trace");
  const status = spawnSync(process.execPath, [BIN, "status", "--json"], { env, encoding: "utf8" });
  const rows = JSON.parse(status.stdout) as Array<{ label: string; total: number }>;
  assert.equal(rows.find((r) => r.label === "Дома")!.total, 0, "no house of the broken file stayed behind");
  assert.equal(rows.find((r) => r.label === "Организации")!.total, 2, "the good file went in");

  fs.writeFileSync(path.join(dir, "houses.csv"), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2, 3]));
  const bin = spawnSync(process.execPath, [BIN, "import", path.join(dir, "houses.csv")], { env, encoding: "utf8" });
  assert.notEqual(bin.status, 0);
  assert.match(bin.stdout, /houses\.csv.*не текстовый/);
  const missing = spawnSync(process.execPath, [BIN, "import", path.join(dir, "nope")], { env, encoding: "utf8" });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^gis-sync: Нет такого файла или каталога/);
});

test("docs/bundle-format.md is the output of `import --describe`", async () => {
  const { describeBundle } = await import("../src/importer/describe");
  assert.equal(
    fs.readFileSync("docs/bundle-format.md", "utf8").trimEnd(),
    describeBundle().trimEnd(),
    "regenerate: node bin/gis-sync.js import --describe > docs/bundle-format.md",
  );
});

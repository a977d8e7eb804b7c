/**
 * Accounts export throughput and memory: fills a fresh database with N accounts (one flat each,
 * fifty flats a house, inserted directly — the importer has its own benchmark), then writes the
 * accounts template (two sheets, 2·N rows) and prints rows/s and peak RSS.
 * Up to 200,000 accounts it also lets GIS "process" the file (the simulator reads it whole) and
 * times `import-ids` writing GUIDs and ЕЛС back.
 *   node dist/scripts/bench-excel.js [accounts=100000] [DB_URL=sqlite temp]
 * Run twice with the same DB_URL to measure the export alone (the second run reuses the data).
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { Account, AccountAccommodation, House, Organization, Premise } from "../entities";
import { openDatabase } from "../src/storage/database";
import { exportTemplate } from "../src/excel/export";
import { simulateGisProcessing } from "../src/excel/gis-simulator";
import { importIds } from "../src/excel/import-ids";

const BATCH = 500;

async function fill(ds: DataSource, n: number): Promise<void> {
  const org = await ds
    .getRepository(Organization)
    .save({ externalId: "O1", fullName: "ООО «Бенчмарк»", inn: "7707083893", role: "RSO", isOurs: true } as Partial<Organization>);
  const houses = Math.ceil(n / 50);
  for (let i = 0; i < houses; i += BATCH) {
    const rows = [];
    for (let j = i; j < Math.min(houses, i + BATCH); j++)
      rows.push({ externalId: `H${j + 1}`, address: `Республика Татарстан, г. Казань, ул. Тестовая, д. ${j + 1}`, houseType: "MKD" as const });
    await ds.createQueryBuilder().insert().into(House).values(rows).execute();
  }
  const firstHouse = (await ds.getRepository(House).findOneByOrFail({ externalId: "H1" })).id;
  for (let i = 0; i < n; i += BATCH) {
    const size = Math.min(n, i + BATCH) - i;
    const idx = Array.from({ length: size }, (_, k) => i + k);
    await ds
      .createQueryBuilder()
      .insert()
      .into(Premise)
      .values(idx.map((k) => ({ externalId: `P${k + 1}`, houseId: firstHouse + Math.floor(k / 50), number: String((k % 50) + 1), totalArea: 45.5 })))
      .execute();
    await ds
      .createQueryBuilder()
      .insert()
      .into(Account)
      .values(
        idx.map((k) => ({
          externalId: `A${k + 1}`,
          organizationId: org.id,
          number: String(1600000000 + k + 1),
          accountType: "RSO" as const,
          payerLastName: "Иванов",
          payerFirstName: "Иван",
          payerMiddleName: "Иванович",
          totalArea: 45.5,
          residentsCount: 2,
        })),
      )
      .execute();
  }
  const premise0 = (await ds.getRepository(Premise).findOneByOrFail({ externalId: "P1" })).id;
  const account0 = (await ds.getRepository(Account).findOneByOrFail({ externalId: "A1" })).id;
  for (let i = 0; i < n; i += BATCH) {
    const size = Math.min(n, i + BATCH) - i;
    await ds
      .createQueryBuilder()
      .insert()
      .into(AccountAccommodation)
      .values(Array.from({ length: size }, (_, k) => ({ accountId: account0 + i + k, premiseId: premise0 + i + k, sharePercent: 100 })))
      .execute();
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 100000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-bench-excel-"));
  const dbUrl = process.argv[3] ?? `sqlite:${path.join(tmp, "bench.sqlite")}`;
  const ds = await openDatabase(dbUrl);
  try {
    let t0 = process.hrtime.bigint();
    // A database given on the command line that already holds the accounts is reused, so a
    // second run measures the export in a process that did not do the filling.
    if ((await ds.getRepository(Account).count()) >= n) console.log(`reusing the ${n} accounts already in ${dbUrl}`);
    else await fill(ds, n);
    console.log(
      `filled ${n} accounts in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s; RSS now ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
    );
    const before = process.resourceUsage().maxRSS;
    t0 = process.hrtime.bigint();
    const r = await exportTemplate(ds, "accounts", { houses: null, stand: "prod" }, tmp);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const rows = r.rows.reduce((a, x) => a + x.rows, 0);
    console.log(
      `accounts export: ${rows} rows (${r.rows.map((x) => `${x.sheet} ${x.rows}`).join(", ")}) in ${s.toFixed(1)} s = ${Math.round(rows / s)} rows/s; ` +
        `file ${(fs.statSync(r.file).size / 2 ** 20).toFixed(1)} MB; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB (before export ${Math.round(before / 1024)} MB)`,
    );
    if (n <= 200000) {
      const processed = path.join(tmp, "processed");
      fs.mkdirSync(processed);
      await simulateGisProcessing(r.file, path.join(processed, "accounts.xlsx"));
      // The simulator read the workbook whole (lifetime peak RSS is its): sample RSS during the import instead.
      global.gc?.();
      let sampled = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        sampled = Math.max(sampled, process.memoryUsage().rss);
      }, 50);
      const start = process.memoryUsage().rss;
      t0 = process.hrtime.bigint();
      const res = await importIds(ds, "prod", processed);
      const si = Number(process.hrtime.bigint() - t0) / 1e9;
      clearInterval(sampler);
      console.log(
        `import-ids: ${res.applied} rows written in ${si.toFixed(1)} s = ${Math.round(res.applied / si)} rows/s; ` +
          `unmatched ${res.unmatched.length}; RSS ${Math.round(start / 2 ** 20)} MB at start, sampled peak ${Math.round(sampled / 2 ** 20)} MB`,
      );
    }
  } finally {
    await ds.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

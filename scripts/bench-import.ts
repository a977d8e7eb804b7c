/**
 * Import throughput and memory: generates a bundle of N accounts (or takes a folder), imports it
 * into a fresh database, then imports it again (the no-change pass), and prints rows/s and peak RSS.
 *   node dist/scripts/bench-import.js [accounts=10000] [DB_URL=sqlite temp] [--bundle DIR]
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateBundle } from "../src/generator";
import { openDatabase } from "../src/storage/database";
import { importPath } from "../src/importer/import-run";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const bundleAt = args.indexOf("--bundle");
  const bundleDir = bundleAt >= 0 ? args.splice(bundleAt, 2)[1] : null;
  const accounts = Number(args[0] ?? 10000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-bench-import-"));
  const dir = bundleDir ?? path.join(tmp, "bundle");
  if (!bundleDir) await generateBundle({ accounts, outDir: dir, seed: 1, broken: false });
  const dbUrl = args[1] ?? `sqlite:${path.join(tmp, "bench.sqlite")}`;
  const ds = await openDatabase(dbUrl);
  try {
    for (const pass of ["first import", "re-import (no changes)"]) {
      const t0 = process.hrtime.bigint();
      const r = await importPath(ds, dir);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      const rows = r.files.reduce((n, f) => n + f.read, 0);
      console.log(
        `${pass}: ${rows} rows in ${s.toFixed(1)} s = ${Math.round(rows / s)} rows/s; ` +
          `inserted ${r.files.reduce((n, f) => n + f.inserted, 0)}, unchanged ${r.files.reduce((n, f) => n + f.unchanged, 0)}`,
      );
      for (const f of r.files) console.log(`  ${f.file.padEnd(28)} ${String(f.read).padStart(9)} rows`);
    }
    console.log(`database: ${dbUrl.replace(/:[^:@/]*@/, ":***@")}; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    await ds.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();

/**
 * Load figures for the bundle generator: `npx tsc && node dist/scripts/bench-generate.js [accounts]`
 * (default 1,000,000). Writes into a temporary directory, prints elapsed seconds, rows, MB and peak
 * RSS, then deletes the output (it can be gigabytes). Pass --keep to leave it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateBundle } from "../src/generator/generate";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const keep = args.includes("--keep");
  const nArg = args.find((a) => !a.startsWith("--"));
  const accounts = nArg === undefined ? 1_000_000 : Number(nArg);
  if (!Number.isSafeInteger(accounts) || accounts < 1) {
    process.stderr.write(`bench-generate: accounts must be a positive integer (got "${nArg}")\n`);
    process.exitCode = 1;
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-bench-"));
  const t0 = process.hrtime.bigint();
  try {
    const r = await generateBundle({ accounts, outDir: dir, seed: 1 });
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    const mb = r.totalBytes / 1048576;
    console.log(`accounts      ${accounts}`);
    console.log(`houses        ${r.houses}`);
    console.log(`elapsed       ${sec.toFixed(1)} s`);
    console.log(`rows written  ${r.totalRows} (${Math.round(r.totalRows / sec)} rows/s)`);
    console.log(`MB written    ${mb.toFixed(1)} (${(mb / sec).toFixed(1)} MB/s)`);
    console.log(`peak RSS      ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
    console.log(`broken rows   ${r.broken.length}`);
    for (const f of r.files) console.log(`  ${f.file.padEnd(28)} ${String(f.rows).padStart(12)} ${(f.bytes / 1048576).toFixed(1).padStart(9)} MB`);
    if (keep) console.log(`output kept in ${dir}`);
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();

/**
 * Synthetic billing bundle: one CSV per BUNDLE_FILES entry, realistic Russian data, a seeded PRNG
 * so the same seed gives byte-identical files, and (optionally) a few deliberately broken objects
 * listed in broken.json.
 *
 * Memory stays bounded: the generator works one house at a time (a house's premises, accounts,
 * meters and their months), keeps only that house's state, and hands rows to WriteStreams that it
 * waits on ('drain') whenever they are full. The writers of each part are in their own modules:
 * organizations.ts, fund.ts (houses), units.ts (premises, accounts), meters.ts, documents.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { BUNDLE_FILES } from "../bundle/format";
import { p2 } from "./format";
import { planMkd, writeHouse } from "./fund";
import { BrokenKind, GenerateOptions, GenerateReport, GeneratedFile } from "./model";
import { writeOrganizations, writeServices } from "./organizations";
import { GenState, Period } from "./state";

export * from "./model";

export function validateOptions(opts: GenerateOptions): void {
  if (!Number.isSafeInteger(opts.accounts) || opts.accounts < 1) throw new Error("accounts must be a positive integer");
  const months = opts.months ?? 12;
  if (!Number.isInteger(months) || months < 1 || months > 240) throw new Error("months must be an integer from 1 to 240");
  if (opts.seed !== undefined && (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff)) {
    throw new Error("seed must be an integer from 0 to 4294967295");
  }
  const perHouse = opts.accountsPerHouse;
  if (perHouse !== undefined && (!Number.isInteger(perHouse) || perHouse < 1 || perHouse > 10000)) {
    throw new Error("accountsPerHouse must be an integer from 1 to 10000");
  }
  if ((opts.format ?? "csv") !== "csv") throw new Error(`format must be "csv"`);
  if (opts.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) throw new Error(`today must be YYYY-MM-DD, got "${opts.today}"`);
}

async function run(g: GenState): Promise<void> {
  writeOrganizations(g);
  writeServices(g);
  const total = g.opts.accounts;
  let first = true;
  while (g.accIdx < total) {
    const remaining = total - g.accIdx;
    // The centre's managing organization places apartment buildings only (private houses are no УО's).
    const zhd = !first && !g.centre && g.rnd.chance(0.3);
    // The centre's houses are small (up to 8 payers each): a handful of houses, one of them deliberately broken.
    const room = g.centre ? Math.min(remaining, 8) : remaining;
    const plan = zhd ? null : planMkd(g, g.opts.accountsPerHouse ? Math.min(room, g.opts.accountsPerHouse) : room);
    if (first) g.targets.choose(g.brokenRnd, total, plan ? plan.accounts : 1);
    first = false;
    writeHouse(g, plan);
    g.houseCount++;
    await g.flushAll();
  }
}

export async function generateBundle(opts: GenerateOptions): Promise<GenerateReport> {
  validateOptions(opts);
  const started = Date.now();
  await fs.promises.mkdir(opts.outDir, { recursive: true });
  const g = new GenState(opts);
  try {
    await run(g);
  } finally {
    await g.closeAll();
  }
  const files: GeneratedFile[] = [];
  for (const w of g.writerList) {
    files.push({ name: w.name, file: path.basename(w.path), rows: w.rows, bytes: (await fs.promises.stat(w.path)).size });
  }
  const order = new Map(BUNDLE_FILES.map((s, i) => [`${s.name}.csv`, i]));
  g.broken.sort((x, y) => order.get(x.file)! - order.get(y.file)! || x.line - y.line);
  await fs.promises.writeFile(path.join(opts.outDir, "broken.json"), JSON.stringify(g.broken, null, 2) + "\n");
  const brokenByKind: Partial<Record<BrokenKind, number>> = {};
  for (const b of g.broken) brokenByKind[b.kind] = (brokenByKind[b.kind] ?? 0) + 1;
  return {
    outDir: opts.outDir,
    seed: g.seed,
    accounts: opts.accounts,
    months: g.periods.length,
    periods: { from: pk(g.periods[0]), to: pk(g.periods[g.periods.length - 1]) },
    houses: g.houseCount,
    files,
    totalRows: files.reduce((s, f) => s + f.rows, 0),
    totalBytes: files.reduce((s, f) => s + f.bytes, 0),
    broken: g.broken,
    brokenByKind,
    elapsedMs: Date.now() - started,
  };
}

const pk = (p: Period) => `${p.year}-${p2(p.month)}`;

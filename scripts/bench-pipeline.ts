/**
 * The whole pipeline against the built-in stand: objects per second for each stage, requests in
 * flight (mean, max), milliseconds per object in each phase (build, validate, sign, send, parse,
 * apply) and the peak RSS, for a generated bundle (100,000 accounts by default).
 *   --sequential  a true sequential client: one request in flight in the whole run (send it, wait for
 *                 its final answer, apply it, then the next: pipeline.maxInFlight = 1, one worker each);
 *   --compare     both, pools then sequential, on fresh databases and stands, and the ratio;
 *   --latency R,P the stand's milliseconds in RequestState 1 (received) and 2 (processing);
 *   --accounts-per-house N  at most N accounts in one apartment house of the generated bundle
 *                 (1..10000; default: as many as the house has flats), so more houses and lanes;
 *   --broken      the generated bundle keeps the generator's deliberately broken objects (a house
 *                 with a bad FIAS GUID per 1,000 accounts fails with all it holds); default clean.
 * The generated bundle is dated from today (GenerateOptions.today): bills up to last month and this
 * month's readings inside an open window; the earlier months' readings are refused as GIS would,
 * PRE_WINDOW_CLOSED, and not sent. Each stage with errors gets a line of its errors by code.
 * The critical path printed is the longest chain of dependent requests × (R + P).
 * Not a test: run it by hand, write the figures in the closing note.
 *
 *   node dist/scripts/bench-pipeline.js [--accounts 100000] [--months 3] [--accounts-per-house N]
 *                                       [--sequential | --compare] [--latency 500,2000] [--no-verify] [--broken]
 *                                       [--db DB_URL] [--bundle DIR] [--keep] [--json] [--help]
 *
 * Redis: REDIS_URL (default 127.0.0.1:6379), under a private key prefix removed afterwards.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = `gis-sync-bench-${crypto.randomBytes(4).toString("hex")}`;
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import IORedis from "ioredis";
import { DataSource, In } from "typeorm";
import { ArchiveEntry, GisOperation, Organization } from "../entities";
import { setSetting } from "../src/settings/settings";
import { PHASES, Phase, installPhaseTimers, takePhaseTimes } from "./bench-phases";
import { generateBundle, validateOptions } from "../src/generator/generate";
import { centreDates, houseToday } from "../src/generator/centre";
import { setStandRules } from "../src/stand/rules/settings";
import { importPath } from "../src/importer/import-run";
import { openDatabase } from "../src/storage/database";
import { fork } from "node:child_process";
import { startStand } from "../src/stand";
import { demoKeys, registerOrganizations } from "../src/runtime/demo-environment";
import { seedManagedFund } from "../src/runtime/demo-fund";
import { openPipeline } from "../src/runtime/pipeline-runtime";
import { RunSummary } from "../src/queue/summary";
import { REDIS_PREFIX } from "../src/queue/names";
import { STAGES, StageName } from "../src/stages/descriptor";
import { countingQueries, takeQueryCounts } from "../src/storage/query-count";

const USAGE = `node dist/scripts/bench-pipeline.js [flags]
  --accounts N            accounts in the generated bundle (default 100000)
  --months M              months of readings, bills and payments (default 3)
  --accounts-per-house N  at most N accounts in one apartment house (1..10000; default: a house
                          takes as many as it has flats), so more houses and more lanes
  --latency R,P           the stand's milliseconds in RequestState 1 and 2 (default 0,0)
  --sequential            one request in flight in the whole run instead of the worker pools
  --compare               pools, then sequential, each on a fresh database and stand
  --no-verify             the stand does not verify signatures
  --broken                the generated bundle keeps the generator's deliberately broken objects
                          (default: a clean bundle; errors are printed by code per stage either way)
  --db DB_URL             the database (default: a fresh SQLite file)
  --bundle DIR            an existing bundle instead of a generated one
  --keep                  keep the working folder
  --json                  the report as JSON
Redis: REDIS_URL (default 127.0.0.1:6379), under a private key prefix removed afterwards.`;

const flag = (name: string) => process.argv.includes(`--${name}`);
function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

/** --latency R,P: milliseconds in RequestState 1 and 2. */
function latencyArg(): { receivedMs: number; processingMs: number } {
  const [r, p] = arg("latency", "0,0").split(",").map(Number);
  return { receivedMs: r || 0, processingMs: p || 0 };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * Child mode: the stand in its own process (as `gis-sync stand` runs), so the figures are the
 * client's: its CPU and memory, not the emulator's state of every placed object.
 */
async function serveStand(): Promise<void> {
  const stand = await startStand({ verify: !flag("no-verify"), latency: latencyArg(), log: () => undefined });
  // The stand takes current readings on the days the bundle's contracts state (widened to contain today), as the demo's does.
  const w = centreDates(houseToday());
  setStandRules(stand.store, { readingsWindow: { fromDay: w.fromDay, toDay: w.toDay } });
  process.on("message", async (m: { seed?: { dbUrl: string; certPem: string }; close?: boolean; stats?: boolean }) => {
    if (m.seed) {
      const ds = await openDatabase(m.seed.dbUrl);
      const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
      registerOrganizations(stand, await ds.getRepository(Organization).find(), new Map([[ours.id, m.seed.certPem]]));
      await ds.destroy();
      process.send!({ seeded: true });
    }
    if (m.stats) {
      // What the stand holds, as opposed to the garbage a 16 GB heap limit lets it leave lying about.
      (globalThis as { gc?: () => void }).gc?.();
      process.send!({ standStats: { stats: stand.stats(), rssMb: mb(peakRss()), heapMb: mb(process.memoryUsage().heapUsed), cpu: process.cpuUsage() } });
    }
    if (m.close) {
      await stand.close();
      process.exit(0);
    }
  });
  process.on("message", async (m: { fund?: { dbUrl: string } }) => {
    if (!m.fund) return;
    const ds = await openDatabase(m.fund.dbUrl);
    const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
    const seeded = await seedManagedFund(ds, stand, ours.id);
    await ds.destroy();
    process.send!({ fund: seeded });
  });
  process.send!({ url: stand.url });
}

interface StandChild {
  url: string;
  ask<T>(message: object, key: string): Promise<T>;
  close(): void;
}

function spawnStand(): Promise<StandChild> {
  // The stand keeps every placed object, as GIS does: it is not held to the client's memory limit.
  const proc = fork(__filename, ["--serve-stand", ...process.argv.slice(2)], { stdio: "inherit", execArgv: ["--max-old-space-size=16384", "--expose-gc"] });
  const ask = <T>(message: object, key: string) =>
    new Promise<T>((resolve) => {
      const on = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        proc.off("message", on);
        resolve(m[key] as T);
      };
      proc.on("message", on);
      proc.send(message);
    });
  return new Promise((resolve) => proc.once("message", (m: { url: string }) => resolve({ url: m.url, ask, close: () => proc.send({ close: true }) })));
}

type Client = "pools" | "sequential";

interface StageRow {
  stage: string;
  operations: number;
  objects: number;
  ok: number;
  errors: number;
  seconds: number;
  perSecond: number | null;
  inFlightMean: number;
  inFlightMax: number;
  msPerObject: Record<Phase, number>;
  errorsByCode: Record<string, number>;
}

/** Requests in flight over a stage's window: from the first signed request to the final answer of each operation. */
async function inFlightOf(ds: DataSource, runIds: string[]): Promise<Map<string, { mean: number; max: number }>> {
  const ops = await ds
    .getRepository(GisOperation)
    .find({ where: { runId: In(runIds) }, select: { id: true, stage: true, createdAt: true, sentAt: true, finishedAt: true } });
  const first = new Map<string, number>();
  for (let i = 0; i < ops.length; i += 300) {
    const rows = await ds
      .getRepository(ArchiveEntry)
      .find({ where: { operationId: In(ops.slice(i, i + 300).map((o) => o.id)), kind: "signed_request" }, select: { operationId: true, createdAt: true } });
    for (const r of rows) first.set(r.operationId, Math.min(first.get(r.operationId) ?? Infinity, r.createdAt.getTime()));
  }
  const out = new Map<string, { mean: number; max: number }>();
  for (const stage of new Set(ops.map((o) => o.stage ?? "?"))) {
    const spans = ops
      .filter((o) => (o.stage ?? "?") === stage && first.has(o.id) && o.finishedAt)
      .map((o) => [first.get(o.id)!, o.finishedAt!.getTime()] as const);
    if (spans.length === 0) continue;
    const events = spans.flatMap(([a, b]) => [[a, 1] as const, [b, -1] as const]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let now = 0;
    let max = 0;
    for (const [, d] of events) max = Math.max(max, (now += d));
    const window = Math.max(1, Math.max(...spans.map((s) => s[1])) - Math.min(...spans.map((s) => s[0])));
    out.set(stage, { mean: spans.reduce((sum, [a, b]) => sum + (b - a), 0) / window, max });
  }
  return out;
}

/**
 * The longest chain of dependent requests: the organization-level steps one after another, plus
 * the longest lane (its steps that sent anything). Paged exports count one link per page.
 */
async function criticalChain(ds: DataSource, runIds: string[]): Promise<number> {
  let chain = 0;
  for (const runId of runIds) {
    const rows = await ds
      .getRepository(GisOperation)
      .createQueryBuilder("o")
      .select("o.lane", "lane")
      .addSelect("o.method", "method")
      .addSelect("COUNT(*)", "n")
      .where("o.runId = :runId AND (o.trigger IS NULL OR o.trigger <> 'reconcile')", { runId })
      .groupBy("o.lane")
      .addGroupBy("o.method")
      .getRawMany<{ lane: number | null; method: string; n: string }>();
    const paged = new Set(["exportNsiPagingItem", "exportDataProviderPagingNsiItem", "exportNotificationsOfOrderExecutionPaginal"]);
    const links = (r: { method: string; n: string }) => (paged.has(r.method) ? Number(r.n) : 1);
    const lanes = new Map<number, number>();
    for (const r of rows) {
      if (r.lane === null) chain += links(r);
      else lanes.set(Number(r.lane), (lanes.get(Number(r.lane)) ?? 0) + links(r));
    }
    chain += Math.max(0, ...lanes.values());
  }
  return chain;
}

async function benchOnce(client: Client, accounts: number, months: number, bundle: string, work: string): Promise<object> {
  const dbUrl = flag("db") ? arg("db", "") : `sqlite:${path.join(work, `bench-${client}.sqlite`)}`;
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const ds = await openDatabase(dbUrl);
  let t = Date.now();
  const imported = await importPath(ds, bundle, { author: "bench" });
  log(`import: ${imported.files.reduce((s, f) => s + f.read, 0)} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const sequential = client === "sequential";
  // The true sequential client: one operation on its way in the whole run, its answer applied before the next is sent.
  await setSetting(ds, "pipeline.maxInFlight", sequential ? 1 : 0);
  await setSetting(ds, "pipeline.overlap", !sequential);

  const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  const keys = await demoKeys(ds, work, ours);
  const stand = await spawnStand();
  await stand.ask({ seed: { dbUrl, certPem: keys.certPem } }, "seeded");
  const pools = sequential ? { prepare: 1, send: 1, poll: 1, apply: 1 } : undefined;
  const latency = latencyArg();
  const rt = await openPipeline(ds, {
    stand: "local",
    url: stand.url,
    redisUrl,
    workers: true,
    signer: keys.signer,
    pools,
    // With latency, a poll soon after the answer is due; without, as fast as the stand goes.
    schedule: { delaysMs: [5, 20, 50, 100], processingDelayMs: 20, maxWaitMs: 3_600_000 },
  });
  const runs: RunSummary[] = [];
  const run = async (stages: StageName[]) => {
    const r = await rt.pipeline.startRun({ stand: "local", organizationId: ours.id, stages, mode: "sync", trigger: "bench" });
    const s = await rt.waitForRun(r.id, undefined, 6 * 3_600_000);
    runs.push(s);
    return s;
  };
  try {
    t = Date.now();
    takePhaseTimes();
    takeQueryCounts();
    const cpuAtStart = process.cpuUsage();
    await run(["services"]);
    const servicesSeconds = (Date.now() - t) / 1000;
    const seeded = await stand.ask<{ houses: number; premises: number }>({ fund: { dbUrl } }, "fund");
    log(`${client}: fund placed by the managing organization: ${seeded.houses} houses, ${seeded.premises} premises`);
    const t2 = Date.now();
    await run(STAGES.filter((s) => s !== "services"));
    const restSeconds = (Date.now() - t2) / 1000;
    const total = (Date.now() - t) / 1000;
    const phases = takePhaseTimes();
    const {
      stats,
      rssMb: standRssMb,
      heapMb: standHeapMb,
      cpu: standCpu,
    } = await stand.ask<{ stats: ReturnType<Awaited<ReturnType<typeof startStand>>["stats"]>; rssMb: number; heapMb: number; cpu: NodeJS.CpuUsage }>(
      { stats: true },
      "standStats",
    );
    const clientCpu = process.cpuUsage(cpuAtStart);
    const queries = takeQueryCounts();
    const cpuMs = (c: NodeJS.CpuUsage) => Math.round((c.user + c.system) / 1000);
    const flight = await inFlightOf(
      ds,
      runs.map((r) => r.runId),
    );
    const chain = await criticalChain(
      ds,
      runs.map((r) => r.runId),
    );
    const rows: StageRow[] = runs
      .flatMap((r) => r.stages)
      .map((s) => {
        const objects = s.objectsOk + s.objectsWithErrors;
        const spent = phases.get(s.stage);
        return {
          stage: s.stage,
          operations: s.operations,
          objects,
          ok: s.objectsOk,
          errors: s.objectsWithErrors,
          seconds: s.durationMs / 1000,
          perSecond: s.durationMs ? Math.round(s.objectsOk / (s.durationMs / 1000)) : null,
          inFlightMean: Math.round((flight.get(s.stage)?.mean ?? 0) * 10) / 10,
          inFlightMax: flight.get(s.stage)?.max ?? 0,
          msPerObject: Object.fromEntries(PHASES.map((p) => [p, objects ? Math.round(((spent?.[p] ?? 0) / objects) * 100) / 100 : 0])) as Record<Phase, number>,
          errorsByCode: s.errorsByCode,
        };
      });
    const perRequestMs = latency.receivedMs + latency.processingMs;
    return {
      client: sequential ? "sequential (one request in flight in the whole run)" : "pools (worker pools from settings, stages overlapped by house)",
      accounts,
      months,
      latencyMs: latency,
      verify: !flag("no-verify"),
      db: dbUrl.split(":")[0],
      totalSeconds: Math.round(total * 10) / 10,
      servicesSeconds: Math.round(servicesSeconds * 10) / 10,
      afterFundSeconds: Math.round(restSeconds * 10) / 10,
      criticalChainRequests: chain,
      criticalPathSeconds: Math.round((chain * perRequestMs) / 100) / 10,
      peakRssMb: mb(peakRss()),
      standPeakRssMb: standRssMb,
      standHeldMb: standHeapMb,
      clientCpuMs: cpuMs(clientCpu),
      standCpuMs: cpuMs(standCpu),
      objects: rows.reduce((n, r) => n + r.objects, 0),
      stages: rows,
      ...(countingQueries ? { queries: queriesPerOperation(queries, rows) } : {}),
      standTimingsMs: stats.timings,
    };
  } finally {
    await rt.close();
    stand.close();
    await ds.destroy();
  }
}

/** "PRE_WINDOW_CLOSED 38,246, PRE_NO_PARENT_GUID 800": a stage's errors by code, the most frequent first. */
function errorCodesLine(byCode: Record<string, number>): string {
  return Object.entries(byCode)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code} ${n.toLocaleString("en-US")}`)
    .join(", ");
}

/** The client's statements (GIS_SYNC_COUNT_QUERIES=1) in all and per GIS operation, by kind and table. */
function queriesPerOperation(counts: [string, number][], rows: StageRow[]) {
  const operations = rows.reduce((n, r) => n + r.operations, 0);
  const per = (n: number) => Math.round((n / Math.max(1, operations)) * 10) / 10;
  const total = counts.reduce((n, [, c]) => n + c, 0);
  return { operations, total, perOperation: per(total), byStatement: counts.map(([statement, n]) => ({ statement, n, perOperation: per(n) })) };
}

function print(report: ReturnType<typeof Object> & Record<string, unknown>): void {
  const r = report as unknown as {
    client: string;
    accounts: number;
    months: number;
    latencyMs: { receivedMs: number; processingMs: number };
    verify: boolean;
    db: string;
    totalSeconds: number;
    servicesSeconds: number;
    afterFundSeconds: number;
    criticalChainRequests: number;
    criticalPathSeconds: number;
    peakRssMb: number;
    standPeakRssMb: number;
    clientCpuMs: number;
    standCpuMs: number;
    objects: number;
    stages: StageRow[];
    queries?: ReturnType<typeof queriesPerOperation>;
  };
  console.log(
    `${r.client}; ${r.accounts} accounts, ${r.months} months; stand latency ${r.latencyMs.receivedMs}+${r.latencyMs.processingMs} ms; signatures ${r.verify ? "verified" : "not verified"} by the stand; ${r.db}`,
  );
  console.log("stage          ops  objects      ok  errors   seconds  placed/s  in flight mean/max   ms per object: build validate  sign  send parse apply");
  for (const s of r.stages) {
    const m = s.msPerObject;
    console.log(
      `${s.stage.padEnd(13)} ${String(s.operations).padStart(4)} ${String(s.objects).padStart(8)} ${String(s.ok).padStart(7)} ${String(s.errors).padStart(7)} ${s.seconds.toFixed(1).padStart(9)} ${String(s.perSecond ?? "—").padStart(9)} ${`${s.inFlightMean}/${s.inFlightMax}`.padStart(19)}   ${[m.build, m.validate, m.sign, m.send, m.parse, m.apply].map((x) => x.toFixed(2).padStart(6)).join("")}`,
    );
    const codes = errorCodesLine(s.errorsByCode);
    if (codes) console.log(`  errors: ${codes}`);
  }
  console.log(
    `CPU: client ${r.clientCpuMs} ms, stand ${r.standCpuMs} ms for ${r.objects} objects; peak RSS of the client ${r.peakRssMb} MB (stand ${r.standPeakRssMb} MB)`,
  );
  if (r.queries) {
    const q = r.queries;
    console.log(`queries: ${q.total} for ${q.operations} operations, ${q.perOperation} per operation; per operation:`);
    console.log(`  ${q.byStatement.map((s) => `${s.statement} ${s.perOperation}`).join(", ")}`);
  }
  console.log(
    `total ${r.totalSeconds} s (services ${r.servicesSeconds} s, the rest after the fund ${r.afterFundSeconds} s); critical path ${r.criticalChainRequests} dependent requests × ${r.latencyMs.receivedMs + r.latencyMs.processingMs} ms = ${r.criticalPathSeconds} s`,
  );
}

async function main(): Promise<void> {
  if (flag("help")) {
    console.log(USAGE);
    return;
  }
  const accounts = Number(arg("accounts", "100000"));
  const accountsPerHouse = flag("accounts-per-house") ? Number(arg("accounts-per-house", "")) : undefined;
  const months = Number(arg("months", "3"));
  try {
    validateOptions({ accounts, months, accountsPerHouse, outDir: "." });
  } catch (e) {
    console.error(`bench-pipeline: ${(e as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-bench-pipeline-"));
  const bundle = arg("bundle", path.join(work, "bundle"));
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const log = (s: string) => process.stderr.write(`${s}\n`);
  installPhaseTimers();
  const clients: Client[] = flag("compare") ? ["pools", "sequential"] : flag("sequential") ? ["sequential"] : ["pools"];
  try {
    if (!fs.existsSync(path.join(bundle, "accounts.csv"))) {
      const t = Date.now();
      const g = await generateBundle({ accounts, seed: 7, months, broken: flag("broken"), today: houseToday(), outDir: bundle, accountsPerHouse });
      log(`bundle: ${accounts} accounts in ${g.houses} houses, ${g.totalRows} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const reports: Array<Record<string, unknown>> = [];
    for (const c of clients) reports.push((await benchOnce(c, accounts, months, bundle, work)) as Record<string, unknown>);
    if (flag("json")) console.log(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2));
    else {
      for (const r of reports) print(r);
      if (reports.length === 2) {
        const [p, s] = reports as Array<{ totalSeconds: number; afterFundSeconds: number; criticalPathSeconds: number }>;
        console.log(
          `pools ${p.totalSeconds} s vs sequential ${s.totalSeconds} s: ${(s.totalSeconds / p.totalSeconds).toFixed(1)}× sooner (after the fund: ${(s.afterFundSeconds / p.afterFundSeconds).toFixed(1)}×); pools / critical path ${(p.totalSeconds / Math.max(0.001, p.criticalPathSeconds)).toFixed(1)}×`,
        );
      }
    }
  } finally {
    const r = new IORedis(redisUrl);
    const keys = await r.keys(`${REDIS_PREFIX}:*`);
    for (let i = 0; i < keys.length; i += 500) await r.del(...keys.slice(i, i + 500));
    r.disconnect();
    if (!flag("keep")) fs.rmSync(work, { recursive: true, force: true });
  }
}

(flag("serve-stand") ? serveStand() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * The whole pipeline against the built-in stand at 0 ms latency: objects per second for each stage
 * and the peak RSS, for a generated bundle (100,000 accounts by default). The same run with a
 * sequential client (--sequential: one request in flight, one worker of each kind) is the baseline.
 * Not a test: run it by hand, write the figures in the closing note.
 *
 *   node dist/scripts/bench-pipeline.js [--accounts 100000] [--months 3] [--sequential] [--no-verify]
 *                                       [--db DB_URL] [--bundle DIR] [--json]
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
import { Organization } from "../entities";
import { generateBundle } from "../src/generator/generate";
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

const flag = (name: string) => process.argv.includes(`--${name}`);
function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * Child mode: the stand in its own process (as `gis-sync stand` runs), so the figures are the
 * client's: its CPU and memory, not the emulator's state of every placed object.
 */
async function serveStand(): Promise<void> {
  const stand = await startStand({ verify: !flag("no-verify"), latency: { receivedMs: 0, processingMs: 0 }, log: () => undefined });
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

async function main(): Promise<void> {
  const accounts = Number(arg("accounts", "100000"));
  const months = Number(arg("months", "3"));
  const sequential = flag("sequential");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-bench-pipeline-"));
  const bundle = arg("bundle", path.join(work, "bundle"));
  const dbUrl = arg("db", `sqlite:${path.join(work, "bench.sqlite")}`);
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
  const log = (s: string) => process.stderr.write(`${s}\n`);

  if (!fs.existsSync(path.join(bundle, "accounts.csv"))) {
    const t = Date.now();
    const g = await generateBundle({ accounts, seed: 7, months, broken: true, outDir: bundle });
    log(`bundle: ${accounts} accounts, ${g.totalRows} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const ds = await openDatabase(dbUrl);
  let t = Date.now();
  const imported = await importPath(ds, bundle, { author: "bench" });
  log(`import: ${imported.files.reduce((s, f) => s + f.read, 0)} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  const keys = await demoKeys(ds, work, ours);
  const stand = await spawnStand();
  await stand.ask({ seed: { dbUrl, certPem: keys.certPem } }, "seeded");
  const pools = sequential ? { prepare: 1, send: 1, poll: 1, apply: 1 } : undefined;
  const rt = await openPipeline(ds, {
    stand: "local",
    url: stand.url,
    redisUrl,
    workers: true,
    signer: keys.signer,
    pools,
    schedule: { delaysMs: [5, 20, 50, 100], processingDelayMs: 20, maxWaitMs: 3_600_000 },
  });
  const runs: RunSummary[] = [];
  const run = async (stages: StageName[]) => {
    const r = await rt.pipeline.startRun({ stand: "local", organizationId: ours.id, stages, mode: "sync", trigger: "bench" });
    const s = await rt.waitForRun(r.id, (x) => log(`  ${rt.pipeline.plan(x)[x.step]?.method ?? "…"}`), 6 * 3_600_000);
    runs.push(s);
    return s;
  };
  try {
    t = Date.now();
    const cpuAtStart = process.cpuUsage();
    await run(["services"]);
    const seeded = await stand.ask<{ houses: number; premises: number }>({ fund: { dbUrl } }, "fund");
    log(`fund placed by the managing organization: ${seeded.houses} houses, ${seeded.premises} premises`);
    await run(STAGES.filter((s) => s !== "services"));
    const total = (Date.now() - t) / 1000;
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
    const cpuMs = (c: NodeJS.CpuUsage) => Math.round((c.user + c.system) / 1000);
    const rows = runs
      .flatMap((r) => r.stages)
      .map((s) => {
        const objects = s.objectsOk + s.objectsWithErrors;
        return {
          stage: s.stage,
          operations: s.operations,
          objects,
          ok: s.objectsOk,
          errors: s.objectsWithErrors,
          seconds: s.durationMs / 1000,
          perSecond: s.durationMs ? Math.round(objects / (s.durationMs / 1000)) : null,
        };
      });
    const report = {
      accounts,
      months,
      client: sequential ? "sequential (one request in flight)" : "parallel (worker pools from settings)",
      verify: !flag("no-verify"),
      db: dbUrl.split(":")[0],
      totalSeconds: Math.round(total * 10) / 10,
      peakRssMb: mb(peakRss()),
      standPeakRssMb: standRssMb,
      standHeldMb: standHeapMb,
      clientCpuMs: cpuMs(clientCpu),
      standCpuMs: cpuMs(standCpu),
      objects: rows.reduce((n, r) => n + r.objects, 0),
      stages: rows,
      standTimingsMs: stats.timings,
    };
    if (flag("json")) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(
        `${report.client}; ${accounts} accounts, ${months} months; signatures ${report.verify ? "verified" : "not verified"} by the stand; ${report.db}`,
      );
      console.log("stage          operations   objects        ok    errors   seconds   objects/s");
      for (const r of rows) {
        console.log(
          `${r.stage.padEnd(14)} ${String(r.operations).padStart(10)} ${String(r.objects).padStart(9)} ${String(r.ok).padStart(9)} ${String(r.errors).padStart(9)} ${r.seconds.toFixed(1).padStart(9)} ${String(r.perSecond ?? "—").padStart(11)}`,
        );
      }
      console.log(`CPU: client ${report.clientCpuMs} ms, stand ${report.standCpuMs} ms (its whole life, seeding included) for ${report.objects} objects`);
      console.log(
        `total ${report.totalSeconds} s; peak RSS of the client ${report.peakRssMb} MB (the stand, in its own process: ${report.standPeakRssMb} MB; it holds ${report.standHeldMb} MB after a full GC)`,
      );
    }
  } finally {
    await rt.close();
    stand.close();
    await ds.destroy();
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

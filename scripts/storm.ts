/**
 * A fault storm, as an operator would live through one: the built-in stand in its own process with
 * faults and latency, our client run as `gis-sync sync all` plus `gis-sync worker` processes, killed
 * with SIGKILL at random points and restarted, Redis killed and started again empty, the database's
 * connections dropped mid-run (PostgreSQL). Then GIS and our database are compared object by object
 * (scripts/storm/agreement.ts). Not a test: the reduced version runs in CI (test/storm.test.ts).
 *
 *   node dist/scripts/storm.js [--accounts 500] [--per-house N] [--months 2] [--kills 3-5] [--restart worker|sync|mixed]
 *        [--faults SPEC] [--latency 100,300] [--db sqlite|postgres] [--runs 1] [--seed 1]
 *        [--timeout-min 30] [--http-timeout 20] [--resend-delays 10s,1m,5m,15m] [--no-redis-restart] [--no-db-drop] [--keep] [--json]
 *
 * Exit code 0 when every run ended with GIS and the database agreeing.
 */
import "reflect-metadata";
import { ChildProcess, fork } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { Organization } from "../entities";
import { centreDates, houseToday } from "../src/generator/centre";
import { generateBundle } from "../src/generator/generate";
import { importPath } from "../src/importer/import-run";
import { demoKeys } from "../src/runtime/demo-environment";
import { setSetting } from "../src/settings/settings";
import { openDatabase } from "../src/storage/database";
import { StandSnapshot } from "../src/stand/store";
import { Agreement, checkAgreement } from "./storm/agreement";
import { Clients, Role, StormRedis, freePort } from "./storm/processes";

export const STORM_FAULTS = "http500=0.10,timeout=0.05,malformed=0.01,exp001000=0.03,lostAck=0.10,reset=0.03";

export interface StormOptions {
  accounts: number;
  /** At most this many accounts in a house (GenerateOptions.accountsPerHouse): a small storm still has houses besides the broken one. */
  accountsPerHouse?: number;
  months: number;
  kills: [number, number];
  restart: "worker" | "sync" | "mixed";
  faults: string;
  latency: string;
  db: "sqlite" | "postgres";
  seed: number;
  timeoutMs: number;
  httpTimeoutSeconds: number;
  /** exchange.resendDelays for the storm's installation (default: the setting's own, GIS's long tail). */
  resendDelays?: string;
  redisRestart: boolean;
  dbDrop: boolean;
  keep: boolean;
  log: (line: string) => void;
}

export interface StormResult {
  seed: number;
  home: string;
  seconds: number;
  events: string[];
  finished: boolean;
  agreement: Agreement;
  stackTracesInLogs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded PRNG (mulberry32): the same seed, the same storm plan. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface StandChild {
  url: string;
  ask<T>(message: object, key: string): Promise<T>;
  close(): Promise<void>;
}

async function startStandChild(o: StormOptions, logFile: string): Promise<StandChild> {
  const out = fs.openSync(logFile, "w");
  const child: ChildProcess = fork(path.join(__dirname, "storm", "stand-child.js"), [], {
    env: { ...process.env, STORM_FAULTS: o.faults, STORM_LATENCY: o.latency, STORM_SEED: String(o.seed) },
    stdio: ["ignore", out, out, "ipc"],
  });
  fs.closeSync(out);
  const ask = <T>(message: object, key: string) =>
    new Promise<T>((resolve, reject) => {
      const on = (m: Record<string, unknown>) => {
        if (m.error) reject(new Error(String(m.error)));
        else if (key in m) resolve(m[key] as T);
        else return;
        child.off("message", on);
      };
      child.on("message", on);
      if (Object.keys(message).length) child.send(message);
    });
  const url = await ask<string>({}, "url");
  return {
    url,
    ask,
    close: async () => {
      child.send({ close: true });
      await Promise.race([new Promise((r) => child.once("exit", r)), sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

async function createPgDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

async function dropPgConnections(name: string): Promise<number> {
  const admin = new Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  const r = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
  await admin.end();
  return r.rowCount ?? 0;
}

async function dropPgDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: "postgres://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

function countStackTraces(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    n += (text.match(/^\s+at .+:\d+:\d+\)?$/gm) ?? []).length;
  }
  return n;
}

/** One storm: set up an installation, run it through the storm, compare. */
export async function storm(o: StormOptions): Promise<StormResult> {
  const started = Date.now();
  const rnd = prng(o.seed);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-storm-"));
  let agreed = false;
  const logs = path.join(home, "logs");
  fs.mkdirSync(logs);
  const pgName = `gis_storm_${crypto.randomBytes(4).toString("hex")}`;
  const dbUrl = o.db === "postgres" ? await createPgDatabase(pgName) : `sqlite:${path.join(home, "gis-sync.sqlite")}`;
  const redis = new StormRedis(await freePort(), path.join(home, "redis"));
  await redis.start();
  const stand = await startStandChild(o, path.join(logs, "stand.log"));
  const events: string[] = [];
  let clients: Clients | null = null;
  try {
    // The installation, as `gis-sync import` and the demo's key set-up leave it. The bundle is dated
    // from today (the same seed and day, the same bundle): this month's readings inside the
    // contracts' window open today, so importMeteringDeviceValues goes through the storm too.
    const today = houseToday();
    const bundle = path.join(home, "bundle");
    await generateBundle({ accounts: o.accounts, months: o.months, seed: o.seed, broken: true, outDir: bundle, today, accountsPerHouse: o.accountsPerHouse });
    const ds = await openDatabase(dbUrl);
    await importPath(ds, bundle, { author: "storm" });
    const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
    const keys = await demoKeys(ds, home, ours);
    // The stand's "timeout" fault holds a request without answering: a client waits its transport timeout.
    await setSetting(ds, "transport.timeoutSeconds", o.httpTimeoutSeconds, "storm");
    if (o.resendDelays) await setSetting(ds, "exchange.resendDelays", o.resendDelays, "storm");
    const env: NodeJS.ProcessEnv = { ...process.env, DB_URL: dbUrl, REDIS_URL: redis.url, GIS_SYNC_HOME: home, LOG_LEVEL: "info" };
    delete env.GIS_SYNC_REDIS_PREFIX;
    const bin = path.resolve(__dirname, "..", "..", "bin", "gis-sync.js");
    const cl = new Clients(bin, logs, env, stand.url);
    clients = cl;
    // As the demo: the services stage (registry, NSI) in calm weather, then the managing organization
    // places the housing fund our resource supplier finds in GIS; then the storm.
    await stand.ask({ faults: null }, "faults");
    // The stand takes current readings on the days the bundle's contracts state, as in the demo.
    const w = centreDates(today);
    await stand.ask({ register: { dbUrl, certPem: keys.certPem, readingsWindow: { fromDay: w.fromDay, toDay: w.toDay } } }, "registered");
    const services = cl.start("services");
    if ((await services.exit) !== 0) throw new Error(`sync services failed: see ${services.log}`);
    const fund = await stand.ask<{ houses: number }>({ fund: { dbUrl } }, "seeded");
    await stand.ask({ faults: "storm" }, "faults");
    o.log(
      `storm ${o.seed}: ${o.accounts} лицевых счетов на ${today}, ${o.db}, стенд ${stand.url} (домов УО: ${fund.houses}), сбои ${o.faults}, задержка ${o.latency}`,
    );
    cl.start("worker");
    cl.start("worker");
    let sync = cl.start("sync");

    // The storm's plan: kills, one Redis restart, one dropped database connection, in random order.
    const kills = o.kills[0] + Math.floor(rnd() * (o.kills[1] - o.kills[0] + 1));
    const plan: string[] = [];
    for (let i = 0; i < kills; i++) {
      const victim: Role = o.restart === "mixed" ? (rnd() < 0.5 ? "worker" : "sync") : o.restart;
      plan.push(`kill-${victim}`);
    }
    if (o.redisRestart) plan.splice(Math.floor(rnd() * (plan.length + 1)), 0, "redis");
    if (o.dbDrop && o.db === "postgres") plan.splice(Math.floor(rnd() * (plan.length + 1)), 0, "db");

    const deadline = started + o.timeoutMs;
    const syncRunning = () => sync.child.exitCode === null && sync.child.signalCode === null;
    const restarted = new Set<number>();
    // As systemd would: a worker that ended by itself (not killed by the storm) is started again, and said so.
    const keepWorkers = setInterval(() => {
      for (const w of cl.all.filter((p) => p.role === "worker" && p.child.exitCode !== null && !restarted.has(p.n))) {
        restarted.add(w.n);
        events.push(`${Math.round((Date.now() - started) / 1000)} с: worker #${w.n} завершился сам (код ${w.child.exitCode}), запущен заново`);
        cl.start("worker");
      }
    }, 1000);
    for (const step of plan) {
      await sleep(2_000 + rnd() * 8_000);
      if (!syncRunning()) break;
      const at = `${Math.round((Date.now() - started) / 1000)} с`;
      if (step === "kill-worker") {
        const victims = cl.alive("worker");
        const v = victims[Math.floor(rnd() * victims.length)];
        await cl.kill(v);
        events.push(`${at}: kill -9 worker #${v.n}`);
        await sleep(500 + rnd() * 1500);
        cl.start("worker");
      } else if (step === "kill-sync") {
        await cl.kill(sync);
        events.push(`${at}: kill -9 sync #${sync.n}`);
        await sleep(500 + rnd() * 1500);
        sync = cl.start("sync");
      } else if (step === "redis") {
        await redis.kill();
        events.push(`${at}: Redis убит (kill -9), запущен заново пустым`);
        await sleep(1000 + rnd() * 2000);
        await redis.start();
      } else {
        events.push(`${at}: соединения с базой разорваны (${await dropPgConnections(pgName)})`);
      }
      o.log(`  ${events[events.length - 1]}`);
    }

    // Wait until the last sync has returned and no run is left running.
    let finished = false;
    while (Date.now() < deadline) {
      if (!syncRunning()) {
        const code = await sync.exit;
        // Workers go on with what GIS already accepted after a run has ended: wait for that too.
        const [r] = await ds.query(
          `SELECT (SELECT COUNT(*) FROM "pipeline_run" WHERE "state" = 'running') + (SELECT COUNT(*) FROM "gis_operation" WHERE "state" NOT IN ('done', 'done_with_errors', 'failed', 'cancelled')) AS n`,
        );
        if (Number(r.n) === 0) {
          finished = true;
          events.push(`${Math.round((Date.now() - started) / 1000)} с: sync #${sync.n} завершён, код ${code}`);
          break;
        }
      }
      await sleep(1000);
    }
    if (!finished) events.push(`не завершено за ${Math.round(o.timeoutMs / 60000)} мин`);
    clearInterval(keepWorkers);
    await cl.stopAll();
    clients = null;
    const snapshot = await stand.ask<{ store: StandSnapshot }>({ snapshot: true }, "snapshot");
    const agreement = await checkAgreement(ds, snapshot.store);
    agreed = agreement.agree;
    await ds.destroy();
    return { seed: o.seed, home, seconds: Math.round((Date.now() - started) / 1000), events, finished, agreement, stackTracesInLogs: countStackTraces(logs) };
  } finally {
    await clients?.stopAll();
    await stand.close();
    await redis.kill();
    // A storm that disagrees keeps its home (database, archive, logs) and database for a post-mortem.
    const keep = o.keep || !agreed;
    if (o.db === "postgres" && !keep) await dropPgDatabase(pgName).catch(() => undefined);
    if (keep) process.stderr.write(`шторм ${o.seed}: папка сохранена: ${home}${o.db === "postgres" ? `, база ${pgName}` : ""}\n`);
    else fs.rmSync(home, { recursive: true, force: true });
  }
}

function formatResult(r: StormResult): string {
  const lines = [
    `Шторм ${r.seed}: ${r.finished ? "завершён" : "НЕ ЗАВЕРШЁН"} за ${r.seconds} с; ${r.agreement.agree ? "ГИС и база СОГЛАСНЫ" : "ГИС и база РАСХОДЯТСЯ"}`,
  ];
  for (const e of r.events) lines.push(`  ${e}`);
  for (const k of r.agreement.kinds) {
    const errors = Object.entries(k.errorsByCode)
      .map(([c, n]) => `${c} ${n}`)
      .join(", ");
    lines.push(`  ${k.kind}: у нас ${k.ours}, ok ${k.ok}, в ГИС ${k.inGis}${errors ? `; ошибки: ${errors}` : ""}`);
  }
  for (const p of r.agreement.problems) lines.push(`  ✖ ${p}`);
  if (r.stackTracesInLogs) lines.push(`  ✖ строк стека в журналах: ${r.stackTracesInLogs}`);
  return lines.join("\n");
}

const argv = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const flag = (name: string) => argv.includes(`--${name}`);

async function main(): Promise<void> {
  const [lo, hi] = arg("kills", "3-5").split("-").map(Number);
  const runs = Number(arg("runs", "1"));
  const results: StormResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await storm({
      accounts: Number(arg("accounts", "500")),
      accountsPerHouse: arg("per-house", "") ? Number(arg("per-house", "")) : undefined,
      months: Number(arg("months", "2")),
      kills: [lo, hi ?? lo],
      restart: arg("restart", "mixed") as StormOptions["restart"],
      faults: arg("faults", STORM_FAULTS),
      latency: arg("latency", "100,300"),
      db: arg("db", "sqlite") as StormOptions["db"],
      seed: Number(arg("seed", "1")) + i,
      timeoutMs: Number(arg("timeout-min", "30")) * 60_000,
      httpTimeoutSeconds: Number(arg("http-timeout", "20")),
      resendDelays: arg("resend-delays", "") || undefined,
      redisRestart: !flag("no-redis-restart"),
      dbDrop: !flag("no-db-drop"),
      keep: flag("keep"),
      log: flag("json") ? () => undefined : (l) => console.error(l),
    });
    results.push(r);
    if (!flag("json")) console.log(formatResult(r));
  }
  if (flag("json")) console.log(JSON.stringify(results, null, 2));
  const bad = results.filter((r) => !r.finished || !r.agreement.agree || r.stackTracesInLogs > 0).length;
  if (!flag("json")) console.log(`\n${results.length - bad} из ${results.length} штормов: ГИС и база согласны`);
  process.exitCode = bad ? 1 : 0;
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });

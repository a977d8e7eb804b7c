/**
 * Worker processes for real: `gis-sync worker` child processes on one PostgreSQL database and one
 * Redis run a whole pipeline against the built-in stand (in this process, signatures and
 * certificates checked). Two processes share the work; then workers are killed with SIGKILL at
 * random points while the stand also loses Acks and drops connections — and afterwards the stand
 * holds no duplicate and no lost object, and every object of the run ends ok or with a named error.
 */
import "reflect-metadata";
import { ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DataSource, In, IsNull } from "typeorm";
import IORedis from "ioredis";
import { DB_KINDS, withTestDb, TestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";
import { Account, ArchiveEntry, GisOperation, GisOperationItem, Meter, Organization, PipelineRun } from "../entities";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { FaultConfig, RunningStand, startStand } from "../src/stand";
import { demoKeys, registerOrganizations } from "../src/runtime/demo-environment";
import { seedManagedFund } from "../src/runtime/demo-fund";
import { openPipeline } from "../src/runtime/pipeline-runtime";
import { setSetting } from "../src/settings/settings";
import { listWorkers } from "../src/queue/workers";
import { FINAL_STATES, RECONCILE_TRIGGER } from "../src/exchange/operation-store";
import { REDIS_PREFIX } from "../src/queue/names";
import { STAGES, StageName } from "../src/stages/descriptor";
import { tables } from "../src/stand/domain/state";
import { Prng } from "../src/generator/prng";
import { GisIdentity } from "../entities/gis-identity";
import { hydrate } from "../src/storage/identity/store";
import { STAND, reloadAt } from "./support/identity";

const BIN = path.resolve(__dirname, "../../bin/gis-sync.js");

interface Env {
  ds: DataSource;
  stand: RunningStand;
  ours: Organization;
  home: string;
  /** Switched on once the fund is prepared, for the run under test. */
  faults: FaultConfig;
  close(): Promise<void>;
}

async function environment(ds: DataSource, faults: FaultConfig): Promise<Env> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-workers-"));
  await writeDemoBundle(path.join(home, "bundle"));
  await importPath(ds, path.join(home, "bundle"), { author: "test" });
  const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  const keys = await demoKeys(ds, home, ours);
  // Fast enough for a test: polls in milliseconds, a dead worker's jobs taken over after 2 s.
  await setSetting(ds, "exchange.pollDelays", "30ms,60ms,120ms,250ms");
  await setSetting(ds, "exchange.resendDelays", "100ms,300ms,600ms");
  await setSetting(ds, "transport.timeoutSeconds", 10);
  await setSetting(ds, "workers.jobLockSeconds", 2);
  await setSetting(ds, "workers.sweepSeconds", 1);
  const stand = await startStand({ latency: { receivedMs: 0, processingMs: 0 }, log: () => undefined });
  registerOrganizations(stand, await ds.getRepository(Organization).find(), new Map([[ours.id, keys.certPem]]));
  return {
    ds,
    stand,
    ours,
    home,
    faults,
    async close() {
      await stand.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

class Workers {
  private readonly procs = new Map<number, ChildProcess>();
  readonly output: string[] = [];
  private n = 0;

  constructor(
    private readonly db: TestDb,
    private readonly standUrl: string,
  ) {}

  start(): number {
    const id = ++this.n;
    const p = spawn(process.execPath, [BIN, "worker", "--stand", "local", "--url", this.standUrl], {
      env: { ...process.env, DB_URL: this.db.url, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (d: Buffer) => this.output.push(`[${id}] ${d.toString().trim()}`);
    p.stdout!.on("data", keep);
    p.stderr!.on("data", keep);
    this.procs.set(id, p);
    return id;
  }

  ids(): number[] {
    return [...this.procs.keys()];
  }

  kill(id: number): void {
    this.procs.get(id)?.kill("SIGKILL");
    this.procs.delete(id);
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.procs.values()].map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null) return resolve();
            p.once("exit", () => resolve());
            p.kill("SIGTERM");
            setTimeout(() => p.kill("SIGKILL"), 5000).unref();
          }),
      ),
    );
    this.procs.clear();
  }
}

async function startRun(env: Env, stages: StageName[]): Promise<string> {
  const rt = await openPipeline(env.ds, { stand: "local", url: env.stand.url, redisUrl: REDIS_URL, workers: false });
  try {
    const run = await rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages, mode: "sync", trigger: "test" });
    return run.id;
  } finally {
    await rt.close();
  }
}

/** As the demo does: services (NSI, registry), the managing organization places the fund, then the rest. */
async function prepareFund(env: Env): Promise<StageName[]> {
  const services = await waitForRun(env.ds, await startRun(env, ["services"]), 60_000);
  assert.equal(services.state, "done", services.errorText ?? "");
  const seeded = await seedManagedFund(env.ds, env.stand, env.ours.id);
  assert.ok(seeded.houses >= 5, `the managing organization placed the houses (${seeded.houses})`);
  return STAGES.filter((s) => s !== "services");
}

async function waitForRun(ds: DataSource, runId: string, timeoutMs: number, during?: () => Promise<void>): Promise<PipelineRun> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await ds.getRepository(PipelineRun).findOneByOrFail({ id: runId });
    if (run.state !== "running") return run;
    if (Date.now() > until)
      throw new Error(`run ${runId} still at step ${run.step} after ${timeoutMs} ms; open operations:\n${await openOperations(ds, runId)}`);
    await during?.();
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** For a run that did not finish: what its unfinished operations are doing, and what their jobs are. */
async function openOperations(ds: DataSource, runId: string): Promise<string> {
  const ops = await ds.getRepository(GisOperation).find({ where: { runId }, order: { createdAt: "ASC" } });
  const stuck = ops.filter((o) => !FINAL_STATES.includes(o.state) || (!o.appliedAt && o.trigger !== RECONCILE_TRIGGER));
  const open = [...stuck, ...ops.filter((o) => o.parentId && stuck.some((p) => p.id === o.parentId))];
  const redis = new IORedis(REDIS_URL);
  try {
    const lines: string[] = [];
    for (const o of open.slice(0, 20)) {
      const jobs = await redis.keys(`${REDIS_PREFIX}:*:${o.id}*`);
      const states = await Promise.all(
        jobs
          .filter((k) => !/:(logs|lock)$/.test(k))
          .map(async (k) => `${k.split(":").slice(-2).join(":")}=${(await redis.hget(k, "finishedOn")) ? "finished" : "open"}`),
      );
      lines.push(
        `${o.method} ${o.id} ${o.state} trigger=${o.trigger} parent=${o.parentId} attempts=${o.attempts} polls=${o.polls} next=${o.nextPollAt?.toISOString()} applied=${o.appliedAt?.toISOString()} err=${o.errorCode} ${o.errorText?.slice(0, 300)} jobs: ${states.join(", ")}`,
      );
    }
    return `${stuck.length} of ${ops.length}\n${lines.join("\n")}`;
  } finally {
    redis.disconnect();
  }
}

/** What must hold after any run, crashes or not. */
async function assertConsistent(env: Env, runId: string): Promise<void> {
  const { ds, stand } = env;
  assert.deepEqual(stand.stats().duplicates, [], "the stand never holds a duplicate");
  const ops = await ds.getRepository(GisOperation).findBy({ runId });
  assert.deepEqual(
    ops.filter((o) => !FINAL_STATES.includes(o.state)).map((o) => `${o.method} ${o.state}`),
    [],
    "every operation final",
  );
  assert.deepEqual(
    ops.filter((o) => !o.appliedAt && o.trigger !== RECONCILE_TRIGGER).map((o) => o.method),
    [],
    "every answer applied",
  );
  const signed = await ds
    .getRepository(ArchiveEntry)
    .find({ where: { operationId: In(ops.map((o) => o.id)), kind: "signed_request" }, select: { messageGuid: true } });
  assert.equal(new Set(signed.map((e) => e.messageGuid)).size, signed.length, "every signed message has its own MessageGUID (no two workers sent one message)");
  const main = ops.filter((o) => o.trigger !== RECONCILE_TRIGGER).map((o) => o.id);
  const pending = await ds.getRepository(GisOperationItem).countBy({ operationId: In(main), outcome: "pending" });
  assert.equal(pending, 0, "no object left without an outcome");
  const unnamed = await ds.getRepository(GisOperationItem).countBy({ operationId: In(main), outcome: "error", errorCode: IsNull() });
  assert.equal(unnamed, 0, "every refused object has its code");
  for (const [entity, name] of [
    [Account, "account"],
    [Meter, "meter"],
  ] as const) {
    void entity;
    const stuck = await ds.getRepository(GisIdentity).countBy({ objectType: name, stand: STAND, status: "in_progress" });
    assert.equal(stuck, 0, `no ${name} left in progress`);
    const errorsWithoutCode = await ds.getRepository(GisIdentity).countBy({ objectType: name, stand: STAND, status: "error", errorCode: IsNull() });
    assert.equal(errorsWithoutCode, 0, `every ${name} error is named`);
  }
  // Nothing lost: what we hold as placed is in the stand under the same GUID, and the stand holds nothing of ours we do not know.
  const t = tables(stand.store);
  const orgGuid = (await reloadAt(ds, "organization", env.ours.id)).gisOrgPpaGuid!;
  const accounts = await hydrate(ds, "account", await ds.getRepository(Account).findBy({ organizationId: env.ours.id }), STAND);
  const placed = accounts.filter((a) => a.sync.status === "ok");
  for (const a of placed) assert.ok(a.gisAccountGuid && t.accounts.has(a.gisAccountGuid), `account ${a.number} is in the stand`);
  const inStand = [...t.accounts.values()].filter((a) => (a as { org: string }).org === orgGuid).length;
  const known = accounts.filter((a) => a.gisAccountGuid).length;
  assert.equal(inStand, known, "every account the stand holds for us is known to us, once");
  const meters = (await hydrate(ds, "meter", await ds.getRepository(Meter).find(), STAND)).filter((m) => m.sync.status === "ok");
  for (const m of meters) assert.ok(m.gisRootGuid && t.meters.has(m.gisRootGuid), `meter ${m.factoryNumber} is in the stand`);
}

const pgOnly = DB_KINDS.includes("postgres") ? {} : { skip: "PostgreSQL is off (TEST_PG=off)" };

test("workers: two `gis-sync worker` processes share one run on PostgreSQL — both do work, nothing twice", { ...pgOnly, timeout: 240_000 }, async () => {
  await withTestDb("postgres", async (ds, db) => {
    const env = await environment(ds, {});
    const workers = new Workers(db, env.stand.url);
    const redis = new IORedis(REDIS_URL);
    try {
      workers.start();
      workers.start();
      const rest = await prepareFund(env);
      const started = Date.now();
      const runId = await startRun(env, rest);
      const seen = new Map<string, number>();
      const run = await waitForRun(ds, runId, 180_000, async () => {
        for (const w of await listWorkers(redis)) seen.set(w.id, w.jobsDone);
      });
      console.log(`two workers: run of ${rest.length} stages in ${Date.now() - started} ms`);
      await new Promise((r) => setTimeout(r, 1200));
      for (const w of await listWorkers(redis)) seen.set(w.id, w.jobsDone);
      assert.notEqual(run.state, "failed", run.errorText ?? "");
      assert.equal(seen.size, 2, `two worker processes seen: ${JSON.stringify([...seen])}`);
      assert.ok(
        [...seen.values()].every((n) => n > 0),
        `each process did jobs: ${JSON.stringify([...seen])}`,
      );
      await assertConsistent(env, runId);
      const accounts = await hydrate(ds, "account", await ds.getRepository(Account).find(), STAND);
      const byStatus = accounts.reduce<Record<string, number>>(
        (m, a) => ({ ...m, [`${a.sync.status} ${a.sync.errorCode ?? ""}`]: (m[`${a.sync.status} ${a.sync.errorCode ?? ""}`] ?? 0) + 1 }),
        {},
      );
      assert.ok((byStatus["ok "] ?? 0) > 30, `accounts were placed: ${JSON.stringify(byStatus)}`);
    } catch (e) {
      console.error(workers.output.slice(-40).join("\n"));
      throw e;
    } finally {
      await workers.stopAll();
      redis.disconnect();
      await env.close();
    }
  });
});

test("workers: kill -9 at random points while the stand loses Acks and drops connections — no duplicates, nothing lost, every object ends named", {
  ...pgOnly,
  timeout: 300_000,
}, async () => {
  await withTestDb("postgres", async (ds, db) => {
    const env = await environment(ds, { rates: { lostAck: 0.15, reset: 0.05, http503: 0.05 }, scope: "send", seed: 11 });
    const workers = new Workers(db, env.stand.url);
    const rnd = new Prng(20261130);
    try {
      workers.start();
      workers.start();
      const rest = await prepareFund(env);
      env.stand.setFaults(env.faults);
      const started = Date.now();
      const runId = await startRun(env, rest);
      let kills = 0;
      let nextKill = Date.now() + 300 + rnd.int(0, 700);
      const run = await waitForRun(ds, runId, 240_000, async () => {
        if (kills >= 8 || Date.now() < nextKill) return;
        const ids = workers.ids();
        workers.kill(ids[rnd.int(0, ids.length - 1)]);
        workers.start();
        kills++;
        nextKill = Date.now() + 300 + rnd.int(0, 900);
      });
      console.log(`crashes: run of ${rest.length} stages with ${kills} kills in ${Date.now() - started} ms`);
      const failed = (await ds.getRepository(GisOperation).findBy({ runId, state: "failed" })).map((o) => `${o.method} ${o.errorCode}`);
      console.log(`crashes: failed operations (their objects carry the reason): ${failed.length ? failed.join(", ") : "none"}`);
      assert.ok(kills >= 3, `workers were killed during the run (${kills})`);
      assert.notEqual(run.state, "failed", run.errorText ?? "");
      const faults = env.stand.stats().faults.counts as Record<string, number>;
      assert.ok((faults.lostAck ?? 0) > 0, `the stand lost Acks: ${JSON.stringify(faults)}`);
      await assertConsistent(env, runId);
      assert.ok(
        (await ds.getRepository(GisIdentity).countBy({ objectType: "account", stand: STAND, status: "ok" })) > 30,
        "accounts were placed despite the crashes",
      );
      const reconciled = await ds.getRepository(GisOperation).countBy({ runId, trigger: RECONCILE_TRIGGER });
      assert.ok(reconciled > 0, "imports with an unknown outcome were reconciled by an export");
    } catch (e) {
      console.error(workers.output.slice(-40).join("\n"));
      throw e;
    } finally {
      await workers.stopAll();
      await env.close();
      const r = new IORedis(REDIS_URL);
      const keys = await r.keys(`${REDIS_PREFIX}:*`);
      for (let i = 0; i < keys.length; i += 500) await r.del(...keys.slice(i, i + 500));
      r.disconnect();
    }
  });
});

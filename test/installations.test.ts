/**
 * Installations apart: the installation id is made once by the migration and kept in the database;
 * Redis keys carry it (GIS_SYNC_REDIS_PREFIX still wins); two `demo --once` installations started
 * together on one Redis both finish; a job naming a run or operation the database does not hold
 * fails loudly and is never completed, and such old jobs do not disturb a run.
 */
import "reflect-metadata";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import IORedis from "ioredis";
import { Job } from "bullmq";
import { DB_KINDS, withTestDb } from "./support/databases";
import { pipelineEnv } from "./support/pipeline-env";
import { hasRedisServer, startPrivateRedis } from "./support/private-redis";
import { openDatabase } from "../src/storage/database";
import { installationId, redisPrefixOf } from "../src/queue/installation";
import { REDIS_PREFIX, installationPrefix, useRedisPrefix } from "../src/queue/names";
import { SessionStore } from "../src/api/sessions";
import { LoginLimiter } from "../src/auth/login-limiter";
import { ScheduleLocks } from "../src/schedule/locks";
import { stopAllWorkers } from "../src/queue/workers";
import { PipelineRun } from "../entities";

const BIN = path.resolve(__dirname, "../../bin/gis-sync.js");

for (const kind of DB_KINDS) {
  test(`${kind}: the installation id is made once by the migration, kept in the database, and names the Redis prefix`, async () => {
    await withTestDb(kind, async (ds, db) => {
      const id = await installationId(ds);
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const again = await openDatabase(db.url);
      try {
        assert.equal(await installationId(again), id, "the same database is the same installation after reopening");
      } finally {
        await again.destroy();
      }
      await withTestDb(kind, async (other) => assert.notEqual(await installationId(other), id, "another database is another installation"));
      assert.equal(installationPrefix(id, {}), `gis-sync:${id}`);
      assert.equal(installationPrefix(id, { GIS_SYNC_REDIS_PREFIX: "mine" }), "mine", "GIS_SYNC_REDIS_PREFIX overrides");
      assert.equal(await redisPrefixOf(ds), installationPrefix(id));
    });
  });
}

test("jobs for a run or an operation the database does not hold fail loudly, never completed; old delayed ones do not disturb a run", {
  timeout: 120_000,
}, async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds);
    try {
      const q = env.rt.queues;
      const ghostRun = crypto.randomUUID();
      const ghostOp = crypto.randomUUID();
      // As a killed run of another database leaves them: a prepare, a delayed poll and an apply.
      await q.prepare(ghostRun, 0);
      await q.poll(ghostOp, 300, `${ghostOp}.sent.a1.p0.t0`);
      await q.apply(ghostOp);
      const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["services"], mode: "sync", trigger: "test" });
      const summary = await env.rt.waitForRun(run.id, undefined, 60_000);
      assert.notEqual(summary.state, "failed", summary.errorText ?? "");
      assert.ok(summary.stages.find((s) => s.stage === "services")!.objectsOk > 0, "the run did its work");
      const state = async (kind: "prepare" | "poll" | "apply", id: string) => {
        for (let i = 0; i < 50; i++) {
          const job = await Job.fromId(q.queues[kind], id);
          const s = job ? await job.getState() : "missing";
          if (s === "failed" || s === "completed") return { s, reason: job?.failedReason ?? "" };
          await new Promise((r) => setTimeout(r, 100));
        }
        return { s: "pending", reason: "" };
      };
      for (const [kind, id] of [
        ["prepare", `${ghostRun}.0`],
        ["poll", `${ghostOp}.sent.a1.p0.t0`],
        ["apply", `${ghostOp}.apply`],
      ] as const) {
        const { s, reason } = await state(kind, id);
        assert.equal(s, "failed", `${kind} job ${id} failed, not completed`);
        assert.match(reason, /не найден\(а\) в базе данных этой установки/, `${kind}: the reason says why`);
      }
      assert.equal(await ds.getRepository(PipelineRun).countBy({ id: ghostRun }), 0);
    } finally {
      await env.close();
    }
  });
});

const noRedisServer = hasRedisServer ? {} : { skip: "redis-server is not installed" };

test("sessions, login limits, schedule locks and worker heartbeats of a bound installation live under its prefix", {
  ...noRedisServer,
  timeout: 60_000,
}, async () => {
  const redis = await startPrivateRedis();
  const r = new IORedis(redis.url);
  const before = REDIS_PREFIX;
  try {
    await withTestDb("sqlite", async (ds) => {
      const id = await installationId(ds);
      const prefix = installationPrefix(id, {});
      // What bindInstallation does in a process without GIS_SYNC_REDIS_PREFIX.
      useRedisPrefix(prefix);
      await new SessionStore(r).create(1, "admin");
      await new LoginLimiter(r).failed("10.0.0.1", "admin");
      await new ScheduleLocks(r, REDIS_PREFIX).claimFire(1, new Date(), "me", 60_000);
      await stopAllWorkers(r);
      const keys = await r.keys("*");
      assert.ok(keys.length >= 5, keys.join(", "));
      assert.deepEqual(
        keys.filter((k) => !k.startsWith(`gis-sync:${id}:`)),
        [],
        "every key carries the installation id",
      );
    });
  } finally {
    useRedisPrefix(before);
    r.disconnect();
    await redis.stop();
  }
});

test("two installations on one Redis at the same time, no key prefix given: both `demo --once` finish with complete summaries", {
  ...noRedisServer,
  timeout: 400_000,
}, async () => {
  const redis = await startPrivateRedis();
  const homes = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-install-")));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: redis.url, LOG_LEVEL: "warn" };
    delete env.GIS_SYNC_REDIS_PREFIX;
    delete env.DB_URL;
    const runs = homes.map(
      (home) =>
        new Promise<{ code: number | null; out: string; err: string; ms: number }>((resolve) => {
          const started = Date.now();
          const p = spawn(process.execPath, [BIN, "demo", "--once"], { env: { ...env, GIS_SYNC_HOME: home }, stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          let err = "";
          p.stdout!.on("data", (d) => (out += d));
          p.stderr!.on("data", (d) => (err += d));
          const killer = setTimeout(() => p.kill("SIGKILL"), 360_000);
          p.on("exit", (code) => {
            clearTimeout(killer);
            resolve({ code, out, err, ms: Date.now() - started });
          });
        }),
    );
    const results = await Promise.all(runs);
    console.log(`two demos on one Redis: ${results.map((r) => `${(r.ms / 1000).toFixed(1)} s`).join(", ")}`);
    const prefixes = new Set<string>();
    for (const [i, r] of results.entries()) {
      assert.equal(r.code, 0, `demo ${i + 1} exited 0:\n${r.err.slice(-3000)}`);
      const summary = JSON.parse(r.out);
      assert.match(summary.state, /^done/, `demo ${i + 1}: ${summary.state} ${summary.errorText ?? ""}`);
      const stages = new Set((summary.stages as Array<{ stage: string }>).map((s) => s.stage));
      for (const s of ["services", "accounts", "meters", "bills", "payments", "kvitirovanie"])
        assert.ok(stages.has(s), `demo ${i + 1} summary has ${s}: ${[...stages]}`);
      const db = await openDatabase(`sqlite:${path.join(homes[i], "gis-sync.sqlite")}`);
      try {
        // As the child saw it: without GIS_SYNC_REDIS_PREFIX (this test process has one of its own).
        prefixes.add(installationPrefix(await installationId(db), {}));
      } finally {
        await db.destroy();
      }
    }
    assert.equal(prefixes.size, 2, "two installations, two prefixes");
    const r = new IORedis(redis.url);
    try {
      const keys = await r.keys("*");
      const outside = keys.filter((k) => ![...prefixes].some((p) => k.startsWith(`${p}:`)));
      assert.deepEqual(outside, [], "every Redis key is under one installation's prefix");
      for (const p of prefixes)
        assert.ok(
          keys.some((k) => k.startsWith(`${p}:gis-sync.local.`)),
          `queues of ${p}`,
        );
    } finally {
      r.disconnect();
    }
  } finally {
    await redis.stop();
    for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
  }
});

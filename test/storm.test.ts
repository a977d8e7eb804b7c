/**
 * The fault storm, reduced for CI (scripts/storm.ts runs it at full size by hand): the built-in
 * stand in its own process with every fault kind, our client as `gis-sync sync all` and two
 * `gis-sync worker` processes, kill -9 of workers and of sync, Redis killed and started again
 * empty — then GIS and our database must agree on every object (this month's readings too: the
 * bundle is dated from today): nothing lost, no duplicate, no ok
 * without its GIS identity, nothing in GIS we hold as failed, nothing left in progress, every error
 * named, no stack trace in any process's output.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { hasRedisServer } from "./support/private-redis";
import { STORM_FAULTS, storm } from "../scripts/storm";

test("storm: faults, kill -9 of workers and sync, a Redis restart — GIS and the database agree object by object", {
  skip: !hasRedisServer && "redis-server is not installed",
  timeout: 15 * 60_000,
}, async () => {
  const r = await storm({
    accounts: 120,
    // Two months: dated from today, the last month's payments are only those made by today.
    months: 2,
    kills: [2, 2],
    restart: "mixed",
    faults: STORM_FAULTS,
    latency: "50,150",
    db: "sqlite",
    seed: 11,
    timeoutMs: 12 * 60_000,
    httpTimeoutSeconds: 10,
    // GIS's long tail of resends (10 s … 15 min) is what a production storm waits through; CI keeps it short.
    resendDelays: "2s,4s,8s",
    redisRestart: true,
    dbDrop: false,
    keep: false,
    log: (l) => console.log(l),
  });
  console.log(JSON.stringify({ seconds: r.seconds, events: r.events, kinds: r.agreement.kinds.map((k) => [k.kind, k.ours, k.ok, k.inGis, k.errorsByCode]) }));
  assert.ok(r.events.filter((e) => e.includes("kill -9")).length >= 2, `the storm killed at least twice: ${r.events.join("; ")}`);
  assert.ok(r.finished, `the storm's runs finished: ${r.events.join("; ")}`);
  assert.deepEqual(r.agreement.problems, []);
  assert.equal(r.stackTracesInLogs, 0, "no stack trace in any process's output");
  const placed = r.agreement.kinds.find((k) => k.kind === "account")!;
  assert.ok(placed.ok > 0, "accounts were placed despite the storm");
  // The bundle is dated from today: this month's readings go to GIS through the storm, and agree.
  const readings = r.agreement.kinds.find((k) => k.kind === "reading")!;
  assert.ok(readings.ok > 0, `readings were placed despite the storm: ${JSON.stringify(readings)}`);
  assert.equal(readings.inGis, readings.ok, "every reading GIS holds is one we hold as ok, and no other");
});

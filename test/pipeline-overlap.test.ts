/**
 * Overlapping stages: after the organization-level stages a run's houses go in lanes, each lane
 * advancing through fund → accounts → meters → readings → bills on its own. Against the stand with
 * a latency that changes at random every few milliseconds, no object may be sent before the object
 * it hangs on was placed (its GUID applied to our model), and the run must end as the same run
 * without overlap does, object by object.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { DataSource, In } from "typeorm";
import { withTestDb } from "./support/databases";
import { pipelineEnv } from "./support/pipeline-env";
import {
  Account,
  AccountAccommodation,
  ArchiveEntry,
  GisOperation,
  GisOperationItem,
  Meter,
  MeterAccount,
  MeterReading,
  Payment,
  PaymentDocument,
  Premise,
  Room,
} from "../entities";
import { PipelineLane } from "../entities/pipeline-lane";
import { setSetting } from "../src/settings/settings";
import { StageName } from "../src/stages/descriptor";
import { LANE_METHODS } from "../src/queue/lanes";
import { STAGE_DESCRIPTORS } from "../src/runtime/descriptors";
import { stageContext } from "../src/queue/stage-context";
import { RunSummary } from "../src/queue/summary";
import { AtStand, hydrate } from "../src/storage/identity/store";
import { STAND } from "./support/identity";

const STAGES: StageName[] = ["contracts", "fund", "accounts", "meters", "readings", "bills", "payments", "kvitirovanie"];
const debug = process.env.OVERLAP_DEBUG ? (s: string) => process.stderr.write(`${s}\n`) : () => undefined;

/** Each stage's objects by outcome (operations differ: lanes batch by house). */
const outcome = (s: RunSummary) => s.stages.map((x) => ({ stage: x.stage, ok: x.objectsOk, errors: x.objectsWithErrors, codes: x.errorsByCode }));

/** Every object's status and whether it has its GIS identifier. */
async function objectStates(ds: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const put = (kind: string, rows: Array<{ id: number; sync: { status: string; errorCode: string | null } }>, guid: (r: never) => unknown) => {
    for (const r of rows) out[`${kind}#${r.id}`] = `${r.sync.status} ${r.sync.errorCode ?? ""} ${guid(r as never) ? "guid" : "-"}`;
  };
  put("account", await hydrate(ds, "account", await ds.getRepository(Account).find(), STAND), (r: AtStand<"account">) => r.gisAccountGuid);
  put("meter", await hydrate(ds, "meter", await ds.getRepository(Meter).find(), STAND), (r: AtStand<"meter">) => r.gisRootGuid);
  put("reading", await hydrate(ds, "meter_reading", await ds.getRepository(MeterReading).find(), STAND), (r: AtStand<"meter_reading">) => r.gisGuid);
  put(
    "bill",
    await hydrate(ds, "payment_document", await ds.getRepository(PaymentDocument).find(), STAND),
    (r: AtStand<"payment_document">) => r.gisPaymentDocumentId,
  );
  put("payment", await hydrate(ds, "payment", await ds.getRepository(Payment).find(), STAND), (r: AtStand<"payment">) => r.gisGuid);
  return out;
}

/** When each of an operation's requests was first signed for sending (from the archive). */
async function firstSent(ds: DataSource, opIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < opIds.length; i += 300) {
    const rows = await ds
      .getRepository(ArchiveEntry)
      .find({ where: { operationId: In(opIds.slice(i, i + 300)), kind: "signed_request" }, select: { operationId: true, createdAt: true } });
    for (const r of rows) out.set(r.operationId, Math.min(out.get(r.operationId) ?? Infinity, r.createdAt.getTime()));
  }
  return out;
}

/**
 * For every object sent, the objects it hangs on: a child may be sent only after the operation
 * that placed (or found) its parent in GIS was applied.
 */
async function orderViolations(ds: DataSource, runId: string): Promise<string[]> {
  const ops = await ds.getRepository(GisOperation).findBy({ runId });
  const byId = new Map(ops.map((o) => [o.id, o]));
  const items = await ds.getRepository(GisOperationItem).find({ where: { operationId: In(ops.map((o) => o.id)) } });
  const sent = await firstSent(
    ds,
    ops.map((o) => o.id),
  );
  // When each object got its GUID applied in this run: the earliest applied operation that carried it with success.
  const placedAt = new Map<string, number>();
  const place = (key: string, at: number) => placedAt.set(key, Math.min(placedAt.get(key) ?? Infinity, at));
  const houseOf = new Map<number, number[]>();
  const accommodations = await ds.getRepository(AccountAccommodation).find();
  const premises = new Map((await ds.getRepository(Premise).find()).map((p) => [p.id, p.houseId]));
  const rooms = new Map((await ds.getRepository(Room).find()).map((r) => [r.id, r.houseId]));
  for (const a of accommodations) {
    const h = a.houseId ?? (a.premiseId ? premises.get(a.premiseId) : undefined) ?? (a.roomId ? rooms.get(a.roomId) : undefined);
    if (h) houseOf.set(a.accountId, [...(houseOf.get(a.accountId) ?? []), h]);
  }
  const meters = new Map((await ds.getRepository(Meter).find()).map((m) => [m.id, m]));
  const accountsOfMeter = new Map<number, number[]>();
  for (const l of await ds.getRepository(MeterAccount).find()) accountsOfMeter.set(l.meterId, [...(accountsOfMeter.get(l.meterId) ?? []), l.accountId]);
  const accountsOfHouse = new Map<number, number[]>();
  for (const [a, hs] of houseOf) for (const h of hs) accountsOfHouse.set(h, [...(accountsOfHouse.get(h) ?? []), a]);
  const metersOfHouse = new Map<number, number[]>();
  for (const m of meters.values()) if (m.houseId) metersOfHouse.set(m.houseId, [...(metersOfHouse.get(m.houseId) ?? []), m.id]);
  for (const i of items) {
    const op = byId.get(i.operationId)!;
    if (!op.appliedAt || (i.outcome !== "ok" && i.outcome !== "reconciled")) continue;
    const at = op.appliedAt.getTime();
    if (op.method === "exportHouseData" || op.method === "importHouseUOData") place(`house#${i.objectId}`, at);
    if (op.method === "importAccountData") place(`account#${i.objectId}`, at);
    if (op.method === "exportAccountData") for (const a of accountsOfHouse.get(i.objectId) ?? []) place(`account#${a}`, at);
    if (op.method === "importMeteringDeviceData") place(`meter#${i.objectId}`, at);
    if (op.method === "exportMeteringDeviceData") for (const m of metersOfHouse.get(i.objectId) ?? []) place(`meter#${m}`, at);
    if (op.method === "importPaymentDocumentData" || op.method === "exportPaymentDocumentData") place(`bill#${i.objectId}`, at);
  }
  const readings = new Map((await ds.getRepository(MeterReading).find()).map((r) => [r.id, r.meterId]));
  const bills = new Map((await ds.getRepository(PaymentDocument).find()).map((d) => [d.id, d.accountId]));
  const payments = new Map((await ds.getRepository(Payment).find()).map((p) => [p.id, p.paymentDocumentId]));
  const parents = (method: string, id: number): string[] => {
    if (method === "importAccountData") return (houseOf.get(id) ?? []).map((h) => `house#${h}`);
    if (method === "importMeteringDeviceData") return (accountsOfMeter.get(id) ?? []).map((a) => `account#${a}`);
    if (method === "importMeteringDeviceValues") return [`meter#${readings.get(id)}`];
    if (method === "importPaymentDocumentData") return [`account#${bills.get(id)}`];
    if (method === "importNotificationsOfOrderExecution") return payments.get(id) ? [`bill#${payments.get(id)}`] : [];
    return [];
  };
  const problems: string[] = [];
  let checked = 0;
  for (const i of items) {
    const op = byId.get(i.operationId)!;
    const at = sent.get(op.id);
    if (at === undefined) continue;
    for (const p of parents(op.method, i.objectId)) {
      const placed = placedAt.get(p);
      checked++;
      if (placed !== undefined && at < placed) problems.push(`${op.method} ${i.objectType}#${i.objectId} sent at ${at}, before ${p} was placed at ${placed}`);
    }
  }
  assert.ok(checked > 50, `parents checked: ${checked}`);
  return problems;
}

async function syncRun(overlap: boolean, randomLatency: boolean) {
  return withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds, { fund: true });
    let timer: NodeJS.Timeout | undefined;
    try {
      await setSetting(ds, "pipeline.overlap", overlap);
      // Small batches: many lanes out of the demo's 60 accounts.
      await setSetting(ds, "batch.accounts", 4);
      if (randomLatency) {
        let seed = 11;
        const rand = (n: number) => {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          return Math.floor((seed / 2147483648) * n);
        };
        timer = setInterval(() => {
          void fetch(`${env.stand.url}/stand/admin/latency`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ receivedMs: rand(40), processingMs: rand(160) }),
          }).catch(() => undefined);
        }, 15);
      }
      const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: STAGES, mode: "sync", trigger: "test" });
      let last = "";
      const summary = await env.rt.waitForRun(
        run.id,
        async () => {
          const line = JSON.stringify(await env.rt.progress(run.id).catch(() => null));
          if (line !== last) debug(line);
          last = line;
        },
        240_000,
      );
      clearInterval(timer);
      const lanes = await ds.getRepository(PipelineLane).findBy({ runId: run.id });
      const laneOps = await ds.getRepository(GisOperation).countBy({ runId: run.id, lane: In(lanes.map((l) => l.lane)) });
      return {
        summary,
        states: await objectStates(ds),
        lanes: lanes.length,
        laneOps,
        violations: await orderViolations(ds, run.id),
        dup: env.stand.stats().duplicates,
      };
    } finally {
      clearInterval(timer);
      await env.close();
    }
  });
}

test("pipeline overlap: lanes of houses under random latency send no object before its parent is placed, and end as the run without overlap", async () => {
  const plain = await syncRun(false, false);
  assert.equal(plain.lanes, 0, "without overlap no lanes are opened");
  const lanes = await syncRun(true, true);
  debug(JSON.stringify({ lanes: lanes.lanes, laneOps: lanes.laneOps }));
  assert.ok(lanes.lanes > 3, `several lanes: ${lanes.lanes}`);
  assert.ok(lanes.laneOps > 10, `operations made by lanes: ${lanes.laneOps}`);
  assert.deepEqual(lanes.violations, [], "no object sent before its parent was placed");
  assert.deepEqual(lanes.dup, [], "nothing placed twice");
  assert.deepEqual(outcome(lanes.summary), outcome(plain.summary), "the same outcome per stage");
  assert.equal(lanes.summary.state, plain.summary.state);
  const differ = Object.keys(plain.states).filter((k) => plain.states[k] !== lanes.states[k]);
  assert.deepEqual(
    differ.map((k) => `${k}: ${plain.states[k]} / ${lanes.states[k]}`),
    [],
    "every object ends the same",
  );
});

test("pipeline overlap: every lane method's select narrows to scope.houseIds", async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds, { fund: true });
    try {
      const ctx = await stageContext(ds, env.ours.id, STAND);
      for (const method of LANE_METHODS) {
        const d = STAGE_DESCRIPTORS.byMethod(method)!;
        assert.ok(d, method);
        const none = [
          ...(await d.select(ds, { organizationId: env.ours.id, houseIds: [-1] }, "sync", ctx)),
          ...(await d.select(ds, { organizationId: env.ours.id, houseIds: [-1] }, "push", ctx)),
        ];
        assert.deepEqual(none, [], `${method}: nothing outside the lane's houses`);
      }
    } finally {
      await env.close();
    }
  });
});

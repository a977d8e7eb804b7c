/**
 * The pipeline end to end: BullMQ workers on the local Redis, the built-in stand over HTTP with
 * signatures and certificates checked, the demo organization's data.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTestDb } from "./support/databases";
import { pipelineEnv } from "./support/pipeline-env";
import { In } from "typeorm";
import { GisOperation, GisOperationItem, Payment, PaymentDocument, PipelineRun } from "../entities";
import { tables } from "../src/stand/domain/state";
import { verifyArchive } from "../src/archive";
import { hydrate } from "../src/storage/identity/store";
import { STAND, reloadAt } from "./support/identity";

test("pipeline: the services stage runs against the stand — orgPPAGUID from the registry, NSI, private services; every operation final and applied once", async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds);
    try {
      const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["services"], mode: "sync", trigger: "test" });
      const summary = await env.rt.waitForRun(run.id, undefined, 60_000);
      const ops = await ds.getRepository(GisOperation).findBy({ runId: run.id });
      assert.ok(ops.length > 0, "operations were made");
      assert.deepEqual(
        ops.filter((o) => !o.appliedAt).map((o) => `${o.method} ${o.state} ${o.errorText}`),
        [],
        "every operation applied",
      );
      const ours = await reloadAt(ds, "organization", env.ours.id);
      const inStand = env.stand.store.organizations().find((o) => o.ogrn === ours.ogrn)!;
      assert.equal(ours.gisOrgPpaGuid, inStand.orgPPAGUID, "exportOrgRegistry wrote the orgPPAGUID GIS knows");
      assert.equal((await ds.getRepository(PipelineRun).findOneByOrFail({ id: run.id })).state, summary.state);
      assert.ok(summary.stages.find((s) => s.stage === "services")!.objectsOk > 0, JSON.stringify(summary));
      assert.deepEqual(env.stand.stats().duplicates, []);
      assert.equal((await verifyArchive(ds)).ok, true);
    } finally {
      await env.close();
    }
  });
});

test("pipeline: half the Acks of the bills and payments imports are lost — exports find what GIS took; each bill gets its ИПД, each payment its GUID, nothing placed twice", async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds, { fund: true });
    try {
      const lossy = ["importPaymentDocumentData", "importNotificationsOfOrderExecution"];
      env.stand.setFaults({ rates: { lostAck: 0.5 }, operations: lossy, seed: 3 });
      const run = await env.rt.pipeline.startRun({
        stand: "local",
        organizationId: env.ours.id,
        stages: ["contracts", "fund", "accounts", "meters", "readings", "bills", "payments"],
        mode: "sync",
        trigger: "test",
      });
      await env.rt.waitForRun(run.id, undefined, 120_000);
      const imports = await ds.getRepository(GisOperation).findBy({ runId: run.id, method: In(lossy) });
      for (const method of lossy)
        assert.ok(
          imports.some((o) => o.method === method),
          `${method} was sent`,
        );
      assert.deepEqual(
        imports.filter((o) => o.state === "failed").map((o) => `${o.method} ${o.errorCode} ${o.errorText}`),
        [],
        "no import failed for want of an answer",
      );
      const items = await ds.getRepository(GisOperationItem).findBy({ operationId: In(imports.map((o) => o.id)) });
      const reconciledIn = new Set(items.filter((i) => i.outcome === "reconciled").map((i) => imports.find((o) => o.id === i.operationId)!.method));
      assert.deepEqual([...reconciledIn].sort(), [...lossy].sort(), "objects of both were found by the reconciling export");
      const faults = env.stand.stats().faults.counts as Record<string, number>;
      assert.ok((faults.lostAck ?? 0) > 0, `the stand lost Acks: ${JSON.stringify(faults)}`);

      const t = tables(env.stand.store);
      const bills = (await hydrate(ds, "payment_document", await ds.getRepository(PaymentDocument).findBy({ organizationId: env.ours.id }), STAND)).filter(
        (d) => d.sync.status === "ok",
      );
      assert.ok(bills.length > 0, "bills were placed");
      for (const d of bills) assert.ok(d.gisPaymentDocumentId && t.paymentDocuments.has(d.gisPaymentDocumentId), `bill ${d.number} has the ИПД GIS holds`);
      const exposed = new Map<string, number>();
      for (const d of t.paymentDocuments.values())
        if (!d.withdrawn)
          exposed.set(`${d.accountGuid}|${d.year}-${d.month}|${d.number}`, (exposed.get(`${d.accountGuid}|${d.year}-${d.month}|${d.number}`) ?? 0) + 1);
      assert.deepEqual(
        [...exposed].filter(([, n]) => n > 1),
        [],
        "no bill exposed twice",
      );
      const payments = (await hydrate(ds, "payment", await ds.getRepository(Payment).findBy({ organizationId: env.ours.id, source: "own" }), STAND)).filter(
        (p) => p.sync.status === "ok",
      );
      assert.ok(payments.length > 0, "payments were posted");
      for (const p of payments) assert.ok(p.gisGuid && t.notifications.has(p.gisGuid), `payment ${p.orderId} has the GUID GIS holds`);
      const orders = [...t.notifications.values()].map((n) => `${n.org}/${n.orderId}`);
      assert.equal(new Set(orders).size, orders.length, "no payment posted twice");
      assert.deepEqual(env.stand.stats().duplicates, []);
    } finally {
      await env.close();
    }
  });
});

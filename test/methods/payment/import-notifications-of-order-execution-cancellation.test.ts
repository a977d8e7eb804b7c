/**
 * importNotificationsOfOrderExecutionCancellation: the sample valid in both packages; limits; the
 * stand's annulment (a second one refused and recorded as a duplicate); the `annul` action on
 * chosen payments; the batch key by creation window and the reconcile by AckStatus 1.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Payment } from "../../../entities";
import { importNotificationsOfOrderExecutionCancellation as cancellation } from "../../../src/methods/payment/import-notifications-of-order-execution-cancellation";
import { importNotificationsOfOrderExecution } from "../../../src/methods/payment/import-notifications-of-order-execution";
import { exportNotificationsOfOrderExecution } from "../../../src/methods/bills/export-notifications-of-order-execution";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { tables } from "../../../src/stand/domain/state";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { billingDb } from "../bills/billing-db";
import { NOTICE } from "../bills/stand-seed";
import { STAND } from "../../support/identity";

const H = { orgPPAGUID: UO, date: new Date("2026-11-20T07:00:00Z") };

test("importNotificationsOfOrderExecutionCancellation: valid in both official packages; 1 to 500 per request", () => {
  assertValidInAllPackages(cancellation, {
    cancellations: [{ transportGuid: G(61), orderId: "A".repeat(32), cancellationDate: "2026-11-21", comment: "Ошибочный платёж" }],
  });
  assert.equal(cancellation.batch?.max, 500);
  assert.throws(() => buildMethodRequest(cancellation, H, { cancellations: [] }), /NotificationOfOrderExecutionCancellation — от 1 до 500/);
});

test("importNotificationsOfOrderExecutionCancellation (stand and reconcile): annulled once, the second is a duplicate; the window shows it annulled", async () => {
  const store = newStandStore();
  const placed = await runStand(store, "importNotificationsOfOrderExecution", buildMethodRequest(importNotificationsOfOrderExecution, H, NOTICE).xml, UO);
  const guid = placed.byTg(G(60)).guid!;
  const cancel = (tg: number) =>
    buildMethodRequest(cancellation, H, { cancellations: [{ transportGuid: G(tg), orderId: "A".repeat(32), cancellationDate: "2026-11-21" }] }).xml;
  const first = await runStand(store, "importNotificationsOfOrderExecutionCancellation", cancel(1), UO);
  assertAnswerValid(first, "payment");
  assert.deepEqual(first.byTg(G(1)).errors, []);
  assert.equal((await runStand(store, "importNotificationsOfOrderExecutionCancellation", cancel(2), UO)).byTg(G(2)).errors[0]?.code, "SRV009002");
  assert.deepEqual(
    store.duplicates.map((d) => d.kind),
    ["аннулирование извещения"],
  );
  assert.equal(tables(store).notifications.get(guid)!.status, "1");

  const d = cancellation.descriptor!;
  const ctx = { organizationId: 1, role: "UO", orgPPAGUID: UO, stand: STAND, now: H.date, setting: () => null };
  const objects = [
    { objectId: 7, data: { orderId: "A".repeat(32), cancellationDate: "2026-11-21", notificationGuid: guid, window: { dateFrom: "2026-11-15", days: 7 } } },
  ];
  const payload = d.reconcile!.payload(objects, ctx);
  const answer = await runStand(
    store,
    "exportNotificationsOfOrderExecution",
    buildMethodRequest(exportNotificationsOfOrderExecution, H, payload as never).xml,
    UO,
  );
  assert.deepEqual([...d.reconcile!.found(answer.answer, objects, ctx)], [[7, guid]]);
});

test("importNotificationsOfOrderExecutionCancellation (sqlite): the annul action annuls the chosen placed payments here and selects them; without it, only billing's annulments", async () => {
  const b = await billingDb();
  try {
    const d = cancellation.descriptor!;
    const own = await b.ds.getRepository(Payment).find({ where: { source: "own" }, order: { id: "ASC" }, take: 2 });
    assert.deepEqual(await d.select(b.ds, b.scope(), "push", b.ctx()), [], "nothing annulled in billing");
    const chosen = own.map((p) => p.id);
    assert.deepEqual(await d.select(b.ds, b.scope({ action: "annul", objectType: "payment", objectIds: chosen }), "push", b.ctx()), chosen);
    const now = await b.ds.getRepository(Payment).findOneByOrFail({ id: chosen[0] });
    assert.deepEqual([now.annulled, now.annulledDate], [true, "2025-12-20"]);
    const prepared = await d.prepare(b.ds, chosen, b.ctx());
    assert.equal(prepared.ready.length, 2);
    assert.equal(d.batchKey!(prepared.ready[0].data), "2025-12-05", "the window of the day GIS took the notice");
    assert.deepEqual(d.actions, ["annul"]);
  } finally {
    await b.close();
  }
});

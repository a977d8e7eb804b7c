/**
 * importSupplierNotificationsOfOrderExecution: the executor's notices valid in both packages;
 * limits; the stand gives GUID and OrderID, acknowledges an exact payment, records a repeat as a
 * duplicate; the descriptor runs only when payments are placed as the executor, and reconciles by
 * document, date and amount.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Payment } from "../../../entities";
import { importSupplierNotificationsOfOrderExecution as supplier } from "../../../src/methods/payment/import-supplier-notifications-of-order-execution";
import { exportNotificationsOfOrderExecution } from "../../../src/methods/bills/export-notifications-of-order-execution";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { tables } from "../../../src/stand/domain/state";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { billingDb } from "../bills/billing-db";
import { IPD, seedDocument } from "../bills/stand-seed";
import { STAND } from "../../support/identity";
import { updateAt } from "../../../src/storage/identity/update";

const H = { orgPPAGUID: UO, date: new Date("2026-11-20T07:00:00Z") };
const SAMPLE = {
  notices: [
    { transportGuid: G(70), orderDate: "2026-11-20", period: { month: 11, year: 2026 }, paymentDocumentId: IPD, amount: 1000, onlinePayment: true },
    { transportGuid: G(71), orderDate: "2026-11-19", serviceId: "12АБ345678-01", amount: 250.5 },
  ],
};

test("importSupplierNotificationsOfOrderExecution: valid in both official packages; 1 to 250; a document or a service, a positive amount", () => {
  const xml = assertValidInAllPackages(supplier, SAMPLE);
  assert.match(xml, /<pay:Amount>1000.00<\/pay:Amount>/);
  assert.equal(supplier.batch?.max, 250);
  assert.throws(() => buildMethodRequest(supplier, H, { notices: [] }), /SupplierNotificationOfOrderExecution — от 1 до 250/);
  assert.throws(
    () => buildMethodRequest(supplier, H, { notices: [{ transportGuid: G(1), orderDate: "2026-11-20", amount: 1 }] }),
    /paymentDocumentId \(ИПД\) либо serviceId/,
  );
  assert.throws(
    () => buildMethodRequest(supplier, H, { notices: [{ transportGuid: G(1), orderDate: "2026-11-20", paymentDocumentId: IPD, amount: 0 }] }),
    /больше нуля/,
  );
});

test("importSupplierNotificationsOfOrderExecution (stand, reconcile): a notice of the executor, acknowledged when exact; a repeat is a duplicate; found again by document, date and amount", async () => {
  const store = newStandStore();
  seedDocument(store);
  const a = await runStand(store, "importSupplierNotificationsOfOrderExecution", buildMethodRequest(supplier, H, { notices: [SAMPLE.notices[0]] }).xml, UO);
  assertAnswerValid(a, "payment");
  const n = tables(store).notifications.get(a.byTg(G(70)).guid!)!;
  assert.deepEqual([n.orderId.length, n.amountKopecks, n.status], [32, 100000, "2"]);
  await runStand(
    store,
    "importSupplierNotificationsOfOrderExecution",
    buildMethodRequest(supplier, H, { notices: [{ ...SAMPLE.notices[0], transportGuid: G(72) }] }).xml,
    UO,
  );
  assert.deepEqual(
    store.duplicates.map((d) => d.kind),
    ["извещение исполнителя"],
  );
  const unknown = await runStand(
    store,
    "importSupplierNotificationsOfOrderExecution",
    buildMethodRequest(supplier, H, { notices: [{ ...SAMPLE.notices[0], transportGuid: G(73), paymentDocumentId: "X".repeat(18) }] }).xml,
    UO,
  );
  assert.equal(unknown.byTg(G(73)).errors[0]?.code, "INT002000");

  const d = supplier.descriptor!;
  const ctx = { organizationId: 1, role: "UO", orgPPAGUID: UO, stand: STAND, now: H.date, setting: () => null };
  const objects = [
    { objectId: 1, data: { orderDate: "2026-11-20", paymentDocumentId: IPD, amount: 1000 } },
    { objectId: 2, data: { orderDate: "2026-11-20", paymentDocumentId: IPD, amount: 1000 } },
    { objectId: 3, data: { orderDate: "2026-11-20", paymentDocumentId: IPD, amount: 999 } },
  ];
  const answer = await runStand(
    store,
    "exportNotificationsOfOrderExecution",
    buildMethodRequest(exportNotificationsOfOrderExecution, H, d.reconcile!.payload(objects, ctx) as never).xml,
    UO,
  );
  assertAnswerValid(answer, "bills");
  const found = d.reconcile!.found(answer.answer, objects, ctx);
  assert.deepEqual([...found.keys()], [1, 2], "two identical notices for two identical payments; the third amount is not there");
  assert.notEqual(found.get(1), found.get(2));
});

test("importSupplierNotificationsOfOrderExecution (sqlite): runs only when the organization places payments as the executor", async () => {
  const b = await billingDb();
  try {
    const d = supplier.descriptor!;
    const own = await b.ds.getRepository(Payment).find({ where: { source: "own" }, take: 2, order: { id: "ASC" } });
    await updateAt(b.ds, STAND, Payment, own[0].id, { gisGuid: null, sync: { status: "not_sent" } });
    assert.deepEqual(await d.select(b.ds, b.scope(), "push", b.ctx()), [], "off by default: the payment agent's method posts");
    assert.deepEqual(await d.select(b.ds, b.scope(), "push", b.ctx({}, { "payments.asExecutor": true })), [own[0].id]);
    const prepared = await d.prepare(b.ds, [own[0].id], b.ctx());
    assert.equal(prepared.ready.length + prepared.rejected.length, 1);
  } finally {
    await b.close();
  }
});

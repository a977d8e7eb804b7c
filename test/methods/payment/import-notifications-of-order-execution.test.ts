/**
 * importNotificationsOfOrderExecution: the sample valid in both packages; limits and amounts in
 * kopecks; the stand (automatic kvitirovanie of an exact payment, an OrderID twice refused and
 * recorded as a duplicate); reconcile by OrderID; the selection yields to the executor's method.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { importNotificationsOfOrderExecution } from "../../../src/methods/payment/import-notifications-of-order-execution";
import { kopecks } from "../../../src/methods/payment/payment-requisites";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { billingDb } from "../bills/billing-db";
import { NOTICE } from "../bills/stand-seed";

const H = { orgPPAGUID: UO, date: new Date("2026-11-20T07:00:00Z") };

test("importNotificationsOfOrderExecution: valid in both official packages; 1 to 500, amounts in whole kopecks", () => {
  const xml = assertValidInAllPackages(importNotificationsOfOrderExecution, NOTICE);
  assert.match(xml, /<payments-base:Amount>211586<\/payments-base:Amount>/);
  assert.equal(importNotificationsOfOrderExecution.batch?.max, 500);
  assert.equal(kopecks(1520.4), 152040);
  assert.equal(kopecks(0.29), 29);
  assert.throws(() => buildMethodRequest(importNotificationsOfOrderExecution, H, { notifications: [] }), /от 1 до 500/);
  assert.throws(
    () =>
      buildMethodRequest(importNotificationsOfOrderExecution, H, {
        notifications: [{ ...NOTICE.notifications[0], order: { ...NOTICE.notifications[0].order, amountKopecks: 1.5 } }],
      }),
    /целое число копеек/,
  );
});

test("importNotificationsOfOrderExecution (stand): one notice per OrderID — a second is refused (SRV009001) and recorded as a duplicate", async () => {
  const store = newStandStore();
  const a = await runStand(store, "importNotificationsOfOrderExecution", buildMethodRequest(importNotificationsOfOrderExecution, H, NOTICE).xml, UO);
  assertAnswerValid(a, "payment");
  assert.ok(a.byTg(G(60)).guid);
  const again = await runStand(
    store,
    "importNotificationsOfOrderExecution",
    buildMethodRequest(importNotificationsOfOrderExecution, H, { notifications: [{ ...NOTICE.notifications[0], transportGuid: G(61) }] }).xml,
    UO,
  );
  assert.equal(again.byTg(G(61)).errors[0]?.code, "SRV009001");
  assert.deepEqual(
    store.duplicates.map((d) => d.kind),
    ["извещение об оплате"],
  );
});

test("importNotificationsOfOrderExecution (sqlite): selects nothing for an object action or when payments are placed as the executor", async () => {
  const b = await billingDb();
  try {
    const d = importNotificationsOfOrderExecution.descriptor!;
    assert.deepEqual(await d.select(b.ds, b.scope(), "sync", b.ctx()), [], "every payment has its notice");
    assert.deepEqual(await d.select(b.ds, b.scope({ action: "annul", objectIds: [1] }), "push", b.ctx()), []);
    assert.ok(d.after!.includes("exportNotificationsOfOrderExecution"), "check payments first, in every mode");
  } finally {
    await b.close();
  }
});

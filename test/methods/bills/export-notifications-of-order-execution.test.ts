/**
 * exportNotificationsOfOrderExecution and …Paginal: every criterion valid in both packages; the
 * limits (DaysInterval 1..7, PageSize 100..1000); the reader of the stand's answer — the notice,
 * its AckStatus, the amount acknowledged and the acknowledgments by service; pages by GUID.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportNotificationsOfOrderExecution } from "../../../src/methods/bills/export-notifications-of-order-execution";
import { exportNotificationsOfOrderExecutionPaginal } from "../../../src/methods/bills/export-notifications-of-order-execution-paginal";
import { importNotificationsOfOrderExecution } from "../../../src/methods/payment/import-notifications-of-order-execution";
import { checkWindows, exportedNotices, previousMonthStart } from "../../../src/methods/bills/notices";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { COLD, HOT, IPD, NOTICE, seedDocument } from "./stand-seed";

const H = { orgPPAGUID: UO, date: new Date("2026-11-20T07:00:00Z") };

test("exportNotificationsOfOrderExecution(…Paginal): by window, document, house and account, ИЖКУ, notice — valid in both official packages; the limits named", () => {
  for (const c of [
    { dateFrom: "2026-11-01", days: 7, ackStatuses: [0, 3, 4] as const },
    { paymentDocumentId: IPD },
    { fiasHouseGuid: G(11), accountNumber: "ЛС-000001" },
    { year: 2026, month: 11, serviceId: "12АБ345678-01" },
    { notificationGuid: G(51) },
  ])
    assertValidInAllPackages(exportNotificationsOfOrderExecution, c as never);
  assertValidInAllPackages(exportNotificationsOfOrderExecutionPaginal, {
    year: 2026,
    month: 11,
    unifiedAccountNumber: "12АБ345678",
    exportGuid: G(170),
    pageSize: 500,
  });
  assertValidInAllPackages(exportNotificationsOfOrderExecutionPaginal, { dateFrom: "2026-11-01", days: 1, ackStatuses: [0, 1, 2, 3, 4, 5] });
  assertValidInAllPackages(exportNotificationsOfOrderExecutionPaginal, { fiasHouseGuid: G(11), paymentDocumentNumber: "11-2026-000001", pageSize: 100 });
  assert.throws(() => buildMethodRequest(exportNotificationsOfOrderExecution, H, { dateFrom: "2026-11-01", days: 8, ackStatuses: [0] }), /DaysInterval/);
  assert.throws(() => buildMethodRequest(exportNotificationsOfOrderExecutionPaginal, H, { notificationGuid: G(1), pageSize: 50 }), /PageSize/);
  const now = new Date("2026-11-30T09:00:00Z");
  assert.equal(previousMonthStart(now), "2026-10-01");
  assert.equal(checkWindows(now).length, 9, "61 days in windows of 7");
});

test("exportNotificationsOfOrderExecution (stand): the notice with GIS's automatic kvitirovanie, read back by service; pages", async () => {
  const store = newStandStore();
  seedDocument(store, {
    totalKopecks: 211586,
    charges: [
      { kind: "MSType", guid: HOT, kopecks: 111586 },
      { kind: "MSType", guid: COLD, kopecks: 100000 },
    ],
  });
  const placed = await runStand(
    store,
    "importNotificationsOfOrderExecution",
    buildMethodRequest(importNotificationsOfOrderExecution, H, {
      notifications: [{ ...NOTICE.notifications[0], order: { ...NOTICE.notifications[0].order, paymentDocumentId: IPD } }],
    }).xml,
    UO,
  );
  const a = await runStand(
    store,
    "exportNotificationsOfOrderExecution",
    buildMethodRequest(exportNotificationsOfOrderExecution, H, { paymentDocumentId: IPD }).xml,
    UO,
  );
  assertAnswerValid(a, "bills");
  const [n] = exportedNotices(a.answer);
  assert.deepEqual(
    [n.guid, n.orderId, n.amountKopecks, n.ackStatus, n.acknowledgedKopecks, n.orgPPAGUID],
    [placed.byTg(G(60)).guid, "A".repeat(32), 211586, 2, 211586, UO],
  );
  assert.deepEqual(n.acks, [
    { paymentDocumentId: IPD, service: HOT, amount: 1115.86 },
    { paymentDocumentId: IPD, service: COLD, amount: 1000 },
  ]);
  const page = await runStand(
    store,
    "exportNotificationsOfOrderExecutionPaginal",
    buildMethodRequest(exportNotificationsOfOrderExecutionPaginal, H, { dateFrom: "2026-11-19", days: 3, ackStatuses: [2], pageSize: 100 }).xml,
    UO,
  );
  assertAnswerValid(page, "bills");
  assert.deepEqual(exportNotificationsOfOrderExecutionPaginal.read!(page.answer.result).next, null);
  assert.equal(exportNotificationsOfOrderExecutionPaginal.read!(page.answer.result).notices.length, 1);
});

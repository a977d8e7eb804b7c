/**
 * exportNotificationsOfOrderExecutionPaginal: the same notices as exportNotificationsOfOrderExecution,
 * a page at a time (its stand side and the pipeline's use are tested with the plain export).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportNotificationsOfOrderExecutionPaginal } from "../../../src/methods/bills/export-notifications-of-order-execution-paginal";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertValidInAllPackages } from "../../support/method-harness";

test("exportNotificationsOfOrderExecutionPaginal: samples valid in both official packages; PageSize 100–1000", () => {
  assertValidInAllPackages(exportNotificationsOfOrderExecutionPaginal, {
    year: 2026,
    month: 11,
    unifiedAccountNumber: "12АБ345678",
    exportGuid: G(170),
    pageSize: 500,
  });
  assertValidInAllPackages(exportNotificationsOfOrderExecutionPaginal, { fiasHouseGuid: G(11), paymentDocumentNumber: "11-2026-000001", pageSize: 100 });
  assert.throws(
    () => buildMethodRequest(exportNotificationsOfOrderExecutionPaginal, { orgPPAGUID: UO }, { notificationGuid: G(1), pageSize: 50 }),
    /PageSize — от 100 до 1000/,
  );
});

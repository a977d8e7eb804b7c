/**
 * exportPaymentDocumentData: every criterion the pipeline and operators use, valid in both
 * packages; the builder's limits; the stand's answer (exposed, then withdrawn) read back.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportPaymentDocumentData } from "../../../src/methods/bills/export-payment-document-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { IPD, seedDocument } from "./stand-seed";

const H = { orgPPAGUID: UO };
const CRITERIA = [
  { year: 2026, month: 11, fiasHouseGuid: G(11), accountNumbers: ["ЛС-000001", "ЛС/2 «кв. 5»"] },
  { paymentDocumentIds: ["12АБ345678-01-6111", "12АБ345679-01-6111"] },
  { year: 2026, month: 10, unifiedAccountNumbers: ["12АБ345678"] },
  { year: 2026, month: 10, fiasHouseGuid: G(11), paymentDocumentNumbers: ["11-2026-000001"] },
  { year: 2026, month: 10, serviceIds: ["12АБ345678-01"] },
  { year: 2026, month: 10, accountGuids: [G(18)] },
];

test("exportPaymentDocumentData: by ИПД, ЕЛС, house + account or document numbers, ИЖКУ, account GUIDs — valid in both official packages", () => {
  for (const c of CRITERIA) assertValidInAllPackages(exportPaymentDocumentData, c);
  assert.throws(() => buildMethodRequest(exportPaymentDocumentData, H, { paymentDocumentIds: [] }), /PaymentDocumentID — от 1 до 1000/);
  assert.throws(
    () => buildMethodRequest(exportPaymentDocumentData, H, { year: 2026, month: 1, accountGuids: Array.from({ length: 1001 }, (_, i) => G(i)) }),
    /AccountGUID — от 1 до 1000/,
  );
});

test("exportPaymentDocumentData (stand): a placed document by its ИПД, then withdrawn; the reader gives ИПД, account, period and state", async () => {
  const store = newStandStore();
  const row = seedDocument(store, {
    content: JSON.stringify([
      ["account-base:AccountGuid", G(7000)],
      ["bills:Expose", "true"],
      ["bills:TotalPayableByPD", "1000.00"],
    ]),
  });
  const ask = () => runStand(store, "exportPaymentDocumentData", buildMethodRequest(exportPaymentDocumentData, H, { paymentDocumentIds: [IPD] }).xml, UO);
  const a = await ask();
  assertAnswerValid(a, "bills");
  assert.deepEqual(exportPaymentDocumentData.read!(a.answer.result).documents, [
    { paymentDocumentId: IPD, paymentDocumentNumber: null, accountGuid: G(7000), year: 2026, month: 11, amount: 1000, state: "exposed" },
  ]);
  row.withdrawn = true;
  assert.equal(exportPaymentDocumentData.read!((await ask()).answer.result).documents[0].state, "withdrawn");
  await assert.rejects(
    runStand(store, "exportPaymentDocumentData", buildMethodRequest(exportPaymentDocumentData, H, { paymentDocumentIds: ["X".repeat(18)] }).xml, UO),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
});

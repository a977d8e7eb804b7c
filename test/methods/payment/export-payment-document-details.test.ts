/**
 * exportPaymentDocumentDetails: the request by ИПД and by ЕЛС valid in both packages; the stand
 * answers from its placed documents (valid per the XSD) and the reader gives executor, requisites
 * and amount due; the payment agent's check holds back a payment whose bill's requisites GIS does
 * not list, and releases it when they match.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Payment } from "../../../entities";
import { DETAILS_CODE, exportPaymentDocumentDetails as details } from "../../../src/methods/payment/export-payment-document-details";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { updateAt } from "../../../src/storage/identity/update";
import { STAND, reloadAt } from "../../support/identity";
import { billingDb } from "../bills/billing-db";
import { IPD, seedDocument } from "../bills/stand-seed";

const H = { orgPPAGUID: UO, date: new Date("2026-11-20T07:00:00Z") };

test("exportPaymentDocumentDetails: by ИПД, by ЕЛС for a month, by house and account number — valid in both official packages", () => {
  assertValidInAllPackages(details, { paymentDocumentId: IPD });
  assertValidInAllPackages(details, { year: 2026, month: 11, unifiedAccountNumber: "12АБ345678" });
  assertValidInAllPackages(details, { fiasHouseGuid: G(11), accountNumber: "ЛС-1" });
  assert.throws(() => buildMethodRequest(details, H, { year: 2026, unifiedAccountNumber: "1" } as never), /год и месяц/);
});

test("exportPaymentDocumentDetails (stand): the placed document's executor, requisites and amount due", async () => {
  const store = newStandStore();
  seedDocument(store);
  const a = await runStand(store, "exportPaymentDocumentDetails", buildMethodRequest(details, H, { paymentDocumentId: IPD }).xml, UO);
  assertAnswerValid(a, "payment");
  const [doc] = details.read!(a.answer.result);
  assert.deepEqual(
    [doc.paymentDocumentId, doc.dueKopecks, doc.requisites[0].bik, doc.requisites[0].account],
    [IPD, 100000, "049205603", "40702810000000000001"],
  );
  await assert.rejects(
    runStand(store, "exportPaymentDocumentDetails", buildMethodRequest(details, H, { paymentDocumentId: "X".repeat(18) }).xml, UO),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
});

test("exportPaymentDocumentDetails (sqlite): the payment agent's check — off by default; holds back a payment whose requisites GIS does not list", async () => {
  const b = await billingDb();
  try {
    const d = details.descriptor!;
    const p = (await b.ds.getRepository(Payment).find({ where: { source: "own" }, order: { id: "ASC" } })).find((x) => x.paymentDocumentId !== null)!;
    await updateAt(b.ds, STAND, Payment, p.id, { gisGuid: null, sync: { status: "not_sent" } });
    const on = { "payments.checkDocumentDetails": true };
    assert.deepEqual(await d.select(b.ds, b.scope(), "push", b.ctx()), []);
    assert.deepEqual(await d.select(b.ds, b.scope(), "push", b.ctx({}, on)), [p.id]);
    const prepared = await d.prepare(b.ds, [p.id], b.ctx());
    const doc = await reloadAt(b.ds, "payment_document", p.paymentDocumentId!);
    assert.deepEqual(
      d.payload(
        prepared.ready.map((r) => ({ ...r, transportGuid: G(1) })),
        b.ctx(),
      ),
      { paymentDocumentId: doc.gisPaymentDocumentId },
    );
    const store = newStandStore();
    seedDocument(store, { id: doc.gisPaymentDocumentId!, requisites: [{ bik: "000000000", account: "0".repeat(20) }] });
    const a = await runStand(store, "exportPaymentDocumentDetails", buildMethodRequest(details, H, { paymentDocumentId: doc.gisPaymentDocumentId! }).xml, UO);
    await b.ds.transaction((em) => d.apply(em, a.answer, [], b.ctx()));
    assert.equal((await reloadAt(b.ds, "payment", p.id)).sync.errorCode, DETAILS_CODE);
    seedDocument(store, { id: doc.gisPaymentDocumentId!, requisites: [{ bik: doc.bankBik!, account: doc.operatingAccount! }] });
    const ok = await runStand(store, "exportPaymentDocumentDetails", buildMethodRequest(details, H, { paymentDocumentId: doc.gisPaymentDocumentId! }).xml, UO);
    await b.ds.transaction((em) => d.apply(em, ok.answer, [], b.ctx()));
    assert.equal((await reloadAt(b.ds, "payment", p.id)).sync.errorCode, null, "released when GIS lists our requisites");
  } finally {
    await b.close();
  }
});

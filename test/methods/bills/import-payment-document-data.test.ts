/**
 * importPaymentDocumentData: exposing (one period, requisites once, the ИПД when exposed again) and
 * withdrawing in both packages; the builder's limits; the stand's placing and withdrawing; the
 * `expose` / `withdraw` actions on chosen bills (SQLite and PostgreSQL); apply by TransportGUID.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { PaymentDocument } from "../../../entities";
import { importPaymentDocumentData } from "../../../src/methods/bills/import-payment-document-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertValidInAllPackages } from "../../support/method-harness";
import { hydrate } from "../../../src/storage/identity/store";
import { STAND, reloadAt } from "../../support/identity";
import { billingDb } from "./billing-db";
import { exportPaymentDocumentData } from "../../../src/methods/bills/export-payment-document-data";

const ref = (code: string, n: number) => ({ code, guid: G(900 + n) });
export const EXPOSE = {
  month: 11,
  year: 2026,
  paymentInformation: [{ transportGuid: G(40), bankBik: "044525225", operatingAccountNumber: "40702810938000000001" }],
  documents: [
    {
      transportGuid: G(41),
      accountGuid: G(18),
      number: "11-2026-000001",
      expose: true,
      charges: [
        { kind: "housing" as const, serviceType: ref("1", 12), rate: 32.15, totalPayable: 1745.75 },
        { kind: "municipal" as const, serviceType: ref("1", 13), rate: 45.7, totalPayable: 320.11, accountingPeriodTotal: 320.11 },
        { kind: "additional" as const, serviceType: ref("1", 14), rate: 50, totalPayable: 50 },
      ],
      totalPayableByPD: 2115.86,
      paymentInformationKey: G(40),
      totalPayableByPaymentInformation: 2115.86,
    },
  ],
};

test("importPaymentDocumentData: expose, expose again by ИПД and withdraw are valid in both official packages", () => {
  assertValidInAllPackages(importPaymentDocumentData, EXPOSE);
  const again = assertValidInAllPackages(importPaymentDocumentData, {
    ...EXPOSE,
    documents: [{ ...EXPOSE.documents[0], paymentDocumentId: "12АБ345678-01-6111" }],
  });
  assert.match(again, /<base:TransportGUID>[^<]+<\/base:TransportGUID><bills-base:PaymentDocumentID[^>]*>12АБ345678-01-6111</);
  assertValidInAllPackages(importPaymentDocumentData, {
    withdraw: [
      { transportGuid: G(280), paymentDocumentId: "12АБ345678-01-6111" },
      { transportGuid: G(281), paymentDocumentId: "12АБ345679-01-6111" },
    ],
  });
});

test("importPaymentDocumentData: 1 to 500 documents, 1 to 1000 withdrawals, as the schema says", () => {
  assert.equal(importPaymentDocumentData.batch?.max, 500);
  assert.throws(() => buildMethodRequest(importPaymentDocumentData, { orgPPAGUID: UO }, { ...EXPOSE, documents: [] }), /PaymentDocument — от 1 до 500/);
  assert.throws(() => buildMethodRequest(importPaymentDocumentData, { orgPPAGUID: UO }, { withdraw: [] }), /WithdrawPaymentDocument — от 1 до 1000/);
  assert.throws(
    () => buildMethodRequest(importPaymentDocumentData, { orgPPAGUID: UO }, { ...EXPOSE, documents: [{ ...EXPOSE.documents[0], transportGuid: "x" }] }),
    /TransportGUID «x»/,
  );
});

for (const kind of ["sqlite", "postgres"] as const) {
  test(`importPaymentDocumentData (${kind}): the expose and withdraw actions take the chosen bills; without an action, nothing GIS has`, {
    skip: kind === "postgres" && process.env.TEST_PG === "off",
  }, async () => {
    const b = await billingDb(kind);
    try {
      const d = importPaymentDocumentData.descriptor!;
      const docs = await hydrate(b.ds, "payment_document", await b.ds.getRepository(PaymentDocument).find({ order: { id: "ASC" }, take: 3 }), STAND);
      const chosen = docs.map((x) => x.id);
      assert.deepEqual(await d.select(b.ds, b.scope(), "push", b.ctx()), [], "every bill is in GIS already");
      assert.deepEqual(await d.select(b.ds, b.scope({ objectIds: chosen, objectType: "payment_document", action: "expose" }), "push", b.ctx()), chosen);
      const exposed = await d.prepare(b.ds, chosen, b.ctx());
      // (the demo's services are not mapped to GIS's dictionaries in this database: those bills are rejected, naming the service)
      assert.equal(exposed.ready.length + exposed.rejected.length, chosen.length);
      for (const r of exposed.ready) assert.ok("expose" in r.data && r.data.expose.paymentDocumentId, "exposed again under its ИПД");
      for (const r of exposed.rejected) assert.match(r.text, /Услуга|ГУИД|реквизит|начислений/);

      assert.deepEqual(await d.select(b.ds, b.scope({ objectIds: [chosen[0]], objectType: "payment_document", action: "withdraw" }), "push", b.ctx()), [
        chosen[0],
      ]);
      assert.equal((await b.ds.getRepository(PaymentDocument).findOneByOrFail({ id: chosen[0] })).state, "to_withdraw");
      const w = await d.prepare(b.ds, [chosen[0]], b.ctx());
      const batch = w.ready.map((r) => ({ ...r, transportGuid: G(5000) }));
      const payload = d.payload(batch, b.ctx());
      assert.ok("withdraw" in payload && payload.withdraw[0].paymentDocumentId === docs[0].gisPaymentDocumentId);
      const exposeData = { year: 2025, month: 11, bik: "049205603", account: "40702810000000000001", expose: { accountGuid: G(1), charges: [] } };
      assert.notEqual(d.batchKey!(w.ready[0].data), d.batchKey!(exposeData), "withdrawals never share a request with exposures");
      await b.ds.transaction((em) =>
        d.apply(
          em,
          { kind: "state", items: [] } as never,
          [
            {
              objectId: chosen[0],
              transportGuid: G(5000),
              result: {
                transportGuid: G(5000),
                guid: null,
                uniqueNumber: null,
                updateDate: null,
                errors: [{ code: "SRV008070", description: "уже отозван" }],
                values: {},
              },
            },
          ],
          b.ctx(),
        ),
      );
      assert.equal(
        (await b.ds.getRepository(PaymentDocument).findOneByOrFail({ id: chosen[0] })).state,
        "withdrawn",
        "SRV008070: already withdrawn is what was wanted",
      );
      assert.deepEqual(
        await d.select(b.ds, b.scope({ objectIds: [chosen[0]], objectType: "payment_document", action: "expose" }), "push", b.ctx()),
        [],
        "a withdrawn bill is not exposed again",
      );
    } finally {
      await b.close();
    }
  });
}

for (const kind of ["sqlite", "postgres"] as const) {
  test(`importPaymentDocumentData (${kind}): stands apart — bills placed on sit01 are still to send for prod, and prod's answer leaves sit01's ИПД`, {
    skip: kind === "postgres" && process.env.TEST_PG === "off",
  }, async () => {
    const b = await billingDb(kind, "sit01");
    try {
      const d = importPaymentDocumentData.descriptor!;
      const all = (await b.ds.getRepository(PaymentDocument).find({ select: { id: true }, order: { id: "ASC" } })).map((x) => x.id);
      const sit = b.ctx({ stand: "sit01" });
      const prod = b.ctx({ stand: "prod" });
      assert.deepEqual(await d.select(b.ds, b.scope(), "push", sit), [], "sit01 has every bill");
      assert.deepEqual(await d.select(b.ds, b.scope(), "push", prod), all, "prod has none of them");
      // prod knows no account GUID: its bills cannot be asked for there, while sit01 asks for all of them by ИПД.
      const exp = exportPaymentDocumentData.descriptor!;
      assert.deepEqual(await exp.select(b.ds, b.scope(), "sync", prod), []);
      assert.deepEqual(await exp.select(b.ds, b.scope(), "sync", sit), all);
      const prepared = await d.prepare(b.ds, [all[0]], prod);
      for (const r of prepared.rejected) assert.match(r.text, /Услуга|ГУИД|реквизит|начислений/);
      assert.ok(
        prepared.rejected.some((r) => /ГУИД/.test(r.text)),
        "prod: the account is not placed there",
      );
      const before = await reloadAt(b.ds, "payment_document", all[0], "sit01");
      await b.ds.transaction((em) =>
        d.apply(
          em,
          { kind: "state", items: [] } as never,
          [
            {
              objectId: all[0],
              transportGuid: G(5001),
              result: { transportGuid: G(5001), guid: G(5002), uniqueNumber: "99ПД000001-01-0001", updateDate: null, errors: [], values: {} },
            },
          ],
          prod,
        ),
      );
      const onProd = await reloadAt(b.ds, "payment_document", all[0], "prod");
      assert.equal(onProd.gisPaymentDocumentId, "99ПД000001-01-0001");
      assert.equal(onProd.sync.status, "ok");
      const onSit = await reloadAt(b.ds, "payment_document", all[0], "sit01");
      assert.equal(onSit.gisPaymentDocumentId, before.gisPaymentDocumentId, "sit01's ИПД untouched");
      assert.equal(onSit.gisGuid, before.gisGuid);
      assert.deepEqual(await d.select(b.ds, b.scope(), "push", prod), all.slice(1));
    } finally {
      await b.close();
    }
  });
}

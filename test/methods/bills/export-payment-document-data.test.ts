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
import { Account } from "../../../entities";
import { createMissing, probeId } from "../../../src/methods/bills/missing-documents";
import { idsByIdentity } from "../../../src/storage/identity/store";
import { STAND, reloadAt } from "../../support/identity";
import { billingDb } from "./billing-db";

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

for (const kind of ["sqlite", "postgres"] as const) {
  test(`exportPaymentDocumentData (${kind}): «Загрузить недостающие квитанции» creates the month's documents only GIS has, on the run's stand; refuses one of an unknown account`, {
    skip: kind === "postgres" && process.env.TEST_PG === "off",
  }, async () => {
    const b = await billingDb(kind);
    try {
      const d = exportPaymentDocumentData.descriptor!;
      const month = { year: 2026, month: 3 };
      const account = await reloadAt(b.ds, "account", (await b.ds.getRepository(Account).find({ order: { id: "ASC" }, take: 1 }))[0].id);
      const guid = account.gisAccountGuid!;
      const selected = await d.select(b.ds, b.scope({ month }), "pull", b.ctx());
      assert.ok(selected.includes(probeId(account.id, month)), "each placed account is asked for the month");
      assert.deepEqual(await d.select(b.ds, b.scope({ month }), "pull", b.ctx({ stand: "prod" })), [], "prod has no account placed");
      const prepared = await d.prepare(b.ds, [probeId(account.id, month)], b.ctx());
      assert.deepEqual(prepared.ready[0].data, { ...month, accountGuid: guid.toLowerCase() });

      const store = newStandStore();
      const content = (g: string) =>
        JSON.stringify([
          ["account-base:AccountGuid", g],
          ["bills-base:PaymentDocumentNumber", "ПД-03"],
          ["bills:Expose", "true"],
          ["bills:TotalPayableByPD", "1234.50"],
        ]);
      seedDocument(store, { id: "77ПД000001-01-6111", accountGuid: guid, year: 2026, month: 3, content: content(guid) });
      const payload = d.payload(
        prepared.ready.map((r) => ({ ...r, transportGuid: G(1) })),
        b.ctx(),
      );
      const a = await runStand(store, "exportPaymentDocumentData", buildMethodRequest(exportPaymentDocumentData, H, payload).xml, UO);
      for (let i = 0; i < 2; i++) await b.ds.transaction((em) => d.apply(em, a.answer, [], b.ctx()));
      const ids = (await idsByIdentity(b.ds, "payment_document", "gisPaymentDocumentId", ["77ПД000001-01-6111"], STAND)).get("77ПД000001-01-6111");
      assert.equal(ids?.length, 1, "created once, known by its ИПД the second time");
      const doc = await reloadAt(b.ds, "payment_document", ids![0]);
      assert.deepEqual(
        [doc.accountId, doc.organizationId, doc.periodYear, doc.periodMonth, doc.number, doc.totalPayable, doc.state, doc.sync.status],
        [account.id, b.org.id, 2026, 3, "ПД-03", 1234.5, "issued", "ok"],
      );
      assert.equal((await reloadAt(b.ds, "payment_document", doc.id, "prod")).gisPaymentDocumentId, null, "filed on the run's stand only");

      const stranger = {
        paymentDocumentId: "77ПД000002-01-6111",
        paymentDocumentNumber: null,
        accountGuid: G(999999),
        year: 2026,
        month: 3,
        amount: 10,
        state: "exposed" as const,
      };
      const withdrawn = { ...stranger, paymentDocumentId: "77ПД000003-01-6111", accountGuid: guid.toLowerCase(), state: "withdrawn" as const };
      const r = await b.ds.transaction((em) => createMissing(em, [stranger, withdrawn], new Map([[guid.toLowerCase(), account]]), b.ctx()));
      assert.deepEqual(r.created, [], "a withdrawn document is not loaded");
      assert.deepEqual(r.refused, [
        `Платёжный документ ИПД «77ПД000002-01-6111» за 03.2026 не загружен: лицевой счёт с ГУИД «${G(999999)}» не найден у организации на стенде «${STAND}»`,
      ]);
    } finally {
      await b.close();
    }
  });
}

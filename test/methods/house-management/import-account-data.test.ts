/**
 * importAccountData: the sample request in both packages, the builder's limits, the stand (ЕЛС and
 * ИЖКУ, closed accounts, reopening as a new account), and the descriptor's close / reopen actions on
 * SQLite and PostgreSQL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Account } from "../../../entities";
import { AccountInput, importAccountData } from "../../../src/methods/house-management/import-account-data";
import { exportAccountData } from "../../../src/methods/house-management/export-account-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { parseResponse } from "../../../src/transport/results/results";
import { StandError } from "../../../src/stand/types";
import { reloadAt } from "../../support/identity";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { G, RSO, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { HOUSE, account, built, failed, ok, placeHouse } from "../../support/house-scenario";
import { guid, houseFixture } from "../../support/house-fixture";

const ref = (code: string, n: number, name?: string) => ({ code, guid: G(900 + n), name });

function sampleAccount(n: number, fancy = false): AccountInput {
  return {
    transportGuid: G(1000 + n),
    role: "UO",
    livingPersonsNumber: 3,
    totalSquare: 54.3,
    residentialSquare: 38.25,
    heatedArea: 54.3,
    accommodations: [{ premisesGuid: G(2000 + n), sharePercent: 100 }],
    payer: {
      person: {
        surname: fancy ? "Иванов & <Сыновья>" : "Иванов",
        firstName: "Пётр",
        patronymic: "Сергеевич",
        sex: "M",
        dateOfBirth: "1980-05-01",
        snils: "11223344595",
      },
    },
    accountNumber: `ЛС-${String(n).padStart(6, "0")}`,
  };
}

const SAMPLE = {
  accounts: [
    sampleAccount(1, true),
    {
      ...sampleAccount(2),
      role: "RSO" as const,
      payer: { orgVersionGuid: G(17) },
      accountGuid: G(18),
      closed: { reason: ref("3", 8), date: "2026-10-31", description: "Переезд" },
      supplyResourceContracts: [{ contractGuid: G(19) }, { contractNumber: "№ 15/2026", signingDate: "2026-01-10", isContract: true }],
    },
  ],
};

test("importAccountData: the sample (a new account, a closed РСО account with its supply contracts) is valid in both packages", () => {
  const xml = assertValidInAllPackages(importAccountData, SAMPLE);
  assert.match(xml, /<hm:Closed><hm:CloseReason><nsi-base:Code[^>]*>3<\/nsi-base:Code>/);
  assert.match(xml, /Иванов &amp; &lt;Сыновья&gt;/);
});

test("importAccountData: 1 to 100 accounts per request; an account needs an accommodation; a bad TransportGUID is named", () => {
  assert.equal(importAccountData.batch?.max, 100);
  const b = (accounts: AccountInput[]) => buildMethodRequest(importAccountData, { orgPPAGUID: UO }, { accounts });
  assert.throws(() => b(Array.from({ length: 101 }, (_, i) => sampleAccount(i))), /Account — от 1 до 100/);
  assert.throws(() => b([]), /Account — от 1 до 100/);
  assert.throws(() => b([{ ...sampleAccount(1), accommodations: [] }]), /нет Accommodation/);
  assert.throws(() => b([{ ...sampleAccount(1), transportGuid: "nope" }]), /TransportGUID «nope»/);
});

test("importAccountData (stand): ЕЛС (10) and ИЖКУ (13) assigned once; unknown premises fails alone (INT002000); a closed account takes no change (SRV004005) and is reopened as a new one", async () => {
  const store = newStandStore();
  const { premises } = await placeHouse(store);
  const a = await runStand(
    store,
    "importAccountData",
    built(importAccountData, { accounts: [account(4001, premises[0]), account(4002, G(1)), account(4003, premises[1])] }, UO),
    UO,
  );
  assertAnswerValid(a, "house-management");
  const [first, bad, third] = [a.byTg(G(4001)), a.byTg(G(4002)), a.byTg(G(4003))];
  ok(first);
  ok(third);
  failed(bad, "INT002000");
  assert.equal(first.values.UnifiedAccountNumber.length, 10);
  assert.equal(first.values.ServiceID.length, 13);
  assert.ok(first.values.ServiceID.startsWith(first.values.UnifiedAccountNumber));
  assert.notEqual(first.values.UnifiedAccountNumber, third.values.UnifiedAccountNumber);

  const closed = { reason: { code: "1", guid: G(807) }, date: "2026-11-01" };
  const upd = await runStand(
    store,
    "importAccountData",
    built(importAccountData, { accounts: [account(4011, premises[0], { accountGuid: first.guid!, closed })] }, UO),
    UO,
  );
  assert.equal(upd.byTg(G(4011)).values.UnifiedAccountNumber, first.values.UnifiedAccountNumber);
  failed(
    (
      await runStand(store, "importAccountData", built(importAccountData, { accounts: [account(4012, premises[0], { accountGuid: first.guid! })] }, UO), UO)
    ).byTg(G(4012)),
    "SRV004005",
  );
  // Reopening («Открыть новые»): the same data without AccountGUID is a new account with new numbers; the closed one stays closed.
  const again = await runStand(
    store,
    "importAccountData",
    built(importAccountData, { accounts: [account(4013, premises[0], { accountNumber: "ЛС-4001" })] }, UO),
    UO,
  );
  ok(again.byTg(G(4013)));
  assert.notEqual(again.byTg(G(4013)).guid, first.guid);
  assert.notEqual(again.byTg(G(4013)).values.UnifiedAccountNumber, first.values.UnifiedAccountNumber);
  const exp = await runStand(store, "exportAccountData", built(exportAccountData, { fiasHouseGuid: HOUSE }, UO), UO);
  const rows = exportAccountData.read!(exp.answer.result).filter((r) => [first.guid, again.byTg(G(4013)).guid].includes(r.accountGuid));
  assert.deepEqual(
    rows.map((r) => [r.accountGuid, r.closed !== null]).sort(),
    [
      [first.guid, true],
      [again.byTg(G(4013)).guid, false],
    ].sort(),
  );
  await assert.rejects(
    runStand(store, "exportAccountData", built(exportAccountData, { fiasHouseGuid: HOUSE }, RSO), RSO),
    (e: unknown) => e instanceof StandError && e.code === "INT002012",
  );
  assert.equal(store.duplicates.length, 0);
});

const accountItem = (tg: string, g: string, els: string) =>
  `<hm:ImportResult><hm:CommonResult><base:GUID>${g}</base:GUID><base:TransportGUID>${tg}</base:TransportGUID><base:UpdateDate>2026-11-20T10:00:00</base:UpdateDate>` +
  `<hm:ImportAccount><account-base:UnifiedAccountNumber>${els}</account-base:UnifiedAccountNumber><account-base:ServiceID>${els}-01</account-base:ServiceID></hm:ImportAccount></hm:CommonResult></hm:ImportResult>`;
const answerOf = (inner: string) =>
  parseResponse(
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><hm:getStateResult xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:account-base="http://dom.gosuslugi.ru/schema/integration/account-base/" base:version="11.0.0.1"><base:RequestState>3</base:RequestState><base:MessageGUID>${guid()}</base:MessageGUID>${inner}</hm:getStateResult></soap:Body></soap:Envelope>`,
  ) as Extract<ReturnType<typeof parseResponse>, { kind: "state" }>;

for (const kind of DB_KINDS) {
  test(`importAccountData (${kind}): «close» closes the chosen account with its NSI 22 reason; «reopen» places it anew without AccountGUID`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const d = importAccountData.descriptor!;
      assert.deepEqual(d.actions, ["close", "reopen"]);
      const scope = { organizationId: f.org.id };
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [], "without an action: placed, unchanged accounts are not sent");
      const [a1, a2] = f.accounts;

      // close: the one without a reason is refused, naming the field.
      await ds.getRepository(Account).update(a1.id, { closeReasonCode: "2" });
      assert.deepEqual(await d.select(ds, { ...scope, action: "close", objectIds: [a1.id, a2.id] }, "push", f.ctx), [a1.id, a2.id]);
      const closing = await d.prepare(ds, [a1.id, a2.id], f.ctx);
      assert.deepEqual(
        closing.rejected.map((r) => [r.objectId, r.field]),
        [[a2.id, "closeReasonCode"]],
      );
      const tg = guid();
      const input = d.payload([{ ...closing.ready[0], transportGuid: tg }], f.ctx);
      const xml = assertValidInAllPackages(importAccountData, input);
      assert.match(
        xml,
        new RegExp(
          `<hm:Closed><hm:CloseReason><nsi-base:Code[^>]*>2</nsi-base:Code>.*<hm:CloseDate>2026-11-20</hm:CloseDate></hm:Closed>.*<hm:AccountGUID>${a1.gisAccountGuid}</hm:AccountGUID>`,
        ),
      );
      let answer = answerOf(accountItem(tg, a1.gisAccountGuid!, "EL1"));
      await ds.transaction((em) => d.apply(em, answer, [{ objectId: a1.id, transportGuid: tg, result: answer.items[0] }], f.ctx));
      let acc = await reloadAt(ds, "account", a1.id);
      assert.deepEqual([acc.closedDate, acc.gisClosed, acc.sync.status], ["2026-11-20", true, "ok"]);
      assert.deepEqual(await d.select(ds, { ...scope, action: "close", objectIds: [a1.id] }, "push", f.ctx), [], "closed in GIS already");

      // reopen: open here again, placed anew; the new GUID replaces the closed one's.
      assert.deepEqual(await d.select(ds, { ...scope, action: "reopen", objectType: "account", objectIds: [a1.id] }, "push", f.ctx), [a1.id]);
      assert.deepEqual(
        await d.select(ds, { ...scope, action: "reopen", objectType: "meter", objectIds: [a1.id] }, "push", f.ctx),
        [],
        "ids of another kind are not accounts",
      );
      const reopening = await d.prepare(ds, [a1.id], f.ctx);
      assert.equal(reopening.ready[0].data.reopening, a1.gisAccountGuid);
      const tg2 = guid();
      const xml2 = assertValidInAllPackages(importAccountData, d.payload([{ ...reopening.ready[0], transportGuid: tg2 }], f.ctx));
      assert.doesNotMatch(xml2, /<hm:AccountGUID>|<hm:Closed>/);
      // Reconcile: only an open account of that number other than the closed one counts.
      const fresh = guid();
      const exported = (rows: string) => answerOf(rows);
      const row = (g: string, closed: boolean) =>
        `<hm:exportAccountResult><hm:AccountNumber>${a1.number}</hm:AccountNumber>${closed ? "<hm:Closed><hm:CloseDate>2026-11-20</hm:CloseDate></hm:Closed>" : ""}<hm:AccountGUID>${g}</hm:AccountGUID></hm:exportAccountResult>`;
      const objects = [{ objectId: a1.id, data: reopening.ready[0].data }];
      assert.equal(d.reconcile!.found(exported(row(a1.gisAccountGuid!, true)), objects, f.ctx).size, 0);
      assert.deepEqual([...d.reconcile!.found(exported(row(a1.gisAccountGuid!, true) + row(fresh, false)), objects, f.ctx)], [[a1.id, fresh]]);
      answer = answerOf(accountItem(tg2, fresh, "EL9"));
      await ds.transaction((em) => d.apply(em, answer, [{ objectId: a1.id, transportGuid: tg2, result: answer.items[0] }], f.ctx));
      acc = await reloadAt(ds, "account", a1.id);
      assert.deepEqual([acc.closedDate, acc.gisClosed, acc.gisAccountGuid, acc.unifiedNumber, acc.sync.status], [null, false, fresh, "EL9", "ok"]);
    });
  });
}

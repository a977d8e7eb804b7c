/**
 * The pull side of readings, bills and payments: exportMeteringDeviceHistory (citizens' readings,
 * kept apart from ours), exportPaymentDocumentData (ИПД and states of our bills) and
 * exportNotificationsOfOrderExecution ("check payments": others' payments kept as source "other",
 * ours linked so they are not posted twice). Real pipeline runs over BullMQ against the in-process
 * stand, on SQLite and PostgreSQL; the stand's tables are given what GIS would hold.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { DataSource, In, IsNull, Like, Not } from "typeorm";
import { DB_KINDS, withTestDb } from "./support/databases";
import { assertValidInAllPackages, officialAvailable } from "./support/xsd";
import { pipelineEnv } from "./support/pipeline-env";
import { Account, GisOperation, GisUnusedObject, House, MessageLog, Meter, MeterReading, Organization, Payment, PaymentDocument } from "../entities";
import { el, leaf } from "../src/transport/envelope/xml";
import { OperationName, buildRequest } from "../src/transport/messages";
import { tables } from "../src/stand/domain/state";
import { pack } from "../src/stand/domain/xml-read";
import { parseResponse } from "../src/transport/results/results";
import { MethodDescriptor, StageContext } from "../src/stages/descriptor";
import { DESCRIPTORS_BY_STAGE, batchLimit } from "../src/stages/registry";
import { STAGE_DESCRIPTORS } from "../src/runtime/descriptors";
import { planOf } from "../src/queue/plan";
import { stageContext } from "../src/queue/stage-context";
import { importPaymentDocumentData as importBills } from "../src/methods/bills/import-payment-document-data";
import { importNotificationsOfOrderExecution as importNotices } from "../src/methods/payment/import-notifications-of-order-execution";
import { exportMeteringDeviceHistory as historyMethod, previousMonthStart } from "../src/methods/device-metering/export-metering-device-history";
import { exportPaymentDocumentData as exportBills, patchFor } from "../src/methods/bills/export-payment-document-data";
import { exportNotificationsOfOrderExecution as exportNotices } from "../src/methods/bills/export-notifications-of-order-execution";
import { checkWindows } from "../src/methods/bills/notices";
import { hydrate } from "../src/storage/identity/store";
import { updateAt } from "../src/storage/identity/update";
import { STAND, reloadAt, saveAt } from "./support/identity";
const [importPaymentDocumentData, importNotificationsOfOrderExecution, exportPaymentDocumentData, exportNotificationsOfOrderExecution] = [
  importBills.descriptor!,
  importNotices.descriptor!,
  exportBills.descriptor!,
  exportNotices.descriptor!,
];

const exportMeteringDeviceHistory = historyMethod.descriptor!;
const XSD = officialAvailable();
const guid = () => crypto.randomUUID();
const NOW = new Date("2026-11-30T09:00:00Z");

function ctx(over: Partial<StageContext> = {}, settings: Record<string, number> = {}): StageContext {
  return { organizationId: 1, role: "RSO", stand: STAND, orgPPAGUID: guid(), now: NOW, setting: (k) => settings[k] ?? null, ...over };
}

/** A payload built into a request and checked against the official XSD of its service. */
function validRequest(method: OperationName | "exportMeteringDeviceHistory", payload: unknown): string {
  const built = buildRequest(method, { orgPPAGUID: guid() }, payload as never);
  if (XSD) assertValidInAllPackages(built.xml, method);
  return built.xml;
}

test("exports: batch limits are the receiving settings, clamped to the schema's maxOccurs; exports are safe to repeat", () => {
  const d = (x: unknown) => x as MethodDescriptor;
  assert.equal(batchLimit(d(exportMeteringDeviceHistory), ctx()), 100, "the manual's default for receiving readings");
  assert.equal(
    batchLimit(d(exportMeteringDeviceHistory), ctx({}, { "batch.receiveReadings": 5000 })),
    100,
    "clamped to MeteringDeviceRootGUID/FIASHouseGuid maxOccurs 100",
  );
  assert.equal(batchLimit(d(exportMeteringDeviceHistory), ctx({}, { "batch.receiveReadings": 7 })), 7);
  assert.equal(batchLimit(d(exportPaymentDocumentData), ctx()), 1000);
  assert.equal(batchLimit(d(exportPaymentDocumentData), ctx({}, { "batch.receivePaymentDocuments": 99999 })), 1000);
  assert.equal(batchLimit(d(exportNotificationsOfOrderExecution), ctx()), 1, "one period window per request");
  for (const x of [exportMeteringDeviceHistory, exportPaymentDocumentData, exportNotificationsOfOrderExecution]) {
    assert.equal(x.safeToRepeat, true, x.method);
    assert.equal(x.kind, "export", x.method);
  }
});

test("exports: order in the stages — check payments before posting ours in every mode; pulls first in sync", () => {
  const steps = (stage: "readings" | "bills" | "payments", mode: "push" | "pull" | "sync") => planOf(STAGE_DESCRIPTORS, [stage], mode).map((s) => s.method);
  // The payment agent's check and the executor's notices run by settings (they select nothing by default).
  assert.deepEqual(steps("payments", "push"), [
    "exportNotificationsOfOrderExecution",
    "exportPaymentDocumentDetails",
    "importNotificationsOfOrderExecution",
    "importSupplierNotificationsOfOrderExecution",
    "importNotificationsOfOrderExecutionCancellation",
  ]);
  assert.deepEqual(steps("payments", "sync").slice(0, 3), [
    "exportNotificationsOfOrderExecution",
    "exportPaymentDocumentDetails",
    "importNotificationsOfOrderExecution",
  ]);
  assert.deepEqual(steps("payments", "pull"), ["exportNotificationsOfOrderExecution"]);
  assert.deepEqual(steps("readings", "pull"), ["exportMeteringDeviceHistory"]);
  assert.deepEqual(steps("readings", "sync"), ["exportMeteringDeviceHistory", "importMeteringDeviceValues"]);
  assert.deepEqual(steps("readings", "push"), ["importMeteringDeviceValues"], "pulling citizens' readings is not a push");
  assert.deepEqual(steps("bills", "sync"), ["exportPaymentDocumentData", "importPaymentDocumentData"]);
  assert.ok(DESCRIPTORS_BY_STAGE.payments.indexOf(exportNotificationsOfOrderExecution as unknown as MethodDescriptor) === 0);
});

test("exports: payloads are valid requests (history by house and root GUIDs, bills by ИПД or by period and account, notices by a ≤7-day window)", () => {
  const c = ctx();
  const roots = Array.from({ length: 100 }, guid);
  const fias = guid();
  const history = exportMeteringDeviceHistory.payload(
    roots.map((r) => ({ objectId: 1, transportGuid: guid(), data: { fiasHouseGuid: fias, rootGuid: r } })),
    c,
  );
  assert.deepEqual(history.fiasHouseGuids, [fias]);
  assert.equal(history.inputDateFrom, "2026-10-01");
  assert.equal(history.excludeCurrentOrg, true);
  const xml = validRequest("exportMeteringDeviceHistory", history);
  assert.equal((xml.match(/MeteringDeviceRootGUID>/g) ?? []).length, 200, "100 meters in one request");
  assert.throws(
    () => buildRequest("exportMeteringDeviceHistory", { orgPPAGUID: guid() }, { ...history, select: { rootGuids: [...roots, guid()] } }),
    /100/,
    "never more than the schema allows",
  );

  const byId = exportPaymentDocumentData.payload(
    [
      { objectId: 1, transportGuid: guid(), data: { paymentDocumentId: "IPD000000000000001" } },
      { objectId: 2, transportGuid: guid(), data: { paymentDocumentId: "IPD000000000000001" } },
    ],
    c,
  );
  assert.deepEqual(byId, { paymentDocumentIds: ["IPD000000000000001"] });
  validRequest("exportPaymentDocumentData" as OperationName, byId);
  const g = guid();
  const byPeriod = exportPaymentDocumentData.payload([{ objectId: 1, transportGuid: guid(), data: { year: 2026, month: 10, accountGuid: g } }], c);
  assert.deepEqual(byPeriod, { year: 2026, month: 10, accountGuids: [g] });
  validRequest("exportPaymentDocumentData" as OperationName, byPeriod);
  assert.notEqual(
    exportPaymentDocumentData.batchKey!({ paymentDocumentId: "x" }),
    exportPaymentDocumentData.batchKey!({ year: 2026, month: 10, accountGuid: g }),
  );
  assert.notEqual(
    exportPaymentDocumentData.batchKey!({ year: 2026, month: 9, accountGuid: g }),
    exportPaymentDocumentData.batchKey!({ year: 2026, month: 10, accountGuid: g }),
  );

  const windows = checkWindows(NOW);
  assert.equal(previousMonthStart(NOW), "2026-10-01");
  assert.equal(new Date(windows[0] * 86_400_000).toISOString().slice(0, 10), "2026-10-01");
  assert.equal(windows.length, 9, "61 days in windows of 7");
  validRequest(
    "exportNotificationsOfOrderExecution" as OperationName,
    exportNotificationsOfOrderExecution.payload([{ objectId: windows[0], transportGuid: guid(), data: { dateFrom: "2026-10-01", days: 7 } }], c),
  );
});

test("exports: GIS's copy of a bill — exposed sets the ИПД and issued, withdrawn withdraws, a bill still to expose is not stopped by a withdrawn ИПД", () => {
  const doc = (state: PaymentDocument["state"]) => ({ state }) as PaymentDocument;
  const gis = (state: "exposed" | "withdrawn") => ({
    paymentDocumentId: "IPD000000000000009",
    paymentDocumentNumber: null,
    accountGuid: "a",
    year: 2026,
    month: 10,
    amount: 1,
    state,
  });
  assert.deepEqual(patchFor(doc("to_issue"), gis("exposed")), { gisPaymentDocumentId: "IPD000000000000009", state: "issued" });
  assert.deepEqual(patchFor(doc("to_withdraw"), gis("exposed")), { gisPaymentDocumentId: "IPD000000000000009", state: "to_withdraw" });
  assert.deepEqual(patchFor(doc("issued"), gis("withdrawn")), { gisPaymentDocumentId: "IPD000000000000009", state: "withdrawn" });
  assert.equal(patchFor(doc("to_issue"), gis("withdrawn")), null);
});

interface Fixture {
  ppa: string;
  meters: { m1: Meter; m2: Meter; m3: Meter; m4: Meter };
  account: Account;
  d1: PaymentDocument;
  d2: PaymentDocument;
  orphanDoc: PaymentDocument;
  badIpd: PaymentDocument;
  ownPayment: Payment;
  noticeGuids: { other: string; ours: string };
}

const OTHER_ORG = "5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** Our database and the stand made to hold what GIS would: placed meters with readings, an account with bills, payment notices. */
async function arrange(ds: DataSource, env: Awaited<ReturnType<typeof pipelineEnv>>): Promise<Fixture> {
  const t = tables(env.stand.store);
  const ppa = env.stand.store.organizations().find((o) => o.ogrn === env.ours.ogrn)!.orgPPAGUID;
  await updateAt(ds, STAND, Organization, env.ours.id, { gisOrgPpaGuid: ppa });
  const now = new Date().toISOString();

  // Meters: two in house A, one in house B (unknown to GIS), one in house C (FIAS GUID removed: rejected).
  const meters = await ds.getRepository(Meter).find({ where: { organizationId: env.ours.id, state: "active", houseId: Not(IsNull()) }, order: { id: "ASC" } });
  const houses = new Map(
    (await ds.getRepository(House).findBy({ id: In([...new Set(meters.map((m) => m.houseId!))]) })).filter((h) => h.fiasHouseGuid).map((h) => [h.id, h]),
  );
  const byHouse = [...houses.keys()].map((h) => meters.filter((m) => m.houseId === h && m.municipalResourceCode && m.municipalResourceCode !== "3"));
  const [inA, inB, inC] = byHouse.filter((ms) => ms.length >= 2);
  assert.ok(inA && inB && inC, "the demo has meters in three houses with FIAS GUIDs");
  const [m1, m2, m3, m4] = [inA[0], inA[1], inB[0], inC[0]];
  for (const m of [m1, m2, m3, m4]) {
    m.gisRootGuid = guid();
    await updateAt(ds, STAND, Meter, m.id, { gisRootGuid: m.gisRootGuid, gisVersionGuid: guid(), sync: { status: "ok" } });
  }
  await ds.getRepository(House).update(m4.houseId!, { fiasHouseGuid: null });
  for (const m of [m1, m2]) {
    t.meters.set(m.gisRootGuid!, {
      rootGuid: m.gisRootGuid!,
      versionGuid: guid(),
      versionNumber: 1,
      org: ppa,
      fiasHouseGuid: houses.get(m.houseId!)!.fiasHouseGuid!.toLowerCase(),
      number: m.factoryNumber,
      gisNumber: `PU${m.id}`,
      resourceCodes: [m.municipalResourceCode!],
      accountGuids: [],
      collective: false,
      status: "Active",
      content: "",
      updated: now,
    });
  }
  const reading = (m: Meter, org: string, value: string, date: string) => {
    const kids = [
      el("metering-device-base:MunicipalResource", null, leaf("nsi-base:Code", m.municipalResourceCode!), leaf("nsi-base:GUID", guid())),
      leaf("metering-device-base:MeteringValue", value),
    ];
    t.readings.set(`${m.gisRootGuid}|current|${date}|${m.municipalResourceCode}|${org}`, {
      guid: guid(),
      meterRootGuid: m.gisRootGuid!,
      org,
      kind: "current",
      value: pack([el("dm:CurrentValue", null, ...kids)]),
      valueKind: "OneRate",
      dateValue: date,
      entered: now,
    });
  };
  reading(m1, "", "123.456", "2026-11-25");
  reading(m1, ppa, "120", "2026-11-20");
  reading(m1, OTHER_ORG, "121", "2026-11-21");
  reading(m2, "", "77", "2026-11-26");

  // Bills of one account of house A: one GIS has exposed (no ИПД here yet), one GIS has withdrawn, one of an account GIS does not know.
  const accounts = await ds.getRepository(Account).find({ where: { organizationId: env.ours.id }, order: { id: "ASC" } });
  const docs = await hydrate(
    ds,
    "payment_document",
    await ds.getRepository(PaymentDocument).find({ where: { organizationId: env.ours.id }, order: { id: "ASC" } }),
    STAND,
  );
  const withDocs = accounts.filter((a) => docs.filter((d) => d.accountId === a.id).length >= 2);
  const account = withDocs[0];
  const other = withDocs.find((a) => a.id !== account.id)!;
  account.gisAccountGuid = guid();
  account.unifiedNumber = "00АА000001";
  await updateAt(ds, STAND, Account, account.id, { gisAccountGuid: account.gisAccountGuid, unifiedNumber: account.unifiedNumber });
  const [d1, d2] = docs.filter((d) => d.accountId === account.id);
  const [orphanDoc, badIpd] = docs.filter((d) => d.accountId === other.id);
  await updateAt(ds, STAND, PaymentDocument, badIpd.id, { gisPaymentDocumentId: "1234" });
  await updateAt(ds, STAND, PaymentDocument, d2.id, { gisPaymentDocumentId: "IPD-WITHDRAWN-0002", state: "issued" });
  const fias = houses.get(m1.houseId!)!.fiasHouseGuid!.toLowerCase();
  t.accounts.set(account.gisAccountGuid, {
    guid: account.gisAccountGuid,
    org: ppa,
    fiasHouseGuid: fias,
    accountNumber: account.number,
    unifiedAccountNumber: account.unifiedNumber,
    serviceId: `${account.unifiedNumber}-01`,
    closed: false,
    content: "",
    reasons: "",
    created: now,
    updated: now,
  });
  const gisDoc = (id: string, d: PaymentDocument, withdrawn: boolean) =>
    t.paymentDocuments.set(id, {
      id,
      guid: guid(),
      org: ppa,
      accountGuid: account.gisAccountGuid!,
      unifiedAccountNumber: account.unifiedNumber!,
      fiasHouseGuid: fias,
      number: d.number,
      month: d.periodMonth,
      year: d.periodYear,
      totalKopecks: 150000,
      withdrawn,
      requisites: [],
      content: pack([
        leaf("account-base:AccountGuid", account.gisAccountGuid!),
        ...(d.number ? [leaf("bills-base:PaymentDocumentNumber", d.number)] : []),
        leaf("bills:Expose", true),
        leaf("bills:TotalPayableByPD", "1500.00"),
      ]),
      updated: now,
    });
  gisDoc("IPD-EXPOSED-000001", d1, false);
  gisDoc("IPD-WITHDRAWN-0002", d2, true);

  // Payment notices: a bank paid bill d1; and one of our own payments GIS already has.
  const ownPayment = (
    await hydrate(ds, "payment", await ds.getRepository(Payment).find({ where: { organizationId: env.ours.id, source: "own" }, order: { id: "ASC" } }), STAND)
  ).find((p) => !p.gisGuid)!;
  const orderInfo = (orderId: string, amount: number, extra: ReturnType<typeof leaf>[]) =>
    el(
      "payments-base:OrderInfo",
      null,
      leaf("payments-base:OrderID", orderId),
      leaf("payments-base:OrderDate", "2026-11-28"),
      leaf("payments-base:Amount", amount),
      ...extra,
    );
  const noticeGuids = { other: guid(), ours: guid() };
  t.notifications.set(noticeGuids.other, {
    guid: noticeGuids.other,
    org: OTHER_ORG,
    orderId: "BANK-0001",
    orderDate: "2026-11-28",
    amountKopecks: 150000,
    paymentDocumentId: "IPD-EXPOSED-000001",
    unifiedAccountNumber: account.unifiedNumber,
    status: "2",
    acknowledgedKopecks: 150000,
    acks: [],
    content: pack([orderInfo("BANK-0001", 150000, [leaf("bills-base:PaymentDocumentID", "IPD-EXPOSED-000001")])]),
    created: now,
    cancelled: null,
  });
  t.notifications.set(noticeGuids.ours, {
    guid: noticeGuids.ours,
    org: ppa,
    orderId: ownPayment.orderId,
    orderDate: ownPayment.orderDate,
    amountKopecks: Math.round(ownPayment.amount * 100),
    paymentDocumentId: null,
    unifiedAccountNumber: null,
    status: "0",
    acknowledgedKopecks: 0,
    acks: [],
    content: pack([orderInfo(ownPayment.orderId, Math.round(ownPayment.amount * 100), [])]),
    created: now,
    cancelled: null,
  });
  return { ppa, meters: { m1, m2, m3, m4 }, account, d1, d2, orphanDoc, badIpd, ownPayment, noticeGuids };
}

for (const kind of DB_KINDS) {
  test(`exports (${kind}): a pull run of readings, bills and payments against the stand writes what GIS has, twice without duplicates`, async () => {
    await withTestDb(kind, async (ds) => {
      const env = await pipelineEnv(ds);
      try {
        // Failure path: without our organization's GIS identifier no check is sent; each period window says why.
        await updateAt(ds, STAND, Organization, env.ours.id, { gisOrgPpaGuid: null });
        const bare = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["payments"], mode: "pull" });
        assert.equal((await env.rt.waitForRun(bare.id, undefined, 60_000)).state, "done_with_errors");
        assert.equal(await ds.getRepository(GisOperation).countBy({ runId: bare.id }), 0, "nothing sent");
        const why = await ds.getRepository(MessageLog).findBy({ runId: bare.id, code: "PRE_ORG_GUID" });
        assert.equal(why.length, checkWindows(new Date()).length);
        assert.match(why[0].text, /^Отсутствует идентификатор организации в ГИС \(orgPPAGUID\)/);

        const f = await arrange(ds, env);
        const { m1, m2, m3, m4 } = f.meters;
        const billingReadings = await ds.getRepository(MeterReading).countBy({ source: "billing" });
        const otherBefore = await ds.getRepository(Payment).countBy({ source: "other" });
        const runOnce = async () => {
          const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["readings", "bills", "payments"], mode: "pull" });
          const summary = await env.rt.waitForRun(run.id, undefined, 120_000);
          const ops = await ds.getRepository(GisOperation).findBy({ runId: run.id });
          assert.deepEqual(
            ops.filter((o) => !o.appliedAt).map((o) => `${o.method} ${o.state} ${o.errorText}`),
            [],
            "every operation final and applied",
          );
          assert.deepEqual(
            ops.filter((o) => o.state === "failed").map((o) => `${o.method} ${o.errorCode} ${o.errorText}`),
            [],
            "no operation failed",
          );
          return { run, summary, ops };
        };
        const docsOfAccount = await ds.getRepository(PaymentDocument).countBy({ accountId: f.account.id });
        const first = await runOnce();
        // GIS's "no objects" for bills it does not have leaves them not sent — never ok without an ИПД.
        const docsNow = await hydrate(ds, "payment_document", await ds.getRepository(PaymentDocument).find(), STAND);
        assert.deepEqual(
          docsNow.filter((d) => d.sync.status === "ok" && !d.gisPaymentDocumentId).map((d) => d.id),
          [],
          "no bill ok without its ИПД",
        );
        const methods = new Set(first.ops.map((o) => o.method));
        assert.deepEqual([...methods].sort(), ["exportMeteringDeviceHistory", "exportNotificationsOfOrderExecution", "exportPaymentDocumentData"]);

        // Readings: citizens' ones arrive as source "citizen"; ours and another organization's are not taken.
        const citizen = await hydrate(
          ds,
          "meter_reading",
          await ds.getRepository(MeterReading).find({ where: { source: "citizen" }, order: { meterId: "ASC" } }),
          STAND,
        );
        assert.deepEqual(
          citizen.map((r) => [r.meterId, r.readingDate, Number(r.valueT1)]),
          [
            [m1.id, "2026-11-25", 123.456],
            [m2.id, "2026-11-26", 77],
          ].sort((a, b) => Number(a[0]) - Number(b[0])),
        );
        assert.ok(citizen.every((r) => r.externalId.startsWith("gis:") && r.enteredAt !== null && r.sync.status === "ok"));
        assert.equal(await ds.getRepository(MeterReading).countBy({ source: "billing" }), billingReadings, "our readings untouched");
        assert.equal(await ds.getRepository(MeterReading).countBy({ meterId: m3.id, source: "citizen" }), 0, "a meter GIS does not know gets nothing");
        const historyOps = first.ops.filter((o) => o.method === "exportMeteringDeviceHistory");
        assert.equal(historyOps.length, 2, "one request per house (A with two meters, B); house C was not asked");
        // Failure path: the meter of a house without FIAS GUID is not sent and says why.
        const m4Now = await reloadAt(ds, "meter", m4.id);
        assert.equal(m4Now.sync.errorCode, "PRE_NO_FIAS");
        assert.match(m4Now.sync.errorText!, /Не указан ФИАС ГУИД дома прибора учёта\. Прибор учёта: .+; Дом: /);
        const logged = await ds.getRepository(MessageLog).findBy({ runId: first.run.id, objectType: "meter", objectId: m4.id });
        assert.equal(logged.length, 1);
        assert.equal(first.summary.state, "done_with_errors", "rejections make the run done with errors");

        // Bills: the exposed one gets its ИПД and is issued; the withdrawn one is withdrawn; a bill of an unplaced account is rejected.
        const d1 = await reloadAt(ds, "payment_document", f.d1.id);
        assert.equal(d1.gisPaymentDocumentId, "IPD-EXPOSED-000001");
        assert.equal(d1.state, "issued");
        assert.equal((await ds.getRepository(PaymentDocument).findOneByOrFail({ id: f.d2.id })).state, "withdrawn");
        const orphan = await reloadAt(ds, "payment_document", f.orphanDoc.id);
        assert.deepEqual(
          [orphan.sync.status, orphan.gisPaymentDocumentId],
          [f.orphanDoc.sync.status, null],
          "a bill of an account GIS does not know is not asked about",
        );
        const bad = await reloadAt(ds, "payment_document", f.badIpd.id);
        assert.equal(bad.sync.errorCode, "PRE_NO_NUMBER");
        assert.match(
          bad.sync.errorText!,
          /^Неверный идентификатор платёжного документа \(ИПД\) «1234»: в ГИС ЖКХ он из 18 символов\. Платёжный документ: .+; Лицевой: .+; Период: \d\d\.\d{4}$/,
        );
        const billOps = first.ops.filter((o) => o.method === "exportPaymentDocumentData");
        assert.equal(billOps.length, docsOfAccount, "one request per period of the placed account's bills (one of them by ИПД); none for unplaced accounts");

        // Payments: the bank's payment is kept as "other", tied to the bill and its account; ours is linked, not duplicated.
        const others = await ds.getRepository(Payment).findBy({ source: "other", externalId: Like("gis:%") });
        assert.equal(others.length, 1);
        assert.equal(await ds.getRepository(Payment).countBy({ source: "other" }), otherBefore + 1);
        assert.equal(others[0].externalId, `gis:${f.noticeGuids.other}`);
        assert.equal(Number(others[0].amount), 1500, "kopecks back to roubles");
        assert.equal(others[0].paymentDocumentId, f.d1.id);
        assert.equal(others[0].accountId, f.account.id);
        assert.equal(others[0].organizationId, env.ours.id);
        assert.equal(others[0].orderId, "BANK-0001");
        const own = await reloadAt(ds, "payment", f.ownPayment.id);
        assert.equal(own.gisGuid, f.noticeGuids.ours, "GIS has our payment: it will not be posted again");
        assert.equal(own.sync.status, "ok");
        // What the pull found is not sent again: neither the bill GIS has exposed nor our payment GIS already has.
        const sctx = await stageContext(ds, env.ours.id, STAND);
        for (const mode of ["sync", "push"] as const) {
          const bills = await importPaymentDocumentData.select(ds, { organizationId: env.ours.id }, mode, sctx);
          assert.ok(!bills.includes(f.d1.id) && bills.includes(f.orphanDoc.id), `${mode}: bills to expose`);
          const payments = await importNotificationsOfOrderExecution.select(ds, { organizationId: env.ours.id }, mode, sctx);
          assert.ok(!payments.includes(f.ownPayment.id), `${mode}: our payment GIS has is not posted`);
          assert.ok(!payments.includes(others[0].id), `${mode}: another organization's payment is never posted`);
        }
        const noticeOps = first.ops.filter((o) => o.method === "exportNotificationsOfOrderExecution");
        assert.equal(noticeOps.length, checkWindows(new Date()).length, "one request per 7-day window of the period");

        // Again: nothing new, nothing twice.
        await runOnce();
        assert.equal(await ds.getRepository(MeterReading).countBy({ source: "citizen" }), 2);
        assert.equal(await ds.getRepository(Payment).countBy({ source: "other" }), otherBefore + 1);
        assert.deepEqual(env.stand.stats().duplicates, []);
      } finally {
        await env.close();
      }
    });
  });
}

test("exports: check payments needs our organization's GIS identifier — rejected naming the field, nothing sent", async () => {
  const prepared = await exportNotificationsOfOrderExecution.prepare(null as unknown as DataSource, checkWindows(NOW).slice(0, 2), ctx({ orgPPAGUID: "" }));
  assert.equal(prepared.ready.length, 0);
  assert.equal(prepared.rejected.length, 2);
  assert.equal(prepared.rejected[0].code, "PRE_ORG_GUID");
  assert.equal(prepared.rejected[0].field, "organization.gisOrgPpaGuid");
  assert.equal(
    prepared.rejected[0].text,
    "Отсутствует идентификатор организации в ГИС (orgPPAGUID): сначала запросите сведения об организации. Период: с 2026-10-01",
  );
  const ok = await exportNotificationsOfOrderExecution.prepare(null as unknown as DataSource, checkWindows(NOW).slice(-1), ctx());
  assert.deepEqual(ok.ready[0].data, { dateFrom: "2026-11-26", days: 5 }, "the last window ends today");
});

/** GIS-only accounts and meters in house A of the stand, next to ours. */
async function arrangeUnused(ds: DataSource, env: Awaited<ReturnType<typeof pipelineEnv>>) {
  const t = tables(env.stand.store);
  const ppa = env.stand.store.organizations().find((o) => o.ogrn === env.ours.ogrn)!.orgPPAGUID;
  const now = new Date().toISOString();
  const withFias = new Set((await ds.getRepository(House).find({ where: { fiasHouseGuid: Not(IsNull()) } })).map((h) => h.id));
  const meter = (
    await ds.getRepository(Meter).find({ where: { organizationId: env.ours.id, state: "active", houseId: Not(IsNull()) }, order: { id: "ASC" } })
  ).find((m) => m.municipalResourceCode && m.municipalResourceCode !== "3" && withFias.has(m.houseId!))!;
  const house = await ds.getRepository(House).findOneByOrFail({ id: meter.houseId! });
  const fias = house.fiasHouseGuid!.toLowerCase();
  t.houses.set(fias, {
    fiasHouseGuid: fias,
    guid: guid(),
    kind: "ApartmentHouse",
    uniqueNumber: "TEST00001",
    org: ppa,
    content: "",
    entrances: [],
    premises: [],
    updated: now,
  });
  const [ourAccount, unlinked] = await ds.getRepository(Account).find({ where: { organizationId: env.ours.id }, order: { id: "ASC" }, take: 2 });
  ourAccount.gisAccountGuid = guid();
  await updateAt(ds, STAND, Account, ourAccount.id, { gisAccountGuid: ourAccount.gisAccountGuid });
  const payer = el("hm:PayerInfo", null, el("hm:Ind", null, leaf("ind-base:Surname", "Иванов"), leaf("ind-base:FirstName", "Иван")));
  const account = (number: string, o: { closed?: boolean; payer?: boolean; guid?: string } = {}) => {
    const g = o.guid ?? guid();
    const els = `9${String(t.accounts.size).padStart(9, "0")}`;
    t.accounts.set(g, {
      guid: g,
      org: ppa,
      fiasHouseGuid: fias,
      accountNumber: number,
      unifiedAccountNumber: els,
      serviceId: `${els}-01`,
      closed: !!o.closed,
      reasons: "",
      created: now,
      updated: now,
      content: pack([
        leaf("hm:isRSOAccount", true),
        ...(o.closed
          ? [el("hm:Closed", null, el("hm:CloseReason", null, leaf("nsi-base:Code", "1"), leaf("nsi-base:GUID", guid())), leaf("hm:CloseDate", "2025-01-01"))]
          : []),
        el("hm:Accommodation", null, leaf("hm:FIASHouseGuid", fias)),
        ...(o.payer === false ? [] : [payer]),
      ]),
    });
    t.accountsByEls.set(els, { guid: g });
    return g;
  };
  const ours = account(ourAccount.number, { guid: ourAccount.gisAccountGuid });
  const unused = account("GIS-ONLY-1");
  const alreadyClosed = account("GIS-ONLY-2", { closed: true });
  const sameNumber = account(unlinked.number);
  const noPayer = account("GIS-ONLY-5", { payer: false });

  const gisMeter = (number: string, root = guid()) => {
    const version = guid();
    t.meters.set(root, {
      rootGuid: root,
      versionGuid: version,
      versionNumber: 1,
      org: ppa,
      fiasHouseGuid: fias,
      number,
      gisNumber: `PU-${number}`,
      resourceCodes: [meter.municipalResourceCode!],
      accountGuids: [],
      collective: false,
      status: "Active",
      updated: now,
      content: pack([
        el("hm:BasicChatacteristicts", null, leaf("hm:MeteringDeviceNumber", number)),
        el(
          "hm:MunicipalResourceNotEnergy",
          null,
          el("hm:MunicipalResource", null, leaf("nsi-base:Code", meter.municipalResourceCode!), leaf("nsi-base:GUID", guid())),
          leaf("hm:MeteringValue", "0"),
        ),
      ]),
    });
    t.meterByVersion.set(version, { rootGuid: root });
    return root;
  };
  meter.gisRootGuid = gisMeter(meter.factoryNumber);
  await updateAt(ds, STAND, Meter, meter.id, { gisRootGuid: meter.gisRootGuid, gisVersionGuid: t.meters.get(meter.gisRootGuid)!.versionGuid });
  const unusedMeter = gisMeter("GIS-ONLY-PU");
  return { t, house, accounts: { ours, unused, alreadyClosed, sameNumber, noPayer }, meters: { ours: meter.gisRootGuid, unused: unusedMeter } };
}

for (const kind of DB_KINDS) {
  test(`unused (${kind}): accounts and meters only GIS has are closed / archived when the run asks (scope unused), never by default`, async () => {
    await withTestDb(kind, async (ds) => {
      const env = await pipelineEnv(ds);
      try {
        const f = await arrangeUnused(ds, env);
        const run = async (scope: Record<string, unknown>) => {
          const r = await env.rt.pipeline.startRun({
            stand: STAND,
            organizationId: env.ours.id,
            stages: ["services", "accounts", "meters"],
            mode: "sync",
            scope: scope as never,
          });
          await env.rt.waitForRun(r.id, undefined, 180_000);
          const ops = await ds.getRepository(GisOperation).findBy({ runId: r.id });
          assert.deepEqual(
            ops.filter((o) => !o.appliedAt).map((o) => `${o.method} ${o.state}`),
            [],
            "every operation final and applied",
          );
          return { run: r, ops };
        };
        await run({ houseIds: [f.house.id] });
        assert.equal(f.t.accounts.get(f.accounts.unused)!.closed, false, "not asked: nothing closed");
        assert.equal(f.t.meters.get(f.meters.unused)!.status, "Active", "not asked: nothing archived");
        assert.equal(await ds.getRepository(GisUnusedObject).count(), 0);

        const asked = await run({ houseIds: [f.house.id], unused: true });
        assert.equal(f.t.accounts.get(f.accounts.unused)!.closed, true, "the account only GIS had is closed");
        assert.equal(f.t.accounts.get(f.accounts.ours)!.closed, false, "ours stays open");
        assert.equal(f.t.accounts.get(f.accounts.sameNumber)!.closed, false, "one with the number of an account of ours not linked yet is left alone");
        assert.equal(f.t.meters.get(f.meters.unused)!.status, "Archival", "the meter only GIS had is archived");
        assert.equal(f.t.meters.get(f.meters.ours)!.status, "Active", "ours stays active");
        const rows = await hydrate(
          ds,
          "gis_unused_object",
          await ds.getRepository(GisUnusedObject).find({ where: { stand: STAND }, order: { id: "ASC" } }),
          STAND,
        );
        assert.equal(await ds.getRepository(GisUnusedObject).count(), rows.length, "every row is the run's stand's");
        assert.deepEqual(
          rows.map((r) => [r.kind, r.gisGuid, r.sync.status]).sort(),
          [
            ["account", f.accounts.noPayer, "not_sent"],
            ["account", f.accounts.unused, "ok"],
            ["meter", f.meters.unused, "ok"],
          ].sort(),
          "the closed / archived ones ok; the one GIS gave no payer for is not sent",
        );
        // Failure path: a GIS account without payer cannot be closed by importAccountData (PayerInfo is required) — named in Russian.
        const noPayer = rows.find((r) => r.gisGuid === f.accounts.noPayer)!;
        const logged = await ds.getRepository(MessageLog).findOneByOrFail({ runId: asked.run.id, objectType: "account", objectId: -noPayer.id });
        assert.equal(
          logged.text,
          `В ответе ГИС у лицевого счёта нет плательщика. Лицевой (только в ГИС): GIS-ONLY-5; Дом: ${f.house.fiasHouseGuid!.toLowerCase()}`,
        );
        assert.equal(f.t.accounts.get(f.accounts.noPayer)!.closed, false);
        assert.deepEqual(env.stand.stats().duplicates, []);
      } finally {
        await env.close();
      }
    });
  });
}

test("exports: a history answer announcing a next block warns in the journal; the same citizen reading applied twice is stored once", async () => {
  await withTestDb("sqlite", async (ds) => {
    const org = await ds.getRepository(Organization).save({ externalId: "org-hist", fullName: "ООО «Тест»" } as Partial<Organization>);
    const meter = await saveAt(ds, "meter", {
      externalId: "m-hist",
      organizationId: org.id,
      factoryNumber: "H-1",
      municipalResourceCode: "1",
      gisRootGuid: "11111111-2222-4333-8444-555555555555",
    });
    const answer = (value: string) => {
      const xml =
        `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
        `<dm:getStateResult xmlns:dm="http://dom.gosuslugi.ru/schema/integration/device-metering/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:mdb="http://dom.gosuslugi.ru/schema/integration/metering-device-base/" xmlns:nsi="http://dom.gosuslugi.ru/schema/integration/nsi-base/" base:version="10.0.1.1">` +
        `<base:RequestState>3</base:RequestState><base:MessageGUID>${guid()}</base:MessageGUID>` +
        `<dm:exportMeteringDeviceHistoryResult><dm:MeteringDeviceRootGUID>11111111-2222-4333-8444-555555555555</dm:MeteringDeviceRootGUID><dm:OneRateDeviceValue><dm:Values><dm:CurrentValue>` +
        `<mdb:MunicipalResource><nsi:Code>1</nsi:Code><nsi:GUID>${guid()}</nsi:GUID></mdb:MunicipalResource><mdb:MeteringValue>${value}</mdb:MeteringValue>` +
        `<mdb:EnterIntoSystem>2026-11-20T10:00:00+03:00</mdb:EnterIntoSystem><dm:DateValue>2026-11-20T00:00:00</dm:DateValue><dm:Period><base:Year>2026</base:Year><base:Month>11</base:Month></dm:Period></dm:CurrentValue></dm:Values></dm:OneRateDeviceValue></dm:exportMeteringDeviceHistoryResult>` +
        `<dm:PagedOutput><dm:ExportMeteringDeviceRootGUID>${guid()}</dm:ExportMeteringDeviceRootGUID></dm:PagedOutput></dm:getStateResult></soap:Body></soap:Envelope>`;
      const r = parseResponse(xml);
      assert.equal(r.kind, "state");
      return r as Extract<typeof r, { kind: "state" }>;
    };
    const c = ctx({ organizationId: org.id, stand: STAND });
    await ds.transaction((em) => exportMeteringDeviceHistory.apply(em, answer("15.5"), [], c));
    await ds.transaction((em) => exportMeteringDeviceHistory.apply(em, answer("15.5"), [], c));
    const stored = await ds.getRepository(MeterReading).findBy({ meterId: meter.id });
    assert.equal(stored.length, 1);
    assert.deepEqual(
      [stored[0].source, stored[0].readingDate, Number(stored[0].valueT1), stored[0].periodYear, stored[0].periodMonth],
      ["citizen", "2026-11-20", 15.5, 2026, 11],
    );
    const warnings = await ds.getRepository(MessageLog).findBy({ level: "warning", subgroup: "exportMeteringDeviceHistory" });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0].text, /не всех запрошенных приборов учёта/);
  });
});

/**
 * importAcknowledgment: the sample requests (acknowledgments, impossibility, cancellation) in both
 * packages; the builder's limits; the stand's kvitirovanie — GIS's automatic one for an exact
 * payment, never beyond 100 %, duplicates recorded, cancellation; the descriptor — actions, the
 * batch key by creation window, reconcile through exportNotificationsOfOrderExecution; and a whole
 * run after which no notice is acknowledged beyond its amount.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX ??= `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { importAcknowledgment } from "../../../src/methods/bills/import-acknowledgment";
import { importNotificationsOfOrderExecution } from "../../../src/methods/payment/import-notifications-of-order-execution";
import { exportNotificationsOfOrderExecution } from "../../../src/methods/bills/export-notifications-of-order-execution";
import { ALL_ACK_STATUSES, acceptedWindow } from "../../../src/methods/bills/notices";
import { splitPayment } from "../../../src/methods/bills/kvitirovanie-match";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { tables } from "../../../src/stand/domain/state";
import { setStandRules } from "../../../src/stand/rules/settings";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { withTestDb } from "../../support/databases";
import { pipelineEnv } from "../../support/pipeline-env";
import { Acknowledgment, Payment } from "../../../entities";
import { COLD, HOT, IPD, seedDocument } from "./stand-seed";
import { STAND } from "../../support/identity";
import { hydrate } from "../../../src/storage/identity/store";

const H = { orgPPAGUID: UO, date: new Date("2026-11-20T07:00:00Z") };
const ACKS = {
  acknowledgments: [
    { transportGuid: G(50), notificationGuid: G(51), paymentDocument: { paymentDocumentId: IPD, service: { ms: G(52) }, amount: 320.11 } },
    { transportGuid: G(53), order: { orderId: "1".repeat(32), orgPPAGUID: UO }, impossible: { reason: "Нет документа" } },
  ],
};

test("importAcknowledgment: acknowledgments, impossibility and cancellation are valid in both official packages", () => {
  const xml = assertValidInAllPackages(importAcknowledgment, ACKS);
  assert.match(xml, /<payments-base:MSType>0{8}-0{4}-4000-8000-0{10}52<\/payments-base:MSType><payments-base:Amount>320.11</);
  const cancel = assertValidInAllPackages(importAcknowledgment, {
    cancellations: [
      { transportGuid: G(54), notificationGuid: G(51), paymentDocumentId: IPD },
      { transportGuid: G(55), order: { orderId: "2".repeat(32), orgPPAGUID: UO }, paymentDocumentId: IPD },
    ],
  });
  assert.equal((cancel.match(/<bills:AckCancellation>/g) ?? []).length, 2);
});

test("importAcknowledgment: 1 to 100 per request, one notice key and one branch each, named", () => {
  assert.equal(importAcknowledgment.batch?.max, 100);
  const many = Array.from({ length: 101 }, (_, i) => ({ transportGuid: G(1000 + i), notificationGuid: G(51), impossible: {} }));
  assert.throws(() => buildMethodRequest(importAcknowledgment, H, { acknowledgments: many }), /AcknowledgmentRequestInfo — от 1 до 100/);
  assert.throws(() => buildMethodRequest(importAcknowledgment, H, { cancellations: [] }), /AckCancellation — от 1 до 100/);
  assert.throws(
    () => buildMethodRequest(importAcknowledgment, H, { acknowledgments: [{ transportGuid: G(1), impossible: {} } as never] }),
    /notificationGuid либо order/,
  );
  assert.throws(
    () => buildMethodRequest(importAcknowledgment, H, { acknowledgments: [{ transportGuid: G(1), notificationGuid: G(2) }] }),
    /paymentDocument либо impossible/,
  );
  assert.deepEqual(splitPayment(1000, [600, 400]), [600, 400]);
  assert.deepEqual(splitPayment(700, [600, 400]), [600, 100]);
  assert.deepEqual(splitPayment(1200, [600, 400]), [600, 600], "an overpayment goes to the last line");
});

/** Places a notice through the stand's payment handler; returns its GUID. */
async function notice(store: ReturnType<typeof newStandStore>, tg: number, orderId: string, kopecks: number): Promise<string> {
  const xml = buildMethodRequest(importNotificationsOfOrderExecution, H, {
    notifications: [
      {
        transportGuid: G(tg),
        recipient: {
          inn: "1650000000",
          legal: { kpp: "165001001", name: "УК Тест" },
          paymentInformation: {
            recipientInn: "1650000000",
            bankName: "Банк",
            paymentRecipient: "УК Тест",
            bankBik: "049205603",
            operatingAccountNumber: "40702810000000000001",
          },
        },
        order: { orderId, orderDate: "2026-11-20", amountKopecks: kopecks, paymentDocumentId: IPD },
      },
    ],
  }).xml;
  return (await runStand(store, "importNotificationsOfOrderExecution", xml, UO)).byTg(G(tg)).guid!;
}

const ack = (tg: number, guid: string, service: string, amount: number) => ({
  transportGuid: G(tg),
  notificationGuid: guid,
  paymentDocument: { paymentDocumentId: IPD, service: { ms: service }, amount },
});

test("importAcknowledgment (stand): GIS acknowledges an exact payment by itself, per service; never beyond 100 %; every repeat is a duplicate", async () => {
  const store = newStandStore();
  seedDocument(store);
  const exact = await notice(store, 1, "A".repeat(32), 100000);
  const n = tables(store).notifications.get(exact)!;
  assert.deepEqual(
    [n.status, n.acknowledgedKopecks, n.acks.map((a) => a.service?.guid)],
    ["2", 100000, [HOT, COLD]],
    "automatic kvitirovanie, service by service",
  );

  const again = await runStand(
    store,
    "importAcknowledgment",
    buildMethodRequest(importAcknowledgment, H, { acknowledgments: [ack(11, exact, HOT, 600)] }).xml,
    UO,
  );
  assertAnswerValid(again, "bills");
  assert.equal(again.byTg(G(11)).errors[0]?.code, "SRV009003", "beyond the notice's amount: refused");
  assert.deepEqual(
    store.duplicates.map((d) => d.kind),
    ["квитирование"],
    "and recorded as a duplicate acknowledgment",
  );
  assert.equal(n.acknowledgedKopecks, 100000, "still 100 %");

  // Automatic kvitirovanie off (the manual's advice before acknowledging through integration): the notice waits.
  setStandRules(store, { automaticAcknowledgment: false });
  const partial = await notice(store, 2, "B".repeat(32), 100000);
  assert.equal(tables(store).notifications.get(partial)!.status, "0");
  const first = await runStand(
    store,
    "importAcknowledgment",
    buildMethodRequest(importAcknowledgment, H, { acknowledgments: [ack(21, partial, HOT, 600), ack(22, partial, COLD, 400)] }).xml,
    UO,
  );
  assert.deepEqual([first.byTg(G(21)).errors, first.byTg(G(22)).errors], [[], []]);
  assert.equal(tables(store).notifications.get(partial)!.status, "2");

  const cancel = (tg: number) =>
    buildMethodRequest(importAcknowledgment, H, { cancellations: [{ transportGuid: G(tg), notificationGuid: partial, paymentDocumentId: IPD }] }).xml;
  const cancelled = await runStand(store, "importAcknowledgment", cancel(31), UO);
  assert.deepEqual(cancelled.byTg(G(31)).errors, []);
  assert.deepEqual([tables(store).notifications.get(partial)!.status, tables(store).notifications.get(partial)!.acknowledgedKopecks], ["0", 0]);
  assert.equal((await runStand(store, "importAcknowledgment", cancel(32), UO)).byTg(G(32)).errors[0]?.code, "SRV009004");
  assert.deepEqual(
    store.duplicates.map((d) => d.kind),
    ["квитирование", "отмена квитирования"],
  );

  // The export lists each acknowledgment by document and service (valid per the official XSD).
  await runStand(store, "importAcknowledgment", buildMethodRequest(importAcknowledgment, H, { acknowledgments: [ack(41, partial, HOT, 600)] }).xml, UO);
  const e = await runStand(
    store,
    "exportNotificationsOfOrderExecution",
    buildMethodRequest(exportNotificationsOfOrderExecution, H, { notificationGuid: partial }).xml,
    UO,
  );
  assertAnswerValid(e, "bills");
  assert.match(e.xml, new RegExp(`<payments-base:MSType>${HOT}</payments-base:MSType><payments-base:Amount>600.00</payments-base:Amount>`));
});

test("importAcknowledgment (reconcile): the notices' window shows which acknowledgments, impossibilities and cancellations took effect", async () => {
  const store = newStandStore();
  seedDocument(store);
  setStandRules(store, { automaticAcknowledgment: false });
  const a = await notice(store, 1, "A".repeat(32), 100000);
  const b = await notice(store, 2, "B".repeat(32), 50000);
  await runStand(store, "importAcknowledgment", buildMethodRequest(importAcknowledgment, H, { acknowledgments: [ack(11, a, HOT, 600)] }).xml, UO);
  const d = importAcknowledgment.descriptor!;
  const window = acceptedWindow(new Date("2026-11-20T07:00:00Z"), new Date());
  assert.deepEqual(window, { dateFrom: "2026-11-15", days: 7 });
  const objects = [
    {
      objectId: 1,
      data: {
        kind: "ack" as const,
        notificationGuid: a,
        window,
        paymentDocumentId: IPD,
        serviceGuid: HOT,
        paymentDocument: ack(0, a, HOT, 600).paymentDocument,
      },
    },
    {
      objectId: 2,
      data: {
        kind: "ack" as const,
        notificationGuid: a,
        window,
        paymentDocumentId: IPD,
        serviceGuid: COLD,
        paymentDocument: ack(0, a, COLD, 400).paymentDocument,
      },
    },
    { objectId: 3, data: { kind: "cancel" as const, notificationGuid: b, window, paymentDocumentId: IPD, serviceGuid: HOT } },
    { objectId: 4, data: { kind: "impossible" as const, notificationGuid: b, window, paymentDocumentId: IPD, serviceGuid: null, impossible: {} } },
  ];
  const ctx = { organizationId: 1, role: "UO", orgPPAGUID: UO, stand: STAND, now: new Date("2026-11-20T07:00:00Z"), setting: () => null };
  const payload = d.reconcile!.payload(objects, ctx) as { dateFrom: string; days: number; ackStatuses: number[] };
  assert.deepEqual(payload, { dateFrom: "2026-11-15", days: 7, ackStatuses: ALL_ACK_STATUSES });
  const answer = await runStand(
    store,
    "exportNotificationsOfOrderExecution",
    buildMethodRequest(exportNotificationsOfOrderExecution, H, payload as never).xml,
    UO,
    new Date("2026-11-21T07:00:00Z"),
  );
  const found = d.reconcile!.found(answer.answer, objects, ctx);
  assert.deepEqual(
    [...found.entries()],
    [
      [1, a],
      [3, b],
    ],
    "hot water acknowledged; cold water and the impossibility were not; nothing to cancel on b",
  );
  assert.notEqual(d.batchKey!(objects[0].data), d.batchKey!(objects[2].data), "cancellations never share a request with acknowledgments");
  assert.notEqual(
    d.batchKey!(objects[0].data),
    d.batchKey!({ ...objects[0].data, window: { dateFrom: "2026-11-22", days: 7 } }),
    "one reconciling export per window",
  );
  assert.deepEqual(d.actions, ["acknowledge", "cancelAcknowledgment"]);
});

test("importAcknowledgment (pipeline, sqlite): after a whole run no notice is acknowledged beyond its amount, nothing twice; the exact payments are GIS's", async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds, { fund: true });
    try {
      const run = await env.rt.pipeline.startRun({
        stand: STAND,
        organizationId: env.ours.id,
        stages: ["contracts", "fund", "accounts", "meters", "readings", "bills", "payments", "kvitirovanie"],
        mode: "sync",
        trigger: "test",
      });
      await env.rt.waitForRun(run.id, undefined, 180_000);
      const notices = [...tables(env.stand.store).notifications.values()];
      assert.ok(notices.length > 0, "payments were posted");
      assert.deepEqual(
        notices.filter((n) => n.acknowledgedKopecks > n.amountKopecks).map((n) => `${n.orderId}: ${n.acknowledgedKopecks}/${n.amountKopecks}`),
        [],
        "no notice beyond 100 %",
      );
      assert.ok(
        notices.some((n) => n.status === "2"),
        "some notices acknowledged",
      );
      assert.deepEqual(env.stand.stats().duplicates, [], "no duplicate of any kind");
      const rejected = env.stand.stats().rejected.byCode;
      assert.equal(rejected.SRV009003 ?? 0, 0, JSON.stringify(rejected));
      const acks = await hydrate(ds, "acknowledgment", await ds.getRepository(Acknowledgment).find(), STAND);
      assert.ok(acks.length > 0);
      // The exact payments' rows wait for GIS's confirmation (the next check of payments); the rest were sent and accepted.
      const sentRefused = acks.filter((a) => a.sync.status === "error" && a.sync.errorCode?.startsWith("SRV"));
      assert.deepEqual(
        sentRefused.map((a) => `${a.id} ${a.sync.errorCode} ${a.sync.errorText}`),
        [],
      );
      const again = await env.rt.pipeline.startRun({
        stand: STAND,
        organizationId: env.ours.id,
        stages: ["payments", "kvitirovanie"],
        mode: "push",
        trigger: "test",
      });
      await env.rt.waitForRun(again.id, undefined, 120_000);
      const confirmed = await hydrate(ds, "acknowledgment", await ds.getRepository(Acknowledgment).find(), STAND);
      assert.deepEqual(
        confirmed.filter((a) => a.state === "acknowledged" && a.sync.status !== "ok").map((a) => a.id),
        [],
        "the check of payments confirmed GIS's own kvitirovanie",
      );
      assert.deepEqual(env.stand.stats().duplicates, []);
      assert.ok((await ds.getRepository(Payment).countBy({ source: "own" })) > 0);
    } finally {
      await env.close();
    }
  });
});

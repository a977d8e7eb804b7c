/**
 * Stand rows: rows made from one stand's export answer carry that stand (originStand) and are that
 * stand's only — another organization's payment from a sit01 notice, a citizen's reading from
 * sit01's meter history and a document loaded from sit01 are listed (API), counted (status roll-up),
 * reported (kvit report, Excel) and sent (import selects) for sit01 and never for prod; our own
 * rows (originStand null) stay every stand's. The migration 1765584000000-StandRows gives existing
 * pulled rows their stand, and its down drops the column. On SQLite and PostgreSQL.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Account, Meter, MeterReading, Payment, PaymentDocument, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { startServer } from "../src/api/server";
import { exportKvitReport } from "../src/excel/billing/kvit-report";
import { identifierRows } from "../src/excel/billing/identifiers";
import { citizenReadingRows } from "../src/excel/billing/citizen-readings";
import { paymentDocumentRows } from "../src/excel/export/payment-documents";
import { exportNotificationsOfOrderExecution } from "../src/methods/bills/export-notifications-of-order-execution";
import { importPaymentDocumentData } from "../src/methods/bills/import-payment-document-data";
import { createMissing } from "../src/methods/bills/missing-documents";
import { exportMeteringDeviceHistory } from "../src/methods/device-metering/export-metering-device-history";
import { importMeteringDeviceValues } from "../src/methods/device-metering/import-metering-device-values";
import { StageContext } from "../src/stages/descriptor";
import { StateAnswer } from "../src/stages/types";
import { databaseSummary } from "../src/status/database-summary";
import { oneAt, writeIdentities } from "../src/storage/identity/store";
import { updateAt } from "../src/storage/identity/update";
import { parseResponse } from "../src/transport/results/results";
import { Client } from "./support/browser";
import { DB_KINDS, withTestDb } from "./support/databases";
import { guid, houseFixture } from "./support/house-fixture";
import { G } from "./support/method-harness";
import { NOTICE, anotherOrganizationsNotice } from "./methods/bills/stand-seed";

const NOW = new Date("2026-11-20T07:00:00Z");
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "correct horse battery";
const ELS = NOTICE.notifications[0].order.unifiedAccountNumber;

/** An exportMeteringDeviceHistory answer with one citizen's reading of the meter `root`. */
function historyAnswer(root: string): StateAnswer {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
    `<dm:getStateResult xmlns:dm="http://dom.gosuslugi.ru/schema/integration/device-metering/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:mdb="http://dom.gosuslugi.ru/schema/integration/metering-device-base/" xmlns:nsi="http://dom.gosuslugi.ru/schema/integration/nsi-base/" base:version="10.0.1.1">` +
    `<base:RequestState>3</base:RequestState><base:MessageGUID>${guid()}</base:MessageGUID>` +
    `<dm:exportMeteringDeviceHistoryResult><dm:MeteringDeviceRootGUID>${root}</dm:MeteringDeviceRootGUID><dm:OneRateDeviceValue><dm:Values><dm:CurrentValue>` +
    `<mdb:MunicipalResource><nsi:Code>1</nsi:Code><nsi:GUID>${guid()}</nsi:GUID></mdb:MunicipalResource><mdb:MeteringValue>15.5</mdb:MeteringValue>` +
    `<mdb:EnterIntoSystem>2026-11-20T10:00:00+03:00</mdb:EnterIntoSystem><dm:DateValue>2026-11-20T00:00:00</dm:DateValue></dm:CurrentValue></dm:Values></dm:OneRateDeviceValue></dm:exportMeteringDeviceHistoryResult>` +
    `</dm:getStateResult></soap:Body></soap:Envelope>`;
  const r = parseResponse(xml);
  assert.equal(r.kind, "state");
  return r as unknown as StateAnswer;
}

/** A sit01 notice of another organization's payment (a bank's) naming our ЕЛС. */
const noticeAnswer = () => anotherOrganizationsNotice(NOW);

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const tmpFile = (name: string) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "stand-rows-")), name);

for (const kind of DB_KINDS) {
  test(`${kind}: a payment, a reading and a document pulled from sit01 are listed, counted, reported and sent for sit01, never for prod`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const [a0, a1] = f.accounts;
      const { placed, fresh } = f.meters;
      const ctx = (stand: string): StageContext => ({ ...f.ctx, stand, orgPPAGUID: G(777), now: NOW });
      const sitRoot = guid();
      const sitAccount = guid();
      await updateAt(ds, "sit01", Account, a0.id, { unifiedNumber: ELS, gisAccountGuid: sitAccount, sync: { status: "ok" } });
      await updateAt(ds, "sit01", Meter, fresh.id, { gisRootGuid: sitRoot, gisVersionGuid: guid(), sync: { status: "ok" } });

      // Pulled from sit01: another organization's payment, a citizen's reading, a document.
      const answer = await noticeAnswer();
      await ds.transaction((em) => exportNotificationsOfOrderExecution.descriptor!.apply!(em, answer, [], ctx("sit01")));
      await ds.transaction((em) => exportMeteringDeviceHistory.descriptor!.apply!(em, historyAnswer(sitRoot), [], ctx("sit01")));
      const sitA0 = (await oneAt(ds, "account", a0.id, "sit01"))!;
      const loaded = await ds.transaction((em) =>
        createMissing(
          em,
          [
            {
              paymentDocumentId: "77ПД000001-01-6111",
              paymentDocumentNumber: "ГИС-1",
              accountGuid: sitAccount,
              year: 2026,
              month: 11,
              amount: 500,
              state: "exposed",
            },
          ],
          new Map([[sitAccount, sitA0]]),
          ctx("sit01"),
        ),
      );
      const [pay] = await ds.getRepository(Payment).find();
      const [reading] = await ds.getRepository(MeterReading).find();
      const doc = await ds.getRepository(PaymentDocument).findOneByOrFail({ id: loaded.created[0] });
      assert.deepEqual([pay.originStand, pay.source, pay.accountId], ["sit01", "other", a0.id]);
      assert.deepEqual([reading.originStand, reading.source, reading.meterId], ["sit01", "citizen", fresh.id]);
      assert.deepEqual([doc.originStand, doc.accountId], ["sit01", a0.id]);

      // Ours (billing: originStand null): a reading and a document still to send, on every stand.
      const own = await ds.getRepository(MeterReading).save({
        externalId: "r-own",
        meterId: placed.id,
        readingDate: "2026-11-19",
        valueT1: "12",
        source: "billing",
        sync: { changedAt: null },
      } as Partial<MeterReading>);
      const ownDoc = await ds.getRepository(PaymentDocument).save({
        externalId: "d-own",
        organizationId: f.org.id,
        accountId: a1.id,
        periodYear: 2026,
        periodMonth: 11,
        state: "to_issue",
        sync: { changedAt: null },
      } as Partial<PaymentDocument>);
      // Even a billing-looking reading made from sit01's answer is never sent to prod.
      const sitBilling = await ds.getRepository(MeterReading).save({
        externalId: "gis:sit-billing",
        meterId: placed.id,
        readingDate: "2026-11-18",
        valueT1: "11",
        source: "billing",
        originStand: "sit01",
        sync: { changedAt: null },
      } as Partial<MeterReading>);

      // Counted: the status roll-up (gis-sync status --stand, the dashboard).
      const totals = async (stand: string) =>
        Object.fromEntries(
          (await databaseSummary(ds, stand)).filter((k) => ["payment", "meter_reading", "payment_document"].includes(k.table)).map((k) => [k.table, k.total]),
        );
      assert.deepEqual(await totals("prod"), { meter_reading: 1, payment_document: 1, payment: 0 });
      assert.deepEqual(await totals("sit01"), { meter_reading: 3, payment_document: 2, payment: 1 });

      // Sent: the import selects.
      const scope = { organizationId: f.org.id };
      const readingsTo = async (stand: string) => (await importMeteringDeviceValues.descriptor!.select(ds, scope, "push", ctx(stand))).sort((x, y) => x - y);
      assert.deepEqual(await readingsTo("prod"), [own.id]);
      assert.deepEqual(await readingsTo("sit01"), [own.id, sitBilling.id]);
      const docsTo = (stand: string) => importPaymentDocumentData.descriptor!.select(ds, scope, "push", ctx(stand));
      assert.deepEqual(await docsTo("prod"), [ownDoc.id], "sit01's document is never exposed on prod");
      await ds.getRepository(PaymentDocument).update({ id: doc.id }, { state: "to_withdraw" });
      assert.deepEqual(await docsTo("prod"), [ownDoc.id]);
      assert.deepEqual(
        (await docsTo("sit01")).sort((x, y) => x - y),
        [ownDoc.id, doc.id].sort((x, y) => x - y),
        "withdrawn where it is",
      );
      await ds.getRepository(PaymentDocument).update({ id: doc.id }, { state: "issued" });

      // Reported: the kvit report's unmatched payments, the identifiers and citizens' readings reports, the bills template.
      assert.equal(await exportKvitReport(ds, null, tmpFile("prod.xlsx"), "prod", NOW), 0);
      assert.equal(await exportKvitReport(ds, null, tmpFile("sit01.xlsx"), "sit01", NOW), 1);
      const documents = async (stand: string) => (await collect(identifierRows(ds, stand, 2026, 11, null))).filter((r) => "document" in r).length;
      assert.deepEqual([await documents("prod"), await documents("sit01")], [1, 2]);
      const citizens = async (stand: string) => (await collect(citizenReadingRows(ds, stand, "2026-01-01", null))).length;
      assert.deepEqual([await citizens("prod"), await citizens("sit01")], [0, 1]);
      const bills = async (stand: string) => (await collect(paymentDocumentRows(ds, { houses: null, stand, year: 2026, month: 11 }))).length;
      assert.deepEqual([await bills("prod"), await bills("sit01")], [1, 2]);

      // Listed: the API's lists on the chosen stand.
      const passwordHash = await hashPassword(PASSWORD);
      await ds.getRepository(User).insert({
        login: "admin",
        role: "admin",
        passwordHash,
        active: true,
        createdAt: new Date(),
        displayName: null,
        lastLoginAt: null,
        stands: null,
      } as Partial<User>);
      const server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "prod", loginLimit: { max: 50, windowSeconds: 60 } });
      try {
        const c = new Client(server.url);
        assert.equal((await c.login("admin", PASSWORD)).status, 200);
        const ids = async (url: string) => {
          const r = await c.get(url);
          assert.equal(r.status, 200, `${url}: ${r.text}`);
          return (r.json.items as Array<{ id: number }>).map((x) => x.id).sort((x, y) => x - y);
        };
        for (const [stand, seen] of [
          ["prod", false],
          ["sit01", true],
        ] as const) {
          const expect = (ids: number[], extra: number[]) => (seen ? [...ids, ...extra] : ids).sort((x, y) => x - y);
          assert.deepEqual(await ids(`/api/accounts/${a0.id}/payments?stand=${stand}`), expect([], [pay.id]), `payments on ${stand}`);
          assert.deepEqual(await ids(`/api/accounts/${a0.id}/payment-documents?stand=${stand}`), expect([], [doc.id]), `documents on ${stand}`);
          assert.deepEqual(await ids(`/api/meters/${fresh.id}/readings?stand=${stand}`), expect([], [reading.id]), `readings on ${stand}`);
          assert.deepEqual(
            await ids(`/api/accounts/${a0.id}/readings?stand=${stand}`),
            expect([own.id], [reading.id, sitBilling.id]),
            `account readings on ${stand}`,
          );
          assert.deepEqual(await ids(`/api/objects?kind=payment&stand=${stand}`), expect([], [pay.id]), `objects on ${stand}`);
          assert.deepEqual(await ids(`/api/objects?kind=payment_document&stand=${stand}`), expect([ownDoc.id], [doc.id]));
        }
        // The server's stand (prod) when none is asked.
        assert.deepEqual(await ids(`/api/accounts/${a0.id}/payments`), []);
      } finally {
        await server.close();
      }
    });
  });

  test(`${kind}: the migration gives pulled rows their stand (the one holding them, else prod; a document's from its id), and down drops it`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const q = (n: string) => ds.driver.escape(n);
      const at = ds.migrations.findIndex((m) => m.name === "StandRows1765584000000");
      assert.ok(at >= 0);
      for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const columns = async (table: string) => Object.keys((await ds.query(`SELECT * FROM ${q(table)}`))[0] ?? {});
      const insert = async (table: string, row: Record<string, unknown>): Promise<number> => {
        const cols = Object.keys(row);
        const [sql, params] = ds.driver.escapeQueryWithParameters(
          `INSERT INTO ${q(table)} (${cols.map(q).join(", ")}) VALUES (${cols.map((c) => `:${c}`).join(", ")})`,
          row,
        );
        await ds.query(sql, params);
        return Number((await ds.query(`SELECT MAX(${q("id")}) AS id FROM ${q(table)}`))[0].id);
      };
      const pay = (externalId: string, source: string) =>
        insert("payment", { externalId, organizationId: f.org.id, orderId: externalId, orderDate: "2026-11-19", amount: 10, source });
      const read = (externalId: string, source: string) =>
        insert("meter_reading", { externalId, meterId: f.meters.placed.id, readingDate: "2026-11-19", valueT1: "1", source });
      const docOf = (externalId: string) =>
        insert("payment_document", { externalId, organizationId: f.org.id, accountId: f.accounts[0].id, periodYear: 2026, periodMonth: 11, state: "issued" });
      const [pSit, pNone, pOwn] = [await pay("gis:p-sit", "other"), await pay("gis:p-none", "other"), await pay("p-own", "own")];
      const [rSit, rOwn] = [await read("gis:r-sit", "citizen"), await read("r-own", "billing")];
      const [dSit2, dOwn] = [await docOf("gis:sit02:77ПД"), await docOf("d-own")];
      const ok = { sync: { status: "ok" as const, syncedAt: NOW } };
      await writeIdentities(ds.manager, "sit01", [
        { kind: "payment", objectId: pSit, ...ok },
        { kind: "meter_reading", objectId: rSit, ...ok },
      ]);
      assert.ok(!(await columns("payment")).includes("originStand"));
      await ds.runMigrations();
      const origin = async (table: string, id: number) => (await ds.query(`SELECT ${q("originStand")} AS o FROM ${q(table)} WHERE ${q("id")} = ${id}`))[0].o;
      assert.deepEqual([await origin("payment", pSit), await origin("payment", pNone), await origin("payment", pOwn)], ["sit01", "prod", null]);
      assert.deepEqual([await origin("meter_reading", rSit), await origin("meter_reading", rOwn)], ["sit01", null]);
      assert.deepEqual([await origin("payment_document", dSit2), await origin("payment_document", dOwn)], ["sit02", null]);

      await ds.undoLastMigration();
      for (const t of ["payment", "meter_reading", "payment_document"]) assert.ok(!(await columns(t)).includes("originStand"), `${t}: dropped`);
      await ds.runMigrations();
      assert.ok((await columns("payment")).includes("originStand"));
    });
  });
}

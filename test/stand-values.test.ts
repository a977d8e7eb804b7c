/**
 * Stands apart, the last shared values (issue 12): a payment's ИПД from a stand's notice, a meter's
 * archived state as a stand's export reports it, and the unused GIS objects a stand's export found
 * are each that stand's — written on sit01 they are invisible on prod and the other way round; the
 * migration 1765497600000-StandValues moves existing values to the stand that knew the object
 * (production when none or several), and back.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DataSource } from "typeorm";
import { GisUnusedObject, Meter, Payment } from "../entities";
import { GisIdentity } from "../entities/gis-identity";
import { exportNotificationsOfOrderExecution } from "../src/methods/bills/export-notifications-of-order-execution";
import { exportMeteringDeviceHistory } from "../src/methods/device-metering/export-metering-device-history";
import { exportMeteringDeviceData } from "../src/methods/house-management/export-metering-device-data";
import { applyUnused, recordUnused } from "../src/methods/house-management/unused";
import { StageContext } from "../src/stages/descriptor";
import { StateAnswer } from "../src/stages/types";
import { hydrate, loadAt, writeIdentities } from "../src/storage/identity/store";
import { updateAt } from "../src/storage/identity/update";
import { DB_KINDS, withTestDb } from "./support/databases";
import { houseFixture } from "./support/house-fixture";
import { handAnswer } from "./support/house-scenario";
import { G } from "./support/method-harness";
import { IPD, anotherOrganizationsNotice } from "./methods/bills/stand-seed";

const NOW = new Date("2026-11-20T07:00:00Z");
const ctxOn = (stand: string, organizationId = 1, orgPPAGUID = G(777)): StageContext => ({
  organizationId,
  role: "UO",
  stand,
  orgPPAGUID,
  now: NOW,
  setting: () => null,
});

/** An exportMeteringDeviceData answer listing one cold-water meter, active or archived. */
const meterAnswer = (number: string, root: string, active: boolean): StateAnswer =>
  ({
    kind: "state",
    error: null,
    result: handAnswer(
      `<hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>${number}</hm:MeteringDeviceNumber></hm:BasicChatacteristicts>` +
        `<hm:MunicipalResourceNotEnergy><mdb:MunicipalResource><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(910)}</nsi-base:GUID></mdb:MunicipalResource></hm:MunicipalResourceNotEnergy>` +
        `<hm:MeteringDeviceRootGUID>${root}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>${active ? "Active" : "Archival"}</hm:StatusRootDoc>` +
        `<hm:MeteringDeviceVersionGUID>${G(Number(root.slice(-4)) + 1)}</hm:MeteringDeviceVersionGUID></hm:exportMeteringDeviceDataResult>`,
      false,
    ),
  }) as unknown as StateAnswer;

async function payment(ds: DataSource, externalId: string): Promise<Payment> {
  return ds.getRepository(Payment).save({
    externalId,
    organizationId: 1,
    orderId: externalId.padEnd(32, "0"),
    orderDate: "2026-11-19",
    amount: 100,
    source: "other",
    annulled: false,
    sync: { changedAt: null },
  } as Partial<Payment>);
}

for (const kind of DB_KINDS) {
  test(`${kind}: another organization's payment found by a sit01 notice names its ИПД on sit01 only`, async () => {
    await withTestDb(kind, async (ds) => {
      // The stand's notice of a payment placed by another organization (a bank) against one of our bills.
      const answer = await anotherOrganizationsNotice(NOW);
      await ds.transaction((em) => exportNotificationsOfOrderExecution.descriptor!.apply!(em, answer, [], ctxOn("sit01")));
      const [p] = await ds.getRepository(Payment).find();
      assert.equal(p.source, "other");
      const onSit = (await loadAt(ds, "payment", [p.id], "sit01")).get(p.id)!;
      const onProd = (await loadAt(ds, "payment", [p.id], "prod")).get(p.id)!;
      assert.equal(onSit.gisPaymentDocumentId, IPD);
      assert.ok(onSit.gisGuid);
      assert.deepEqual([onProd.gisPaymentDocumentId, onProd.gisGuid, onProd.sync.status], [null, null, "not_sent"], "prod never saw the notice");

      // And the other way round: prod's value leaves sit01's as it was.
      await updateAt(ds, "prod", Payment, p.id, { gisPaymentDocumentId: "99ПД000001-01-0001" });
      assert.equal((await loadAt(ds, "payment", [p.id], "prod")).get(p.id)!.gisPaymentDocumentId, "99ПД000001-01-0001");
      assert.equal((await loadAt(ds, "payment", [p.id], "sit01")).get(p.id)!.gisPaymentDocumentId, IPD);
      assert.throws(() => ds.manager.create(Payment, {}).gisPaymentDocumentId, /belongs to a GIS stand/, "not readable without a stand");
    });
  });

  test(`${kind}: a meter archived in sit01's export is archived on sit01 only; our state stays ours`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const m = await ds.getRepository(Meter).save({
        externalId: "m-sv",
        organizationId: f.org.id,
        houseId: f.house.id,
        premiseId: f.premises[0].id,
        factoryNumber: "СВ-1",
        municipalResourceCode: "1",
        sync: { changedAt: null },
      } as Partial<Meter>);
      const ctx = (stand: string) => ctxOn(stand, f.org.id, f.ctx.orgPPAGUID);
      const scope = { organizationId: f.org.id, objectIds: [m.id] };
      const pulled = async (stand: string) => exportMeteringDeviceHistory.descriptor!.select(ds, scope, "pull", ctx(stand));
      await ds.transaction((em) => exportMeteringDeviceData.descriptor!.apply!(em, meterAnswer("СВ-1", G(5000), true), [], ctx("prod")));
      await ds.transaction((em) => exportMeteringDeviceData.descriptor!.apply!(em, meterAnswer("СВ-1", G(6000), false), [], ctx("sit01")));
      const at = async (stand: string) => (await loadAt(ds, "meter", [m.id], stand)).get(m.id)!;
      assert.deepEqual([(await at("sit01")).gisArchived, (await at("sit01")).gisRootGuid], [true, G(6000)]);
      assert.deepEqual([(await at("prod")).gisArchived, (await at("prod")).gisRootGuid], [false, G(5000)], "prod still holds it active");
      assert.equal((await ds.getRepository(Meter).findOneByOrFail({ id: m.id })).state, "active", "our state is not a stand's answer");
      assert.deepEqual(await pulled("prod"), [m.id], "prod's history is still pulled");
      assert.deepEqual(await pulled("sit01"), [], "sit01 holds it archived: no history there");

      // Vice versa: prod's export archives it on prod; sit01's view stays.
      await ds.transaction((em) => exportMeteringDeviceData.descriptor!.apply!(em, meterAnswer("СВ-1", G(5000), false), [], ctx("prod")));
      await ds.transaction((em) => exportMeteringDeviceData.descriptor!.apply!(em, meterAnswer("СВ-1", G(6000), true), [], ctx("sit01")));
      assert.deepEqual([(await at("prod")).gisArchived, (await at("sit01")).gisArchived], [true, false]);
      assert.deepEqual([await pulled("prod"), await pulled("sit01")], [[], [m.id]]);
    });
  });

  test(`${kind}: an unused object sit01's export found is sit01's row: never closed on prod, and vice versa`, async () => {
    await withTestDb(kind, async (ds) => {
      const found = [{ gisGuid: G(7000), number: "GIS-ONLY", fiasHouseGuid: G(11), data: {}, foundAt: new Date("2026-11-19T00:00:00Z") }];
      const ok = { transportGuid: G(7001), guid: null, uniqueNumber: null, updateDate: null, errors: [], values: {} };
      const close = (id: number, stand: string) =>
        ds.transaction((em) => applyUnused(em, [{ objectId: id, transportGuid: ok.transportGuid, result: ok }], ctxOn(stand)));
      const [onSit] = await recordUnused(ds, 1, "account", found, "sit01");
      await close(onSit, "sit01");
      const [onProd] = await recordUnused(ds, 1, "account", found, "prod");
      assert.notEqual(onProd, onSit, "prod's export records prod's own row");
      const repo = ds.getRepository(GisUnusedObject);
      assert.equal((await repo.findOneByOrFail({ id: -onSit })).stand, "sit01");
      assert.equal((await repo.findOneByOrFail({ id: -onProd })).stand, "prod");
      assert.equal((await hydrate(ds, "gis_unused_object", [await repo.findOneByOrFail({ id: -onProd })], "prod"))[0].sync.status, "not_sent");
      assert.deepEqual(await recordUnused(ds, 1, "account", found, "sit01"), [], "closed on sit01");
      // Closing prod's row leaves sit01's as it was, and the other way round.
      await close(onProd, "prod");
      assert.deepEqual(await recordUnused(ds, 1, "account", found, "prod"), [], "closed on prod");
      assert.deepEqual(
        (await ds.getRepository(GisIdentity).find({ where: { objectType: "gis_unused_object" }, order: { objectId: "ASC" } })).map((g) => [
          -g.objectId,
          g.stand,
        ]),
        [
          [onSit, "sit01"],
          [onProd, "prod"],
        ],
        "each row's state on its own stand only",
      );
    });
  });

  test(`${kind}: the migration moves a payment's ИПД and unused objects to the stand that knew them (prod else), and back`, async () => {
    await withTestDb(kind, async (ds) => {
      const q = (n: string) => ds.driver.escape(n);
      const [bySit, byNone, byBoth] = [await payment(ds, "sv-sit"), await payment(ds, "sv-none"), await payment(ds, "sv-both")];
      const unused = async (gisGuid: string) =>
        (await ds.getRepository(GisUnusedObject).save({ organizationId: 1, kind: "account", gisGuid, foundAt: NOW } as Partial<GisUnusedObject>)).id;
      const [uSit, uNone] = [await unused(G(8001)), await unused(G(8002))];
      // Back to the schema before: the ИПД on the payment's own column, unused objects without a stand.
      const at = ds.migrations.findIndex((m) => m.name === "StandValues1765497600000");
      assert.ok(at >= 0);
      for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const placed = { sync: { status: "ok" as const, syncedAt: NOW } };
      await writeIdentities(ds.manager, "sit01", [
        { kind: "payment", objectId: bySit.id, ...placed },
        { kind: "payment", objectId: byBoth.id, ...placed },
        { kind: "gis_unused_object", objectId: uSit, ...placed },
      ]);
      await writeIdentities(ds.manager, "prod", [{ kind: "payment", objectId: byBoth.id, ...placed }]);
      for (const [p, ipd] of [
        [bySit, "SIT-IPD"],
        [byNone, "NONE-IPD"],
        [byBoth, "BOTH-IPD"],
      ] as const)
        await ds.query(`UPDATE ${q("payment")} SET ${q("gisPaymentDocumentId")} = '${ipd}' WHERE ${q("id")} = ${p.id}`);
      await ds.runMigrations();
      const ipdOf = async (p: Payment, stand: string) => (await loadAt(ds, "payment", [p.id], stand)).get(p.id)!.gisPaymentDocumentId;
      assert.deepEqual([await ipdOf(bySit, "sit01"), await ipdOf(bySit, "prod")], ["SIT-IPD", null], "the only stand that knew the payment");
      assert.deepEqual([await ipdOf(byNone, "prod"), await ipdOf(byNone, "sit01")], ["NONE-IPD", null], "no stand knew it: production");
      assert.deepEqual([await ipdOf(byBoth, "prod"), await ipdOf(byBoth, "sit01")], ["BOTH-IPD", null], "several: production");
      const standOf = async (id: number) => (await ds.getRepository(GisUnusedObject).findOneByOrFail({ id })).stand;
      assert.deepEqual([await standOf(uSit), await standOf(uNone)], ["sit01", "prod"]);
      assert.ok(!Object.hasOwn((await ds.query(`SELECT * FROM ${q("payment")}`))[0], "gisPaymentDocumentId"), "the column is gone");

      // Down: production's value, else the only stand's, back on the column; one unused row per old key.
      // Prod found sit01's GUID too: its own row (the old key would have refused it).
      const uProd = await unused(G(8001));
      for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const back: Array<{ id: number; ipd: string | null }> = await ds.query(
        `SELECT ${q("id")} AS ${q("id")}, ${q("gisPaymentDocumentId")} AS ${q("ipd")} FROM ${q("payment")} ORDER BY ${q("id")}`,
      );
      assert.deepEqual(
        back.map((r) => [Number(r.id), r.ipd]),
        [
          [bySit.id, "SIT-IPD"],
          [byNone.id, "NONE-IPD"],
          [byBoth.id, "BOTH-IPD"],
        ],
      );
      const rows: Array<{ id: number; gisGuid: string }> = await ds.query(
        `SELECT ${q("id")} AS ${q("id")}, ${q("gisGuid")} AS ${q("gisGuid")} FROM ${q("gis_unused_object")} ORDER BY ${q("id")}`,
      );
      assert.deepEqual(
        rows.map((r) => [Number(r.id), r.gisGuid]),
        [
          [uNone, G(8002)],
          [uProd, G(8001)],
        ],
        "production's of the two rows of one old key kept",
      );
      await ds.runMigrations();
    });
  });
}

/**
 * exportMeteringDeviceHistory: the sample requests (by resources with paging, by meters with
 * archived, by meter types for one house) in both packages, the builder's limits, and the
 * payload's period from the run's clock. The reader and the pipeline side (citizens' readings stored
 * once, the next-block warning) are in test/stages-exports.test.ts, the stand's rules in
 * test/stand-rules.test.ts (they share those files' scenarios). On SQLite and PostgreSQL: which
 * meters are asked about and whose readings are stored, on the run's stand (stands apart).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportMeteringDeviceHistory, previousMonthStart } from "../../../src/methods/device-metering/export-metering-device-history";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertValidInAllPackages } from "../../support/method-harness";
import { Meter, MeterReading } from "../../../entities";
import { parseResponse } from "../../../src/transport/results/results";
import { updateAt } from "../../../src/storage/identity/update";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { guid, houseFixture } from "../../support/house-fixture";
import { STAND, reloadAt } from "../../support/identity";

const ref = (code: string, n: number, name?: string) => ({ code, guid: G(900 + n), name });
const many = (n: number) => Array.from({ length: n }, (_, k) => G(5000 + k));
const build = (i: object) => buildMethodRequest(exportMeteringDeviceHistory, { orgPPAGUID: UO }, i);

test("exportMeteringDeviceHistory: the sample requests are valid in both official packages", () => {
  assertValidInAllPackages(exportMeteringDeviceHistory, {
    fiasHouseGuids: [G(11), G(12)],
    exportMeteringDeviceRootGuid: G(160),
    select: { municipalResources: [ref("1", 10), ref("2", 29)] },
    inputDateFrom: "2026-10-01",
    inputDateTo: "2026-10-31",
    excludeCurrentOrg: true,
    excludeOtherOrg: true,
  });
  assertValidInAllPackages(exportMeteringDeviceHistory, {
    select: { rootGuids: [G(30), G(31)] },
    searchArchived: true,
    excludeCurrentOrg: true,
    excludeOtherOrg: true,
    excludeISValues: false,
  });
  assertValidInAllPackages(exportMeteringDeviceHistory, {
    fiasHouseGuids: [G(11)],
    select: { meteringDeviceTypes: [ref("1", 34, "Индивидуальный")] },
    commissioningDateFrom: "2020-01-01",
    archiveDateTo: "2026-12-31",
  });
});

test("exportMeteringDeviceHistory: up to 100 houses and 100 of a selection; the period starts with the month before the run's clock", () => {
  assert.equal(exportMeteringDeviceHistory.batch?.max, 100);
  assert.throws(() => build({ fiasHouseGuids: many(101), select: { rootGuids: [G(1)] } }), /FIASHouseGuid — от 0 до 100/);
  assert.throws(() => build({ select: { rootGuids: many(101) } }), /MeteringDeviceRootGUID — от 1 до 100/);
  assert.equal(previousMonthStart(new Date("2026-01-10T00:00:00Z")), "2025-12-01");
  const p = exportMeteringDeviceHistory.descriptor!.payload([{ objectId: 1, transportGuid: G(1), data: { fiasHouseGuid: G(11), rootGuid: G(30) } }], {
    now: new Date("2026-11-20T07:00:00Z"),
  } as never);
  assert.equal(p.inputDateFrom, "2026-10-01");
});

/** An exportMeteringDeviceHistory answer with one citizen's reading of the meter `root`. */
function historyAnswer(root: string) {
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
  return r as Extract<typeof r, { kind: "state" }>;
}

for (const kind of DB_KINDS) {
  test(`exportMeteringDeviceHistory (${kind}): stands apart — the meters placed on the run's stand are asked about, by that stand's root GUID`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const d = exportMeteringDeviceHistory.descriptor!;
      const { placed, other, fresh } = f.meters;
      const scope = { organizationId: f.org.id };
      const sit = { ...f.ctx, stand: "sit01" };
      const sitRoot = guid();
      await updateAt(ds, "sit01", Meter, fresh.id, { gisRootGuid: sitRoot, gisVersionGuid: guid(), sync: { status: "ok" } });
      assert.deepEqual(await d.select(ds, scope, "pull", f.ctx), [placed.id, other.id]);
      assert.deepEqual(await d.select(ds, scope, "pull", sit), [fresh.id]);
      assert.deepEqual(await d.select(ds, scope, "pull", { ...f.ctx, stand: "prod" }), []);
      assert.deepEqual(
        (await d.prepare(ds, [placed.id, fresh.id], sit)).ready.map((r) => r.data.rootGuid),
        [sitRoot],
      );

      // A root GUID of the fixture's stand names nothing on sit01; sit01's own does.
      await ds.transaction((em) => d.apply(em, historyAnswer(placed.gisRootGuid!), [], sit));
      assert.equal(await ds.getRepository(MeterReading).count(), 0);
      await ds.transaction((em) => d.apply(em, historyAnswer(sitRoot), [], sit));
      const [stored] = await ds.getRepository(MeterReading).find();
      assert.deepEqual([stored.meterId, stored.source, Number(stored.valueT1)], [fresh.id, "citizen", 15.5]);
      assert.equal((await reloadAt(ds, "meter_reading", stored.id, "sit01")).sync.status, "ok");
      assert.equal((await reloadAt(ds, "meter_reading", stored.id, STAND)).sync.status, "not_sent");
    });
  });
}

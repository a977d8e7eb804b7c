/**
 * importMeteringDeviceValues: the sample request (one-rate by root GUID, electric by version GUID
 * with a control value) in both packages, the builder's limits, the stand's answer, and the
 * descriptor's readings window read from the run's clock (ctx.now). The window on the demo data
 * and the stand's SRV007013 are in test/stages.test.ts and test/stand-rules.test.ts. On SQLite and
 * PostgreSQL: select, prepare and apply on the run's stand (stands apart).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { importMeteringDeviceValues, readingsWindow } from "../../../src/methods/device-metering/import-metering-device-values";
import { houseDate } from "../../../src/methods/device-metering/readings-window";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertValidInAllPackages } from "../../support/method-harness";
import { Contract, Meter, MeterReading } from "../../../entities";
import { ReadingData } from "../../../src/methods/device-metering/import-metering-device-values";
import { PRE } from "../../../src/stages/preflight";
import { updateAt } from "../../../src/storage/identity/update";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { guid, houseFixture } from "../../support/house-fixture";
import { STAND, reloadAt } from "../../support/identity";

const ref = (code: string, n: number) => ({ code, guid: G(900 + n) });
const SAMPLE = {
  fiasHouseGuid: G(11),
  meters: [
    {
      rootGuid: G(30),
      oneRate: {
        current: [{ transportGuid: G(31), municipalResource: ref("1", 10), value: "123.4567", date: "2026-11-20", period: { year: 2026, month: 11 } }],
      },
    },
    {
      versionGuid: G(32),
      electric: { current: { transportGuid: G(33), t1: 1200, t2: 600.5, date: "2026-11-20" }, control: { transportGuid: G(34), t1: 1100, date: "2026-11-01" } },
    },
  ],
};
const build = (i: object) => buildMethodRequest(importMeteringDeviceValues, { orgPPAGUID: UO }, i);

test("importMeteringDeviceValues: the sample request is valid in both official packages", () => {
  assertValidInAllPackages(importMeteringDeviceValues, SAMPLE);
});

test("importMeteringDeviceValues: 1..1000 meters, one address and one kind each, readings GIS can hold", () => {
  assert.equal(importMeteringDeviceValues.batch?.max, 1000);
  assert.throws(() => build({ meters: [] }), /MeteringDevicesValues — от 1 до 1000/);
  assert.throws(() => build({ meters: [{ rootGuid: G(1), versionGuid: G(2), oneRate: { current: [] } }] }), /укажите rootGuid либо versionGuid/);
  assert.throws(() => build({ meters: [{ rootGuid: G(1) }] }), /укажите oneRate либо electric/);
  assert.throws(
    () =>
      build({
        meters: [
          {
            rootGuid: G(1),
            oneRate: { current: [1, 2, 3, 4].map((n) => ({ transportGuid: G(n), municipalResource: ref("1", 1), value: 1, date: "2026-11-20" })) },
          },
        ],
      }),
    /CurrentValue — от 0 до 3/,
  );
  assert.throws(
    () =>
      build({ meters: [{ rootGuid: G(1), oneRate: { current: [{ transportGuid: G(2), municipalResource: ref("1", 1), value: 1e21, date: "2026-01-01" }] } }] }),
    /показание/,
  );
});

test("importMeteringDeviceValues: the window of a period under a contract; the descriptor is safe to repeat and reads the run's clock", () => {
  const c = { readingsFromDay: 15, readingsToDay: 25, readingsFromNextMonth: false, readingsToNextMonth: false } as Parameters<typeof readingsWindow>[0];
  assert.deepEqual(readingsWindow(c, 2026, 11), ["2026-11-15", "2026-11-25"]);
  assert.deepEqual(readingsWindow({ ...c, readingsFromDay: 28, readingsToDay: 31, readingsToNextMonth: true }, 2026, 12), ["2026-12-28", "2027-01-31"]);
  assert.equal(readingsWindow({ ...c, readingsFromDay: null }, 2026, 11), null);
  // "Today" is the house's date: at 22:30 UTC on 2 December it is already 3 December in Moscow and Kazan.
  const lateEvening = new Date("2026-12-02T22:30:00Z");
  assert.equal(houseDate(lateEvening, null, "Europe/Moscow"), "2026-12-03");
  assert.equal(houseDate(lateEvening, "Asia/Vladivostok", "Europe/Moscow"), "2026-12-03");
  assert.equal(houseDate(lateEvening, "Europe/London", "Europe/Moscow"), "2026-12-02");
  assert.equal(houseDate(lateEvening, "Нет/Такой", "Europe/Moscow"), "2026-12-03", "an unknown zone falls back to the installation's");
  const d = importMeteringDeviceValues.descriptor!;
  assert.equal(d.safeToRepeat, true);
  assert.deepEqual(d.after, ["importMeteringDeviceData", "exportMeteringDeviceData"]);
  assert.deepEqual(
    d.payload(
      [
        {
          objectId: 1,
          transportGuid: G(5),
          data: { rootGuid: G(30), value: { electric: { t1: "5", date: "2026-11-20", period: { year: 2026, month: 11 } } } },
        },
      ],
      {} as never,
    ),
    { meters: [{ rootGuid: G(30), electric: { current: { t1: "5", date: "2026-11-20", period: { year: 2026, month: 11 }, transportGuid: G(5) } } }] },
  );
});

for (const kind of DB_KINDS) {
  test(`importMeteringDeviceValues (${kind}): stands apart — selected, addressed and answered on the run's stand`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const d = importMeteringDeviceValues.descriptor!;
      const { placed } = f.meters;
      await ds.getRepository(Contract).update({ externalId: "c1" }, { readingsFromDay: 15, readingsToDay: 25 });
      const r = await ds.getRepository(MeterReading).save({
        externalId: "r-stand",
        meterId: placed.id,
        readingDate: "2026-11-20",
        valueT1: "7",
        source: "billing",
        periodYear: 2026,
        periodMonth: 11,
      } as Partial<MeterReading>);
      const scope = { organizationId: f.org.id };
      const sit = { ...f.ctx, stand: "sit01" };
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [r.id]);
      assert.deepEqual(await d.select(ds, scope, "push", sit), [r.id]);
      // Refused as closed on sit01: left out there, still sent to the fixture's stand.
      await updateAt(ds, "sit01", MeterReading, r.id, { sync: { status: "error", errorCode: PRE.windowClosed } });
      assert.deepEqual(await d.select(ds, scope, "push", sit), []);
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [r.id]);

      // Addressed by the meter's root GUID on the stand: sit01 has none yet, then its own.
      const local = await d.prepare(ds, [r.id], f.ctx);
      assert.equal((local.ready[0].data as ReadingData).rootGuid, placed.gisRootGuid);
      assert.deepEqual(
        (await d.prepare(ds, [r.id], sit)).rejected.map((x) => x.field),
        ["meterId"],
      );
      const sitRoot = guid();
      await updateAt(ds, "sit01", Meter, placed.id, { gisRootGuid: sitRoot, gisVersionGuid: guid() });
      assert.equal(((await d.prepare(ds, [r.id], sit)).ready[0].data as ReadingData).rootGuid, sitRoot);

      // sit01's answer goes to sit01 only.
      const tg = guid();
      const accepted = guid();
      await ds.transaction((em) =>
        d.apply(
          em,
          { result: null } as never,
          [{ objectId: r.id, transportGuid: tg, result: { transportGuid: tg, guid: accepted, uniqueNumber: null, updateDate: null, errors: [], values: {} } }],
          sit,
        ),
      );
      const onSit = await reloadAt(ds, "meter_reading", r.id, "sit01");
      const onLocal = await reloadAt(ds, "meter_reading", r.id, STAND);
      assert.deepEqual([onSit.gisGuid, onSit.sync.status], [accepted, "ok"]);
      assert.deepEqual([onLocal.gisGuid, onLocal.sync.status], [null, "not_sent"]);
      assert.deepEqual(await d.select(ds, scope, "push", sit), []);
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [r.id]);
    });
  });
}

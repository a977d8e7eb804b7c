/**
 * importMeteringDeviceValues: the sample request (one-rate by root GUID, electric by version GUID
 * with a control value) in both packages, the builder's limits, the stand's answer, and the
 * descriptor's readings window read from the run's clock (ctx.now). The window on the demo data
 * and the stand's SRV007013 are in test/stages.test.ts and test/stand-rules.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { importMeteringDeviceValues, readingsWindow } from "../../../src/methods/device-metering/import-metering-device-values";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertValidInAllPackages } from "../../support/method-harness";

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

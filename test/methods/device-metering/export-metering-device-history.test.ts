/**
 * exportMeteringDeviceHistory: the sample requests (by resources with paging, by meters with
 * archived, by meter types for one house) in both packages, the builder's limits, and the
 * payload's period from the run's clock. The reader and the pipeline side (citizens' readings stored
 * once, the next-block warning) are in test/stages-exports.test.ts, the stand's rules in
 * test/stand-rules.test.ts (they share those files' scenarios).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportMeteringDeviceHistory, previousMonthStart } from "../../../src/methods/device-metering/export-metering-device-history";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertValidInAllPackages } from "../../support/method-harness";

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

/**
 * Unused GIS objects (gis_unused_object): their sync state is per stand — closing one on sit01
 * leaves it to close on prod, and each stand's record decides what is closed there again.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { GisUnusedObject } from "../../../entities";
import { applyUnused, recordUnused } from "../../../src/methods/house-management/unused";
import { StageContext } from "../../../src/stages/descriptor";
import { hydrate } from "../../../src/storage/identity/store";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { guid } from "../../support/house-fixture";

const NOW = new Date("2026-11-20T07:00:00Z");
const ctxOn = (stand: string): StageContext => ({ organizationId: 1, role: "UO", stand, orgPPAGUID: guid(), now: NOW, setting: () => null });

for (const kind of DB_KINDS) {
  test(`unused objects (${kind}): closed on sit01 is still to close on prod; each stand's state decides`, async () => {
    await withTestDb(kind, async (ds) => {
      const found = [{ gisGuid: guid(), number: "GIS-ONLY-1", fiasHouseGuid: guid(), data: {}, foundAt: new Date("2026-11-19T00:00:00Z") }];
      const [id] = await recordUnused(ds, 1, "account", found, "sit01");
      assert.ok(id < 0, "a negative id: −row id");
      const result = { transportGuid: guid(), guid: null, uniqueNumber: null, updateDate: null, errors: [], values: {} };
      await ds.transaction((em) => applyUnused(em, [{ objectId: id, transportGuid: result.transportGuid, result }], ctxOn("sit01")));
      assert.deepEqual(await recordUnused(ds, 1, "account", found, "sit01"), [], "closed on sit01 after the export that found it");
      assert.deepEqual(await recordUnused(ds, 1, "account", found, "prod"), [id], "prod never closed it");
      const rows = await ds.getRepository(GisUnusedObject).find();
      assert.equal(rows.length, 1, "one row for both stands");
      assert.equal((await hydrate(ds, "gis_unused_object", rows, "sit01"))[0].sync.status, "ok");
      assert.equal((await hydrate(ds, "gis_unused_object", await ds.getRepository(GisUnusedObject).find(), "prod"))[0].sync.status, "not_sent");
    });
  });
}

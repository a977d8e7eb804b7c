/**
 * Unused GIS objects (gis_unused_object): a row is one stand's — closing one on sit01 leaves the
 * same GUID found by prod to close on prod, and each stand's record decides what is closed there again.
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
      const [onProd] = await recordUnused(ds, 1, "account", found, "prod");
      assert.ok(onProd < 0 && onProd !== id, "prod's export makes prod's own row: sit01's is never closed on prod");
      assert.deepEqual(await recordUnused(ds, 1, "account", found, "prod"), [onProd], "prod never closed it");
      const repo = ds.getRepository(GisUnusedObject);
      assert.deepEqual(
        (await repo.find({ order: { id: "ASC" } })).map((r) => [-r.id, r.stand]),
        [
          [id, "sit01"],
          [onProd, "prod"],
        ],
        "one row per stand",
      );
      assert.equal((await hydrate(ds, "gis_unused_object", await repo.findBy({ stand: "sit01" }), "sit01"))[0].sync.status, "ok");
      assert.equal((await hydrate(ds, "gis_unused_object", await repo.findBy({ stand: "prod" }), "prod"))[0].sync.status, "not_sent");
    });
  });
}

import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DB_KINDS, withTestDb } from "./support/databases";
import { GisOperation, House } from "../entities";
import { GisIdentity } from "../entities/gis-identity";
import { identitiesAt, loadAt, markAt, statusExpr, identityExpr, writeIdentities } from "../src/storage/identity/store";

const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

async function house(ds: import("typeorm").DataSource, externalId: string): Promise<House> {
  return ds.getRepository(House).save({ externalId, address: `г. Волгоград, ул. Садовая, д. ${externalId}`, houseType: "MKD" });
}

for (const kind of DB_KINDS) {
  test(`${kind}: a write to one stand leaves the other stand's identity and state untouched`, async () => {
    await withTestDb(kind, async (ds) => {
      const h = await house(ds, "1");
      await writeIdentities(ds.manager, "prod", [
        { kind: "house", objectId: h.id, fields: { gisHouseGuid: G(1), gisUniqueNumber: "U-PROD" }, sync: { status: "ok", syncedAt: new Date() } },
      ]);
      await writeIdentities(ds.manager, "sit01", [
        { kind: "house", objectId: h.id, fields: { gisHouseGuid: G(2) }, sync: { status: "error", errorCode: "SRV007013", errorText: "нет" } },
      ]);
      const prod = (await loadAt(ds, "house", [h.id], "prod")).get(h.id)!;
      const sit = (await loadAt(ds, "house", [h.id], "sit01")).get(h.id)!;
      assert.equal(prod.gisHouseGuid, G(1));
      assert.equal(prod.gisUniqueNumber, "U-PROD");
      assert.equal(prod.sync.status, "ok");
      assert.equal(sit.gisHouseGuid, G(2));
      assert.equal(sit.gisUniqueNumber, null, "sit01 never got prod's unique number");
      assert.equal(sit.sync.errorCode, "SRV007013");
      const never = (await identitiesAt(ds, "house", [h.id], "sit02")).get(h.id)!;
      assert.equal(never.gisHouseGuid, null);
      assert.equal(never.sync.status, "not_sent", "no row: never sent to that stand");

      // A later write merges into the stand's row; prod is still as it was.
      await writeIdentities(ds.manager, "sit01", [{ kind: "house", objectId: h.id, sync: { status: "ok", errorCode: null, errorText: null } }]);
      const again = (await identitiesAt(ds, "house", [h.id], "sit01")).get(h.id)!;
      assert.equal(again.gisHouseGuid, G(2));
      assert.equal(again.sync.status, "ok");
      assert.equal((await identitiesAt(ds, "house", [h.id], "prod")).get(h.id)!.gisHouseGuid, G(1));
      assert.equal(await ds.getRepository(GisIdentity).count(), 2, "one row per (object, stand)");
    });
  });

  test(`${kind}: set-based marks and per-stand selects`, async () => {
    await withTestDb(kind, async (ds) => {
      const hs = [];
      for (let i = 0; i < 250; i++) hs.push(await house(ds, `m${i}`));
      const ids = hs.map((h) => h.id);
      await markAt(ds, "sit01", "house", ids, { status: "in_progress", lastOperationId: G(9) });
      // Only objects still in progress take a plain ok (a status a descriptor wrote stays).
      await writeIdentities(ds.manager, "sit01", [{ kind: "house", objectId: ids[0], sync: { status: "ok_nested_errors" } }]);
      await markAt(ds, "sit01", "house", ids, { status: "ok" }, true);
      const sit = await identitiesAt(ds, "house", ids, "sit01");
      assert.equal(sit.get(ids[0])!.sync.status, "ok_nested_errors");
      assert.equal(sit.get(ids[1])!.sync.status, "ok");
      assert.equal(sit.get(ids[1])!.sync.lastOperationId, G(9));

      // What a prod run would select: everything (sit01 placed them, prod never saw them).
      const pick = async (stand: string) => {
        const qb = ds.getRepository(House).createQueryBuilder("h");
        qb.where(`${statusExpr(qb, "h", stand)} IN ('not_sent', 'error')`).andWhere(`${identityExpr(qb, "h", "gisHouseGuid", stand)} IS NULL`);
        return (await qb.getMany()).length;
      };
      assert.equal(await pick("prod"), 250, "a prod run still sends the objects sit01 placed");
      assert.equal(await pick("sit01"), 0);
    });
  });

  test(`${kind}: an acknowledgment made on one stand is still pending on another`, async () => {
    await withTestDb(kind, async (ds) => {
      await writeIdentities(ds, "sit01", [{ kind: "acknowledgment", objectId: 7, fields: { state: "acknowledged", gisAckStatus: 2 }, sync: { status: "ok" } }]);
      assert.equal((await identitiesAt(ds, "acknowledgment", [7], "sit01")).get(7)!.state, "acknowledged");
      const prod = (await identitiesAt(ds, "acknowledgment", [7], "prod")).get(7)!;
      assert.deepEqual([prod.state, prod.gisAckStatus, prod.sync.status], ["pending", null, "not_sent"]);
    });
  });

  test(`${kind}: the migrations move the objects' own columns to the stand they came from, and back`, async () => {
    await withTestDb(kind, async (ds) => {
      const op = await ds
        .getRepository(GisOperation)
        .save({ id: G(50), stand: "sit01", service: "house-management", method: "importHouseUOData", createdAt: new Date() });
      const [fromSit, fromProd, untouched] = [await house(ds, "a"), await house(ds, "b"), await house(ds, "c")];
      // Back to the schema before stands apart: identity on the objects' own columns.
      const apart = ds.migrations.findIndex((m) => m.name === "StandsApart1765324800000");
      assert.ok(apart >= 0);
      for (let i = apart; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const q = (n: string) => ds.driver.escape(n);
      const set = async (id: number, guid: string, lastOp: string | null) =>
        ds.query(
          `UPDATE ${q("house")} SET ${q("gisHouseGuid")} = '${guid}', ${q("syncStatus")} = 'ok', ${q("syncLastOperationId")} = ${lastOp ? `'${lastOp}'` : "NULL"} WHERE ${q("id")} = ${id}`,
        );
      await set(fromSit.id, G(51), op.id);
      await set(fromProd.id, G(52), null);
      await ds.query(`DELETE FROM ${q("gis_identity")}`);
      await ds.runMigrations();
      const rows = await ds.getRepository(GisIdentity).find({ where: { objectType: "house" }, order: { objectId: "ASC" } });
      assert.deepEqual(
        rows.map((r) => [r.objectId, r.stand, r.guid, r.status, r.lastOperationId]),
        [
          [fromSit.id, "sit01", G(51), "ok", op.id],
          [fromProd.id, "prod", G(52), "ok", null],
        ],
      );
      assert.equal((await identitiesAt(ds, "house", [untouched.id], "prod")).get(untouched.id)!.sync.status, "not_sent");

      // Down puts production's values back on the columns; another stand's stay in the store only.
      for (let i = apart; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const back: Array<{ id: number; gisHouseGuid: string | null; syncStatus: string }> = await ds.query(
        `SELECT ${q("id")}, ${q("gisHouseGuid")}, ${q("syncStatus")} FROM ${q("house")} ORDER BY ${q("id")}`,
      );
      assert.deepEqual(
        back.map((r) => [Number(r.id), r.gisHouseGuid, r.syncStatus]),
        [
          [fromSit.id, null, "not_sent"],
          [fromProd.id, G(52), "ok"],
          [untouched.id, null, "not_sent"],
        ],
      );
      await ds.runMigrations();
    });
  });
}

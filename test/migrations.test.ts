import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DB_KINDS, withTestDb } from "./support/databases";
import { House } from "../entities";
import { oneAt } from "../src/storage/identity/store";

for (const kind of DB_KINDS) {
  test(`${kind}: migrations create exactly the entity model, revert and re-apply`, async () => {
    await withTestDb(kind, async (ds) => {
      const pending = await ds.driver.createSchemaBuilder().log();
      assert.deepEqual(
        pending.upQueries.map((q) => q.query),
        [],
        "schema after migrations matches the entities",
      );
      assert.equal(await ds.showMigrations(), false, "nothing pending");

      await ds.getRepository(House).save({ externalId: "h1", address: "г. Волгоград, ул. Садовая, д. 10", houseType: "MKD" });
      const back = await ds.getRepository(House).findOneByOrFail({ externalId: "h1" });
      assert.equal(back.address, "г. Волгоград, ул. Садовая, д. 10", "Cyrillic round-trips");
      assert.equal((await oneAt(ds, "house", back.id, "sit01"))?.sync.status, "not_sent", "a stand's sync state defaults to not sent");

      for (let i = 0; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const tables = await ds.createQueryRunner().getTables(["house"]);
      assert.equal(tables.length, 0, "down() removed the tables");
      await ds.runMigrations();
      assert.equal(await ds.showMigrations(), false);
    });
  });
}

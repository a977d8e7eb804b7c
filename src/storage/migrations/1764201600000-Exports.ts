/* Objects GIS holds for our organization that our database does not (to close or archive them when asked). */
import { MigrationInterface, QueryRunner, Table, TableIndex } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class Exports1764201600000 implements MigrationInterface {
  name = "Exports1764201600000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.createTable(
      new Table({
        name: "gis_unused_object",
        columns: [
          c.id("id"),
          c.int("organizationId", { nullable: false }),
          c.string("kind", 10, { nullable: false }),
          c.string("gisGuid", 36, { nullable: false }),
          c.string("versionGuid", 36),
          c.string("number", 50),
          c.string("fiasHouseGuid", 36),
          c.text("data"),
          c.moment("foundAt", { nullable: false }),
          c.string("syncStatus", 20, { nullable: false, default: "not_sent" }),
          c.string("syncErrorCode", 20),
          c.text("syncErrorText"),
          c.string("syncTransportGuid", 36),
          c.string("syncLastOperationId", 36),
          c.moment("syncSyncedAt"),
          c.moment("syncChangedAt"),
        ],
        indices: [new TableIndex({ name: "IDX_gis_unused_object_key", columnNames: ["organizationId", "kind", "gisGuid"], isUnique: true })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("gis_unused_object");
  }
}

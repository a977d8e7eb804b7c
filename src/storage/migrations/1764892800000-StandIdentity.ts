/* GIS identity and sync state per (object, stand): the gis_identity store (see entities/gis-identity.ts), filled from today's columns by src/storage/identity/move.ts. */
import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from "typeorm";
import { columnKit, dialectOf } from "../dialect";
import { FIELDS_BEFORE_NSI_STANDS, moveIdentities } from "../identity/move";

export class StandIdentity1764892800000 implements MigrationInterface {
  name = "StandIdentity1764892800000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    const key = (col: TableColumn) => new TableColumn({ ...col, isPrimary: true, isNullable: false });
    await qr.createTable(
      new Table({
        name: "gis_identity",
        columns: [
          key(c.string("objectType", 40)),
          key(c.int("objectId")),
          key(c.string("stand", 10)),
          c.string("guid", 36),
          c.string("rootGuid", 36),
          c.string("versionGuid", 36),
          c.string("uniqueNumber", 40),
          c.string("serviceId", 13),
          c.string("documentId", 18),
          c.int("versionNumber"),
          c.bool("closed", { nullable: false, default: false }),
          c.string("gisStatus", 20),
          c.string("gisState", 20),
          c.int("ackStatus"),
          c.string("providerGuid", 36),
          c.string("status", 20, { nullable: false, default: "not_sent" }),
          c.string("errorCode", 20),
          c.text("errorText"),
          c.string("transportGuid", 36),
          c.string("lastOperationId", 36),
          c.moment("syncedAt"),
        ],
        indices: [
          new TableIndex({ name: "IDX_gis_identity_guid", columnNames: ["objectType", "stand", "guid"] }),
          new TableIndex({ name: "IDX_gis_identity_status", columnNames: ["objectType", "stand", "status"] }),
        ],
      }),
    );
    await moveIdentities(qr, { fields: FIELDS_BEFORE_NSI_STANDS });
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("gis_identity");
  }
}

/* The archive as proof: signed anchors of the hash chain's head, and GIS's signature checked on each answer as it arrives. */
import { MigrationInterface, QueryRunner, Table, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class ArchiveProof1764633600000 implements MigrationInterface {
  name = "ArchiveProof1764633600000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.createTable(
      new Table({
        name: "archive_anchor",
        columns: [
          c.id(),
          c.moment("createdAt", { nullable: false }),
          c.int("headId", { nullable: false }),
          c.string("headHash", 64, { nullable: false }),
          c.text("statement", { nullable: false }),
          c.text("signature", { nullable: false }),
          c.text("certificate", { nullable: false }),
        ],
      }),
    );
    await qr.addColumn("archive_entry", new TableColumn(c.string("signatureState", 12)));
    await qr.addColumn("archive_entry", new TableColumn(c.string("signatureNote", 500)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("archive_entry", "signatureNote");
    await qr.dropColumn("archive_entry", "signatureState");
    await qr.dropTable("archive_anchor");
  }
}

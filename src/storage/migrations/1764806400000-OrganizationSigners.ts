/* One signing identity per organization (a settlement centre signs for many); no row means the installation signs as operator. */
import { MigrationInterface, QueryRunner, Table, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class OrganizationSigners1764806400000 implements MigrationInterface {
  name = "OrganizationSigners1764806400000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    const key = new TableColumn({ ...c.int("organizationId"), isPrimary: true, isNullable: false });
    await qr.createTable(
      new Table({
        name: "organization_signer",
        columns: [
          key,
          c.string("kind", 20, { nullable: false, default: "operator" }),
          c.text("keyFile"),
          c.text("certFile"),
          c.string("tokenLabel", 100),
          c.string("keyId", 100),
          c.string("pinSource", 300),
          c.text("command"),
          c.moment("updatedAt"),
          c.string("updatedBy", 100),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("organization_signer");
  }
}

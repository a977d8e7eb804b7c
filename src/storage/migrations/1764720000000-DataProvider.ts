/* What exportDataProvider said of an organization: its data-provider GUID in our information system (null: no active delegated rights) and when it was checked. */
import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class DataProvider1764720000000 implements MigrationInterface {
  name = "DataProvider1764720000000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.addColumns("organization", [new TableColumn(c.string("gisDataProviderGuid", 36)), new TableColumn(c.moment("dataProviderCheckedAt"))]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("organization", "dataProviderCheckedAt");
    await qr.dropColumn("organization", "gisDataProviderGuid");
  }
}

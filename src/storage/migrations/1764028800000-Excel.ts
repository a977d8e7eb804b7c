/* FIAS coding keeps the settlement's and the street's FIAS GUID on the house (reports per level). */
import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class Excel1764028800000 implements MigrationInterface {
  name = "Excel1764028800000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.addColumn("house", new TableColumn(c.string("fiasSettlementGuid", 36)));
    await qr.addColumn("house", new TableColumn(c.string("fiasStreetGuid", 36)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("house", "fiasStreetGuid");
    await qr.dropColumn("house", "fiasSettlementGuid");
  }
}

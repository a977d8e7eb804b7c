/*
 * Object actions of the fund and accounts: the NSI 330 reason premises and entrances are annulled in
 * GIS with (importHouseUOData …ToUpdate/AnnulmentReason), and whether GIS holds an account closed
 * (reopening it places it anew).
 */
import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class FundActions1764460800000 implements MigrationInterface {
  name = "FundActions1764460800000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.addColumn("premise", new TableColumn(c.string("annulmentReasonCode", 20)));
    await qr.addColumn("entrance", new TableColumn(c.string("annulmentReasonCode", 20)));
    await qr.addColumn("account", new TableColumn(c.bool("gisClosed", { nullable: false, default: false })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("account", "gisClosed");
    await qr.dropColumn("entrance", "annulmentReasonCode");
    await qr.dropColumn("premise", "annulmentReasonCode");
  }
}

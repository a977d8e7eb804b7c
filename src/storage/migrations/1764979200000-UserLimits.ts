/* Users limited to organizations and stands (an accountant of one managing organization sees only its houses and payers); null: no limit. */
import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class UserLimits1764979200000 implements MigrationInterface {
  name = "UserLimits1764979200000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.addColumns("app_user", [new TableColumn(c.text("organizationIds")), new TableColumn(c.string("stands", 100))]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("app_user", "stands");
    await qr.dropColumn("app_user", "organizationIds");
  }
}

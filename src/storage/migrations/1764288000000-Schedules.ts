/* Schedules: how the last start ended, what it did, and the pipeline run it began. */
import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class Schedules1764288000000 implements MigrationInterface {
  name = "Schedules1764288000000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.addColumn("schedule", new TableColumn(c.string("lastOutcome", 20)));
    await qr.addColumn("schedule", new TableColumn(c.text("lastResult")));
    await qr.addColumn("schedule", new TableColumn(c.string("lastRunId", 36)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("schedule", "lastRunId");
    await qr.dropColumn("schedule", "lastResult");
    await qr.dropColumn("schedule", "lastOutcome");
  }
}

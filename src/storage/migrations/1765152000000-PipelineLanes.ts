/* Lanes of a run (houses that advance through the house-level steps on their own) and the lane of each operation. */
import { MigrationInterface, QueryRunner, Table, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class PipelineLanes1765152000000 implements MigrationInterface {
  name = "PipelineLanes1765152000000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.createTable(
      new Table({
        name: "pipeline_lane",
        columns: [
          new TableColumn({ ...c.string("runId", 36), isPrimary: true, isNullable: false }),
          new TableColumn({ ...c.int("lane"), isPrimary: true, isNullable: false }),
          c.text("houseIds"),
          c.int("step", { nullable: false }),
          c.int("preparedStep", { nullable: false }),
        ],
      }),
    );
    await qr.addColumn("gis_operation", new TableColumn(c.int("lane")));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("gis_operation", "lane");
    await qr.dropTable("pipeline_lane");
  }
}

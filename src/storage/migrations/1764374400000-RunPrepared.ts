/* The step of a run whose operations are all created: a step may only be declared complete after that. */
import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class RunPrepared1764374400000 implements MigrationInterface {
  name = "RunPrepared1764374400000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.addColumn("pipeline_run", new TableColumn(c.int("preparedStep", { nullable: false, default: -1 })));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("pipeline_run", "preparedStep");
  }
}

/* Pipeline runs, the mark that an operation's result has been applied to the model, and the run of a journal entry. */
import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class PipelineRuns1763942400000 implements MigrationInterface {
  name = "PipelineRuns1763942400000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.createTable(
      new Table({
        name: "pipeline_run",
        columns: [
          c.stringKey("id", 36),
          c.string("stand", 10, { nullable: false }),
          c.int("organizationId", { nullable: false }),
          c.string("stages", 200, { nullable: false }),
          c.string("mode", 10, { nullable: false, default: "sync" }),
          c.text("scope"),
          c.string("state", 20, { nullable: false, default: "running" }),
          c.int("step", { nullable: false, default: 0 }),
          c.string("author", 100),
          c.string("trigger", 100),
          c.moment("startedAt", { nullable: false }),
          c.moment("finishedAt"),
          c.text("errorText"),
        ],
        indices: [new TableIndex({ name: "IDX_d817ea3644d9f4f0964e092cea", columnNames: ["state", "startedAt"] })],
      }),
    );
    await qr.addColumn("gis_operation", new TableColumn(c.moment("appliedAt")));
    await qr.addColumn("message_log", new TableColumn(c.string("code", 20)));
    await qr.addColumn("message_log", new TableColumn(c.string("runId", 36)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("message_log", "runId");
    await qr.dropColumn("message_log", "code");
    await qr.dropColumn("gis_operation", "appliedAt");
    await qr.dropTable("pipeline_run");
  }
}

/* E-mail reminders of deadlines: who subscribes to which kinds, and each reminder sent (once per deadline per user). */
import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class Reminders1765238400000 implements MigrationInterface {
  name = "Reminders1765238400000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.createTable(
      new Table({
        name: "reminder_subscription",
        columns: [
          new TableColumn({ ...c.int("userId"), isPrimary: true, isNullable: false }),
          c.string("email", 200, { nullable: false }),
          c.string("kinds", 300, { nullable: false, default: "" }),
          c.moment("updatedAt"),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: "reminder_sent",
        columns: [
          c.id(),
          c.int("userId", { nullable: false }),
          c.string("deadlineKey", 200, { nullable: false }),
          c.string("kind", 30, { nullable: false }),
          c.date("dueDate"),
          c.string("email", 200, { nullable: false }),
          c.moment("createdAt", { nullable: false }),
          c.moment("sentAt"),
          c.text("error"),
        ],
        indices: [new TableIndex({ name: "IDX_cc3ee7316df698dd6e5be09c81", columnNames: ["userId", "deadlineKey"], isUnique: true })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("reminder_sent");
    await qr.dropTable("reminder_subscription");
  }
}

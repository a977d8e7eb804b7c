/*
 * The installation's identity: one row, made once when the database is first migrated. Redis keys
 * (queues, locks, sessions) carry it, so installations sharing one Redis never see each other's work.
 */
import crypto from "node:crypto";
import { MigrationInterface, QueryRunner, Table } from "typeorm";
import { columnKit, dialectOf } from "../dialect";

export class Installation1764547200000 implements MigrationInterface {
  name = "Installation1764547200000";

  async up(qr: QueryRunner): Promise<void> {
    const c = columnKit(dialectOf(qr.connection));
    await qr.createTable(new Table({ name: "installation", columns: [c.stringKey("id", 36)] }));
    await qr.manager.createQueryBuilder().insert().into("installation", ["id"]).values({ id: crypto.randomUUID() }).execute();
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("installation");
  }
}

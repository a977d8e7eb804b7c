/** Audit rows: who started, cancelled, retried or changed what, and who exported personal data. */
import { DataSource, EntityManager } from "typeorm";
import { AuditLog } from "../../entities/audit-log";

export async function audit(db: DataSource | EntityManager, actor: string, action: string, target: string | null, details?: unknown): Promise<void> {
  await db.getRepository(AuditLog).insert({
    createdAt: new Date(),
    actor,
    action,
    target: target?.slice(0, 200) ?? null,
    details: details === undefined ? null : JSON.stringify(details),
  });
}

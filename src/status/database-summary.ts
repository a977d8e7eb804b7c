/** What is in the database: objects per kind and where they stand with one GIS stand. */
import { DataSource } from "typeorm";
import { SYNC_STATUSES, SyncStatus } from "../../entities";
import { statusExpr } from "../storage/identity/store";
import { whereOfStand } from "../storage/identity/origin";

/** Objects the pipeline sends, in pipeline order, with Russian names for the printout. */
export const SYNCED_KINDS: Array<{ table: string; label: string }> = [
  { table: "organization", label: "Организации" },
  { table: "service", label: "Услуги" },
  { table: "contract", label: "Договоры/уставы" },
  { table: "house", label: "Дома" },
  { table: "entrance", label: "Подъезды" },
  { table: "premise", label: "Помещения" },
  { table: "room", label: "Комнаты" },
  { table: "account", label: "Лицевые счета" },
  { table: "meter", label: "Приборы учёта" },
  { table: "meter_reading", label: "Показания ПУ" },
  { table: "payment_document", label: "Платёжные документы" },
  { table: "payment", label: "Платежи" },
  { table: "acknowledgment", label: "Квитирование" },
];

export interface KindSummary {
  table: string;
  label: string;
  total: number;
  byStatus: Record<SyncStatus, number>;
}

/** Every kind's objects by their sync status on one stand (never sent there: not_sent); another stand's pulled rows not counted. */
export async function databaseSummary(ds: DataSource, stand: string): Promise<KindSummary[]> {
  const out: KindSummary[] = [];
  for (const k of SYNCED_KINDS) {
    const qb = ds.getRepository(k.table).createQueryBuilder("t");
    const status = statusExpr(qb, "t", stand);
    whereOfStand(qb, "t", stand);
    const rows: Array<{ status: SyncStatus; n: string | number }> = await qb.select(status, "status").addSelect("COUNT(*)", "n").groupBy(status).getRawMany();
    const byStatus = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
    for (const r of rows) byStatus[r.status] = Number(r.n);
    out.push({ ...k, total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus });
  }
  return out;
}

const STATUS_LABELS: Record<SyncStatus, string> = {
  not_sent: "не выгружено",
  in_progress: "в обработке",
  ok: "выгружено",
  ok_nested_errors: "ошибки во вложенных",
  error: "ошибка",
};

export function formatSummary(rows: KindSummary[]): string {
  const w = Math.max(...rows.map((r) => r.label.length));
  const cols = Object.entries(STATUS_LABELS).map(([status, label]) => ({ status: status as SyncStatus, label, width: label.length + 2 }));
  const head = `${"Объекты".padEnd(w)}  ${"всего".padStart(9)}${cols.map((c) => c.label.padStart(c.width)).join("")}`;
  const lines = rows.map(
    (r) => `${r.label.padEnd(w)}  ${String(r.total).padStart(9)}${cols.map((c) => String(r.byStatus[c.status]).padStart(c.width)).join("")}`,
  );
  return [head, ...lines].join("\n");
}

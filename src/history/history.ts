/**
 * Field history: when a field marked "history" changes, its earlier value is kept with the
 * period it was in force, so "what was the account's area on 1 March" has an answer.
 * The current value lives on the object; field_history holds the closed periods before it.
 */
import { DataSource, EntityManager } from "typeorm";
import { FieldHistory } from "../../entities/field-history";

/** The day before `day` (YYYY-MM-DD). */
export function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Closes the period of the old value: it was in force until the day before `changedOn`.
 * Two changes on the same day keep only the earlier value (the first one was never in force a day).
 */
export async function recordChange(
  em: EntityManager,
  c: { entityType: string; entityId: number; field: string; oldValue: unknown; changedOn: string; by?: string | null },
): Promise<void> {
  const repo = em.getRepository(FieldHistory);
  const last = await repo.findOne({
    where: { entityType: c.entityType, entityId: c.entityId, field: c.field },
    order: { validTo: "DESC" },
  });
  const validTo = dayBefore(c.changedOn);
  const validFrom = last ? dayAfter(last.validTo) : null;
  if (validFrom && validFrom > validTo) return;
  await repo.insert({
    entityType: c.entityType,
    entityId: c.entityId,
    field: c.field,
    value: c.oldValue === null || c.oldValue === undefined ? null : JSON.stringify(c.oldValue),
    validFrom,
    validTo,
    changedAt: new Date(),
    changedBy: c.by ?? null,
  });
}

/**
 * The value of a field on a day: the closed period covering it, or else the current value.
 * `current` is the object's present value (the caller has the object at hand).
 */
export async function valueAt(
  ds: DataSource | EntityManager,
  q: { entityType: string; entityId: number; field: string; day: string; current: unknown },
): Promise<unknown> {
  const row = await ds
    .getRepository(FieldHistory)
    .createQueryBuilder("h")
    .where("h.entityType = :t AND h.entityId = :id AND h.field = :f", { t: q.entityType, id: q.entityId, f: q.field })
    .andWhere("h.validTo >= :day", { day: q.day })
    .andWhere("(h.validFrom IS NULL OR h.validFrom <= :day)", { day: q.day })
    .orderBy("h.validTo", "ASC")
    .getOne();
  if (!row) return q.current;
  return row.value === null ? null : JSON.parse(row.value);
}

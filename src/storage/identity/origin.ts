/**
 * Rows made from one stand's export answer (another organization's payments from a stand's notices,
 * citizens' readings from its meter history, bills loaded from its documents) carry that stand in
 * `originStand`; our own rows (billing, UI) carry null. Everything that lists, counts, reports or
 * sends such rows reads only ours and the viewed stand's: a SIT01 notice's payment never shows in
 * production's lists or reports and is never sent to production.
 */
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";

/** The tables whose rows can come from a stand's answer. */
export const ORIGIN_TABLES = ["payment", "meter_reading", "payment_document"] as const;
export const ORIGIN_COLUMN = "originStand";

/** True when `alias`'s table has rows of a stand's origin. */
export function hasOrigin<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string): boolean {
  const a = qb.expressionMap.aliases.find((x) => x.name === alias);
  return !!a?.hasMetadata && (ORIGIN_TABLES as readonly string[]).includes(a.metadata.tableName);
}

/**
 * Keeps the rows of `alias` that are ours or made from `stand`'s answers; a table without such rows
 * is left as it is, so generic lists over every kind may call it for each.
 */
export function whereOfStand<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, stand: string): SelectQueryBuilder<E> {
  if (!hasOrigin(qb, alias)) return qb;
  const p = `${alias}_origin`;
  return qb.andWhere(ofStandSql(`${alias}.${ORIGIN_COLUMN}`, `:${p}`), { [p]: stand });
}

/** The condition on `column` for a stand placeholder or literal. */
const ofStandSql = (column: string, stand: string): string => `(${column} IS NULL OR ${column} = ${stand})`;

/**
 * Paged lists: limit/offset, one row more than asked to say whether there is a next page (no
 * COUNT over a million rows unless the client asks for `total`).
 */
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { Query } from "./http";

export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  hasMore: boolean;
  total?: number;
}

export function pageOf(q: Query): { limit: number; offset: number; total: boolean } {
  return { limit: q.int("limit", { min: 1, max: 500 }) ?? 50, offset: q.int("offset", { min: 0, max: 10_000_000 }) ?? 0, total: q.bool("total") ?? false };
}

export async function paged<T extends ObjectLiteral, R = T>(qb: SelectQueryBuilder<T>, q: Query, map?: (rows: T[]) => Promise<R[]> | R[]): Promise<Page<R>> {
  const { limit, offset, total } = pageOf(q);
  const count = total ? await qb.clone().getCount() : undefined;
  const rows = await qb
    .offset(offset)
    .limit(limit + 1)
    .getMany();
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit);
  return { items: map ? await map(items) : (items as unknown as R[]), limit, offset, hasMore, ...(count !== undefined ? { total: count } : {}) };
}

/** Raw-row variant (joins with selected columns). */
export async function pagedRaw<R>(qb: SelectQueryBuilder<ObjectLiteral>, q: Query, map: (row: Record<string, unknown>) => R): Promise<Page<R>> {
  const { limit, offset } = pageOf(q);
  const rows = await qb
    .offset(offset)
    .limit(limit + 1)
    .getRawMany();
  return { items: rows.slice(0, limit).map(map), limit, offset, hasMore: rows.length > limit };
}

export const PAGED_QUERY = {
  limit: { type: "integer", description: "Сколько строк вернуть (1–500, по умолчанию 50)" },
  offset: { type: "integer", description: "Сколько строк пропустить (по умолчанию 0)" },
  total: { type: "boolean", description: "Посчитать общее число строк (медленнее на больших таблицах)" },
} as const;

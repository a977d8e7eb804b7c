/**
 * Keyset paging: rows are read in pages of `pageSize` ordered by the main table's id, so an
 * export of a million accounts never holds more than one page.
 */
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";

export const PAGE_SIZE = 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Raw = Record<string, any> & { _id: number | string };

/** Pages of raw rows (each with `_id`, the main table's id). */
export async function* pageBatches(make: () => SelectQueryBuilder<ObjectLiteral>, alias: string, pageSize = PAGE_SIZE): AsyncGenerator<Raw[]> {
  let after = 0;
  for (;;) {
    const rows = (await make()
      .addSelect(`${alias}.id`, "_id")
      .andWhere(`${alias}.id > :__after`, { __after: after })
      .orderBy(`${alias}.id`, "ASC")
      .limit(pageSize)
      .getRawMany()) as Raw[];
    if (rows.length) yield rows;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]._id);
  }
}

/** The same, row by row. */
export async function* pages(make: () => SelectQueryBuilder<ObjectLiteral>, alias: string, pageSize = PAGE_SIZE): AsyncGenerator<Raw> {
  for await (const page of pageBatches(make, alias, pageSize)) yield* page;
}

/** Adds `column IN (:...houses)` when a selection is given. */
export function inHouses<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, houses: number[] | null): SelectQueryBuilder<T> {
  if (houses === null) return qb;
  if (houses.length === 0) return qb.andWhere("1 = 0");
  return qb.andWhere(`${column} IN (:...__houses)`, { __houses: houses });
}

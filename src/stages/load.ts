/**
 * Loading objects by id lists in chunks: prepare gets whole selections (tens of thousands of ids)
 * and SQL engines cap bound parameters (SQLite 32766, PostgreSQL 65535, SQL Server 2100).
 */
import { DataSource, EntityManager, EntityTarget, FindOptionsSelect, FindOptionsWhere, In, ObjectLiteral } from "typeorm";

const CHUNK = 1000;

/**
 * Rows whose `column` is one of `values`, plus extra conditions; in chunks, order not kept. With
 * `select`, only those columns are read (the rest of each row is left undefined).
 */
export async function findIn<E extends ObjectLiteral>(
  db: DataSource | EntityManager,
  entity: EntityTarget<E>,
  column: keyof E & string,
  values: readonly unknown[],
  extra: FindOptionsWhere<E> = {},
  select?: ReadonlyArray<keyof E & string>,
): Promise<E[]> {
  const distinct = [...new Set(values.filter((v) => v !== null && v !== undefined))];
  const out: E[] = [];
  const columns = select ? (Object.fromEntries(select.map((c) => [c, true])) as FindOptionsSelect<E>) : undefined;
  for (let i = 0; i < distinct.length; i += CHUNK) {
    const where = { ...extra, [column]: In(distinct.slice(i, i + CHUNK)) } as FindOptionsWhere<E>;
    out.push(...(await db.getRepository(entity).find({ where, select: columns })));
  }
  return out;
}

/** Rows by id, as a map. */
export async function byId<E extends ObjectLiteral & { id: number }>(
  db: DataSource | EntityManager,
  entity: EntityTarget<E>,
  ids: readonly unknown[],
): Promise<Map<number, E>> {
  return new Map((await findIn(db, entity, "id", ids)).map((e) => [e.id, e]));
}

/** Groups rows by a key. */
export function groupBy<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

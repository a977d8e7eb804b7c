/**
 * SQLite has one connection per process, and TypeORM shares one query runner over it: two
 * transactions started by concurrent callers (worker jobs, archive appends) would interleave on it
 * ("cannot start a transaction within a transaction"). On SQLite, transactions therefore take turns:
 * a caller waits for the one before it to finish; a transaction started inside another one (same
 * async flow, tracked with AsyncLocalStorage) nests as a savepoint instead of waiting for itself.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { DataSource, EntityManager } from "typeorm";

const inTurn = new AsyncLocalStorage<true>();

export function serializeSqliteTransactions(ds: DataSource): void {
  const manager = ds.manager as EntityManager & { transaction: EntityManager["transaction"] };
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    if (inTurn.getStore()) return original(...args);
    const mine = last.catch(() => undefined).then(() => inTurn.run(true, () => original(...args)));
    last = mine.catch(() => undefined);
    return mine;
  }) as EntityManager["transaction"];
}

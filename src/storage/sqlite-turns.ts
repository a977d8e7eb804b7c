/**
 * SQLite has one connection per process, and TypeORM shares one query runner over it: two
 * transactions started by concurrent callers (worker jobs, archive appends) would interleave on it
 * ("cannot start a transaction within a transaction"). On SQLite, transactions therefore take turns:
 * a caller waits for the one before it to finish; a transaction started inside another one (same
 * async flow, tracked with AsyncLocalStorage) nests as a savepoint instead of waiting for itself.
 * Across processes (a server and workers on one file) a transaction takes the write lock when it
 * begins (BEGIN IMMEDIATE, waiting up to busy_timeout): a deferred one that read first and then
 * writes after another process committed fails at once with "database is locked", whatever the timeout.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { DataSource, EntityManager } from "typeorm";

const inTurn = new AsyncLocalStorage<true>();

export function serializeSqliteTransactions(ds: DataSource): void {
  const runner = ds.driver.createQueryRunner("master") as unknown as { query: (sql: string, ...rest: unknown[]) => Promise<unknown> };
  const query = runner.query.bind(runner);
  runner.query = (sql: string, ...rest: unknown[]) => query(sql === "BEGIN TRANSACTION" ? "BEGIN IMMEDIATE TRANSACTION" : sql, ...rest);
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

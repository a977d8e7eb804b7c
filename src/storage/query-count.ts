/**
 * GIS_SYNC_COUNT_QUERIES=1: every SQL statement the process sends is counted by statement kind and
 * table (a TypeORM logger, nothing else logged), so a benchmark can tell how much database work one
 * GIS operation costs. Off by default: TypeORM then skips the logger entirely.
 */
import type { Logger } from "typeorm";

export const countingQueries = process.env.GIS_SYNC_COUNT_QUERIES === "1";

const counts = new Map<string, number>();

const NAME = String.raw`["\`\[]?([A-Za-z_][A-Za-z0-9_]*)["\`\]]?`;
const TABLE_AFTER = new RegExp(String.raw`^(?:insert\s+into|update|delete\s+from|select\b[\s\S]*?\bfrom)\s+(?:\(?\s*)?${NAME}`, "i");

/** "SELECT gis_operation", "INSERT gis_identity", "BEGIN", … */
export function statementKey(sql: string): string {
  const text = sql.trimStart();
  const kind = (/^[A-Za-z]+/.exec(text)?.[0] ?? "?").toUpperCase();
  if (kind === "START") return "BEGIN";
  if (kind === "RELEASE") return "SAVEPOINT";
  const table = TABLE_AFTER.exec(text)?.[1];
  return table ? `${kind} ${table}` : kind;
}

export const queryCounter: Logger = {
  logQuery(query: string) {
    const key = statementKey(query);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  },
  logQueryError() {},
  logQuerySlow() {},
  logSchemaBuild() {},
  logMigration() {},
  log() {},
};

/** The counts since the last call (largest first), and starts counting afresh. */
export function takeQueryCounts(): [string, number][] {
  const out = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  counts.clear();
  return out;
}

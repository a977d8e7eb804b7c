/**
 * Builds the TypeORM DataSource from DB_URL:
 *   sqlite:./var/gis-sync.sqlite   embedded default (better-sqlite3)
 *   postgres://user@host:5432/db
 *   mssql://user:password@host:1433/db?encrypt=true&trustServerCertificate=true   (production)
 * Schema comes from migrations only (never `synchronize`).
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { DataSource, DataSourceOptions, LogLevel } from "typeorm";
import { ALL_ENTITIES } from "./entities";
import { MIGRATIONS } from "./src/storage/migrations";
import { NamingStrategy } from "./src/storage/naming";
import { countingQueries, queryCounter } from "./src/storage/query-count";

export function dataSourceOptions(dbUrl: string): DataSourceOptions {
  const common = {
    entities: ALL_ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new NamingStrategy(),
    synchronize: false,
    logging: countingQueries ? (["query"] as LogLevel[]) : false,
    ...(countingQueries ? { logger: queryCounter } : {}),
  } as const;
  if (dbUrl.startsWith("sqlite:")) {
    const file = dbUrl.slice("sqlite:".length) || ":memory:";
    if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return {
      ...common,
      type: "better-sqlite3",
      database: file,
      enableWAL: file !== ":memory:",
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma("foreign_keys = ON");
        db.pragma("synchronous = NORMAL");
        db.pragma("busy_timeout = 10000");
      },
    };
  }
  const url = new URL(dbUrl);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (url.protocol === "postgres:" || url.protocol === "postgresql:") {
    return { ...common, type: "postgres", url: dbUrl, extra: { max: 10 } };
  }
  if (url.protocol === "mssql:" || url.protocol === "sqlserver:") {
    const q = url.searchParams;
    const flag = (k: string, d: boolean) => (q.has(k) ? q.get(k) === "true" || q.get(k) === "1" : d);
    return {
      ...common,
      type: "mssql",
      host: url.hostname,
      port: url.port ? Number(url.port) : 1433,
      username: user || undefined,
      password: password || undefined,
      database,
      options: {
        encrypt: flag("encrypt", true),
        trustServerCertificate: flag("trustServerCertificate", false),
        instanceName: q.get("instanceName") ?? undefined,
        useUTC: true,
      },
      pool: { max: Number(q.get("poolMax") ?? 10) },
      requestTimeout: Number(q.get("requestTimeout") ?? 60000),
    };
  }
  throw new Error(`DB_URL: unsupported scheme "${url.protocol}" (use sqlite:, postgres:// or mssql://)`);
}

export function createDataSource(dbUrl: string): DataSource {
  return new DataSource(dataSourceOptions(dbUrl));
}

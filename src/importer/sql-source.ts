/**
 * Reading the bundle straight from the billing program's database: one view, table or query per
 * bundle file, named in a mapping file. Rows are streamed with each driver's own cursor
 * (PostgreSQL DECLARE CURSOR, MySQL/MariaDB row streams, SQL Server request streaming), so a
 * million accounts never sit in memory.
 *
 * mapping.json:
 *   { "files": {
 *       "houses":   { "query": "SELECT house_code AS id, addr AS address, ... FROM v_gis_houses" },
 *       "accounts": { "table": "v_gis_accounts", "columns": { "id": "ls_code", "number": "ls_number" } } } }
 * "columns" maps bundle column → source column; unmapped bundle columns are read by their own name.
 */
import fs from "node:fs";
import { Client as PgClient } from "pg";
import { BUNDLE_FILES } from "../bundle/format";
import { UserError } from "../util/errors";
import { redact } from "../log";
import { RowSource, SourceError, SourceRow } from "./source";

export interface FileMapping {
  query?: string;
  table?: string;
  columns?: Record<string, string>;
}

export interface SqlMapping {
  files: Record<string, FileMapping>;
}

export function loadMapping(file: string): SqlMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UserError(`${file}: не удаётся прочитать файл соответствия: ${(e as Error).message}`);
  }
  const m = raw as SqlMapping;
  if (!m || typeof m !== "object" || !m.files || typeof m.files !== "object") {
    throw new UserError(`${file}: ожидается объект { "files": { "<файл выгрузки>": { "query" | "table", "columns"? } } }`);
  }
  for (const [name, fm] of Object.entries(m.files)) {
    if (!BUNDLE_FILES.some((f) => f.name === name)) {
      throw new UserError(`${file}: «${name}» — нет такого файла выгрузки (есть: ${BUNDLE_FILES.map((f) => f.name).join(", ")})`);
    }
    if (!fm || (!fm.query && !fm.table) || (fm.query && fm.table)) {
      throw new UserError(`${file}: для «${name}» нужен ровно один из ключей "query" или "table"`);
    }
    if (fm.table && !/^[\w.$[\]"`]+$/.test(fm.table)) throw new UserError(`${file}: «${name}»: недопустимое имя таблицы ${fm.table}`);
  }
  return m;
}

/** A database value as the text a CSV would have held. */
export function sqlText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "boolean") return v ? "1" : "0";
  if (Buffer.isBuffer(v)) return v.length === 1 ? String(v[0]) : v.toString("hex"); // MySQL BIT(1)
  return String(v).trim();
}

type Dialect = "postgres" | "mysql" | "mssql";

export function dialectOfUrl(url: string): Dialect {
  if (/^postgres(ql)?:/i.test(url)) return "postgres";
  if (/^(mysql|mariadb):/i.test(url)) return "mysql";
  if (/^(mssql|sqlserver):/i.test(url)) return "mssql";
  throw new UserError(`--from-sql: поддерживаются postgres://, mysql:// (mariadb://) и mssql:// (получено ${redact(url)})`);
}

const BATCH = 1000;

/** Fetches rows of one statement, streaming; yields plain objects keyed by lower-case column name. */
async function* streamRows(dialect: Dialect, url: string, sql: string): AsyncIterable<Record<string, unknown>> {
  const lower = (r: Record<string, unknown>) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) o[k.toLowerCase()] = v;
    return o;
  };
  if (dialect === "postgres") {
    // Dates stay "YYYY-MM-DD" text: no time-zone shift through JS Date.
    const client = new PgClient({
      connectionString: url,
      types: { getTypeParser: ((oid: number, format: string) => (oid === 1082 ? (s: string) => s : require("pg").types.getTypeParser(oid, format))) as never },
    });
    await client.connect();
    try {
      await client.query("BEGIN READ ONLY");
      await client.query(`DECLARE gis_sync_import NO SCROLL CURSOR FOR ${sql}`);
      for (;;) {
        const res = await client.query(`FETCH ${BATCH} FROM gis_sync_import`);
        for (const r of res.rows) yield lower(r);
        if (res.rows.length < BATCH) break;
      }
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    return;
  }
  if (dialect === "mysql") {
    const mysql = await import("mysql2");
    const conn = mysql.createConnection({ uri: url.replace(/^mariadb:/i, "mysql:"), dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
    try {
      const stream = conn.query(sql).stream({ highWaterMark: BATCH });
      for await (const r of stream) yield lower(r as Record<string, unknown>);
    } finally {
      conn.destroy();
    }
    return;
  }
  yield* mssqlRows(url, sql, lower);
}

/** mssql://user:password@host:port/database?encrypt=true&trustServerCertificate=false&instanceName=X */
async function mssqlPool(url: string) {
  const mssql = await import("mssql");
  const u = new URL(url);
  const q = u.searchParams;
  const pool = new mssql.ConnectionPool({
    server: u.hostname,
    port: u.port ? Number(u.port) : undefined,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, "") || undefined,
    options: {
      encrypt: q.get("encrypt") !== "false",
      trustServerCertificate: q.get("trustServerCertificate") === "true",
      instanceName: q.get("instanceName") ?? undefined,
      useUTC: true,
    },
  });
  await pool.connect();
  return pool;
}

/** SQL Server: request streaming with pause/resume as the consumer keeps up. */
async function* mssqlRows(url: string, sql: string, lower: (r: Record<string, unknown>) => Record<string, unknown>) {
  const pool = await mssqlPool(url);
  const request = pool.request();
  request.stream = true;
  const queue: Array<Record<string, unknown>> = [];
  let done = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  request.on("row", (r: Record<string, unknown>) => {
    queue.push(lower(r));
    if (queue.length >= BATCH) request.pause();
    poke();
  });
  request.on("error", (e: Error) => {
    failure = e;
    poke();
  });
  request.on("done", () => {
    done = true;
    poke();
  });
  request.query(sql);
  try {
    for (;;) {
      while (queue.length > 0) {
        yield queue.shift()!;
        if (queue.length === 0) request.resume();
      }
      if (failure) throw failure;
      if (done) break;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    await pool.close();
  }
}

export class SqlSource implements RowSource {
  readonly label: string;
  private readonly dialect: Dialect;
  private readonly sql: string;
  private readonly reverse: Map<string, string>;

  constructor(
    private readonly url: string,
    fileName: string,
    private readonly mapping: FileMapping,
  ) {
    this.label = `sql:${fileName}`;
    this.dialect = dialectOfUrl(url);
    this.sql = mapping.query ?? `SELECT * FROM ${mapping.table}`;
    this.reverse = new Map(Object.entries(mapping.columns ?? {}).map(([bundle, src]) => [src.toLowerCase(), bundle]));
  }

  private rename(r: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(r)) out[this.reverse.get(k) ?? k] = sqlText(v);
    return out;
  }

  /** The statement's columns, read by asking for no rows. */
  async columns(): Promise<string[]> {
    const probe = this.dialect === "mssql" ? `SELECT TOP 0 * FROM (${this.sql}) AS q` : `SELECT * FROM (${this.sql}) AS q WHERE 1 = 0`;
    try {
      if (this.dialect === "postgres") {
        const c = new PgClient({ connectionString: this.url });
        await c.connect();
        try {
          const res = await c.query(probe);
          return res.fields.map((f) => this.reverse.get(f.name.toLowerCase()) ?? f.name.toLowerCase());
        } finally {
          await c.end();
        }
      }
      if (this.dialect === "mysql") {
        const mysql = await import("mysql2/promise");
        const c = await mysql.createConnection({ uri: this.url.replace(/^mariadb:/i, "mysql:") });
        try {
          const [, fields] = await c.query(probe);
          return (fields as Array<{ name: string }>).map((f) => this.reverse.get(f.name.toLowerCase()) ?? f.name.toLowerCase());
        } finally {
          await c.end();
        }
      }
      const pool = await mssqlPool(this.url);
      try {
        const res = await pool.request().query(probe);
        return Object.keys(res.recordset.columns).map((n) => this.reverse.get(n.toLowerCase()) ?? n.toLowerCase());
      } finally {
        await pool.close();
      }
    } catch (e) {
      throw new SourceError(this.label, `запрос к учётной базе не выполнен: ${(e as Error).message}`);
    }
  }

  async *rows(): AsyncIterable<SourceRow> {
    let n = 0;
    try {
      for await (const r of streamRows(this.dialect, this.url, this.sql)) {
        n++;
        yield { line: n, values: this.rename(r) };
      }
    } catch (e) {
      if (e instanceof SourceError) throw e;
      throw new SourceError(this.label, `чтение из учётной базы прервано на записи ${n + 1}: ${(e as Error).message}`);
    }
  }

  async close(): Promise<void> {}
}

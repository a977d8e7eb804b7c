/**
 * Test databases: every test that touches storage runs on SQLite (a temp file) and on the local
 * PostgreSQL (a fresh database per call, dropped after). Set TEST_PG_URL to point elsewhere, or
 * TEST_PG=off to skip PostgreSQL on a machine without it (CI never sets it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { Client } from "pg";
import { DataSource } from "typeorm";
import { openDatabase } from "../../src/storage/database";

export const PG_ADMIN_URL = process.env.TEST_PG_URL || "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDb {
  kind: "sqlite" | "postgres";
  url: string;
  drop(): Promise<void>;
}

export async function createSqlite(): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-test-"));
  return {
    kind: "sqlite",
    url: `sqlite:${path.join(dir, "test.sqlite")}`,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export async function createPostgres(): Promise<TestDb> {
  const name = `gs_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const DB_KINDS: Array<"sqlite" | "postgres"> = process.env.TEST_PG === "off" ? ["sqlite"] : ["sqlite", "postgres"];

/** A fresh, migrated database of the given kind; the callback's DataSource is closed and dropped after. */
export async function withTestDb<T>(kind: "sqlite" | "postgres", fn: (ds: DataSource, db: TestDb) => Promise<T>): Promise<T> {
  const db = kind === "sqlite" ? await createSqlite() : await createPostgres();
  const ds = await openDatabase(db.url);
  try {
    return await fn(ds, db);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.drop();
  }
}

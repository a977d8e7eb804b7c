/**
 * `import --from-sql`: the billing program's own database as the source, through views and
 * queries named in a mapping file. Run against the local PostgreSQL and MariaDB.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import { withTestDb, PG_ADMIN_URL } from "./support/databases";
import { importFromSql } from "../src/importer/import-run";
import { Account, House, ImportIssue, Organization } from "../entities";

const MARIADB_URL = process.env.TEST_MARIADB_URL || "mysql://root@127.0.0.1:3306";

/** A billing schema in the style of the market: Russian-ish table names, its own column names. */
const BILLING_SQL = [
  "CREATE TABLE orgs (code VARCHAR(20), name VARCHAR(200), inn VARCHAR(12), ours INT)",
  "CREATE TABLE doma (kod VARCHAR(20), adres VARCHAR(300), tip VARCHAR(5), ploshad DECIMAL(12,2), postroen DATE)",
  "CREATE TABLE ls (kod VARCHAR(20), org VARCHAR(20), nomer VARCHAR(30), fio VARCHAR(100), ploshad DECIMAL(12,2))",
  "INSERT INTO orgs VALUES ('o1', 'ООО \"Тепловые сети\"', '7707083893', 1)",
  "INSERT INTO doma VALUES ('d1', 'г. Тверь, ул. Советская, д. 7', 'MKD', 2400.5, NULL), ('d2', 'г. Тверь, ул. Советская, д. 9', 'XXX', 10, NULL)",
  "INSERT INTO ls VALUES ('l1', 'o1', '500001', 'Кузнецова', 54.3), ('l2', 'o1', '500002', 'Смирнов', NULL)",
];

const MAPPING = {
  files: {
    organizations: { query: "SELECT code AS id, name AS full_name, inn, 'RSO' AS role, ours AS is_ours FROM orgs" },
    houses: { table: "doma", columns: { id: "kod", address: "adres", house_type: "tip", total_area: "ploshad", built_year: "postroen" } },
    accounts: {
      query:
        "SELECT kod AS id, org AS organization_id, nomer AS number, 'RSO' AS account_type, 'person' AS payer_kind, fio AS payer_last_name, ploshad AS total_area FROM ls",
    },
  },
};

function writeMapping(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-map-")), "mapping.json");
  fs.writeFileSync(file, JSON.stringify(MAPPING));
  return file;
}

async function check(sourceUrl: string): Promise<void> {
  await withTestDb("sqlite", async (ds) => {
    const r = await importFromSql(ds, sourceUrl, writeMapping());
    assert.deepEqual(
      r.files.map((f) => [f.file, f.inserted, f.rejected]),
      [
        ["sql:organizations", 1, 0],
        ["sql:houses", 1, 1],
        ["sql:accounts", 2, 0],
      ],
    );
    const issues = await ds.getRepository(ImportIssue).findBy({ runId: r.runId });
    assert.deepEqual(
      issues.map((i) => [i.file, i.row, i.column, i.value]),
      [["sql:houses", 2, "house_type", "XXX"]],
    );
    assert.equal((await ds.getRepository(Organization).findOneByOrFail({ externalId: "o1" })).fullName, 'ООО "Тепловые сети"');
    assert.equal((await ds.getRepository(House).findOneByOrFail({ externalId: "d1" })).totalArea, 2400.5);
    const l1 = await ds.getRepository(Account).findOneByOrFail({ externalId: "l1" });
    assert.equal(l1.payerLastName, "Кузнецова");
    assert.equal(l1.totalArea, 54.3);
    const again = await importFromSql(ds, sourceUrl, writeMapping());
    assert.ok(
      again.files.every((f) => f.inserted === 0 && f.updated === 0),
      "second read changes nothing",
    );
  });
}

test("import --from-sql reads a PostgreSQL billing database through views and queries", { skip: process.env.TEST_PG === "off" }, async () => {
  const name = `gs_billing_${crypto.randomBytes(5).toString("hex")}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    const c = new Client({ connectionString: url.toString() });
    await c.connect();
    for (const q of BILLING_SQL) await c.query(q.replace(/ INT\)/, " INTEGER)"));
    // houses.built_year comes from a DATE column in this mapping: make it an int year instead.
    await c.query("ALTER TABLE doma ALTER COLUMN postroen TYPE INTEGER USING NULL");
    await c.end();
    await check(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});

test("import --from-sql reads a MariaDB/MySQL billing database", { skip: process.env.TEST_MARIADB === "off" }, async () => {
  const mysql = await import("mysql2/promise");
  const name = `gs_billing_${crypto.randomBytes(5).toString("hex")}`;
  const admin = await mysql.createConnection({ uri: MARIADB_URL, multipleStatements: false });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
  try {
    const c = await mysql.createConnection({ uri: `${MARIADB_URL}/${name}`, charset: "utf8mb4" });
    for (const q of BILLING_SQL) await c.query(q.replace("postroen DATE", "postroen INT"));
    await c.end();
    await check(`${MARIADB_URL}/${name}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  }
});

test("import --from-sql: a mapping naming an unknown bundle file is refused with the name", async () => {
  const { loadMapping } = await import("../src/importer/sql-source");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-map-")), "m.json");
  fs.writeFileSync(file, JSON.stringify({ files: { lic_scheta: { table: "ls" } } }));
  assert.throws(() => loadMapping(file), /«lic_scheta» — нет такого файла выгрузки/);
  fs.writeFileSync(file, JSON.stringify({ files: { accounts: { table: "ls", query: "SELECT 1" } } }));
  assert.throws(() => loadMapping(file), /ровно один/);
});

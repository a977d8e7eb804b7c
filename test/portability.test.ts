import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from "typeorm";
import { portabilityProblems } from "../src/storage/portability";
import { dataSourceOptions } from "../ormconfig";
import { adaptMetadataToDialect } from "../src/storage/dialect";
import { ALL_ENTITIES } from "../entities";

async function built(ds: DataSource): Promise<DataSource> {
  // Metadata is built without connecting, so this works for SQL Server too.
  await (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return ds;
}

test("every column of the model has a type valid on mssql, postgres and sqlite", async () => {
  const ds = await built(new DataSource(dataSourceOptions("sqlite::memory:")));
  assert.ok(ds.entityMetadatas.length >= 30, "the whole model is registered");
  assert.deepEqual(portabilityProblems(ds), []);
});

test("the portability check catches what one dialect lacks", async () => {
  @Entity("bad_thing")
  class BadThing {
    @PrimaryGeneratedColumn("uuid") id!: string;
    @Column({ type: "jsonb" }) payload!: unknown;
    @Column({ type: "varchar", array: true }) tags!: string[];
    @Column({ type: String }) unbounded!: string;
    @Column({ type: "simple-enum", enum: ["a", "b"] }) kind!: string;
  }
  const ds = await built(new DataSource({ type: "postgres", entities: [BadThing] }));
  const problems = portabilityProblems(ds).join("\n");
  assert.match(problems, /bad_thing\.payload: type "jsonb" is not portable/);
  assert.match(problems, /bad_thing\.tags: array/);
  assert.match(problems, /bad_thing\.unbounded: strings need a length/);
  assert.match(problems, /bad_thing\.kind: .*enum/);
  assert.match(problems, /bad_thing\.id: only increment generation is portable/);
});

test("SQL Server options: driver wired, TLS options from the URL, unicode text and datetime2", async () => {
  const opts = dataSourceOptions("mssql://sa:S3cret%21@db.local:14330/gis?encrypt=false&trustServerCertificate=true&instanceName=SQLEXPRESS");
  assert.equal(opts.type, "mssql");
  const o = opts as unknown as { host: string; port: number; username: string; password: string; database: string; options: Record<string, unknown> };
  assert.equal(o.host, "db.local");
  assert.equal(o.port, 14330);
  assert.equal(o.username, "sa");
  assert.equal(o.password, "S3cret!");
  assert.equal(o.database, "gis");
  assert.equal(o.options.encrypt, false);
  assert.equal(o.options.trustServerCertificate, true);
  assert.equal(o.options.instanceName, "SQLEXPRESS");
  const defaults = dataSourceOptions("mssql://u:p@h/db") as unknown as { options: Record<string, unknown> };
  assert.equal(defaults.options.encrypt, true, "encrypted by default");

  const ds = await built(new DataSource({ ...opts, entities: ALL_ENTITIES }));
  adaptMetadataToDialect(ds);
  const log = ds.getMetadata("message_log").findColumnWithPropertyName("text")!;
  assert.equal(log.type, "nvarchar");
  assert.equal(log.length, "MAX");
  const created = ds.getMetadata("gis_operation").findColumnWithPropertyName("createdAt")!;
  assert.equal(created.type, "datetime2");
  const name = ds.getMetadata("organization").findColumnWithPropertyName("fullName")!;
  assert.equal(ds.driver.normalizeType(name), "nvarchar", "Cyrillic-safe strings on SQL Server");
});

test("an unknown database scheme is a clear error", () => {
  assert.throws(() => dataSourceOptions("oracle://x/y"), /DB_URL: unsupported scheme "oracle:"/);
});

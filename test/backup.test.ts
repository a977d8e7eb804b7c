/**
 * `gis-sync backup` and `restore` as child processes, on SQLite and on PostgreSQL (a fresh database
 * each): the demo bundle imported, an attachment file and an anchor file in the home; backup taken
 * while the source database is open; restored into an empty database and an empty home gives the
 * same `status --json` and the same files; a second restore into the now non-empty target is
 * refused without --force; a backup of a newer schema is refused; the scheduled backup keeps N.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { DataSource } from "typeorm";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { openDatabase } from "../src/storage/database";
import { checkManifest, newestKnownMigration } from "../src/backup/manifest";
import { pruneBackups, scheduledBackup } from "../src/backup/scheduled";
import { setSetting } from "../src/settings/settings";
import { identitiesAt, writeIdentities } from "../src/storage/identity/store";
import { House } from "../entities";
import { DB_KINDS, TestDb, createPostgres, createSqlite } from "./support/databases";

const BIN = path.resolve(__dirname, "../../bin/gis-sync.js");

function cli(dbUrl: string, home: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DB_URL: dbUrl, GIS_SYNC_HOME: home, LOG_LEVEL: "warn" };
  delete env.NODE_TEST_CONTEXT;
  delete env.GIS_SYNC_ANCHOR_DIR;
  delete env.GIS_SYNC_ARCHIVE_KEY_FILE;
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: "utf8", timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

for (const kind of DB_KINDS) {
  test(`${kind}: backup while open, restore into an empty database gives the same status --json and files`, async () => {
    const dbs: TestDb[] = [];
    const make = async () => {
      const db = kind === "sqlite" ? await createSqlite() : await createPostgres();
      dbs.push(db);
      return db;
    };
    const homeA = tmp("gis-sync-backup-a-");
    const homeB = tmp("gis-sync-backup-b-");
    const out = path.join(tmp("gis-sync-backup-out-"), "copy.zip");
    let ds: DataSource | null = null;
    try {
      const source = await make();
      ds = await openDatabase(source.url);
      const bundle = tmp("gis-sync-backup-bundle-");
      await writeDemoBundle(bundle);
      await importPath(ds, bundle, { author: "test" });
      fs.rmSync(bundle, { recursive: true, force: true });
      // A stand's identity (gis_identity) travels with the backup like any other table.
      const house = (await ds.getRepository(House).find({ order: { id: "ASC" }, take: 1 }))[0];
      const houseGuid = "0a1b2c3d-0000-4000-8000-0000000000bb";
      await writeIdentities(ds, "sit01", [{ kind: "house", objectId: house.id, fields: { gisHouseGuid: houseGuid }, sync: { status: "ok" } }]);
      fs.mkdirSync(path.join(homeA, "attachments", "ab"), { recursive: true });
      fs.writeFileSync(path.join(homeA, "attachments", "ab", "file-1.pdf"), "договор, скан");
      fs.mkdirSync(path.join(homeA, "anchors"), { recursive: true });
      fs.writeFileSync(path.join(homeA, "anchors", "anchor-1.json"), '{"statement":"x"}\n');

      const t0 = Date.now();
      const b = cli(source.url, homeA, "backup", "--out", out, "--json");
      assert.equal(b.code, 0, b.err);
      const made = JSON.parse(b.out);
      assert.equal(made.manifest.migration, newestKnownMigration().name);
      assert.equal(made.manifest.dialect, kind);
      assert.ok(made.manifest.installationId);
      assert.deepEqual(made.manifest.folders, [
        { name: "attachments", files: 1 },
        { name: "anchors", files: 1 },
      ]);
      console.log(`${kind}: backup ${made.bytes} bytes in ${Date.now() - t0} ms (child process included)`);
      const before = cli(source.url, homeA, "status", "--json");
      assert.equal(before.code, 0, before.err);

      const target = await make();
      const r = cli(target.url, homeB, "restore", out, "--json");
      assert.equal(r.code, 0, r.err);
      assert.equal(JSON.parse(r.out).files, 2);
      const restored = await openDatabase(target.url);
      try {
        const at = (await identitiesAt(restored, "house", [house.id], "sit01")).get(house.id)!;
        assert.deepEqual([at.gisHouseGuid, at.sync.status], [houseGuid, "ok"], "sit01's identity restored");
        assert.equal((await identitiesAt(restored, "house", [house.id], "prod")).get(house.id)!.gisHouseGuid, null, "prod's stays its own");
      } finally {
        await restored.destroy();
      }
      const after = cli(target.url, homeB, "status", "--json");
      assert.equal(after.code, 0, after.err);
      assert.deepEqual(JSON.parse(after.out), JSON.parse(before.out));
      assert.ok(
        JSON.parse(after.out).some((k: { total: number }) => k.total > 0),
        "status shows the imported objects",
      );
      assert.equal(fs.readFileSync(path.join(homeB, "attachments", "ab", "file-1.pdf"), "utf8"), "договор, скан");
      assert.ok(fs.existsSync(path.join(homeB, "anchors", "anchor-1.json")));

      const again = cli(target.url, homeB, "restore", out);
      assert.notEqual(again.code, 0);
      assert.match(again.err, /не пуста.*--force/);
      const forced = cli(target.url, homeB, "restore", out, "--force");
      assert.equal(forced.code, 0, forced.err);
      assert.deepEqual(JSON.parse(cli(target.url, homeB, "status", "--json").out), JSON.parse(before.out));
    } finally {
      if (ds?.isInitialized) await ds.destroy();
      for (const db of dbs) await db.drop();
      for (const d of [homeA, homeB, path.dirname(out)]) fs.rmSync(d, { recursive: true, force: true });
    }
  });
}

test("a backup of a newer schema, or not a backup at all, is refused with a clear sentence", () => {
  const known = newestKnownMigration();
  const m = {
    format: "gis-sync-backup",
    formatVersion: 1,
    migration: "Future9999999999999",
    migrationTimestamp: known.timestamp + 1,
    gisSyncVersion: "9.0.0",
  };
  assert.throws(() => checkManifest(m), /более новой схеме базы \(Future9999999999999\).*9\.0\.0/);
  assert.throws(() => checkManifest({ hello: 1 }), /не резервная копия gis-sync/);
  assert.equal(checkManifest({ ...m, migrationTimestamp: known.timestamp }).formatVersion, 1);
});

test("restore of a missing file or of something that is not a zip says so", () => {
  const home = tmp("gis-sync-backup-bad-");
  try {
    const url = `sqlite:${path.join(home, "db.sqlite")}`;
    const missing = cli(url, home, "restore", path.join(home, "nope.zip"));
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /не найден/);
    fs.writeFileSync(path.join(home, "junk.zip"), "not a zip");
    const junk = cli(url, home, "restore", path.join(home, "junk.zip"));
    assert.notEqual(junk.code, 0);
    assert.match(junk.err, /не zip-архив/);
    assert.doesNotMatch(junk.err, /\n\s+at /, "no stack trace");
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test("sqlite: the scheduled backup writes into backup.folder and keeps the newest backup.keep", async () => {
  const db = await createSqlite();
  const home = tmp("gis-sync-backup-sched-");
  const ds = await openDatabase(db.url);
  try {
    const folder = path.join(home, "copies");
    await setSetting(ds, "backup.folder", folder);
    await setSetting(ds, "backup.keep", 2);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "notes.txt"), "not ours");
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await scheduledBackup(ds, { dbUrl: db.url, home, now: new Date(Date.UTC(2026, 11, 1 + i, 23, 0, 0)) });
      names.push(path.basename(r.file));
    }
    assert.deepEqual(fs.readdirSync(folder).sort(), [...names.slice(1), "notes.txt"].sort());
    assert.deepEqual(names[0], "gis-sync-backup-20261201-230000.zip");
    assert.deepEqual(pruneBackups(folder, 1), [names[1]]);
  } finally {
    await ds.destroy();
    await db.drop();
    fs.rmSync(home, { recursive: true, force: true });
  }
});

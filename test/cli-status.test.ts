/**
 * `gis-sync status --stand S --json` shows that stand's view only: after objects were sent to the
 * built-in stand "local", sit01 still has every object not sent; --stand defaults to prod.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { openDatabase } from "../src/storage/database";
import { houseFixture } from "./support/house-fixture";

const BIN = path.resolve(__dirname, "../../bin/gis-sync.js");

type Row = { table: string; total: number; byStatus: Record<string, number> };

describe("gis-sync status --stand", () => {
  let home: string;
  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-cli-status-"));
    const ds = await openDatabase(`sqlite:${path.join(home, "gis-sync.sqlite")}`);
    try {
      await houseFixture(ds); // a house, its entrance, premises, accounts and two meters: ok on "local"
    } finally {
      await ds.destroy();
    }
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, GIS_SYNC_HOME: home, LOG_LEVEL: "warn" };
    delete env.DB_URL;
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, [BIN, "status", ...args], { env, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const byTable = (out: string) => Object.fromEntries((JSON.parse(out) as Row[]).map((r) => [r.table, r]));

  test("local shows what was sent there; sit01 and the default (prod) show nothing ok", () => {
    const local = run("--stand", "local", "--json");
    assert.equal(local.code, 0, local.err);
    const l = byTable(local.out);
    assert.equal(l.house.byStatus.ok, 1);
    assert.equal(l.account.byStatus.ok, 2);
    assert.equal(l.meter.byStatus.ok, 2);
    assert.equal(l.meter.byStatus.not_sent, 1);

    for (const args of [["--stand", "sit01", "--json"], ["--json"]]) {
      const r = run(...args);
      assert.equal(r.code, 0, r.err);
      const s = byTable(r.out);
      for (const row of Object.values(s)) {
        assert.equal(row.byStatus.ok, 0, `${args.join(" ")}: ${row.table} ok`);
        assert.equal(row.byStatus.not_sent, row.total, `${args.join(" ")}: ${row.table} all not sent`);
      }
      assert.equal(s.house.total, 1);
      assert.equal(s.account.total, 2);
    }

    const text = run("--stand", "sit01");
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /Стенд sit01/);
    const wrong = run("--stand", "nowhere");
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.err, /--stand/);
  });
});

/**
 * `gis-sync settings list|get|set` run as a child process against a temporary SQLite home: values
 * checked like the settings screen (ranges, enums, address lists), secrets never printed,
 * server-only settings settable here, every change audited.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { AuditLog } from "../entities";
import { openDatabase } from "../src/storage/database";

const BIN = path.resolve(__dirname, "../../bin/gis-sync.js");

describe("gis-sync settings", () => {
  let home: string;
  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-cli-settings-"));
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, GIS_SYNC_HOME: home, LOG_LEVEL: "warn" };
    delete env.DB_URL;
    delete env.NODE_TEST_CONTEXT;
    const r = spawnSync(process.execPath, [BIN, "settings", ...args], { env, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  test("list and get, in text and JSON", () => {
    const list = run("list", "--json");
    assert.equal(list.code, 0, list.err);
    const all = JSON.parse(list.out) as Array<{ key: string; value?: unknown; isDefault?: boolean; serverOnly: boolean }>;
    assert.ok(all.length > 40);
    const batch = all.find((s) => s.key === "batch.accounts")!;
    assert.equal(batch.value, 100);
    assert.equal(batch.isDefault, true);
    assert.equal(all.find((s) => s.key === "signer.command")!.serverOnly, true);
    const text = run("list");
    assert.match(text.out, /batch\.accounts = 100 {2}\(по умолчанию\)/);
    assert.match(text.out, /\[1–100\]/);
    const one = run("get", "gis.role", "--json");
    assert.equal(JSON.parse(one.out).value, "UO");
    const unknown = run("get", "no.such");
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no\.such/);
  });

  test("set validates like the settings screen and is audited; --default resets", async () => {
    const ok = run("set", "batch.accounts", "50", "--json");
    assert.equal(ok.code, 0, ok.err);
    assert.equal(JSON.parse(ok.out).value, 50);
    assert.equal(JSON.parse(run("get", "batch.accounts", "--json").out).value, 50);
    const range = run("set", "batch.accounts", "500");
    assert.equal(range.code, 2);
    assert.match(range.err, /batch\.accounts.*вне допустимого диапазона 1–100/);
    const notInt = run("set", "batch.accounts", "many");
    assert.match(notInt.err, /ожидается целое число/);
    const badEnum = run("set", "gis.role", "BANK");
    assert.match(badEnum.err, /gis\.role.*допустимые значения/);
    const bool = run("set", "exchange.verboseLog", "true", "--json");
    assert.equal(JSON.parse(bool.out).value, true);
    const badProxy = run("set", "server.trustedProxies", "10.0.0.1, proxy.local");
    assert.equal(badProxy.code, 2);
    assert.match(badProxy.err, /server\.trustedProxies.*proxy\.local/);
    assert.equal(run("set", "server.trustedProxies", "10.0.0.1, 192.168.0.0/16").code, 0);
    // Server-only: refused over the web, set here.
    const lib = run("set", "signer.pkcs11Library", "/usr/lib/softhsm/libsofthsm2.so", "--json");
    assert.equal(lib.code, 0, lib.err);
    assert.equal(JSON.parse(lib.out).value, "/usr/lib/softhsm/libsofthsm2.so");
    // A secret is never printed back.
    const secret = run("set", "server.metricsTokenSource", "env:METRICS_TOKEN_SECRET_NAME");
    assert.equal(secret.code, 0, secret.err);
    assert.doesNotMatch(secret.out + run("list").out + run("list", "--json").out, /METRICS_TOKEN_SECRET_NAME/);
    const badSecret = run("set", "server.metricsTokenSource", "plain-token");
    assert.match(badSecret.err, /env:ПЕРЕМЕННАЯ или file:\/путь/);
    const reset = run("set", "batch.accounts", "--default", "--json");
    assert.equal(JSON.parse(reset.out).isDefault, true);
    assert.equal(JSON.parse(reset.out).value, 100);
    assert.equal(run("set", "batch.accounts").code, 2, "a value or --default is required");

    const ds = await openDatabase(`sqlite:${path.join(home, "gis-sync.sqlite")}`);
    try {
      const rows = await ds.getRepository(AuditLog).find({ where: { action: "setting.change" }, order: { id: "ASC" } });
      assert.deepEqual(
        rows.map((r) => r.target),
        ["batch.accounts", "exchange.verboseLog", "server.trustedProxies", "signer.pkcs11Library", "server.metricsTokenSource", "batch.accounts"],
      );
      assert.ok(rows.every((r) => r.actor.startsWith("cli:")));
      assert.deepEqual(JSON.parse(rows[0].details!), { from: 100, to: 50, via: "cli" });
      assert.doesNotMatch(rows.map((r) => r.details).join(" "), /METRICS_TOKEN_SECRET_NAME/);
    } finally {
      await ds.destroy();
    }
  });
});

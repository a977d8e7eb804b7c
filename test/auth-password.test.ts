import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword, verifyPassword } from "../src/auth/password";

test("passwords: scrypt hash with salt, verifies only the right password", async () => {
  const a = await hashPassword("Пароль-надёжный-1");
  const b = await hashPassword("Пароль-надёжный-1");
  assert.notEqual(a, b, "salted");
  assert.match(a, /^scrypt\$32768\$8\$1\$/);
  assert.equal(await verifyPassword("Пароль-надёжный-1", a), true);
  assert.equal(await verifyPassword("пароль-надёжный-1", a), false);
  await assert.rejects(hashPassword("short"), /не короче 8/);
});

test("cli: `gis-sync user add --admin` creates the first administrator, password never echoed", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-user-"));
  const env = { ...process.env, GIS_SYNC_HOME: home, DB_URL: "", GIS_SYNC_PASSWORD: "Secret-Passw0rd" };
  delete (env as Record<string, string | undefined>).DB_URL;
  const bin = path.join(__dirname, "..", "..", "bin", "gis-sync.js");
  const out = execFileSync(process.execPath, [bin, "user", "add", "admin", "--admin"], { env, encoding: "utf8" });
  assert.match(out, /Создан пользователь admin \(роль: admin\)/);
  assert.doesNotMatch(out, /Secret-Passw0rd/);
  const list = execFileSync(process.execPath, [bin, "user", "list"], { env, encoding: "utf8" });
  assert.match(list, /^admin\tadmin\tактивен/m);
  let failed: { status: number; stderr: string } | undefined;
  try {
    execFileSync(process.execPath, [bin, "user", "add", "x", "--role", "boss"], { env, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    failed = e as { status: number; stderr: string };
  }
  assert.equal(failed?.status, 1);
  assert.match(failed!.stderr, /Неизвестная роль «boss»/);
  assert.doesNotMatch(failed!.stderr, /at .*\.js:\d+/, "no stack trace for the user");
  fs.rmSync(home, { recursive: true, force: true });
});

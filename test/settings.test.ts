import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTestDb } from "./support/databases";
import { getSetting, setSetting } from "../src/settings/settings";
import { SETTINGS } from "../src/settings/definitions";

test("settings: defaults, stored values, ranges with a clear message", async () => {
  await withTestDb("sqlite", async (ds) => {
    assert.equal(await getSetting(ds, "batch.accounts"), 100, "the manual's default");
    await setSetting(ds, "batch.accounts", "50", "admin");
    assert.equal(await getSetting(ds, "batch.accounts"), 50);
    await assert.rejects(setSetting(ds, "batch.accounts", 101), /Лицевые счета в одном запросе.*вне допустимого диапазона 1–100/);
    await assert.rejects(setSetting(ds, "gis.role", "BANK"), /допустимые значения/);
    await assert.rejects(getSetting(ds, "no.such"), /Unknown setting/);
  });
});

test("settings: every definition's default is itself valid", () => {
  for (const d of SETTINGS) {
    if (d.default === null) continue;
    if (d.type === "int") assert.ok((d.min ?? -Infinity) <= (d.default as number) && (d.default as number) <= (d.max ?? Infinity), d.key);
    if (d.type === "enum") assert.ok(d.values?.includes(d.default as string), d.key);
  }
});

/**
 * The header's organization and stand in a real browser: every status column follows the picker. A
 * house sent to "local" (ok there) and never to "sit01" shows ok, then not sent, in the house
 * directory and on its card; an organization picked narrows the list. Screenshots in test-artifacts/.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DataSource } from "typeorm";
import type { Browser, Page } from "playwright-core";
import { User } from "../entities";
import { RunningServer, startServer } from "../src/api/server";
import { hashPassword } from "../src/auth/password";
import { browserAvailable, launchBrowser, screenshot } from "./support/browser";
import { withTestDb } from "./support/databases";
import { HouseFixture, houseFixture } from "./support/house-fixture";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "operator password 1";

let ds: DataSource;
let fx: HouseFixture;
let server: RunningServer;
let browser: Browser;
let page: Page;
let release: () => void;
let finished: Promise<void>;
const consoleErrors: string[] = [];

before(async () => {
  if (!browserAvailable()) return;
  await new Promise<void>((ready, fail) => {
    finished = withTestDb("sqlite", async (d) => {
      ds = d;
      fx = await houseFixture(ds); // everything of the house ok on "local", nothing on sit01
      await ds.getRepository(User).insert({
        login: "operator",
        displayName: "Оператор Тестов",
        role: "admin",
        passwordHash: await hashPassword(PASSWORD),
        active: true,
        createdAt: new Date(),
        lastLoginAt: null,
      });
      server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local" });
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "ru-RU" });
      page.on("pageerror", (e) => consoleErrors.push(e.message));
      ready();
      await new Promise<void>((r) => (release = r));
      await browser.close();
      await server.close();
    }).catch((e) => {
      fail(e);
      throw e;
    });
  });
});

after(async () => {
  if (!release) return;
  release();
  await finished;
});

test("browser: the header's organization and stand switch every status column (ok on local, not sent on sit01)", {
  skip: !browserAvailable() && "no chromium",
}, async () => {
  await page.goto(`${server.url}/login`);
  await page.fill("#login", "operator");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForSelector("nav#nav a[aria-current=page]");
  await page.click("nav#nav >> text=Справочник домов");
  await page.waitForSelector("table.grid tbody tr input[data-id]");
  const houseId = fx.house.id;

  // Each change of the picker draws the screen again: mark the table to know the new one.
  const redrawn = async (change: () => Promise<unknown>) => {
    await page.evaluate(() => document.querySelector("main table.grid")?.setAttribute("data-old", "1"));
    await change();
    await page.waitForSelector("main table.grid:not([data-old]) tbody tr");
  };
  const state = (kind: string) => page.locator(`tr.house-${houseId} [data-kind=${kind}]`).getAttribute("data-state");
  await redrawn(() => page.selectOption("#scope-org", String(fx.org.id)));
  assert.equal(await page.inputValue("#scope-stand"), "local");
  assert.equal(await state("house"), "ok");
  assert.equal(await state("account"), "ok");
  await screenshot(page, "stands-1-houses-local");
  await redrawn(() => page.selectOption("#scope-stand", "sit01"));
  assert.equal(await state("house"), "not_sent");
  assert.equal(await state("account"), "not_sent");
  assert.equal(await state("premise"), "not_sent");
  await screenshot(page, "stands-2-houses-sit01");

  // The house card follows the picker too: its status bar and its accounts tab.
  await page.click(`tr.house-${houseId} a`);
  await page.waitForSelector(".statusbar [data-kind=house]");
  assert.equal(await page.locator(".statusbar [data-kind=house]").getAttribute("data-state"), "not_sent");
  await page.selectOption("#scope-stand", "local");
  await page.waitForSelector(".statusbar [data-kind=house][data-state=ok]");
  await screenshot(page, "stands-3-house-card-local");

  // Back to the directory: every organization, the stand kept.
  await page.click("nav#nav >> text=Справочник домов");
  await page.waitForSelector("table.grid tbody tr input[data-id]");
  await redrawn(() => page.selectOption("#scope-org", ""));
  assert.equal(await page.inputValue("#scope-stand"), "local");
  assert.equal(await state("house"), "ok");
  assert.deepEqual(consoleErrors, []);
});

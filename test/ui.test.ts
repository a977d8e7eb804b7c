/**
 * The web UI in a real browser (chromium via playwright-core) against the built-in stand: log in,
 * open the house directory, start a sync of one house, watch its status turn green, open the
 * operation in the exchange viewer, download its XML. Screenshots in test-artifacts/. The header's
 * organization and stand picker switching the status columns: test/ui-stands.test.ts.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { DataSource } from "typeorm";
import { In, IsNull, Not } from "typeorm";
import { AuditLog, GisOperation, House, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { getSetting } from "../src/settings/settings";
import { RunningServer, startServer } from "../src/api/server";
import { withTestDb } from "./support/databases";
import { STAND, reloadAt } from "./support/identity";
import { PipelineEnv, REDIS_URL, pipelineEnv } from "./support/pipeline-env";
import { ARTIFACTS, Client, browserAvailable, launchBrowser, screenshot } from "./support/browser";
import type { Browser, Page } from "playwright-core";

const PASSWORD = "operator password 1";

let ds: DataSource;
let env: PipelineEnv;
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
      env = await pipelineEnv(ds, { fund: true });
      await ds.getRepository(User).insert({
        login: "operator",
        displayName: "Оператор Тестов",
        role: "admin",
        passwordHash: await hashPassword(PASSWORD),
        active: true,
        createdAt: new Date(),
        lastLoginAt: null,
      });
      server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, runtimes: { local: env.rt }, defaultStand: "local" });
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true, locale: "ru-RU" });
      page.on("console", (m) => {
        if (m.type() === "error") consoleErrors.push(m.text());
      });
      page.on("pageerror", (e) => consoleErrors.push(e.message));
      ready();
      await new Promise<void>((r) => (release = r));
      await browser.close();
      await server.close();
      await env.close();
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

test("browser: log in, sync one house against the built-in stand, see it green, open its operation, download the XML", {
  skip: !browserAvailable() && "no chromium",
}, async () => {
  await page.goto(server.url);
  await page.waitForURL(/\/login$/);
  await page.fill("#login", "operator");
  await page.fill("#password", "wrong password");
  await page.click("button[type=submit]");
  await page.waitForSelector("#login-error:not([hidden])");
  assert.match((await page.textContent("#login-error")) ?? "", /Неверный логин или пароль/);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForSelector("nav#nav a[aria-current=page]");
  await page.waitForSelector("section.card h2");
  await screenshot(page, "01-dashboard");

  // The house directory: a house of the demo bundle that is not deliberately broken.
  const house = (await ds.getRepository(House).find({ order: { id: "ASC" } })).find((h) => h.fiasHouseGuid)!;
  await page.click("nav#nav >> text=Справочник домов");
  await page.waitForSelector("table.grid tbody tr input[data-id]");
  await screenshot(page, "02-houses");
  const row = page.locator(`tr.house-${house.id}`);
  assert.equal(await row.locator(`[data-kind=house]`).getAttribute("data-state"), "not_sent");

  await row.locator("input[type=checkbox]").check();
  await page.click(".toolbar button[data-mode=sync]");
  await page.waitForSelector(".run-status progress");
  await screenshot(page, "03-sync-running");
  await page.waitForSelector(".run-status[data-state]", { timeout: 240_000 });
  const outcome = await page.textContent(".run-status");
  await screenshot(page, "04-sync-finished");

  // The list reloads when the run ends: wait for the house's own column to settle.
  await page
    .waitForSelector(`tr.house-${house.id} [data-kind=house]:not([data-state=not_sent]):not([data-state=in_progress])`, { timeout: 15_000 })
    .catch(() => undefined);
  const state = await page.locator(`tr.house-${house.id} [data-kind=house]`).getAttribute("data-state");
  const saved = await reloadAt(ds, "house", house.id, STAND);
  assert.equal(state, "ok", `house ${house.address}: ${saved.sync.status} ${saved.sync.errorCode ?? ""} ${saved.sync.errorText ?? ""}; run: ${outcome}`);
  const accounts = await page.locator(`tr.house-${house.id} [data-kind=account]`).getAttribute("data-state");
  console.log(`sync of house ${house.id}: ${outcome?.trim()}; house ${state}, accounts ${accounts}`);

  // A red status opens the errors behind it.
  if (accounts === "error") {
    await page.click(`tr.house-${house.id} button[data-kind=account]`);
    await page.waitForSelector("dialog.modal table.grid tbody tr td code");
    await screenshot(page, "04b-account-errors");
    await page.keyboard.press("Escape");
  }

  // The house card shows the attempt.
  await page.click(`tr.house-${house.id} a`);
  await page.waitForSelector(".tabs");
  await page.click(".tabs >> text=Попытки отправки");
  await page.waitForSelector(".tabpanel table.grid tbody tr td a");
  await screenshot(page, "05-house-attempts");

  // The exchange viewer: the operation that sent the house, its result XML, the zip.
  await page.click(".tabpanel table.grid tbody tr td a:has-text('HouseData')");
  await page.waitForSelector("pre.xml");
  assert.match((await page.textContent("main h1")) ?? "", /HouseData/);
  const xml = await page.textContent("pre.xml");
  assert.match(xml ?? "", /getStateResult|ImportResult|RequestState/);
  await page.fill(".xmlview input[type=search]", "RequestState");
  await page.waitForSelector("pre.xml mark.current");
  await screenshot(page, "06-operation-result");
  await page.click(".tabs >> text=Запрос");
  await page.waitForSelector("pre.xml");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-xml")]);
  const file = path.join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(file);
  const zip = fs.readFileSync(file);
  assert.equal(zip.subarray(0, 2).toString(), "PK");
  assert.ok(zip.includes(Buffer.from("-signed-request.xml")));
  assert.ok((await ds.getRepository(AuditLog).countBy({ action: "archive.export", actor: "operator" })) >= 1);
  assert.ok((await ds.getRepository(AuditLog).countBy({ action: "run.start", actor: "operator" })) === 1);

  // Retry an operation GIS answered with errors: it goes out again under a new MessageGUID and ends again.
  const failed = await ds
    .getRepository(GisOperation)
    .findOne({ where: { state: In(["done_with_errors", "failed"]), runId: Not(IsNull()) }, order: { createdAt: "ASC" } });
  if (failed) {
    const api = new Client(server.url);
    await api.login("operator", PASSWORD);
    const retried = await api.send("POST", `/api/operations/${failed.id}/retry`);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(retried.json.attempts, failed.attempts + 1);
    assert.notEqual(retried.json.messageGuid, failed.messageGuid);
    const until = Date.now() + 60_000;
    let again = await ds.getRepository(GisOperation).findOneByOrFail({ id: failed.id });
    while (!again.finishedAt && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      again = await ds.getRepository(GisOperation).findOneByOrFail({ id: failed.id });
    }
    assert.ok(again.finishedAt, `retried ${failed.method} did not finish: ${again.state}`);
    console.log(`retry of ${failed.method}: ${failed.state} → ${again.state}`);
    assert.equal(await ds.getRepository(AuditLog).countBy({ action: "operation.retry", actor: "operator" }), 1);
  }

  await page.click("nav#nav >> text=Обмен с ГИС");
  await page.waitForSelector("table.grid tbody tr.clickable");
  await screenshot(page, "07-exchange");
  await page.click("nav#nav >> text=Процессы");
  await page.waitForSelector("section.card h2 >> text=Очереди стенда local");
  await screenshot(page, "08-processes");
  await page.click("nav#nav >> text=Настройки");
  await page.waitForSelector(".setting");
  await screenshot(page, "09-settings");
  await page.click("nav#nav >> text=Сводка");
  await page.waitForSelector("section.card h2 >> text=Ошибки ГИС по кодам");
  // Errors by code after the sync (pre-flight and GIS codes), or the empty note when there were none.
  await page.waitForSelector("table.grid code, :text('Ошибок нет')");
  await screenshot(page, "10-dashboard-after-sync");
  // Every screen of the menu opens without an error.
  const titles = await page.locator("nav#nav a").allTextContents();
  assert.equal(titles.length, 16);
  for (const title of titles) {
    await page.click(`nav#nav a:text-is("${title}")`);
    await page.waitForFunction(
      (t) => document.querySelector("main h1")?.textContent === t && !document.querySelector("main")!.textContent!.includes("Загрузка…"),
      title,
    );
    await page.waitForLoadState("networkidle");
    assert.equal(await page.locator("main .error").count(), 0, `${title}: ${await page.locator("main .error").allTextContents()}`);
    await screenshot(page, `20-${titles.indexOf(title)}`);
  }
  assert.deepEqual(
    consoleErrors.filter((e) => !/Failed to load resource/.test(e)),
    [],
    "no script errors (CSP violations included)",
  );
});

test("browser: settings save a whole group at once, warn before leaving with unsaved edits; audit reads in Russian", {
  skip: !browserAvailable() && "no chromium",
}, async () => {
  if (!page.url().startsWith(server.url) || page.url().endsWith("/login")) {
    await page.goto(`${server.url}/login`);
    await page.fill("#login", "operator");
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForSelector("nav#nav a[aria-current=page]");
  }
  await page.click("nav#nav >> text=Настройки");
  const group = page.locator("form.settings-group[data-group=retention]");
  await group.waitFor();
  // The server group is there; server-only settings are read-only with the command to use; help texts show.
  assert.equal(await page.locator("form.settings-group[data-group=server]").count(), 1);
  assert.ok(await page.locator('[id="set-signer.pkcs11Library"]').isDisabled());
  assert.match((await page.locator('.setting[data-key="signer.pkcs11Library"]').textContent()) ?? "", /gis-sync settings set signer\.pkcs11Library/);
  assert.match((await page.locator('.setting[data-key="gis.formatPackage"] .hint').textContent()) ?? "", /16\.3\.0\.0/);
  // Organizations by name, not by number.
  const orgOptions = await page.locator('[id="set-gis.ourOrganizationId"] option').allTextContents();
  assert.ok(orgOptions.length >= 2 && orgOptions.slice(1).every((t) => /\D/.test(t) && !/^\d+$/.test(t)), orgOptions.join(" | "));
  const before = await ds.getRepository(AuditLog).countBy({ action: "setting.change" });

  await page.fill('[id="set-retention.queueDays"]', "45");
  await page.fill('[id="set-retention.messagesDays"]', "40");
  await page.waitForSelector("form.settings-group[data-group=retention] :text('Не сохранено: 2')");
  // Only one «Сохранить» per group.
  assert.equal(await group.locator("button[type=submit]").count(), 1);
  await screenshot(page, "30-settings-unsaved");

  // Leaving asks first; «no» keeps the screen and the edits.
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.click("nav#nav >> text=Сводка");
  await page.waitForTimeout(300);
  assert.match(asked, /несохранённые изменения/);
  assert.match(page.url(), /#\/settings$/);
  assert.equal(await page.inputValue('[id="set-retention.queueDays"]'), "45");

  await group.locator("button[type=submit]").click();
  await page.waitForSelector("form.settings-group[data-group=retention] :text('Сохранено: 2')");
  assert.equal(await ds.getRepository(AuditLog).countBy({ action: "setting.change" }), before + 2);
  assert.equal(await getSetting(ds, "retention.queueDays"), 45);
  assert.equal(await getSetting(ds, "retention.messagesDays"), 40);
  await screenshot(page, "31-settings-saved");

  // Saved: leaving asks nothing.
  asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.click("nav#nav >> text=Журнал аудита");
  await page.waitForSelector("main h1 >> text=Журнал аудита");
  await page.waitForSelector("table.grid [data-action='setting.change']");
  assert.equal(asked, "");
  // Actions and details in words, not codes and JSON; times as дд.мм.гггг чч:мм.
  const row = page.locator("table.grid tbody tr", { has: page.locator("[data-action='setting.change']") }).first();
  const text = (await row.textContent()) ?? "";
  assert.match(text, /изменение настройки/);
  assert.match(text, /было: \d+; стало: \d+; через: веб-интерфейс/);
  assert.doesNotMatch(text, /[{}"]/);
  assert.match((await row.locator("td").first().textContent()) ?? "", /^\d{2}\.\d{2}\.\d{4}\s\d{2}:\d{2}$/);
  await screenshot(page, "32-audit-russian");

  // At 1366 px no screen is wider than the window; the runs list shows the run of the first test with its summary.
  await page.setViewportSize({ width: 1366, height: 768 });
  for (const screen of ["exchange", "runs", "dashboard", "houses", "settings", "processes"]) {
    await page.goto(`${server.url}/#/${screen}`);
    await page.waitForFunction(() => !!document.querySelector("main h1") && !document.querySelector("main")!.textContent!.includes("Загрузка…"));
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(`${screen} at 1366 px: ${width} px wide`);
    assert.ok(width <= 1366, `${screen} is ${width} px wide at 1366 px`);
    assert.equal(await page.getAttribute("nav#nav a[aria-current=page]", "href"), `#/${screen}`);
  }
  await page.goto(`${server.url}/#/runs`);
  await page.waitForSelector("table.grid [data-state]");
  await screenshot(page, "33-runs-1366");
  await page.setViewportSize({ width: 1400, height: 900 });

  // A password change is a form, not a browser prompt: a mismatch is said in the form, a real change ends in a toast.
  await page.click("#change-password");
  await page.fill("#pw-current", PASSWORD);
  await page.fill("#pw-new", "new operator password");
  await page.fill("#pw-again", "another password");
  await page.click("dialog.modal button[type=submit]");
  await page.waitForSelector("dialog.modal .error:text('Пароли не совпадают')");
  await page.fill("#pw-again", "new operator password");
  await page.click("dialog.modal button[type=submit]");
  await page.waitForSelector(".toast:text('Пароль изменён')");
  assert.equal(await page.locator("dialog.modal").count(), 0);
  assert.ok((await ds.getRepository(AuditLog).countBy({ action: "password.change", actor: "operator" })) >= 1);
  // The toast belongs to its screen: gone on the next one.
  await page.click("nav#nav >> text=Сводка");
  await page.waitForSelector("main h1 >> text=Сводка");
  assert.equal(await page.locator(".toast").count(), 0);
});

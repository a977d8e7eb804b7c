/**
 * «Файлы» in a real browser (chromium via playwright-core) against the built-in stand: upload a
 * billing bundle (a zip) with its progress and see its journal, filter it; download an Excel
 * template and check it is a valid xlsx; open «Проверить платежи», choose a period and statuses,
 * and see the run start with them and end. Screenshots in test-artifacts/.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { DataSource } from "typeorm";
import type { Browser, Page } from "playwright-core";
import { GisOperation, ImportRun, PipelineRun, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { zipFiles } from "../src/api/zip";
import { openXlsx } from "../src/excel/xlsx-stream";
import { FIXTURE } from "./support/bundle-fixture";
import { ARTIFACTS, browserAvailable, launchBrowser, screenshot } from "./support/browser";
import { withTestDb } from "./support/databases";
import { PipelineEnv, REDIS_URL, pipelineEnv } from "./support/pipeline-env";

const PASSWORD = "files screen password";

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
      env = await pipelineEnv(ds);
      // The organization registry and NSI first, as the demo does: the payments check needs orgPPAGUID.
      const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["services"], mode: "sync", trigger: "test" });
      await env.rt.waitForRun(run.id, undefined, 60_000);
      await ds.getRepository(User).insert({
        login: "operator",
        displayName: "Оператор Файлов",
        role: "operator",
        passwordHash: await hashPassword(PASSWORD),
        active: true,
        createdAt: new Date(),
        lastLoginAt: null,
      });
      server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, runtimes: { local: env.rt }, defaultStand: "local" });
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true, locale: "ru-RU" });
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

async function login(p: Page): Promise<void> {
  await p.goto(server.url);
  await p.waitForURL(/\/login$/);
  await p.fill("#login", "operator");
  await p.fill("#password", PASSWORD);
  await p.click("button[type=submit]");
  await p.waitForSelector("nav#nav a[aria-current=page]");
}

test("browser: upload a bundle zip with progress, see and filter its journal", { skip: !browserAvailable() && "no chromium" }, async () => {
  await login(page);
  await page.click("nav#nav >> text=Файлы");
  await page.waitForSelector("input[name=bundle]");
  const zip = path.join(ARTIFACTS, "files-bundle.zip");
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(zip, await zipFiles(Object.entries(FIXTURE).map(([name, text]) => ({ name: `${name}.csv`, data: `${text}\n` }))));
  await page.setInputFiles("input[name=bundle]", zip);
  await page.click("#upload-bundle");
  await page.waitForSelector(".upload-status[data-status]", { timeout: 60_000 });
  assert.equal(await page.getAttribute("progress.upload", "value"), "100");
  assert.match((await page.textContent(".upload-status")) ?? "", /успешно, с ошибками/);
  await page.waitForSelector(".import-journal table.grid tbody tr");
  const rows = await page.locator(".import-journal table.grid tbody tr").count();
  assert.equal(rows, 9);
  await screenshot(page, "files-01-upload-journal");
  // Only the errors of premises.csv.
  await page.selectOption(".import-journal select[name=file]", "premises.csv");
  await page.selectOption(".import-journal select[name=severity]", "error");
  await page.click(".import-journal form.filters button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll(".import-journal table.grid tbody tr").length === 1);
  assert.match((await page.textContent(".import-journal table.grid tbody tr")) ?? "", /premises\.csv\s*4\s*house_id/);
  await screenshot(page, "files-02-journal-filtered");
  const run = await ds.getRepository(ImportRun).findOneOrFail({ where: {}, order: { id: "DESC" } });
  assert.equal(run.author, "operator");
  assert.match(run.source, /files-bundle\.zip/);
});

test("browser: an Excel template download is a valid xlsx", { skip: !browserAvailable() && "no chromium" }, async () => {
  await page.click(".tabs >> text=Excel ГИС ЖКХ");
  await page.waitForSelector("#excel-export");
  await page.selectOption("select[name=kind]", "accounts");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#excel-export")]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const file = path.join(ARTIFACTS, `files-${download.suggestedFilename()}`);
  await download.saveAs(file);
  const data = fs.readFileSync(file);
  assert.equal(data.subarray(0, 2).toString(), "PK");
  const sheets = await openXlsx(file);
  assert.ok(sheets.length >= 2, `sheets: ${sheets.map((s) => s.name)}`);
  let rows = 0;
  for await (const _ of sheets[1].rows) rows++;
  assert.ok(rows > 3, `${sheets[1].name}: ${rows} rows`);
  await screenshot(page, "files-03-excel");
});

test("browser: «Проверить платежи» starts a run with the chosen period and statuses", { skip: !browserAvailable() && "no chromium" }, async () => {
  await page.click(".tabs >> text=Платежи");
  await page.click("#check-payments");
  await page.waitForSelector("dialog.modal input[name=from]");
  await page.fill("dialog.modal input[name=from]", "2026-01-01");
  await page.fill("dialog.modal input[name=to]", "2026-01-20");
  await page.uncheck("dialog.modal input[name=status][value='3']");
  // The bundle uploaded above brought a second organization of ours: choose the stand's.
  await page.selectOption("dialog.modal select[name=organizationId]", String(env.ours.id));
  await screenshot(page, "files-04-check-payments-dialog");
  await page.click("dialog.modal button[type=submit]");
  await page.waitForSelector("dialog.modal .run-status[data-state], dialog.modal .run-status .error", { timeout: 120_000 });
  const text = (await page.textContent("dialog.modal .run-status")) ?? "";
  assert.equal(await page.locator("dialog.modal .run-status .error").count(), 0, text);
  await screenshot(page, "files-05-check-payments-done");
  const run = await ds.getRepository(PipelineRun).findOneOrFail({ where: { author: "operator" }, order: { startedAt: "DESC" } });
  const scope = JSON.parse(run.scope!);
  assert.deepEqual(scope.period, { from: "2026-01-01", to: "2026-01-20" });
  assert.deepEqual(scope.ackStatuses, [0, 1, 2, 4, 5]);
  assert.equal(run.stages, "payments");
  // Three windows of the chosen period (7 + 7 + 6 days), each one exportNotificationsOfOrderExecution.
  const ops = await ds.getRepository(GisOperation).findBy({ runId: run.id, method: "exportNotificationsOfOrderExecution" });
  assert.equal(ops.length, 3, text);
  assert.ok(
    ops.every((o) => o.state === "done"),
    ops.map((o) => `${o.state} ${o.errorText ?? ""}`).join("; "),
  );
  assert.match(text, /Завершено/);
  assert.deepEqual(
    consoleErrors.filter((e) => !/Failed to load resource/.test(e)),
    [],
  );
});

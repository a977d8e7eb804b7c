/**
 * The operator's cards in a real browser (chromium via playwright-core), one screen each: the
 * exchange viewer names objects as an operator knows them (ЛС number, factory number); a meter's
 * card (from the viewer's link) shows its identity on the chosen stand and its actions (archive,
 * replace); the organization card has its action bar and the signer link; «Доля» of the
 * dashboard's rejection rate opens the list behind it; an own marker template is saved, applied
 * and deleted in «Поля для синхронизации». No exchange is run: the data come from a billing
 * bundle and an operation written directly. Screenshots in test-artifacts/.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, test } from "node:test";
import { DataSource } from "typeorm";
import type { Browser, Page } from "playwright-core";
import { Account, GisOperation, GisOperationItem, Meter, Organization, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { importPath } from "../src/importer/import-run";
import { updateAt } from "../src/storage/identity/update";
import { browserAvailable, launchBrowser, screenshot } from "./support/browser";
import { writeFixture } from "./support/bundle-fixture";
import { withTestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";

const PASSWORD = "cards ui password 1";
const ROOT = "99999999-2222-4333-8444-555555555555";

let ds: DataSource;
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
      await ds.getRepository(User).insert({
        login: "chief",
        displayName: "Администратор",
        role: "admin",
        passwordHash: await hashPassword(PASSWORD),
        active: true,
        createdAt: new Date(),
        lastLoginAt: null,
      });
      await importPath(ds, writeFixture(), { author: "test" });
      server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local" });
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: "ru-RU" });
      page.on("pageerror", (e) => consoleErrors.push(e.message));
      page.on("dialog", (dlg) => dlg.accept());
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

/** An operation of the meters stage this month: the account placed, the meter refused. */
async function operation(account: Account, meter: Meter): Promise<string> {
  const id = crypto.randomUUID();
  await ds.getRepository(GisOperation).insert({
    id,
    stand: "local",
    organizationId: account.organizationId,
    service: "device-metering",
    method: "importMeteringDeviceData",
    stage: "meters",
    state: "done_with_errors",
    itemCount: 2,
    createdAt: new Date(),
  });
  await ds.getRepository(GisOperationItem).insert([
    { operationId: id, objectType: "account", objectId: account.id, transportGuid: crypto.randomUUID(), outcome: "ok" },
    {
      operationId: id,
      objectType: "meter",
      objectId: meter.id,
      transportGuid: crypto.randomUUID(),
      outcome: "error",
      errorCode: "SRV006",
      errorText: "Ошибка",
    },
  ]);
  return id;
}

test("browser: objects by name in the exchange viewer, meter and organization cards, the rejection rate's list, an own marker template", {
  skip: !browserAvailable() && "no chromium",
  timeout: 300_000,
}, async () => {
  const account = await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" });
  const meter = await ds.getRepository(Meter).findOneByOrFail({ externalId: "m1" });
  const org = await ds.getRepository(Organization).findOneByOrFail({ externalId: "org1" });
  const opId = await operation(account, meter);
  await updateAt(ds, "local", Meter, meter.id, { gisRootGuid: ROOT, sync: { status: "error", errorCode: "SRV006", errorText: "Ошибка" } });
  await updateAt(ds, "sit01", Meter, meter.id, { gisRootGuid: "00000000-0000-4000-8000-000000000001", sync: { status: "ok" } });

  await page.goto(server.url);
  await page.waitForURL(/\/login$/);
  await page.fill("#login", "chief");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForSelector("nav#nav a[aria-current=page]");
  await page.selectOption("#scope-stand", "local");

  // 1. The exchange viewer: the operation's objects by account number and factory number.
  await page.goto(`${server.url}/#/exchange/${opId}`);
  await page.click("[role=tab]:has-text('Объекты')");
  await page.waitForSelector(`a[href='#/accounts/${account.id}']:has-text('ЛС 100001')`);
  await page.waitForSelector(`a[href='#/meter/${meter.id}']:has-text('ПУ № ХВ-0001')`);
  await screenshot(page, "cards-exchange-names");

  // 2. The meter's card: identity of the chosen stand, its actions, its numbered attempts.
  // (Reached from the viewer's link; the house card's meters tab links here the same way.)
  await page.click(`a[href='#/meter/${meter.id}']`);
  await page.waitForSelector("h1:has-text('ПУ № ХВ-0001')");
  for (const a of ["push", "pull", "archive", "forceArchive", "replace"]) assert.equal(await page.locator(`.object-actions [data-action=${a}]`).count(), 1, a);
  await page.click("[role=tab]:has-text('ГИС')");
  await page.waitForSelector(`code:has-text('${ROOT}')`);
  assert.equal(await page.locator("code:has-text('00000000-0000-4000-8000-000000000001')").count(), 0, "another stand's GUID");
  await page.click("[role=tab]:has-text('Попытки отправки')");
  await page.waitForSelector(`.attempt-1 a[href='#/exchange/${opId}']`);
  await screenshot(page, "cards-meter");

  // 3. The organization card: send / request, the signer link.
  await page.goto(`${server.url}/#/organizations`);
  await page.click(`a[href='#/organizations/${org.id}']`);
  await page.waitForSelector(".object-actions[data-type=organization] [data-action=pull]");
  assert.equal(await page.locator(".object-actions [data-action=push]").count(), 1);
  await page.click("[role=tab]:has-text('Подпись')");
  await page.waitForSelector("#signer-link");
  await screenshot(page, "cards-organization");

  // 4. An own marker template: saved, applied, deleted.
  await page.goto(`${server.url}/#/sync-fields`);
  await page.click("[role=tab][data-id=account]");
  await page.uncheck("input[data-field=totalArea][data-mark=replicated]");
  await page.fill("#own-template-name", "Площади ЛС вручную");
  await page.click("#own-template-save");
  await page.waitForSelector(".own-templates td:has-text('Площади ЛС вручную')");
  await page.click(".own-templates [data-apply]");
  await page.waitForSelector(".toast:has-text('установлен')");
  await page.waitForSelector("input[data-field=totalArea][data-mark=replicated]:not(:checked)");
  await screenshot(page, "cards-own-template");
  await page.click(".own-templates [data-delete]");
  await page.waitForSelector(".own-templates :text('Своих шаблонов нет')");
  // 5. «Доля» of the rejection rate opens the meters in error. The dashboard's figures are given
  // (this tests the link; the figures are the dashboard API's own tests').
  const month = new Date().toISOString().slice(0, 7);
  const figures = {
    generatedAt: new Date().toISOString(),
    kinds: [],
    organizations: [],
    inFlight: [],
    running: [],
    throughput: [],
    errorsByCode: [],
    rejectionRate: [{ month, stage: "meters", objects: 2, rejected: 1, rate: 0.5 }],
    deadlines: [],
  };
  await page.route(/\/api\/dashboard/, (r) => r.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(figures) }));
  await page.goto(`${server.url}/#/dashboard`);
  await page.waitForSelector("a.rejection-rate:has-text('50.0 %')");
  await page.click("a.rejection-rate");
  await page.waitForURL(/#\/objects\/meter\/error/);
  await page.waitForSelector("h1:has-text('Приборы учёта')");

  assert.deepEqual(consoleErrors, []);
});

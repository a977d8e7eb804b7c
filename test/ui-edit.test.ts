/**
 * Entry, markers and object actions in a real browser (chromium via playwright-core) against the
 * built-in stand: choose the «Характеристики фонда вручную» template in «Поля для синхронизации»,
 * edit an account's area on its card and send it again — the stand receives the new area, and the
 * card numbers the attempts; archive a meter from the account's meters tab with its reason — the
 * meter ends archived in the stand. Screenshots in test-artifacts/.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DataSource } from "typeorm";
import type { Browser, Page } from "playwright-core";
import { Account, House, Meter, MeterAccount, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { STAGES } from "../src/stages/descriptor";
import { tables } from "../src/stand/domain/state";
import { hydrate, oneAt } from "../src/storage/identity/store";
import { browserAvailable, launchBrowser, screenshot } from "./support/browser";
import { withTestDb } from "./support/databases";
import { PipelineEnv, REDIS_URL, pipelineEnv } from "./support/pipeline-env";

const PASSWORD = "edit ui password 1";

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
        login: "chief",
        displayName: "Администратор",
        role: "admin",
        passwordHash: await hashPassword(PASSWORD),
        active: true,
        createdAt: new Date(),
        lastLoginAt: null,
      });
      server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, runtimes: { local: env.rt }, defaultStand: "local" });
      browser = await launchBrowser();
      page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: "ru-RU" });
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

/** Waits for a run's end on screen; on a timeout, a screenshot and what the screen says. */
async function finished_(selector: string, shot: string): Promise<void> {
  try {
    await page.waitForSelector(selector, { timeout: 120_000 });
  } catch (e) {
    await screenshot(page, shot);
    const said = await page.locator(".run-status, dialog.modal .error, .toast").allTextContents();
    throw new Error(`${(e as Error).message}; on screen: ${said.join(" | ")}`);
  }
}

/** A house of the demo synced through every stage, so its accounts and meters are in the stand. */
async function placedAccountWithMeter(): Promise<{ account: Account; meter: Meter }> {
  const houses = (await ds.getRepository(House).find({ order: { id: "ASC" } })).filter((h) => h.fiasHouseGuid);
  for (const house of houses.slice(0, 3)) {
    const run = await env.rt.pipeline.startRun({
      stand: "local",
      organizationId: env.ours.id,
      stages: [...STAGES],
      mode: "sync",
      scope: { houseIds: [house.id] },
      trigger: "test",
    });
    await env.rt.waitForRun(run.id, undefined, 180_000);
    const meters = await hydrate(
      ds,
      "meter",
      await ds.getRepository(Meter).find({ where: { houseId: house.id, state: "active" }, order: { id: "ASC" } }),
      "local",
    );
    for (const meter of meters.filter((m) => m.gisVersionGuid)) {
      const link = await ds.getRepository(MeterAccount).findOneBy({ meterId: meter.id });
      const account = link ? await oneAt(ds, "account", link.accountId, "local") : null;
      if (account?.gisAccountGuid && !account.closedDate) return { account, meter };
    }
  }
  throw new Error("no placed account with a placed meter in the first demo houses");
}

test("browser: a marker template, an account edited and sent again, a meter archived — the stand has both", {
  skip: !browserAvailable() && "no chromium",
  timeout: 600_000,
}, async () => {
  const { account, meter } = await placedAccountWithMeter();
  const stand = tables(env.stand.store);
  const newArea = Number(((account.totalArea ?? 40) + 3.7).toFixed(2));

  await page.goto(server.url);
  await page.waitForURL(/\/login$/);
  await page.fill("#login", "chief");
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForSelector("nav#nav a[aria-current=page]");

  // The account's area comes from billing: read-only on the card until its marker is lifted.
  await page.goto(`${server.url}/#/accounts/${account.id}`);
  await page.click("button.edit-object");
  await page.waitForSelector("form.edit-form #f-totalArea[disabled]");
  await screenshot(page, "edit-01-account-form-replicated");
  await page.keyboard.press("Escape");

  await page.click("nav#nav >> text=Поля для синхронизации");
  await page.waitForSelector("table.grid input[data-mark=replicated]");
  await page.click("#choose-template");
  await page.selectOption("#template", "fund-by-hand");
  await page.click("#template-ok");
  await page.waitForSelector(".tabs button[data-id=account]");
  await page.click(".tabs button[data-id=account]");
  await page.waitForSelector("input[data-field=totalArea][data-mark=replicated]:not(:checked)");
  await screenshot(page, "edit-02-sync-fields");

  // Edit the area on the card: a bad value is named, a good one saved.
  await page.goto(`${server.url}/#/accounts/${account.id}`);
  await page.reload();
  await page.click("button.edit-object");
  await page.waitForSelector("form.edit-form #f-totalArea:not([disabled])");
  await page.fill("#f-totalArea", "сорок");
  await page.click("form.edit-form button[type=submit]");
  await page.waitForSelector(".form-row.invalid[data-row=totalArea] .field-error:text('должно быть числом')");
  await screenshot(page, "edit-03-account-invalid");
  await page.fill("#f-totalArea", String(newArea).replace(".", ","));
  await page.click("form.edit-form button[type=submit]");
  await page.waitForSelector("dialog.modal", { state: "detached" });
  const edited = (await oneAt(ds, "account", account.id, "local"))!;
  assert.equal(edited.totalArea, newArea);
  assert.ok(edited.sync.changedAt! > edited.sync.syncedAt!, "marked changed for «Отправить изменения»");

  // Send it again from the card: the dialog says what GIS is told; the stand receives the new area.
  await page.waitForSelector(".object-actions button[data-action=push]");
  await page.click(".object-actions button[data-action=push]");
  await page.waitForSelector("dialog.modal .action-tells");
  await screenshot(page, "edit-04-send-confirm");
  await page.click("#action-confirm");
  await finished_(".object-actions .action-status[data-state]", "edit-04b-send-stuck");
  const placed = stand.accounts.get(account.gisAccountGuid!.toLowerCase());
  assert.ok(placed, "the stand has the account");
  assert.ok(placed.content.includes(String(newArea)), `the stand's account has the new area ${newArea}: ${placed.content.slice(0, 400)}`);
  await page.click(".tabs >> text=Попытки отправки");
  await page.waitForSelector(".attempts table.grid tr.attempt-2");
  assert.match((await page.textContent(".attempts table.grid tr.attempt-2")) ?? "", /2-я/);
  await screenshot(page, "edit-05-attempts-numbered");

  // Archive the meter from the account's meters tab, with a reason chosen in the dialog.
  await page.click(".tabs >> text=Приборы учёта");
  await page.waitForSelector(`tr.meter-${meter.id} input[type=checkbox]`);
  await page.check(`tr.meter-${meter.id} input[type=checkbox]`);
  await page.click(".object-actions[data-type=meter] button[data-action=archive]");
  await page.waitForSelector("dialog.modal .action-tells");
  if (!meter.archiveReasonCode) {
    const options = await page.locator("#archive-reason option").count();
    assert.ok(options > 1, "NSI 224 reasons to choose from");
    await page.selectOption("#archive-reason", { index: 1 });
  }
  await screenshot(page, "edit-06-archive-confirm");
  await page.click("#action-confirm");
  await finished_(".object-actions[data-type=meter] .action-status[data-state]", "edit-06b-archive-stuck");
  await screenshot(page, "edit-07-archived");
  const archived = (await oneAt(ds, "meter", meter.id, "local"))!;
  assert.equal(archived.state, "archived");
  const inStand = stand.meters.get(meter.gisRootGuid!.toLowerCase());
  assert.equal(inStand?.status, "Archival", `the stand's meter: ${inStand?.status}; ours: ${archived.sync.status} ${archived.sync.errorText ?? ""}`);
  assert.deepEqual(consoleErrors, []);
});

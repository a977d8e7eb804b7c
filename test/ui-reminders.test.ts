/**
 * In a real browser (chromium via playwright-core): an accountant subscribes to reminders from the
 * header («Напоминания»), the `reminders` schedule job runs, and the test SMTP server (smtp-server on
 * a random port) receives the e-mail with the readings window; then the dashboard's numbers open
 * the lists behind them (objects of a kind and status) and a deadline links to its screen.
 * Screenshots in test-artifacts/.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ReminderSubscription, Schedule, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { startServer } from "../src/api/server";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { defaultRunJob } from "../src/schedule/run-job";
import { setSetting } from "../src/settings/settings";
import { browserAvailable, launchBrowser, screenshot } from "./support/browser";
import { withTestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";
import { startSmtpSink } from "./support/smtp-sink";

const PASSWORD = "accountant password 1";
// Two days before the demo's readings window (15–25) closes.
const NOW = new Date(Date.UTC(2026, 11, 23, 6, 0, 0));

test("browser: subscribe to reminders, the reminders job runs, the SMTP server receives the e-mail; dashboard numbers open their lists", {
  skip: !browserAvailable() && "no chromium",
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-ui-reminders-"));
  const sink = await startSmtpSink();
  try {
    await withTestDb("sqlite", async (ds) => {
      await writeDemoBundle(dir);
      await importPath(ds, dir, { author: "test" });
      await setSetting(ds, "mail.host", "127.0.0.1");
      await setSetting(ds, "mail.port", sink.port);
      await setSetting(ds, "mail.from", "gis-sync@kks.example");
      await ds.getRepository(User).insert({
        login: "buh",
        displayName: "Бухгалтер Тестова",
        role: "accountant",
        passwordHash: await hashPassword(PASSWORD),
        active: true,
        createdAt: new Date(),
        lastLoginAt: null,
      });
      const server = await startServer({ ds, port: 0, redisUrl: REDIS_URL });
      const browser = await launchBrowser();
      const errors: string[] = [];
      try {
        const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: "ru-RU" });
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(server.url);
        await page.waitForURL(/\/login$/);
        await page.fill("#login", "buh");
        await page.fill("#password", PASSWORD);
        await page.click("button[type=submit]");
        await page.waitForSelector("section.card h2");

        await page.click("#reminders-settings");
        await page.waitForSelector("dialog.modal #rem-email");
        await page.fill("#rem-email", "bad address");
        await page.check("dialog.modal input[value=readings]");
        await page.click("dialog.modal button[type=submit]");
        await page.waitForSelector("dialog.modal p.error:not([hidden])");
        assert.match((await page.textContent("dialog.modal p.error")) ?? "", /поле email: ожидается адрес e-mail/);
        await page.fill("#rem-email", "buh@kks.example");
        await screenshot(page, "reminders-01-subscribe");
        await page.click("dialog.modal button[type=submit]");
        await page.waitForSelector("dialog.modal", { state: "detached" });
        const u = await ds.getRepository(User).findOneByOrFail({ login: "buh" });
        const sub = await ds.getRepository(ReminderSubscription).findOneByOrFail({ userId: u.id });
        assert.deepEqual([sub.email, sub.kinds], ["buh@kks.example", "readings"]);

        // The schedule's job, as the scheduler runs it.
        const job = await defaultRunJob({ ds, redisUrl: REDIS_URL, now: () => NOW })({ id: 1, jobType: "reminders", stand: "prod", scope: null } as Schedule, {
          trigger: "test",
          firedAt: NOW,
        });
        assert.equal(job.outcome, "ok", job.text);
        const [mail] = await sink.waitFor(1);
        assert.deepEqual(mail.to, ["buh@kks.example"]);
        assert.match(mail.subject, /^Напоминание gis-sync: Окно приёма показаний 15–25 числа \(договоров: \d+\)$/);
        assert.match(mail.text, /25\.12\.2026 — Окно приёма показаний ПУ/);

        // The dashboard's numbers lead to their lists.
        await page.goto(`${server.url}/#/dashboard`);
        await page.waitForSelector("section.card table a.count");
        await screenshot(page, "reminders-02-dashboard-links");
        const accounts = page.locator("table[aria-label='Объекты по статусам'] tr", { hasText: "Лицевые счета" }).locator("a.count").first();
        await accounts.click();
        await page.waitForURL(/#\/objects\/account\//);
        await page.waitForSelector("table.grid tbody tr td");
        assert.match((await page.textContent("h1")) ?? "", /Объекты: Лицевые счета/);
        await screenshot(page, "reminders-03-objects-list");
        await page.goto(`${server.url}/#/dashboard`);
        await page.waitForSelector("section.card table a[href='#/contracts']");
        await page.click("section.card table a[href='#/contracts']");
        await page.waitForURL(/#\/contracts$/);
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
        await server.close();
      }
    });
  } finally {
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

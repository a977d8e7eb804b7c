/**
 * The header's organization and stand picker in a real browser (chromium via playwright-core):
 * choosing an organization changes the house list and the dashboard's totals; choosing a stand
 * makes every API request carry `stand=`; the choice survives a reload (localStorage). An
 * accountant limited to one organization gets no «all organizations» choice and never sees the
 * other's houses. Screenshots in test-artifacts/.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { RunningServer, startServer } from "../src/api/server";
import { browserAvailable, launchBrowser, screenshot } from "./support/browser";
import { withTestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";
import { PASSWORD, TwoOrgs, seedScopedUsers, twoOrgs } from "./support/two-orgs";

let t: TwoOrgs;
let server: RunningServer;
let browser: Browser;
let release: () => void;
let finished: Promise<void>;
const skip = !browserAvailable() && "no chromium";

before(async () => {
  if (skip) return;
  await new Promise<void>((ready, fail) => {
    finished = withTestDb("sqlite", async (ds) => {
      t = await twoOrgs(ds);
      await seedScopedUsers(ds, t);
      server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local", loginLimit: { max: 50, windowSeconds: 60 } });
      browser = await launchBrowser();
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

async function logIn(login: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "ru-RU" });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "GET" && new URL(r.url()).pathname.startsWith("/api/")) requests.push(r.url());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/login`);
  await page.fill("#login", login);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForSelector("#scope-org");
  return { page, requests, errors };
}

const houseRows = (page: Page) => page.locator("table.grid tbody tr input[data-id]").count();
const accountTotal = async (page: Page) =>
  (await page.locator('table[aria-label="Объекты по статусам"] tr:has-text("Лицевые счета") td:nth-child(2)').textContent())?.trim();

test("browser: the organization picker changes the house list and the dashboard totals; the stand picker adds stand= to every request", { skip }, async () => {
  const { page, requests, errors } = await logIn("op");
  await page.waitForSelector('table[aria-label="Объекты по статусам"]');
  assert.equal(await accountTotal(page), "4");
  await screenshot(page, "org-01-dashboard-all");

  await page.selectOption("#scope-org", String(t.b.org.id));
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll('table[aria-label="Объекты по статусам"] tr')).some(
      (tr) => tr.textContent?.includes("Лицевые счета") && tr.querySelector("td:nth-child(2)")?.textContent?.trim() === "2",
    ),
  );
  assert.ok(requests.some((u) => u.includes("/api/dashboard") && u.includes(`org=${t.b.org.id}`)));
  await screenshot(page, "org-02-dashboard-b");

  await page.click("nav#nav >> text=Справочник домов");
  await page.waitForSelector("table.grid tbody tr input[data-id]");
  assert.equal(await houseRows(page), 2);
  assert.equal(await page.locator(`tr.house-${t.a.house.id}`).count(), 0);
  await screenshot(page, "org-03-houses-b");

  await page.selectOption("#scope-org", "");
  await page.waitForFunction(() => document.querySelectorAll("table.grid tbody tr input[data-id]").length === 4);
  await page.selectOption("#scope-org", String(t.a.org.id));
  await page.waitForFunction(() => document.querySelectorAll("table.grid tbody tr input[data-id]").length === 3);

  // The stand: every API read from now on carries it.
  requests.length = 0;
  await page.selectOption("#scope-stand", "sit02");
  await page.waitForSelector("table.grid tbody tr input[data-id]");
  await page.click("nav#nav >> text=Запуски");
  await page.waitForSelector("main h1");
  await page.waitForLoadState("networkidle");
  assert.ok(requests.length > 0);
  for (const u of requests) assert.match(u, /[?&]stand=sit02(&|$)/, u);
  assert.ok(requests.some((u) => u.includes("/api/runs")));
  await screenshot(page, "org-04-runs-sit02");

  // Kept across a reload.
  await page.reload();
  await page.waitForSelector("#scope-stand");
  assert.equal(await page.inputValue("#scope-stand"), "sit02");
  assert.equal(await page.inputValue("#scope-org"), String(t.a.org.id));
  assert.deepEqual(errors, []);
  await page.close();
});

test("browser: an accountant of one organization has only it in the picker and sees only its houses", { skip }, async () => {
  const { page, errors } = await logIn("acc-a");
  const options = await page.locator("#scope-org option").allTextContents();
  assert.deepEqual(options, ["УК Альфа"]);
  const stands = await page.locator("#scope-stand option").count();
  assert.equal(stands, 3);
  await page.click("nav#nav >> text=Справочник домов");
  await page.waitForSelector("table.grid tbody tr input[data-id]");
  assert.equal(await houseRows(page), 3);
  assert.equal(await page.locator(`tr.house-${t.b.house.id}`).count(), 0);
  await screenshot(page, "org-05-accountant-houses");
  assert.deepEqual(errors, []);
  await page.close();
});

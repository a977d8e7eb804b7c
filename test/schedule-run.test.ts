/** «Запустить сейчас» on the schedule screen: the job runs at once, like a scheduled start, and the list shows its outcome. */
import "reflect-metadata";
import assert from "node:assert/strict";
import { test } from "node:test";
import { Schedule, User } from "../entities";
import { startServer } from "../src/api/server";
import { hashPassword } from "../src/auth/password";
import { Client } from "./support/browser";
import { withTestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";

const PASSWORD = "schedule-run-password-1";

test("schedules: «Запустить сейчас» runs a disabled schedule's job and records its outcome", { timeout: 60_000 }, async () => {
  await withTestDb("sqlite", async (ds) => {
    for (const role of ["accountant", "admin"] as const)
      await ds.getRepository(User).insert({ login: role, role, passwordHash: await hashPassword(PASSWORD), active: true, createdAt: new Date() });
    const server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local" });
    try {
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      const made = await admin.send("POST", "/api/schedules", {
        name: "Очистка журнала",
        jobType: "clear-journal",
        stand: "local",
        mode: "once",
        timeOfDay: "03:00",
        daysOfWeek: "1,2,3,4,5,6,7",
        startDate: "2026-01-01",
        endDate: "2027-12-31",
        enabled: false,
      });
      assert.equal(made.status, 200, made.text);
      const accountant = new Client(server.url);
      await accountant.login("accountant", PASSWORD);
      assert.equal((await accountant.send("POST", `/api/schedules/${made.json.id}/run`)).status, 403, "an accountant may not");
      const run = await admin.send("POST", `/api/schedules/${made.json.id}/run`);
      assert.equal(run.status, 202, run.text);
      const end = Date.now() + 20_000;
      let s: Schedule | null = null;
      while (Date.now() < end) {
        s = await ds.getRepository(Schedule).findOneBy({ id: made.json.id });
        if (s?.lastOutcome && s.lastOutcome !== "running") break;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(s?.lastOutcome, "ok", s?.lastResult ?? "");
      assert.match(s?.lastResult ?? "", /удалено сообщений журнала/);
      assert.deepEqual([s?.startDate, s?.endDate], ["2026-01-01", "2027-12-31"]);
    } finally {
      await server.close();
    }
  });
});

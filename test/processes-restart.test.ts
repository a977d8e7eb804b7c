/**
 * «Остановить все», then «Запустить»: the server's own worker pools stop, a run started meanwhile
 * says it waits for workers (not a silent 0 %), and «Запустить» starts them again so it finishes.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { test } from "node:test";
import { User } from "../entities";
import { startServer } from "../src/api/server";
import { hashPassword } from "../src/auth/password";
import { Client } from "./support/browser";
import { withTestDb } from "./support/databases";
import { REDIS_URL, pipelineEnv } from "./support/pipeline-env";

const PASSWORD = "restart-test-password-1";
const until = async (what: string, ok: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
};

test("processes: stop all, a run says it waits for workers, start again and it finishes", { timeout: 180_000 }, async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds);
    await ds
      .getRepository(User)
      .insert({ login: "operator", role: "operator", passwordHash: await hashPassword(PASSWORD), active: true, createdAt: new Date() });
    const server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, runtimes: { local: env.rt }, defaultStand: "local" });
    try {
      const c = new Client(server.url);
      await c.login("operator", PASSWORD);
      assert.equal((await c.send("POST", "/api/processes/stop-all")).status, 200);
      await until("the pools stop", async () => env.rt.pool?.stopped === true);
      const run = (await c.send("POST", "/api/runs", { stages: ["services"], mode: "sync", stand: "local" })).json as { id: string };
      await until("the run says why it waits", async () =>
        /Нет работающих обработчиков стенда local/.test((await c.get(`/api/runs/${run.id}`)).json.progress.waiting ?? ""),
      );

      const started = await c.send("POST", "/api/processes/start-all");
      assert.deepEqual(started.json.started, ["local"]);
      assert.equal(env.rt.pool?.stopped, false);
      await until("the run finishes", async () => (await c.get(`/api/runs/${run.id}`)).json.state !== "running", 120_000);
      assert.match((await c.get(`/api/runs/${run.id}`)).json.state, /^done/);
      assert.deepEqual((await c.send("POST", "/api/processes/start-all")).json.started, [], "running pools are not started twice");
    } finally {
      await server.close();
      await env.close();
    }
  });
});

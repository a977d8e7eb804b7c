/**
 * Serving until SIGINT/SIGTERM, as the demo does after its pipeline run: the web UI and REST API
 * over the same database and pipeline runtime, and the scheduler of stored schedules. The demo's
 * administrator login is made once and printed, so the person who ran the demo can sign in.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DataSource } from "typeorm";
import { User } from "../../entities/user";
import { hashPassword } from "../auth/password";
import { warmDashboard } from "../api/routes/dashboard";
import { startServer } from "../api/server";
import { connectRedis } from "../queue/connection";
import { defaultRunJob } from "../schedule/run-job";
import { startScheduler } from "../schedule/scheduler";
import { PipelineRuntime } from "./pipeline-runtime";

export interface ServeOptions {
  port: number;
  redisUrl: string;
  /** The demo's pipeline (stand "local", workers in this process). */
  runtime: PipelineRuntime;
  home: string;
  /** Address of the built-in stand, for schedules that run against it. */
  standUrl: string;
}

/** The demo administrator: made on first use with a random password kept under GIS_SYNC_HOME (mode 0600). */
async function demoLogin(ds: DataSource, home: string): Promise<{ login: string; password: string }> {
  const file = path.join(home, "demo-login.txt");
  const login = "admin";
  let password = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  const user = await ds.getRepository(User).findOneBy({ login });
  if (!password || !user) {
    password ||= crypto.randomBytes(9).toString("base64url");
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
    await ds.getRepository(User).save({
      ...(user ?? { createdAt: new Date(), active: true }),
      login,
      role: "admin" as const,
      displayName: "Администратор (демо)",
      passwordHash: await hashPassword(password),
    });
  }
  return { login, password };
}

export async function serveUntilStopped(ds: DataSource, o: ServeOptions): Promise<void> {
  const who = await demoLogin(ds, o.home);
  const server = await startServer({ ds, port: o.port, redisUrl: o.redisUrl, runtimes: { local: o.runtime }, defaultStand: "local" });
  warmDashboard(ds, "local");
  const redis = connectRedis(o.redisUrl);
  const scheduler = await startScheduler({
    ds,
    redis,
    stands: ["local"],
    // Scheduled runs use the demo's own pipeline; a job's end must not close it.
    runJob: defaultRunJob({
      ds,
      redisUrl: o.redisUrl,
      redis,
      runtime: () => ({ url: o.standUrl }),
      open: async () => ({ ...o.runtime, close: async () => undefined }),
    }),
  });
  console.log("");
  console.log(`Веб-интерфейс: ${server.url}   вход: ${who.login} / ${who.password}   (пароль хранится в ${path.join(o.home, "demo-login.txt")})`);
  console.log(`REST API: ${server.url}/api (описание: ${server.url}/api/openapi.json). Остановка: Ctrl+C`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  await scheduler.stop();
  await server.close();
  redis.disconnect();
}

/**
 * Redis for queues and locks. The demo must run on a fresh machine: when nothing answers at
 * REDIS_URL and a `redis-server` binary exists, a private one is started with its data under
 * GIS_SYNC_HOME; otherwise the user is told how to install it.
 */
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { redisReachable } from "../queue/connection";
import { UserError } from "../util/errors";

export interface RedisHandle {
  url: string;
  /** Stops the private server, if one was started. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function ensureRedis(url: string, home: string, allowPrivate = true): Promise<RedisHandle> {
  if (await redisReachable(url)) return { url, stop: async () => undefined };
  const binary = ["redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((b) => spawnSync(b, ["--version"]).status === 0);
  if (!allowPrivate || !binary) {
    throw new UserError(`Redis не отвечает по адресу ${url}. Установите Redis (Debian/Ubuntu: apt-get install redis-server) или укажите REDIS_URL`);
  }
  const dir = path.join(home, "redis");
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "60 1", "--appendonly", "no", "--daemonize", "no"],
    { stdio: "ignore" },
  );
  const privateUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisReachable(privateUrl, 200)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await redisReachable(privateUrl))) throw new UserError(`Не удалось запустить собственный redis-server (${binary})`);
  return {
    url: privateUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

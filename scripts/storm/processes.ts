/**
 * The storm's processes: client commands (`gis-sync worker`, `gis-sync sync all`) started as an
 * operator starts them, killed with SIGKILL, restarted; a private redis-server that can be killed
 * and started again empty on the same port. Output goes to log files the report points at.
 */
import { ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import IORedis from "ioredis";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function answers(url: string): Promise<boolean> {
  const r = new IORedis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  r.on("error", () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** A redis-server of the storm's own (nothing saved: a restart loses every queue, as a crashed Redis without persistence does). */
export class StormRedis {
  private child: ChildProcess | null = null;
  readonly url: string;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--dir", this.dir, "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    });
    for (let i = 0; i < 100 && !(await answers(this.url)); i++) await sleep(50);
    if (!(await answers(this.url))) throw new Error(`redis-server did not start on port ${this.port}`);
  }

  async kill(): Promise<void> {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGKILL");
    });
  }
}

/** services: the calm `sync services --inline` before the storm. */
export type Role = "worker" | "sync" | "services";

export interface ClientProcess {
  role: Role;
  n: number;
  child: ChildProcess;
  log: string;
  exit: Promise<number | null>;
}

/** Starts and kills the client's commands; every start gets its own numbered log. */
export class Clients {
  private count = 0;
  readonly all: ClientProcess[] = [];

  constructor(
    private readonly bin: string,
    private readonly logDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly standUrl: string,
  ) {
    fs.mkdirSync(logDir, { recursive: true });
  }

  start(role: Role): ClientProcess {
    const n = ++this.count;
    const args =
      role === "worker"
        ? ["worker", "--stand", "local", "--url", this.standUrl]
        : role === "services"
          ? ["sync", "services", "--stand", "local", "--url", this.standUrl, "--inline", "--json"]
          : ["sync", "all", "--stand", "local", "--url", this.standUrl, "--json"];
    const log = path.join(this.logDir, `${String(n).padStart(2, "0")}-${role}.log`);
    const out = fs.openSync(log, "w");
    const child = spawn(process.execPath, [this.bin, ...args], { env: this.env, stdio: ["ignore", out, out] });
    fs.closeSync(out);
    const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const p = { role, n, child, log, exit };
    this.all.push(p);
    return p;
  }

  alive(role?: Role): ClientProcess[] {
    return this.all.filter((p) => p.child.exitCode === null && p.child.signalCode === null && (!role || p.role === role));
  }

  async kill(p: ClientProcess): Promise<void> {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill("SIGKILL");
    await p.exit;
  }

  async stopAll(): Promise<void> {
    for (const p of this.alive()) p.child.kill("SIGTERM");
    await Promise.race([Promise.all(this.all.map((p) => p.exit)), sleep(10_000)]);
    for (const p of this.alive()) p.child.kill("SIGKILL");
  }
}

/**
 * The command line never hangs and always says why: `sync` against a port where nothing listens
 * ends non-zero within `exchange.unreachableSeconds` with the stand, its address and what was
 * tried; `sync`, `worker` and `server --workers` with a missing key file exit at once with the
 * setting named; a pipeline that fails to open leaks no Redis connection (counted on a private
 * redis-server with CLIENT LIST).
 */
import "reflect-metadata";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import IORedis from "ioredis";
import { DataSource } from "typeorm";
import { Organization, PipelineRun, GisOperation } from "../entities";
import { openDatabase } from "../src/storage/database";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { demoKeys } from "../src/runtime/demo-environment";
import { openPipeline } from "../src/runtime/pipeline-runtime";
import { setSetting } from "../src/settings/settings";
import { freePort, hasRedisServer, startPrivateRedis } from "./support/private-redis";
import { REDIS_URL } from "./support/pipeline-env";

const BIN = path.resolve(__dirname, "../../bin/gis-sync.js");

/** A home with the demo organization imported and its test key set as the signer. */
async function home(): Promise<{ dir: string; ds: DataSource }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-cli-"));
  const ds = await openDatabase(`sqlite:${path.join(dir, "gis-sync.sqlite")}`);
  await writeDemoBundle(path.join(dir, "bundle"));
  await importPath(ds, path.join(dir, "bundle"), { author: "test" });
  const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  await demoKeys(ds, dir, ours);
  return { dir, ds };
}

function cli(
  args: string[],
  dir: string,
  timeoutMs: number,
  extra: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string; err: string; ms: number; killed: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const env: NodeJS.ProcessEnv = { ...process.env, GIS_SYNC_HOME: dir, REDIS_URL, LOG_LEVEL: "error", ...extra };
    delete env.DB_URL;
    const p = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let killed = false;
    p.stdout!.on("data", (d) => (out += d));
    p.stderr!.on("data", (d) => (err += d));
    const t = setTimeout(() => {
      killed = true;
      p.kill("SIGKILL");
    }, timeoutMs);
    p.on("exit", (code) => {
      clearTimeout(t);
      resolve({ code, out, err, ms: Date.now() - started, killed });
    });
  });
}

test("sync against a port where nothing listens ends non-zero within the bounded time, naming the stand, the URL and what was tried", {
  timeout: 120_000,
}, async () => {
  const h = await home();
  try {
    await setSetting(h.ds, "exchange.unreachableSeconds", 8);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const r = await cli(["sync", "all", "--stand", "local", "--url", url, "--inline"], h.dir, 90_000);
    console.log(`unreachable stand: sync ended in ${(r.ms / 1000).toFixed(1)} s with ${r.code}`);
    assert.equal(r.killed, false, `sync returned by itself:\n${r.err}`);
    assert.equal(r.code, 2, r.err);
    assert.ok(r.ms < 60_000, `within the bound (${r.ms} ms)`);
    assert.match(r.err, /Стенд ГИС ЖКХ «local»/, r.err);
    assert.ok(r.err.includes(url), `the message names the URL:\n${r.err}`);
    assert.match(r.err, /ECONNREFUSED/, "and what was tried");
    assert.match(r.err, /POST \/ext-bus-/, "the request that was tried");
    assert.match(r.err, /шаг 1\/\d+: services \/ exportOrgRegistry/, "progress names the step");
    assert.match(r.err, /в работе операций \d+.*стенд не отвечает/, `progress while waiting:\n${r.err}`);
    const run = await h.ds.getRepository(PipelineRun).findOneOrFail({ where: {}, order: { startedAt: "DESC" } });
    assert.equal(run.state, "failed");
    const ops = await h.ds.getRepository(GisOperation).findBy({ runId: run.id });
    assert.ok(
      ops.length > 0 && ops.every((o) => o.state === "failed" && o.errorCode === "UNREACHABLE" && o.appliedAt),
      JSON.stringify(ops.map((o) => [o.method, o.state, o.errorCode])),
    );
  } finally {
    await h.ds.destroy();
    fs.rmSync(h.dir, { recursive: true, force: true });
  }
});

test("a missing key file or no Redis: sync, worker and server --workers exit non-zero at once, naming what is wrong", { timeout: 120_000 }, async () => {
  const h = await home();
  try {
    await setSetting(h.ds, "signer.keyFile", path.join(h.dir, "no-such-key.pem"));
    const port = await freePort();
    for (const args of [
      ["sync", "services", "--stand", "local", "--url", `http://127.0.0.1:${port}`],
      ["sync", "services", "--stand", "local", "--url", `http://127.0.0.1:${port}`, "--inline"],
      ["worker", "--stand", "local", "--url", `http://127.0.0.1:${port}`],
      ["server", "--port", "0", "--stand", "local", "--workers"],
    ]) {
      const r = await cli(args, h.dir, 30_000);
      assert.equal(r.killed, false, `${args.join(" ")} did not hang:\n${r.err}`);
      assert.notEqual(r.code, 0, `${args.join(" ")} exits non-zero`);
      assert.match(r.err, /^gis-sync: Подпись: .*signer\.keyFile .*no-such-key\.pem.*файл не найден/m, `${args.join(" ")}: ${r.err}`);
      assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
    }
    await setSetting(h.ds, "signer.keyFile", path.join(h.dir, "keys", "demo-key.pem"));
    const noRedis = await cli(["sync", "services", "--stand", "local", "--url", `http://127.0.0.1:${port}`], h.dir, 30_000, {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    assert.equal(noRedis.killed, false, `a wrong REDIS_URL does not hang:\n${noRedis.err}`);
    assert.equal(noRedis.code, 1);
    assert.match(noRedis.err, /^gis-sync: Redis не отвечает по адресу redis:\/\/127\.0\.0\.1:\d+/m);
    const bad = await cli(["sync", "nonsense", "--stand", "local"], h.dir, 30_000);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /неизвестный этап «nonsense»/);
  } finally {
    await h.ds.destroy();
    fs.rmSync(h.dir, { recursive: true, force: true });
  }
});

const noRedisServer = hasRedisServer ? {} : { skip: "redis-server is not installed" };

test("opening a pipeline that fails 20 times leaks no Redis connection", { ...noRedisServer, timeout: 120_000 }, async () => {
  const h = await home();
  const redis = await startPrivateRedis();
  const inspector = new IORedis(redis.url);
  try {
    await setSetting(h.ds, "signer.keyFile", path.join(h.dir, "no-such-key.pem"));
    const clients = async () => ((await inspector.client("LIST")) as string).trim().split("\n").length;
    const before = await clients();
    for (let i = 0; i < 20; i++) {
      await assert.rejects(openPipeline(h.ds, { stand: "local", url: "http://127.0.0.1:9", redisUrl: redis.url, workers: i % 2 === 0 }), /signer\.keyFile/);
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await clients(), before, "as many connections as before");
    // And a pipeline that opens closes all it opened.
    await setSetting(h.ds, "signer.keyFile", path.join(h.dir, "keys", "demo-key.pem"));
    const rt = await openPipeline(h.ds, { stand: "local", url: "http://127.0.0.1:9", redisUrl: redis.url, workers: true });
    assert.ok((await clients()) > before);
    await rt.close();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await clients(), before, "closed again");
  } finally {
    inspector.disconnect();
    await redis.stop();
    await h.ds.destroy();
    fs.rmSync(h.dir, { recursive: true, force: true });
  }
});

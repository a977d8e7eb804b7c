/**
 * The REST API: every route from the OpenAPI description refuses anonymous (401) and too-low roles
 * (403); login rate limit; CSRF; security headers; secrets never returned; pagination and filters;
 * audit rows. On SQLite and PostgreSQL.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import IORedis from "ioredis";
import { DataSource } from "typeorm";
import { ArchiveEntry, AuditLog, GisOperation, House, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { startServer, RunningServer } from "../src/api/server";
import { rollupState } from "../src/api/rollup";
import { SessionStore } from "../src/api/sessions";
import { REDIS_PREFIX } from "../src/queue/names";
import { DB_KINDS, withTestDb } from "./support/databases";
import { saveAt } from "./support/identity";
import { Client } from "./support/browser";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "correct horse battery";
const RANK = { public: 0, accountant: 1, operator: 2, admin: 3 } as const;

async function seedUsers(ds: DataSource): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD);
  for (const role of ["accountant", "operator", "admin"] as const) {
    await ds.getRepository(User).insert({ login: role, role, passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null });
  }
}

/** A concrete URL for a route template: ids that exist nowhere, stand/kind names that do. */
function concrete(path: string): string {
  return path.replace(
    /\{(\w+)\}/g,
    (_m, name: string) =>
      (
        ({
          id: path.startsWith("/api/operations") || path.startsWith("/api/runs") ? crypto.randomUUID() : "999999",
          stand: "local",
          kind: "send",
          type: "house",
          key: "batch.accounts",
          registry: "1",
          messageId: "1",
        }) as Record<string, string>
      )[name] ?? "1",
  );
}

async function clearLoginFailures(): Promise<void> {
  const r = new IORedis(REDIS_URL);
  const keys = await r.keys(`${REDIS_PREFIX}:login-fail:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

for (const kind of DB_KINDS) {
  describe(`API on ${kind}`, () => {
    let ds: DataSource;
    let server: RunningServer;
    let release: () => void;
    let finished: Promise<void>;

    before(async () => {
      await clearLoginFailures();
      await new Promise<void>((ready) => {
        finished = withTestDb(kind, async (d) => {
          ds = d;
          await seedUsers(ds);
          server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local", loginLimit: { max: 3, windowSeconds: 60 } });
          ready();
          await new Promise<void>((r) => (release = r));
          await server.close();
        });
      });
    });
    after(async () => {
      release();
      await finished;
      await clearLoginFailures();
    });

    test("every route in the OpenAPI description refuses anonymous and too-low roles", async () => {
      const anon = new Client(server.url);
      const doc = (await anon.get("/api/openapi.json")).json;
      assert.equal(doc.openapi, "3.0.3");
      const ops: Array<{ method: string; path: string; role: keyof typeof RANK }> = [];
      for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { "x-role": keyof typeof RANK }>>))
        for (const [method, op] of Object.entries(methods)) ops.push({ method: method.toUpperCase(), path, role: op["x-role"] });
      // The description is the router's own table: same routes, same count.
      assert.equal(ops.length, server.routes.length);
      assert.ok(ops.length >= 50, `only ${ops.length} routes described`);
      assert.deepEqual(
        ops
          .filter((o) => o.role === "public")
          .map((o) => `${o.method} ${o.path}`)
          .sort(),
        ["GET /api/health", "GET /api/openapi.json", "GET /api/ready", "POST /api/login"],
      );

      const accountant = new Client(server.url);
      const operator = new Client(server.url);
      assert.equal((await accountant.login("accountant", PASSWORD)).status, 200);
      assert.equal((await operator.login("operator", PASSWORD)).status, 200);
      let checked403 = 0;
      for (const o of ops) {
        if (o.role === "public") continue;
        const url = concrete(o.path);
        const a = await anon.call(o.method, url, o.method === "GET" ? undefined : {});
        assert.equal(a.status, 401, `${o.method} ${o.path} anonymous → ${a.status}`);
        assert.equal(a.json.code, "unauthorized");
        const lower = o.role === "admin" ? operator : o.role === "operator" ? accountant : null;
        if (lower) {
          const r = o.method === "GET" ? await lower.get(url) : await lower.send(o.method, url, {});
          assert.equal(r.status, 403, `${o.method} ${o.path} as ${o.role === "admin" ? "operator" : "accountant"} → ${r.status}`);
          assert.equal(r.json.code, "forbidden");
          checked403++;
        }
      }
      assert.ok(checked403 >= 20, `only ${checked403} routes need more than accountant`);
    });

    test("pages redirect to login; security headers and cookie flags", async () => {
      const anon = new Client(server.url);
      const page = await anon.get("/");
      assert.equal(page.status, 302);
      assert.equal(page.headers.get("location"), "/login");
      for (const p of ["/", "/login", "/api/health", "/assets/app.js"]) {
        const r = await anon.get(p);
        const csp = r.headers.get("content-security-policy") ?? "";
        assert.match(csp, /script-src 'self'/, p);
        assert.doesNotMatch(csp, /unsafe-inline/, p);
        assert.match(csp, /frame-ancestors 'none'/, p);
        assert.equal(r.headers.get("x-frame-options"), "DENY", p);
        assert.equal(r.headers.get("x-content-type-options"), "nosniff", p);
        assert.equal(r.headers.get("referrer-policy"), "no-referrer", p);
      }
      assert.equal((await anon.get("/assets/../../package.json")).status, 404);
      const c = new Client(server.url);
      const login = await c.login("accountant", PASSWORD);
      const cookie = login.headers.get("set-cookie") ?? "";
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.doesNotMatch(cookie, /Secure/);
      const https = await new Client(server.url).call("POST", "/api/login", { login: "accountant", password: PASSWORD }, { "x-forwarded-proto": "https" });
      assert.match(https.headers.get("set-cookie") ?? "", /; Secure/);
      assert.equal((await c.get("/")).status, 200);
      const me = await c.get("/api/me");
      assert.equal(me.json.user.role, "accountant");
      assert.equal((await c.send("POST", "/api/logout")).status, 200);
      assert.equal((await c.get("/api/me")).status, 401, "the session is gone on the server after logout");
    });

    test("state-changing requests need the CSRF token and our own origin", async () => {
      const c = new Client(server.url);
      await c.login("operator", PASSWORD);
      const noToken = await c.call("POST", "/api/processes/stop-all", {});
      assert.equal(noToken.status, 403);
      assert.equal(noToken.json.code, "csrf");
      const wrongToken = await c.call("POST", "/api/processes/stop-all", {}, { "x-csrf-token": "forged" });
      assert.equal(wrongToken.json.code, "csrf");
      const foreign = await c.call("POST", "/api/processes/stop-all", {}, { "x-csrf-token": c.csrf, origin: "https://evil.example" });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.json.code, "csrf");
      // GETs need no token.
      assert.equal((await c.get("/api/processes/workers")).status, 200);
    });

    test("settings never return secrets; values are checked against their range", async () => {
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      const set = await admin.send("PUT", "/api/settings/signer.pinSource", { value: "env:TOKEN_PIN_SECRET" });
      assert.equal(set.status, 200);
      assert.equal(set.json.isSet, true);
      assert.ok(!("value" in set.json));
      const all = await admin.get("/api/settings");
      assert.doesNotMatch(all.text, /TOKEN_PIN_SECRET/);
      const pin = all.json.find((s: { key: string }) => s.key === "signer.pinSource");
      assert.equal(pin.secret, true);
      assert.equal(pin.isSet, true);
      assert.ok(!("value" in pin));
      const bad = await admin.send("PUT", "/api/settings/batch.accounts", { value: 500 });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, "bad_request");
      assert.match(bad.json.message, /batch\.accounts/);
      assert.match(bad.json.message, /1–100/);
      const ok = await admin.send("PUT", "/api/settings/batch.accounts", { value: 50 });
      assert.equal(ok.json.value, 50);
      const unknown = await admin.send("PUT", "/api/settings/no.such", { value: 1 });
      assert.equal(unknown.status, 404);
      const rows = await ds.getRepository(AuditLog).findBy({ action: "setting.change" });
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.actor === "admin"));
      assert.doesNotMatch(rows.map((r) => r.details).join(" "), /TOKEN_PIN_SECRET/);
    });

    test("a settings group is saved at once: every value checked first, nothing written when one is wrong", async () => {
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      const before = await ds.getRepository(AuditLog).countBy({ action: "setting.change" });
      const bad = await admin.send("PUT", "/api/settings", { values: { "retention.queueDays": 40, "retention.messagesDays": 0 } });
      assert.equal(bad.status, 400);
      assert.match(bad.json.message, /retention\.messagesDays/);
      assert.equal(await ds.getRepository(AuditLog).countBy({ action: "setting.change" }), before, "nothing written");
      const serverOnly = await admin.send("PUT", "/api/settings", { values: { "retention.queueDays": 40, "signer.command": "/bin/true" } });
      assert.equal(serverOnly.status, 403);
      assert.equal(serverOnly.json.code, "server_only");
      const unknown = await admin.send("PUT", "/api/settings", { values: { "no.such": 1 } });
      assert.equal(unknown.status, 404);
      const ok = await admin.send("PUT", "/api/settings", { values: { "retention.queueDays": 40, "retention.messagesDays": 20 } });
      assert.equal(ok.status, 200, ok.text);
      assert.deepEqual(
        ok.json.map((s: { key: string; value: number }) => [s.key, s.value]),
        [
          ["retention.queueDays", 40],
          ["retention.messagesDays", 20],
        ],
      );
      assert.equal(await ds.getRepository(AuditLog).countBy({ action: "setting.change" }), before + 2);
      const all = (await admin.get("/api/settings")).json as Array<{ key: string; help: string | null; group: string }>;
      assert.match(all.find((s) => s.key === "gis.formatPackage")!.help ?? "", /16\.3\.0\.0/);
      assert.ok(all.some((s) => s.group === "server"));
    });

    test("house list: pagination, search and filters; bad parameters are named", async () => {
      for (let i = 1; i <= 7; i++) {
        await saveAt(ds, "house", {
          externalId: `H${i}`,
          address: `ул. Тестовая, д. ${i}`,
          houseType: "MKD",
          culturalHeritage: false,
          fiasHouseGuid: i === 3 ? "0d2bb8a4-6f6b-4a3b-9a4e-2c3a2d6f0c11" : null,
          sync: { status: i <= 2 ? "ok" : "not_sent" } as House["sync"],
        } as Partial<House>);
      }
      await saveAt(ds, "house", {
        externalId: "H8",
        address: "пр. Победы, д. 1",
        houseType: "ZHD",
        culturalHeritage: false,
        sync: { status: "error", errorCode: "SRV001", errorText: "тест" } as House["sync"],
      } as Partial<House>);
      const c = new Client(server.url);
      await c.login("accountant", PASSWORD);
      const p1 = await c.get("/api/houses?limit=3&total=true");
      assert.equal(p1.status, 200);
      assert.equal(p1.json.items.length, 3);
      assert.equal(p1.json.hasMore, true);
      assert.equal(p1.json.total, 8);
      assert.deepEqual(Object.keys(p1.json.items[0].statuses).sort(), ["account", "entrance", "house", "meter", "premise", "room"]);
      const last = await c.get("/api/houses?limit=3&offset=6");
      assert.equal(last.json.items.length, 2);
      assert.equal(last.json.hasMore, false);
      const search = await c.get(`/api/houses?q=${encodeURIComponent("Тестовая, д. 5")}`);
      assert.deepEqual(
        search.json.items.map((h: House) => h.externalId),
        ["H5"],
      );
      const fias = await c.get("/api/houses?q=0D2BB8A4-6F6B-4A3B-9A4E-2C3A2D6F0C11");
      assert.deepEqual(
        fias.json.items.map((h: House) => h.externalId),
        ["H3"],
      );
      const ok = await c.get("/api/houses?status=ok");
      assert.deepEqual(ok.json.items.map((h: House) => h.externalId).sort(), ["H1", "H2"]);
      const zhd = await c.get("/api/houses?houseType=ZHD");
      assert.equal(zhd.json.items[0].statuses.house.state, "error");
      const errors = await c.get(`/api/houses/${zhd.json.items[0].id}/errors?kind=house`);
      assert.equal(errors.json.items[0].errorCode, "SRV001");
      const badLimit = await c.get("/api/houses?limit=abc");
      assert.equal(badLimit.status, 400);
      assert.match(badLimit.json.message, /limit/);
      const badStatus = await c.get("/api/houses?status=green");
      assert.match(badStatus.json.message, /status/);
      const missing = await c.get("/api/houses/999999");
      assert.equal(missing.status, 404);
      assert.equal(missing.json.code, "not_found");
      const badId = await c.get("/api/houses/abc");
      assert.equal(badId.status, 400);
      assert.match(badId.json.message, /Дом/);
    });

    test("zip export of an operation's XML is audited; only operators and admins get it", async () => {
      const op = ds.getRepository(GisOperation).create({
        id: crypto.randomUUID(),
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        stage: "accounts",
        state: "done",
        attempts: 1,
        polls: 1,
        itemCount: 0,
        createdAt: new Date(),
        author: "test",
      });
      await ds.getRepository(GisOperation).insert(op);
      for (const [seq, k] of (["request", "result"] as const).entries()) {
        await ds.getRepository(ArchiveEntry).insert({
          operationId: op.id,
          seq,
          kind: k,
          body: `<x:${k} xmlns:x="urn:t">Иванов</x:${k}>`,
          sizeBytes: 10,
          hash: "0".repeat(64),
          prevHash: "0".repeat(64),
          createdAt: new Date(),
          messageGuid: null,
          httpStatus: null,
        });
      }
      const operator = new Client(server.url);
      await operator.login("operator", PASSWORD);
      const zip = await operator.get(`/api/operations/${op.id}/zip`);
      assert.equal(zip.status, 200);
      assert.equal(zip.headers.get("content-type"), "application/zip");
      assert.equal(zip.body.subarray(0, 2).toString(), "PK");
      assert.ok(zip.body.includes(Buffer.from(`${op.id}-request.xml`)));
      assert.ok(zip.body.includes(Buffer.from(`${op.id}-result.xml`)));
      const sel = await operator.send("POST", "/api/operations/export", { ids: [op.id] });
      assert.equal(sel.status, 200);
      const badIds = await operator.send("POST", "/api/operations/export", { ids: ["nope"] });
      assert.equal(badIds.status, 400);
      assert.match(badIds.json.message, /ids/);
      const audits = await ds.getRepository(AuditLog).findBy({ action: "archive.export" });
      assert.equal(audits.length, 2);
      assert.equal(audits[0].actor, "operator");
      assert.match(audits[0].target ?? "", new RegExp(op.id));
      const card = await operator.get(`/api/operations/${op.id}`);
      assert.equal(card.json.messages.length, 2);
      assert.ok(!("body" in card.json.messages[0]), "the card lists messages without their bodies");
      const xml = await operator.get(`/api/operations/${op.id}/messages/${card.json.messages[1].id}`);
      assert.match(xml.text, /Иванов/);
      const cancel = await operator.send("POST", `/api/operations/${op.id}/cancel`);
      assert.equal(cancel.status, 409);
    });

    test("users: admin adds one (audited), the last admin cannot be demoted, a disabled user cannot log in", async () => {
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      const add = await admin.send("POST", "/api/users", { login: "ivanova", password: "short", role: "operator" });
      assert.equal(add.status, 400);
      assert.match(add.json.message, /password/);
      const ok = await admin.send("POST", "/api/users", { login: "ivanova", password: "long enough 1", role: "operator" });
      assert.equal(ok.status, 200);
      assert.ok(!("passwordHash" in ok.json));
      const me = (await admin.get("/api/users")).json.find((u: User) => u.login === "admin");
      const demote = await admin.send("PATCH", `/api/users/${me.id}`, { role: "operator" });
      assert.equal(demote.status, 409);
      await admin.send("PATCH", `/api/users/${ok.json.id}`, { active: false });
      const blocked = await new Client(server.url).login("ivanova", "long enough 1");
      assert.equal(blocked.status, 401);
      const actions = (await ds.getRepository(AuditLog).find({ where: { actor: "admin" } })).map((a) => a.action);
      assert.ok(actions.includes("user.add") && actions.includes("user.change"));
    });

    test("schedules: add, change, delete (audited); problems name the field", async () => {
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      const bad = await admin.send("POST", "/api/schedules", { jobType: "send-readings", stand: "local", mode: "once", timeOfDay: "25:00" });
      assert.equal(bad.status, 400);
      assert.match(bad.json.message, /timeOfDay/);
      const unknown = await admin.send("POST", "/api/schedules", { jobType: "send-readings", stand: "local", colour: "red" });
      assert.match(unknown.json.message, /colour/);
      const add = await admin.send("POST", "/api/schedules", {
        name: "Показания",
        jobType: "send-readings",
        stand: "local",
        mode: "once",
        timeOfDay: "03:00",
        daysOfWeek: "1,3",
      });
      assert.equal(add.status, 200, add.text);
      const put = await admin.send("PUT", `/api/schedules/${add.json.id}`, { timeOfDay: "04:30" });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.timeOfDay, "04:30");
      assert.equal(put.json.daysOfWeek, "1,3");
      const list = await admin.get("/api/schedules");
      assert.equal(list.json.items.length, 1);
      assert.ok(list.json.jobTypes.some((j: { id: string }) => j.id === "send-readings"));
      assert.equal((await admin.send("DELETE", `/api/schedules/${add.json.id}`)).status, 200);
      assert.equal((await admin.send("DELETE", `/api/schedules/${add.json.id}`)).status, 404);
      const actions = (await ds.getRepository(AuditLog).find({ where: { actor: "admin" } })).map((a) => a.action);
      for (const a of ["schedule.add", "schedule.change", "schedule.remove"]) assert.ok(actions.includes(a), a);
    });

    test("starting a run checks its fields before anything is queued", async () => {
      const c = new Client(server.url);
      await c.login("accountant", PASSWORD);
      const single = await c.send("POST", "/api/runs", { stages: ["all"], objectIds: [1] });
      assert.equal(single.status, 400);
      assert.match(single.json.message, /objectIds/);
      const stage = await c.send("POST", "/api/runs", { stages: ["everything"] });
      assert.match(stage.json.message, /stages/);
      const mode = await c.send("POST", "/api/runs", { mode: "force" });
      assert.match(mode.json.message, /mode/);
      const unused = await c.send("POST", "/api/runs", { stages: ["accounts"], mode: "pull", unused: true });
      assert.match(unused.json.message, /unused/);
      const ids = await c.send("POST", "/api/runs", { houseIds: ["1"] });
      assert.match(ids.json.message, /houseIds/);
      const res = await fetch(`${server.url}/api/runs`, {
        method: "POST",
        headers: { cookie: c.cookie, "x-csrf-token": c.csrf, "content-type": "text/plain" },
        body: "sync please",
      });
      assert.equal(res.status, 415);
      const noOrg = await c.send("POST", "/api/runs", { stages: ["accounts"] });
      assert.equal(noOrg.status, 400);
      assert.match(noOrg.json.message, /organizationId/);
      assert.equal(await ds.getRepository(AuditLog).countBy({ action: "run.start" }), 0);
    });

    test("login is rate-limited per login name", async () => {
      const c = new Client(server.url);
      for (let i = 0; i < 3; i++) assert.equal((await c.login("accountant", "wrong password")).status, 401);
      const blocked = await c.login("accountant", PASSWORD);
      assert.equal(blocked.status, 429);
      assert.equal(blocked.json.code, "too_many_attempts");
      assert.ok(Number(blocked.headers.get("retry-after")) > 0);
      // Another login from the same address is not locked out by someone else's failures.
      assert.equal((await new Client(server.url).login("operator", PASSWORD)).status, 200);
      const failed = await ds.getRepository(AuditLog).countBy({ action: "login.failed" });
      assert.ok(failed >= 3);
    });
  });
}

describe("API pieces", () => {
  test("status roll-up: any error wins, ok only when all are", () => {
    assert.equal(rollupState({ ok: 5, error: 1 }), "error");
    assert.equal(rollupState({ ok: 5, not_sent: 1 }), "not_sent");
    assert.equal(rollupState({ ok: 5, ok_nested_errors: 1 }), "ok_nested_errors");
    assert.equal(rollupState({ ok: 5 }), "ok");
    assert.equal(rollupState({}), "none");
  });

  test("sessions expire after idle time on the server", async () => {
    const r = new IORedis(REDIS_URL);
    try {
      const store = new SessionStore(r, { idleSeconds: 1, maxSeconds: 60 });
      const { token } = await store.create(1, "x");
      assert.ok(await store.get(token));
      await new Promise((res) => setTimeout(res, 2100));
      assert.equal(await store.get(token), null);
      const capped = new SessionStore(r, { idleSeconds: 60, maxSeconds: 1 });
      const s2 = await capped.create(1, "x");
      await new Promise((res) => setTimeout(res, 1100));
      assert.equal(await capped.get(s2.token), null, "the absolute lifetime ends a busy session too");
    } finally {
      r.disconnect();
    }
  });
});

/**
 * The server's hygiene, on SQLite and PostgreSQL: the login limiter (per login and client address,
 * X-Forwarded-For only from a trusted proxy), sessions ending on a password change, the signer's
 * certificate read as PEM or DER, server-only settings refused over the web, operator-only runs
 * (unused, production), a configuration error answered 422 naming the setting, a reversible NSI
 * remap, payers' personal data for operators only (audited), /metrics and /api/ready, the zip.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import IORedis from "ioredis";
import * as unzipper from "unzipper";
import { DataSource } from "typeorm";
import { Account, ArchiveEntry, AuditLog, FieldHistory, GisOperation, MessageLog, NsiItem, Organization, Service, Setting, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { REDIS_PREFIX } from "../src/queue/names";
import { pemToDer } from "../src/signing/certificate";
import { generateTestKey } from "../src/signing/keygen";
import { zipFiles } from "../src/api/zip";
import { Client } from "./support/browser";
import { DB_KINDS, withTestDb } from "./support/databases";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "correct horse battery";
const PROXY = "127.0.0.2"; // a loopback address of its own: the trusted reverse proxy
const METRICS_TOKEN = "metrics-token-for-tests";

async function clearLoginFailures(): Promise<void> {
  const r = new IORedis(REDIS_URL);
  const keys = await r.keys(`${REDIS_PREFIX}:login-fail:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

/** A request from a chosen local address (the peer the server sees), with any headers. */
function request(base: string, method: string, url: string, o: { from?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const u = new URL(base + url);
  const body = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
  return new Promise<{ status: number; text: string; json: any; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    // eslint-disable-line @typescript-eslint/no-explicit-any
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        localAddress: o.from ?? "127.0.0.1",
        headers: { ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}), ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, text, json, headers: res.headers });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const loginFrom = (base: string, login: string, password: string, from: string, forwardedFor?: string) =>
  request(base, "POST", "/api/login", { from, body: { login, password }, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} });

async function seedUsers(ds: DataSource): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD);
  for (const login of ["accountant", "operator", "admin", "admin2", "clerk"]) {
    const role = login.startsWith("admin") ? "admin" : login === "operator" ? "operator" : "accountant";
    await ds.getRepository(User).insert({ login, role, passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null });
  }
}

for (const kind of DB_KINDS) {
  describe(`API hygiene on ${kind}`, () => {
    let ds: DataSource;
    let server: RunningServer;
    let release: () => void;
    let finished: Promise<void>;
    let dir: string;

    before(async () => {
      await clearLoginFailures();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-api-hygiene-"));
      await new Promise<void>((ready) => {
        finished = withTestDb(kind, async (d) => {
          ds = d;
          await seedUsers(ds);
          server = await startServer({
            ds,
            port: 0,
            redisUrl: REDIS_URL,
            defaultStand: "local",
            trustedProxies: PROXY,
            metricsToken: METRICS_TOKEN,
            loginLimit: { max: 5, windowSeconds: 60, maxDelayMs: 100 },
          });
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
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test("login limiter: a guesser is locked per login and address, the real user is not", async () => {
      const u = server.url;
      // Five wrong passwords for «accountant» from 203.0.113.5 (behind the trusted proxy) lock that pair…
      for (let i = 0; i < 5; i++) assert.equal((await loginFrom(u, "accountant", "wrong", PROXY, "203.0.113.5")).status, 401);
      const locked = await loginFrom(u, "accountant", PASSWORD, PROXY, "203.0.113.5");
      assert.equal(locked.status, 429);
      assert.equal(locked.json.code, "too_many_attempts");
      assert.ok(Number(locked.headers["retry-after"]) > 0);
      // …but not the right password from another address.
      assert.equal((await loginFrom(u, "accountant", PASSWORD, PROXY, "198.51.100.7")).status, 200);
      // Twenty wrong passwords from one address, over four logins, lock none of the other users — not even there.
      for (const login of ["operator", "admin", "nobody", "ghost"]) for (let i = 0; i < 5; i++) await loginFrom(u, login, "wrong", PROXY, "203.0.113.9");
      assert.equal((await loginFrom(u, "clerk", PASSWORD, PROXY, "203.0.113.9")).status, 200, "another user at the guesser's address");
      assert.equal((await loginFrom(u, "operator", PASSWORD, PROXY, "198.51.100.8")).status, 200, "the guessed user from elsewhere");
      assert.equal((await loginFrom(u, "operator", PASSWORD, PROXY, "203.0.113.9")).status, 429, "the guessed user from the guesser's address");
      // The address is the client's, as the trusted proxy saw it: in the audit too.
      const failed = await ds.getRepository(AuditLog).findBy({ action: "login.failed", actor: "accountant" });
      assert.ok(failed.length >= 5 && failed.every((r) => JSON.parse(r.details!).ip === "203.0.113.5"));
    });

    test("login limiter: X-Forwarded-For from an untrusted peer is ignored; parallel guesses do not slip past", async () => {
      const u = server.url;
      for (let i = 0; i < 5; i++) assert.equal((await loginFrom(u, "admin2", "wrong", "127.0.0.1", `192.0.2.${i + 1}`)).status, 401);
      assert.equal((await loginFrom(u, "admin2", PASSWORD, "127.0.0.1", "192.0.2.200")).status, 429, "a forged header does not make a new address");
      const burst = await Promise.all(Array.from({ length: 12 }, () => loginFrom(u, "admin", "wrong", PROXY, "203.0.113.77")));
      assert.equal(burst.filter((r) => r.status === 401).length, 5);
      assert.equal(burst.filter((r) => r.status === 429).length, 7);
    });

    test("a password change ends the user's sessions; the user's own is re-issued", async () => {
      const passwordHash = await hashPassword(PASSWORD);
      await ds.getRepository(User).insert([
        { login: "petrova", role: "accountant", passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null },
        { login: "sidorov", role: "operator", passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null },
        { login: "chief", role: "admin", passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null },
      ]);
      const [desk, laptop] = [new Client(server.url), new Client(server.url)];
      assert.equal((await desk.login("petrova", PASSWORD)).status, 200);
      assert.equal((await laptop.login("petrova", PASSWORD)).status, 200);
      const wrong = await desk.send("POST", "/api/me/password", { currentPassword: "not it", newPassword: "a new long password" });
      assert.equal(wrong.status, 403);
      assert.match(wrong.json.message, /currentPassword/);
      const changed = await desk.send("POST", "/api/me/password", { currentPassword: PASSWORD, newPassword: "a new long password" });
      assert.equal(changed.status, 200, changed.text);
      desk.csrf = changed.json.csrfToken;
      assert.equal((await desk.get("/api/me")).status, 200, "the session that changed it goes on (re-issued)");
      assert.equal((await desk.send("POST", "/api/logout")).status, 200, "with its new CSRF token");
      assert.equal((await laptop.get("/api/me")).status, 401, "every other session of the user has ended");
      assert.equal((await new Client(server.url).login("petrova", PASSWORD)).status, 401);
      assert.equal((await new Client(server.url).login("petrova", "a new long password")).status, 200);

      // An admin resets someone's password: that user's sessions end; an admin changing their own keeps this one.
      const op = new Client(server.url);
      await op.login("sidorov", PASSWORD);
      const [chief, chiefPhone] = [new Client(server.url), new Client(server.url)];
      await chief.login("chief", PASSWORD);
      await chiefPhone.login("chief", PASSWORD);
      const users = (await chief.get("/api/users")).json as Array<{ id: number; login: string }>;
      const id = (login: string) => users.find((x) => x.login === login)!.id;
      assert.equal((await chief.send("PATCH", `/api/users/${id("sidorov")}`, { password: "reset by the chief" })).status, 200);
      assert.equal((await op.get("/api/me")).status, 401);
      const own = await chief.send("PATCH", `/api/users/${id("chief")}`, { password: "the chief's own new one" });
      assert.equal(own.status, 200);
      assert.ok(own.json.csrfToken);
      chief.csrf = own.json.csrfToken;
      assert.equal((await chief.get("/api/me")).status, 200);
      assert.equal((await chiefPhone.get("/api/me")).status, 401);
      assert.ok(await ds.getRepository(AuditLog).countBy({ action: "password.change", actor: "petrova" }));
    });

    test("GET /api/signer reads the certificate as PEM or DER; its settings are checked", async () => {
      const { certPem } = await generateTestKey({ commonName: "ООО «Тест подписи»", days: 365 });
      fs.writeFileSync(path.join(dir, "cert.pem"), certPem);
      fs.writeFileSync(path.join(dir, "cert.der"), pemToDer(certPem));
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      for (const file of ["cert.pem", "cert.der"]) {
        assert.equal((await admin.send("PUT", "/api/settings/signer.certFile", { value: path.join(dir, file) })).status, 200);
        const r = await admin.get("/api/signer");
        assert.equal(r.status, 200);
        assert.equal(r.json.problem, undefined, `${file}: ${r.json.problem}`);
        assert.match(r.json.certificate.subject, /Тест подписи/);
      }
    });

    test("signer.pkcs11Library and signer.command are refused over the web, naming the setting", async () => {
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      for (const key of ["signer.pkcs11Library", "signer.command"]) {
        const r = await admin.send("PUT", `/api/settings/${key}`, { value: "/tmp/evil" });
        assert.equal(r.status, 403, key);
        assert.equal(r.json.code, "server_only");
        assert.match(r.json.message, new RegExp(key.replace(".", "\\.")));
        assert.match(r.json.message, /gis-sync settings set/);
        const reset = await admin.send("PUT", `/api/settings/${key}`, { value: null });
        assert.equal(reset.status, 403);
        assert.equal(await ds.getRepository(Setting).countBy({ key }), 0);
      }
      const all = (await admin.get("/api/settings")).json as Array<{ key: string; serverOnly: boolean }>;
      assert.equal(all.find((s) => s.key === "signer.command")!.serverOnly, true);
      assert.equal(all.find((s) => s.key === "signer.keyFile")!.serverOnly, false);
      const badProxy = await admin.send("PUT", "/api/settings/server.trustedProxies", { value: "10.0.0.0/33" });
      assert.equal(badProxy.status, 400);
      assert.match(badProxy.json.message, /server\.trustedProxies/);
    });

    test("runs: unused and production are for operators; a configuration error is a 422 naming the setting", async () => {
      const org = await ds.getRepository(Organization).save({ externalId: "ORG-RUN", fullName: "ООО «УК Запуск»" } as Partial<Organization>);
      const acc = new Client(server.url);
      await acc.login("clerk", PASSWORD);
      const prod = await acc.send("POST", "/api/runs", { stand: "prod", stages: ["accounts"], organizationId: org.id });
      assert.equal(prod.status, 403);
      assert.match(prod.json.message, /stand.*рабочим стендом.*оператор/);
      const unused = await acc.send("POST", "/api/runs", { stand: "local", stages: ["accounts"], mode: "push", unused: true, organizationId: org.id });
      assert.equal(unused.status, 403);
      assert.match(unused.json.message, /unused.*только оператор или администратор/);
      assert.equal(await ds.getRepository(AuditLog).countBy({ action: "run.start" }), 0);

      const op = new Client(server.url);
      await op.login("operator", PASSWORD);
      // The operator gets past the role check; the pipeline then cannot open: no key file configured.
      await ds.getRepository(Setting).delete({ key: "signer.keyFile" });
      const noKey = await op.send("POST", "/api/runs", { stand: "prod", stages: ["accounts"], mode: "push", unused: true, organizationId: org.id });
      assert.equal(noKey.status, 422, noKey.text);
      assert.equal(noKey.json.code, "configuration");
      assert.match(noKey.json.message, /signer\.keyFile/);
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      await admin.send("PUT", "/api/settings/signer.keyFile", { value: path.join(dir, "no-such-key.pem") });
      const missing = await op.send("POST", "/api/runs", { stand: "local", stages: ["accounts"], organizationId: org.id });
      assert.equal(missing.status, 422, missing.text);
      assert.match(missing.json.message, /не открывается из-за настройки: .*signer\.keyFile/);
    });

    test("a service's NSI remap can be undone, cleared and restored through the API", async () => {
      const org = await ds.getRepository(Organization).save({ externalId: "ORG-NSI", fullName: "ООО «УК НСИ»" } as Partial<Organization>);
      const privateGuid = crypto.randomUUID();
      const s = await ds.getRepository(Service).save({
        externalId: "S-NSI",
        organizationId: org.id,
        code: "DOP",
        name: "Домофон",
        kind: "additional",
        nsiRegistry: 1,
        nsiCode: "7",
        nsiGuid: privateGuid,
      } as Partial<Service>);
      await ds
        .getRepository(NsiItem)
        .save({ registryNumber: 1, code: "3", guid: crypto.randomUUID(), name: "Вывоз мусора", listGroup: "NSI", isActual: true } as Partial<NsiItem>);
      const acc = new Client(server.url);
      await acc.login("clerk", PASSWORD);
      const remap = await acc.send("PATCH", `/api/services/${s.id}`, { nsiRegistry: 1, nsiCode: "3" });
      assert.equal(remap.status, 200, remap.text);
      assert.equal(remap.json.nsiCode, "3");
      // The private item GIS gave us is not in the common directory: a PATCH cannot name it, a restore can.
      assert.equal((await acc.send("PATCH", `/api/services/${s.id}`, { nsiRegistry: 1, nsiCode: "7" })).status, 400);
      const back = await acc.send("POST", `/api/services/${s.id}/nsi/restore`, {});
      assert.equal(back.status, 200, back.text);
      assert.deepEqual([back.json.nsiRegistry, back.json.nsiCode, back.json.nsiGuid], [1, "7", privateGuid]);
      const cleared = await acc.send("PATCH", `/api/services/${s.id}`, { nsiRegistry: null, nsiCode: null });
      assert.deepEqual([cleared.json.nsiRegistry, cleared.json.nsiCode, cleared.json.nsiGuid], [null, null, null]);
      const history = (await acc.get(`/api/services/${s.id}/nsi/history`)).json as Array<{ auditId: number; action: string; from: { nsiCode: string | null } }>;
      assert.deepEqual(
        history.map((h) => h.action),
        ["service.map", "service.map.restore", "service.map"],
      );
      const first = history[history.length - 1];
      const original = await acc.send("POST", `/api/services/${s.id}/nsi/restore`, { auditId: first.auditId });
      assert.deepEqual([original.json.nsiCode, original.json.nsiGuid], ["7", privateGuid], "the mapping before the first change");
      const foreign = await acc.send("POST", `/api/services/${s.id}/nsi/restore`, { auditId: 1 });
      assert.equal(foreign.status, 400);
      assert.match(foreign.json.message, /auditId/);
    });

    test("payers' SNILS and documents: operators only, audited; accountants get name and account", async () => {
      const org = await ds.getRepository(Organization).save({ externalId: "ORG-PD", fullName: "ООО «УК ПДн»" } as Partial<Organization>);
      const a = await ds.getRepository(Account).save({
        externalId: "ACC-PD",
        organizationId: org.id,
        number: "7001",
        payerLastName: "Кузнецова",
        payerFirstName: "Анна",
        payerMiddleName: "Сергеевна",
        payerSnils: "11223344595",
        payerDocumentType: "1",
        payerDocumentSeries: "9204",
        payerDocumentNumber: "555111",
        sync: { status: "not_sent" },
      } as Partial<Account>);
      await ds.getRepository(FieldHistory).insert({
        entityType: "account",
        entityId: a.id,
        field: "payerSnils",
        value: JSON.stringify("99887766501"),
        validFrom: null,
        validTo: "2025-01-01",
        changedAt: new Date(),
        changedBy: "import",
      });
      await ds.getRepository(MessageLog).insert({
        createdAt: new Date(),
        level: "error",
        group: "accounts",
        subgroup: null,
        author: "test",
        text: "ЛС 7001: СНИЛС 112-233-445 95 не прошёл проверку ГИС",
        objectType: "account",
        objectId: a.id,
        operationId: null,
        code: "TEST",
        runId: null,
      });
      const PD = /11223344595|9204|555111|99887766501|112-233-445 95/;

      const acc = new Client(server.url);
      await acc.login("clerk", PASSWORD);
      const card = await acc.get(`/api/accounts/${a.id}`);
      assert.equal(card.status, 200);
      assert.equal(card.json.payerLastName, "Кузнецова");
      assert.equal(card.json.number, "7001");
      assert.ok(!("payerSnils" in card.json) && !("payerDocumentNumber" in card.json) && !("payerDocumentSeries" in card.json));
      const history = await acc.get(`/api/objects/account/${a.id}/history`);
      assert.equal(history.json.items[0].value, null);
      assert.equal(history.json.items[0].hidden, true);
      const messages = await acc.get(`/api/messages?objectType=account&objectId=${a.id}`);
      assert.match(messages.json.items[0].text, /ЛС 7001: СНИЛС \*\*\* не прошёл/);
      for (const r of [card, history, messages, await acc.get("/api/accounts"), await acc.get(`/api/objects/account/${a.id}/attempts`)])
        assert.doesNotMatch(r.text, PD);
      assert.equal(await ds.getRepository(AuditLog).countBy({ action: "personal-data.read" }), 0, "nothing was read");

      const op = new Client(server.url);
      await op.login("operator", PASSWORD);
      const full = await op.get(`/api/accounts/${a.id}`);
      assert.equal(full.json.payerSnils, "11223344595");
      assert.equal(full.json.payerDocumentNumber, "555111");
      assert.equal(JSON.parse((await op.get(`/api/objects/account/${a.id}/history`)).json.items[0].value), "99887766501");
      assert.doesNotMatch((await op.get("/api/accounts")).text, /11223344595|555111/, "lists never carry them");
      const reads = await ds.getRepository(AuditLog).findBy({ action: "personal-data.read" });
      assert.deepEqual(reads.map((r) => [r.actor, r.target]).sort(), [
        ["operator", `account:${a.id}`],
        ["operator", `account:${a.id}:history`],
      ]);
    });

    test("/metrics: Prometheus text from the database and BullMQ; open to 127.0.0.1 and to the token only", async () => {
      const now = Date.now();
      const op = (state: GisOperation["state"], extra: Partial<GisOperation> = {}) =>
        ds.getRepository(GisOperation).insert({
          id: crypto.randomUUID(),
          stand: "local",
          service: "house-management",
          method: "importAccountData",
          stage: "accounts",
          state,
          attempts: 1,
          polls: 3,
          itemCount: 1,
          createdAt: new Date(now - 60_000),
          author: "test",
          ...extra,
        });
      await op("processing", { sentAt: new Date(now - 30_000) });
      await op("done", { sentAt: new Date(now - 50_000), answeredAt: new Date(now - 40_000) });
      await op("failed", { errorCode: "INT002012", sentAt: new Date(now - 50_000), answeredAt: new Date(now - 20_000) });
      const m = await request(server.url, "GET", "/metrics");
      assert.equal(m.status, 200, m.text);
      assert.match(String(m.headers["content-type"]), /text\/plain; version=0\.0\.4/);
      for (const re of [
        /# TYPE gis_sync_queue_jobs gauge/,
        /gis_sync_queue_jobs\{stand="local",queue="send",state="waiting"\} \d+/,
        /gis_sync_requests_in_flight\{stand="local",service="house-management"\} 1/,
        /gis_sync_operations\{stand="local",state="failed",error_code="INT002012"\} 1/,
        /gis_sync_result_wait_seconds\{service="house-management",quantile="0\.5"\} (10|30)/,
        /gis_sync_result_wait_seconds_count\{service="house-management"\} 2/,
        /gis_sync_signer_ok 0/,
        /gis_sync_objects\{kind="account",status="not_sent"\} \d+/,
      ])
        assert.match(m.text, re);
      assert.equal(
        (await request(server.url, "GET", "/metrics", { from: PROXY, headers: { "x-forwarded-for": "203.0.113.1" } })).status,
        401,
        "through a proxy, 127.0.0.1 is not the client",
      );
      assert.equal(
        (await request(server.url, "GET", "/metrics", { headers: { "x-forwarded-for": "203.0.113.1", authorization: "Bearer wrong" } })).status,
        403,
      );
      assert.equal(
        (await request(server.url, "GET", "/metrics", { headers: { "x-forwarded-for": "203.0.113.1", authorization: `Bearer ${METRICS_TOKEN}` } })).status,
        200,
      );
    });

    test("/api/ready: 503 naming what is not ready, 200 once the signer signs", async () => {
      const admin = new Client(server.url);
      await admin.login("admin", PASSWORD);
      await admin.send("PUT", "/api/settings/signer.keyFile", { value: path.join(dir, "absent.pem") });
      const notReady = await request(server.url, "GET", "/api/ready");
      assert.equal(notReady.status, 503);
      assert.equal(notReady.json.status, "not_ready");
      assert.deepEqual(Object.keys(notReady.json.checks), ["database", "redis", "schema", "signer"]);
      assert.equal(notReady.json.checks.database.ok, true);
      assert.equal(notReady.json.checks.redis.ok, true);
      assert.equal(notReady.json.checks.schema.ok, true);
      assert.equal(notReady.json.checks.signer.ok, false);
      assert.match(notReady.json.checks.signer.message, /signer\.keyFile/);
      assert.ok(!notReady.text.includes(dir), "no file paths for an anonymous caller");
      const { keyPem, certPem } = await generateTestKey({ commonName: "ООО «Готово»", days: 365 });
      fs.writeFileSync(path.join(dir, "key.pem"), keyPem, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, "ready-cert.pem"), certPem);
      await admin.send("PUT", "/api/settings/signer.keyFile", { value: path.join(dir, "key.pem") });
      await admin.send("PUT", "/api/settings/signer.certFile", { value: path.join(dir, "ready-cert.pem") });
      await new Promise((r) => setTimeout(r, 100));
      // The probe's verdict is kept for 30 s: a fresh server answers at once.
      const fresh = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local" });
      try {
        const ready = await request(fresh.url, "GET", "/api/ready");
        assert.equal(ready.status, 200, ready.text);
        assert.equal(ready.json.checks.signer.ok, true);
        assert.match((await request(fresh.url, "GET", "/metrics")).text, /gis_sync_signer_ok 1\ngis_sync_signing_seconds|gis_sync_signing_seconds \d/);
      } finally {
        await fresh.close();
      }
    });

    test("the operation zip opens with a standard unzip and holds the archive's XML", async () => {
      const op = {
        id: crypto.randomUUID(),
        stand: "local" as const,
        service: "house-management",
        method: "importAccountData",
        stage: "accounts",
        state: "done" as const,
        attempts: 1,
        polls: 1,
        itemCount: 0,
        createdAt: new Date(),
        author: "test",
      };
      await ds.getRepository(GisOperation).insert(op);
      await ds.getRepository(ArchiveEntry).insert({
        operationId: op.id,
        seq: 0,
        kind: "request",
        body: '<x:request xmlns:x="urn:t">Привет</x:request>',
        sizeBytes: 10,
        hash: "0".repeat(64),
        prevHash: "0".repeat(64),
        createdAt: new Date(),
        messageGuid: null,
        httpStatus: null,
      });
      const c = new Client(server.url);
      await c.login("operator", PASSWORD);
      const zip = await c.get(`/api/operations/${op.id}/zip`);
      assert.equal(zip.status, 200);
      const open = (name: string, data: Buffer) => (fs.writeFileSync(path.join(dir, name), data), unzipper.Open.file(path.join(dir, name)));
      const files = (await open("op.zip", zip.body)).files;
      assert.deepEqual(
        files.map((f) => f.path),
        [`${op.id}-request.xml`],
      );
      assert.match((await files[0].buffer()).toString("utf8"), /Привет/);
      const many = await zipFiles([
        { name: "а.xml", data: "<a/>" },
        { name: "b.xml", data: Buffer.alloc(100_000, 65) },
      ]);
      const opened = (await open("many.zip", many)).files;
      assert.deepEqual(
        opened.map((f) => [f.path, f.uncompressedSize]),
        [
          ["а.xml", 4],
          ["b.xml", 100_000],
        ],
      );
    });
  });
}

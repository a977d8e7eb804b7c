/**
 * Entry and editing over the API, on SQLite and PostgreSQL: the importer's checks name the field
 * in Russian, replicated and GIS-assigned fields are refused, a marker template frees fields for
 * editing, an edit keeps the earlier value of a history field, marks the object changed and is
 * audited, a later import leaves a hand-kept field alone; contracts and charters can be created;
 * roles: anonymous 401, accountant 403, operator allowed, markers for the administrator.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DataSource } from "typeorm";
import { Account, AccountAccommodation, AuditLog, FieldHistory, House, Premise, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { importPath } from "../src/importer/import-run";
import { writeFixture } from "./support/bundle-fixture";
import { Client } from "./support/browser";
import { DB_KINDS, withTestDb } from "./support/databases";
import { reloadAt } from "./support/identity";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "edit test password";

for (const kind of DB_KINDS) {
  describe(`object entry and editing on ${kind}`, () => {
    let ds: DataSource;
    let server: RunningServer;
    let release: () => void;
    let finished: Promise<void>;
    let dir: string;
    const anon = () => new Client(server.url);
    const as = async (login: string) => {
      const c = new Client(server.url);
      assert.equal((await c.login(login, PASSWORD)).status, 200);
      return c;
    };

    before(async () => {
      await new Promise<void>((ready) => {
        finished = withTestDb(kind, async (d) => {
          ds = d;
          const passwordHash = await hashPassword(PASSWORD);
          for (const role of ["accountant", "operator", "admin"] as const)
            await ds.getRepository(User).insert({ login: role, role, passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null });
          dir = writeFixture();
          await importPath(ds, dir, { author: "test" });
          server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local" });
          ready();
          await new Promise<void>((r) => (release = r));
          await server.close();
        });
      });
    });
    after(async () => {
      release();
      await finished;
    });

    test("roles: anonymous 401, accountant 403, schema for everyone", async () => {
      const a1 = await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" });
      assert.equal((await anon().call("PUT", `/api/accounts/${a1.id}`, { totalArea: 1 })).status, 401);
      const acc = await as("accountant");
      const r = await acc.send("PUT", `/api/accounts/${a1.id}`, { totalArea: 1 });
      assert.equal(r.status, 403);
      assert.equal((await acc.send("POST", "/api/contracts", { kind: "management" })).status, 403);
      assert.equal((await acc.send("POST", "/api/field-policies/template", { template: "default" })).status, 403);
      const schema = await acc.get("/api/edit/schema");
      assert.equal(schema.status, 200);
      const account = schema.json.kinds.find((k: { entity: string }) => k.entity === "account");
      const area = account.fields.find((f: { field: string }) => f.field === "totalArea");
      assert.deepEqual([area.label, area.replicated, area.history], ["Общая площадь", true, true]);
      const doc = (await anon().get("/api/openapi.json")).json;
      for (const p of ["/api/accounts/{id}", "/api/contracts", "/api/meters/{id}", "/api/houses", "/api/field-policies"]) assert.ok(doc.paths[p], p);
    });

    test("a replicated field and a GIS-assigned one are refused; bad values name the field", async () => {
      const op = await as("operator");
      const a1 = await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" });
      const replicated = await op.send("PUT", `/api/accounts/${a1.id}`, { totalArea: 50 });
      assert.equal(replicated.status, 409, replicated.text);
      assert.equal(replicated.json.code, "read_only");
      assert.match(replicated.json.message, /Лицевой счёт 100001, поле «Общая площадь» \(totalArea\): загружается из учётной системы/);
      const gis = await op.send("PUT", `/api/accounts/${a1.id}`, { unifiedNumber: "00AA000001" });
      assert.equal(gis.status, 409);
      assert.match(gis.json.message, /«ЕЛС».*присваивает ГИС ЖКХ/);
      const unknown = await op.send("PUT", `/api/accounts/${a1.id}`, { nonsense: 1 });
      assert.equal(unknown.status, 400);
      // The same value as stored is no change, whatever its marker: a form may send every field back.
      assert.equal((await op.send("PUT", `/api/accounts/${a1.id}`, { totalArea: 45.5, number: "100001" })).status, 200);
      const house = await ds.getRepository(House).findOneByOrFail({ externalId: "h1" });
      const bad = await op.send("POST", "/api/premises", { houseId: house.id, kind: "residential", number: "7", totalArea: "сорок", floor: "12345678901" });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.code, "invalid");
      assert.deepEqual(bad.json.errors.map((e: { field: string }) => e.field).sort(), ["floor", "totalArea"]);
      assert.match(bad.json.message, /поле «Общая площадь» \(totalArea\) — должно быть числом/);
      const missing = await op.send("POST", "/api/premises", { houseId: house.id, kind: "residential" });
      assert.equal(missing.status, 400);
      assert.match(missing.json.message, /«Номер помещения» \(number\) — обязательное поле не заполнено/);
      const noHouse = await op.send("POST", "/api/premises", { houseId: 999999, kind: "residential", number: "8" });
      assert.match(noHouse.json.message, /«Дом» \(houseId\) — нет записи с идентификатором 999999/);
    });

    test("markers: an administrator frees fields by a template; the edit keeps history, marks the object changed, is audited; the import leaves it", async () => {
      const admin = await as("admin");
      const op = await as("operator");
      const both = await admin.send("PUT", "/api/field-policies", {
        changes: [{ entityType: "account", field: "note", replicated: true, history: false, importedFromGis: true }],
      });
      assert.equal(both.status, 400);
      const t = await admin.send("POST", "/api/field-policies/template", { template: "fund-by-hand" });
      assert.equal(t.status, 200, t.text);
      assert.ok(t.json.rows > 10);
      const policies = (await op.get("/api/field-policies")).json;
      const accountArea = policies.entities
        .find((e: { entity: string }) => e.entity === "account")
        .fields.find((f: { field: string }) => f.field === "totalArea");
      assert.deepEqual([accountArea.replicated, accountArea.overridden], [false, true]);

      const a1 = await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" });
      const before = a1.sync.changedAt;
      const snils = await op.send("PUT", `/api/accounts/${a1.id}`, { payerSnils: "123" });
      assert.equal(snils.status, 409, "the SNILS stays billing's");
      const share = await op.send("PUT", `/api/accounts/${a1.id}`, { paymentShare: 1.5 });
      assert.equal(share.status, 400);
      assert.match(share.json.message, /«Доля внесения платы \(от 0 до 1\)» \(paymentShare\) — доля внесения платы больше 1/);
      const ok = await op.send("PUT", `/api/accounts/${a1.id}`, { totalArea: 50.25 });
      assert.equal(ok.status, 200, ok.text);
      assert.deepEqual(ok.json.changed, ["totalArea"]);
      const saved = await ds.getRepository(Account).findOneByOrFail({ id: a1.id });
      assert.equal(saved.totalArea, 50.25);
      assert.ok(saved.sync.changedAt && (!before || saved.sync.changedAt > before));
      const hist = await ds.getRepository(FieldHistory).findOneByOrFail({ entityType: "account", entityId: a1.id, field: "totalArea" });
      assert.equal(JSON.parse(hist.value!), 45.5);
      assert.equal(hist.changedBy, "operator");
      const row = await ds.getRepository(AuditLog).findOneByOrFail({ action: "account.edit", actor: "operator" });
      assert.deepEqual(JSON.parse(row.details!).changes, [{ field: "totalArea", from: 45.5, to: 50.25 }]);

      // The billing bundle still says 45.5: the field is kept by hand now, the import leaves it.
      await importPath(ds, dir, { author: "test" });
      assert.equal((await ds.getRepository(Account).findOneByOrFail({ id: a1.id })).totalArea, 50.25);
      await admin.send("POST", "/api/field-policies/template", { template: "default" });
      assert.equal((await op.send("PUT", `/api/accounts/${a1.id}`, { totalArea: 51 })).status, 409);
    });

    test("contracts and charters can be created; an account with its premise; objects entered by hand stay editable", async () => {
      const op = await as("operator");
      const c = await op.send("POST", "/api/contracts", {
        kind: "management",
        number: "УК-7",
        signedDate: "01.02.2026",
        effectiveDate: "2026-02-01",
        secondPartyKind: "owners",
      });
      assert.equal(c.status, 201, c.text);
      const contract = await reloadAt(ds, "contract", c.json.object.id);
      // The answer shows the object as the request's stand sees it: never sent there yet.
      assert.equal(c.json.object.sync.status, "not_sent");
      assert.equal(contract.signedDate, "2026-02-01");
      assert.match(contract.externalId, /^manual:/);
      assert.equal(contract.sync.status, "not_sent");
      const charter = await op.send("POST", "/api/contracts", { kind: "charter", signedDate: "2026-31-01" });
      assert.equal(charter.status, 400);
      assert.match(charter.json.message, /«Дата заключения» \(signedDate\) — должно быть датой/);
      assert.equal((await op.send("POST", "/api/contracts", { kind: "charter", signedDate: "2026-01-31" })).status, 201);
      // A hand-entered object is no billing object: its fields are not replicated.
      assert.equal((await op.send("PUT", `/api/contracts/${contract.id}`, { number: "УК-7/1" })).status, 200);
      const kindChange = await op.send("PUT", `/api/contracts/${contract.id}`, { kind: "supply" });
      assert.match(kindChange.json.message, /задаётся при создании/);

      const p4 = await ds.getRepository(Premise).findOneByOrFail({ externalId: "p4" });
      const a = await op.send("POST", "/api/accounts", {
        number: "200001",
        accountType: "RSO",
        payerKind: "person",
        payerLastName: "Новикова",
        totalArea: "60,25",
        accommodation: { premiseId: p4.id, sharePercent: 100 },
      });
      assert.equal(a.status, 201, a.text);
      const x = await ds.getRepository(AccountAccommodation).findOneByOrFail({ accountId: a.json.object.id });
      assert.equal(x.premiseId, p4.id);
      assert.equal(a.json.object.totalArea, 60.25);
      const noPayer = await op.send("POST", "/api/accounts", { number: "200002", accountType: "RSO", payerKind: "person" });
      assert.match(noPayer.json.message, /не указаны ни фамилия, ни имя/);
    });
  });
}

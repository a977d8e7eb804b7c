/**
 * The operator's cards and names over the API, on SQLite and PostgreSQL: objects named as an
 * operator knows them (account number, address, factory number, payment document number and
 * period — one query per kind); a meter's card shows its fields, linked objects by name and its
 * GIS identity and status on the request's stand only; own marker templates are saved, applied
 * (administrator) and deleted; roles and a bad stand are refused.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DataSource } from "typeorm";
import { Account, FieldPolicy, House, Meter, Organization, PaymentDocument, Premise, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { importPath } from "../src/importer/import-run";
import { updateAt } from "../src/storage/identity/update";
import { writeFixture } from "./support/bundle-fixture";
import { Client } from "./support/browser";
import { DB_KINDS, withTestDb } from "./support/databases";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "cards test password";
const ROOT = "11111111-2222-4333-8444-555555555555";

for (const kind of DB_KINDS) {
  describe(`cards and names on ${kind}`, () => {
    let ds: DataSource;
    let server: RunningServer;
    let release: () => void;
    let finished: Promise<void>;
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
          await importPath(ds, writeFixture(), { author: "test" });
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

    test("objects by name: ЛС number, house address, premise, meter factory number, payment document number and period", async () => {
      const a1 = await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" });
      const h1 = await ds.getRepository(House).findOneByOrFail({ externalId: "h1" });
      const p1 = await ds.getRepository(Premise).findOneByOrFail({ externalId: "p1" });
      const m1 = await ds.getRepository(Meter).findOneByOrFail({ externalId: "m1" });
      const doc = await ds.getRepository(PaymentDocument).save({
        externalId: "doc1",
        organizationId: a1.organizationId,
        accountId: a1.id,
        periodYear: 2026,
        periodMonth: 3,
        number: "45",
      });
      const op = await as("operator");
      const refs = [`account:${a1.id}`, `house:${h1.id}`, `premise:${p1.id}`, `meter:${m1.id}`, `payment_document:${doc.id}`, "account:999999"].join(",");
      const r = await op.get(`/api/object-names?refs=${encodeURIComponent(refs)}`);
      assert.equal(r.status, 200, r.text);
      const name = (k: string, id: number) => r.json.items.find((n: { kind: string; id: number }) => n.kind === k && n.id === id);
      assert.equal(name("account", a1.id).name, "ЛС 100001");
      assert.equal(name("account", a1.id).href, `#/accounts/${a1.id}`);
      assert.equal(name("house", h1.id).name, "г. Казань, ул. Ленина, д. 1");
      assert.equal(name("premise", p1.id).name, "г. Казань, ул. Ленина, д. 1, пом. 1");
      assert.equal(name("premise", p1.id).href, `#/premise/${p1.id}`);
      assert.equal(name("meter", m1.id).name, "ПУ № ХВ-0001");
      assert.equal(name("meter", m1.id).href, `#/meter/${m1.id}`);
      assert.equal(name("payment_document", doc.id).name, "ПД 45 за 03.2026 (ЛС 100001)");
      assert.equal(r.json.items.length, 5, "an object that does not exist is left out");
      assert.equal((await op.get("/api/object-names?refs=account%3Aabc")).status, 400);
      assert.equal((await new Client(server.url).get(`/api/object-names?refs=account:${a1.id}`)).status, 401);
    });

    test("a meter's card: fields, linked objects by name, identity and status of the request's stand only", async () => {
      const m1 = await ds.getRepository(Meter).findOneByOrFail({ externalId: "m1" });
      const a1 = await ds.getRepository(Account).findOneByOrFail({ externalId: "a1" });
      await updateAt(ds, "sit01", Meter, m1.id, { gisRootGuid: ROOT, sync: { status: "error", errorCode: "SRV006", errorText: "Ошибка ГИС" } });
      const acc = await as("accountant");
      const at = await acc.get(`/api/cards/meter/${m1.id}?stand=sit01`);
      assert.equal(at.status, 200, at.text);
      assert.equal(at.json.stand, "sit01");
      assert.equal(at.json.name, "ПУ № ХВ-0001");
      assert.equal(at.json.identity.find((f: { field: string }) => f.field === "gisRootGuid").value, ROOT);
      assert.equal(at.json.sync.status, "error");
      assert.equal(at.json.sync.errorCode, "SRV006");
      const house = at.json.fields.find((f: { field: string }) => f.field === "houseId");
      assert.equal(house.label, "Дом");
      assert.equal(house.ref.name, "г. Казань, ул. Ленина, д. 1");
      assert.equal(at.json.fields.find((f: { field: string }) => f.field === "factoryNumber").value, "ХВ-0001");
      assert.deepEqual(
        at.json.accounts.map((x: { name: string }) => x.name),
        ["ЛС 100001"],
      );
      assert.equal(at.json.accounts[0].id, a1.id);
      // Another stand has never seen it; without ?stand= the server's default stand (local) answers.
      for (const url of [`/api/cards/meter/${m1.id}?stand=prod`, `/api/cards/meter/${m1.id}`]) {
        const other = await acc.get(url);
        assert.equal(other.status, 200, other.text);
        assert.equal(other.json.identity.find((f: { field: string }) => f.field === "gisRootGuid").value, null);
        assert.equal(other.json.sync.status, "not_sent");
      }
      assert.equal((await acc.get(`/api/cards/meter/${m1.id}?stand=nowhere`)).status, 400);
      assert.equal((await acc.get("/api/cards/meter/999999")).status, 404);
      assert.equal((await acc.get(`/api/cards/house/${m1.id}`)).status, 400);
      const p1 = await ds.getRepository(Premise).findOneByOrFail({ externalId: "p1" });
      const pc = await acc.get(`/api/cards/premise/${p1.id}?stand=local`);
      assert.equal(pc.status, 200, pc.text);
      assert.equal(pc.json.title, "Помещение: г. Казань, ул. Ленина, д. 1, пом. 1");
      assert.equal(pc.json.houseId, p1.houseId);
      assert.deepEqual(
        pc.json.identity.map((f: { field: string }) => f.field),
        ["gisGuid", "gisUniqueNumber"],
      );
      const org = await ds.getRepository(Organization).findOneByOrFail({ externalId: "org1" });
      const oc = await acc.get(`/api/cards/organization/${org.id}?stand=local`);
      assert.equal(oc.status, 200, oc.text);
      assert.ok(oc.json.identity.some((f: { field: string }) => f.field === "gisOrgPpaGuid"));
      assert.equal(oc.json.fields.find((f: { field: string }) => f.field === "inn").value, "7707083893");
    });

    test("own marker templates: saved by an operator, applied by the administrator, deleted", async () => {
      const op = await as("operator");
      const admin = await as("admin");
      const markers = [{ entityType: "account", field: "totalArea", replicated: false, history: true, importedFromGis: false }];
      assert.equal((await (await as("accountant")).send("POST", "/api/field-templates", { title: "Мой", markers })).status, 403);
      const bad = await op.send("POST", "/api/field-templates", { title: "Плохой", markers: [{ ...markers[0], field: "nope" }] });
      assert.equal(bad.status, 400);
      assert.match(bad.json.message, /нет поля «nope»/);
      const saved = await op.send("POST", "/api/field-templates", { title: "Площади вручную", markers });
      assert.equal(saved.status, 200, saved.text);
      assert.equal(saved.json.markers, 1);
      assert.equal((await op.send("POST", "/api/field-templates", { title: "площади вручную", markers })).status, 409);
      assert.equal((await op.send("POST", "/api/field-templates", { title: "Шаблон по умолчанию", markers })).status, 409);
      const list = await op.get("/api/field-templates");
      assert.deepEqual(
        list.json.items.map((t: { title: string; author: string }) => [t.title, t.author]),
        [["Площади вручную", "operator"]],
      );
      const id = saved.json.id;
      assert.equal((await op.send("POST", `/api/field-templates/${id}/apply`)).status, 403);
      const applied = await admin.send("POST", `/api/field-templates/${id}/apply`);
      assert.equal(applied.status, 200, applied.text);
      const rows = await ds.getRepository(FieldPolicy).find();
      assert.deepEqual(
        rows.map((r) => [r.entityType, r.field, r.replicated, r.history, r.importedFromGis]),
        [["account", "totalArea", false, true, false]],
      );
      const policies = await op.get("/api/field-policies");
      const area = policies.json.entities
        .find((e: { entity: string }) => e.entity === "account")
        .fields.find((f: { field: string }) => f.field === "totalArea");
      assert.equal(area.replicated, false);
      // Without markers: the installation's current markers.
      const snap = await admin.send("POST", "/api/field-templates", { title: "Как сейчас" });
      assert.equal(snap.json.markers, 1);
      assert.equal((await op.send("DELETE", `/api/field-templates/${snap.json.id}`)).status, 403, "someone else's template");
      assert.equal((await op.send("DELETE", `/api/field-templates/${id}`)).status, 200);
      assert.equal((await admin.send("DELETE", `/api/field-templates/${snap.json.id}`)).status, 200);
      assert.equal((await op.get("/api/field-templates")).json.items.length, 0);
      assert.equal((await admin.send("DELETE", `/api/field-templates/${id}`)).status, 404);
    });
  });
}

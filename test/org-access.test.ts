/**
 * Roles limited to organizations, on SQLite and PostgreSQL: an accountant of organization A sees
 * A's houses, accounts and payers only; B's account card, run and operation answer 404; a run for B
 * or on a stand not given answers 403; no B row in the run, operation and message lists; B's payer
 * names appear in no answer at all. An unlimited operator sees both; the picker's ?org= narrows
 * every list and the dashboard. Admin sets limits over the API.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DataSource } from "typeorm";
import { User } from "../entities";
import { RunningServer, startServer } from "../src/api/server";
import { Client } from "./support/browser";
import { DB_KINDS, withTestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";
import { PASSWORD, PAYER_A, PAYER_B, TwoOrgs, seedScopedUsers, twoOrgs } from "./support/two-orgs";

const ids = (page: { items: Array<{ id: number | string }> }) => page.items.map((x) => x.id).sort();

for (const kind of DB_KINDS) {
  describe(`organization-limited roles on ${kind}`, () => {
    let ds: DataSource;
    let t: TwoOrgs;
    let server: RunningServer;
    let release: () => void;
    let finished: Promise<void>;
    const as: Record<string, Client> = {};

    before(async () => {
      await new Promise<void>((ready, fail) => {
        finished = withTestDb(kind, async (d) => {
          ds = d;
          t = await twoOrgs(ds);
          await seedScopedUsers(ds, t);
          server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local", loginLimit: { max: 50, windowSeconds: 60 } });
          for (const login of ["acc-a", "op-a", "op", "admin"]) {
            as[login] = new Client(server.url);
            assert.equal((await as[login].login(login, PASSWORD)).status, 200, login);
          }
          ready();
          await new Promise<void>((r) => (release = r));
          await server.close();
        }).catch((e) => {
          fail(e);
          throw e;
        });
      });
    });
    after(async () => {
      release?.();
      await finished;
    });

    test("the accountant of A sees A's houses, accounts, meters, contracts and organizations only", async () => {
      const acc = as["acc-a"];
      const houses = (await acc.get("/api/houses?limit=100")).json;
      assert.deepEqual(ids(houses), [t.a.house.id, t.a.house.id + 1, t.shared.id].sort());
      assert.deepEqual(ids((await acc.get("/api/accounts?limit=100")).json), [t.a.account.id, t.a.sharedAccount.id].sort());
      assert.deepEqual(ids((await acc.get("/api/meters")).json), [t.a.meter.id]);
      assert.deepEqual(ids((await acc.get("/api/contracts")).json), [t.a.contract.id]);
      assert.deepEqual(ids((await acc.get("/api/organizations")).json), [t.a.org.id]);
      // The shared house shows only A's account.
      assert.deepEqual(ids((await acc.get(`/api/houses/${t.shared.id}/accounts`)).json), [t.a.sharedAccount.id]);
      const scope = (await acc.get("/api/me/scope")).json;
      assert.equal(scope.limited, true);
      assert.deepEqual(
        scope.organizations.map((o: { name: string }) => o.name),
        ["УК Альфа"],
      );
      assert.deepEqual(scope.stands, ["sit01", "sit02", "local"]);
    });

    test("another organization's objects answer 404, its runs 403", async () => {
      const acc = as["acc-a"];
      const notFound = [
        `/api/accounts/${t.b.account.id}`,
        `/api/accounts/${t.b.account.id}/payment-documents`,
        `/api/houses/${t.b.house.id}`,
        `/api/houses/${t.b.house.id}/premises`,
        `/api/meters/${t.b.meter.id}`,
        `/api/meters/${t.b.meter.id}/readings`,
        `/api/contracts/${t.b.contract.id}`,
        `/api/organizations/${t.b.org.id}`,
        `/api/runs/${t.b.run.id}`,
        `/api/objects/account/${t.b.account.id}/history`,
        `/api/objects/house/${t.b.house.id}/attempts`,
      ];
      for (const url of notFound) {
        const r = await acc.get(url);
        assert.equal(r.status, 404, url);
        assert.equal(r.json.code, "not_found", url);
      }
      assert.equal((await acc.get(`/api/accounts/${t.a.account.id}`)).status, 200);
      assert.equal((await acc.get(`/api/houses/${t.shared.id}`)).status, 200);
      // A nonexistent id and B's id answer alike: existence is not told.
      assert.equal(
        (await acc.get("/api/accounts/999999")).json.message.replace("999999", "X"),
        (await acc.get(`/api/accounts/${t.b.account.id}`)).json.message.replace(String(t.b.account.id), "X"),
      );
      const runB = await acc.send("POST", "/api/runs", { stages: ["accounts"], stand: "sit01", organizationId: t.b.org.id });
      assert.equal(runB.status, 403, runB.text);
      assert.match(runB.json.message, /организац/);
      const action = await acc.send("POST", "/api/runs", {
        stages: ["accounts"],
        stand: "sit01",
        organizationId: t.a.org.id,
        objectType: "account",
        objectIds: [t.b.account.id],
        action: "close",
      });
      assert.equal(action.status, 403, action.text);
      const opA = as["op-a"];
      const standNotGiven = await opA.send("POST", "/api/runs", { stages: ["accounts"], stand: "sit02", organizationId: t.a.org.id });
      assert.equal(standNotGiven.status, 403, standNotGiven.text);
      assert.match(standNotGiven.json.message, /стенд sit02/);
      assert.equal((await acc.send("POST", `/api/runs/${t.b.run.id}/cancel`)).status, 404);
      assert.equal((await opA.get(`/api/operations/${t.b.operation.id}`)).status, 404);
      assert.equal((await opA.send("POST", `/api/operations/${t.b.operation.id}/retry`)).status, 404);
      assert.equal((await opA.get(`/api/operations/${t.b.operation.id}/zip`)).status, 404);
      assert.equal((await opA.get(`/api/operations/${t.a.operation.id}`)).status, 200);
    });

    test("no B rows in the run, exchange and message lists; the dashboard counts A only", async () => {
      const acc = as["acc-a"];
      assert.deepEqual(ids((await acc.get("/api/runs")).json), [t.a.run.id]);
      const messages = (await acc.get("/api/messages")).json.items;
      assert.equal(messages.length, 1);
      assert.equal(messages[0].runId, t.a.run.id);
      // op-a is limited to stands sit01 and local: A's operation is on sit01.
      assert.deepEqual(ids((await as["op-a"].get("/api/operations")).json), [t.a.operation.id]);
      const dash = (await acc.get("/api/dashboard")).json;
      assert.deepEqual(
        dash.organizations.map((o: { organizationId: number }) => o.organizationId),
        [t.a.org.id],
      );
      const accounts = dash.kinds.find((k: { table: string }) => k.table === "account");
      assert.equal(accounts.total, 2);
      assert.equal(dash.kinds.find((k: { table: string }) => k.table === "house").total, 3);
    });

    test("B's payer names are in no answer to A's accountant", async () => {
      const acc = as["acc-a"];
      const urls = [
        "/api/houses?limit=500",
        "/api/accounts?limit=500",
        `/api/houses/${t.shared.id}/accounts`,
        `/api/houses/${t.shared.id}/errors?kind=account`,
        "/api/messages?limit=500",
        "/api/runs?summary=true",
        "/api/dashboard",
        `/api/accounts/${t.a.account.id}`,
        `/api/accounts/${t.b.account.id}`,
        `/api/accounts?q=${encodeURIComponent("B-1")}`,
        `/api/houses?q=${encodeURIComponent("B-2")}`,
        `/api/messages?q=${encodeURIComponent(PAYER_B)}`,
      ];
      let sawA = false;
      for (const url of urls) {
        const r = await acc.get(url);
        assert.ok(!r.text.includes(PAYER_B), `${url} carries B's payer name`);
        sawA ||= r.text.includes(PAYER_A);
      }
      assert.ok(sawA, "A's own payers are seen");
      // An accountant never gets SNILS, not even of A's payers.
      assert.ok(!(await acc.get(`/api/accounts/${t.a.account.id}`)).text.includes("11223344595"));
    });

    test("an unlimited operator sees both organizations; ?org= narrows lists and dashboard totals", async () => {
      const op = as.op;
      assert.equal((await op.get("/api/houses?limit=100")).json.items.length, 4);
      assert.equal((await op.get("/api/accounts?limit=100")).json.items.length, 4);
      assert.equal((await op.get(`/api/accounts/${t.b.account.id}`)).json.payerLastName, PAYER_B);
      assert.equal((await op.get("/api/messages")).json.items.length, 3);
      assert.deepEqual(ids((await op.get(`/api/houses?org=${t.b.org.id}`)).json), [t.b.house.id, t.shared.id].sort());
      assert.deepEqual(ids((await op.get(`/api/accounts?org=${t.b.org.id}`)).json), [t.b.account.id, t.b.sharedAccount.id].sort());
      const all = (await op.get("/api/dashboard")).json;
      const onlyB = (await op.get(`/api/dashboard?org=${t.b.org.id}`)).json;
      const total = (d: { kinds: Array<{ table: string; total: number }> }, k: string) => d.kinds.find((x) => x.table === k)!.total;
      assert.equal(total(all, "account"), 4);
      assert.equal(total(onlyB, "account"), 2);
      assert.equal(total(onlyB, "house"), 2);
      assert.deepEqual(
        onlyB.organizations.map((o: { organizationId: number }) => o.organizationId),
        [t.b.org.id],
      );
      // The picker never widens: A's accountant asking for B gets nothing.
      assert.deepEqual((await as["acc-a"].get(`/api/houses?org=${t.b.org.id}`)).json.items, []);
      assert.equal((await op.get("/api/me/scope")).json.organizations.length, 2);
    });

    test("the admin limits a user over the API; bad limits are named", async () => {
      const admin = as.admin;
      const u = await ds.getRepository(User).findOneByOrFail({ login: "op" });
      const set = await admin.send("PATCH", `/api/users/${u.id}`, { organizationIds: [t.b.org.id], stands: ["sit02"] });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.json.organizationIds, [t.b.org.id]);
      assert.deepEqual(set.json.stands, ["sit02"]);
      assert.deepEqual(ids((await as.op.get("/api/accounts")).json), [t.b.account.id, t.b.sharedAccount.id].sort());
      const bad = await admin.send("PATCH", `/api/users/${u.id}`, { organizationIds: [999999] });
      assert.equal(bad.status, 400);
      assert.match(bad.json.message, /organizationIds: нет организаций 999999/);
      assert.equal((await admin.send("PATCH", `/api/users/${u.id}`, { stands: ["moon"] })).status, 400);
      const created = await admin.send("POST", "/api/users", { login: "acc-b", password: PASSWORD, organizationIds: [t.b.org.id] });
      assert.equal(created.status, 200, created.text);
      assert.deepEqual(created.json.organizationIds, [t.b.org.id]);
      const back = await admin.send("PATCH", `/api/users/${u.id}`, { organizationIds: null, stands: null });
      assert.equal(back.json.organizationIds, null);
      assert.equal((await as.op.get("/api/accounts")).json.items.length, 4);
    });
  });
}

/**
 * The API shows the request's stand (?stand=, else the server's): a house and its account sent to
 * "local" are ok there, with their GIS identity, and not sent — no identity — on "sit01"; lists,
 * status filters, roll-ups and the dashboard follow; a stand the user is not given answers 403.
 * On SQLite and PostgreSQL.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DataSource } from "typeorm";
import { User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { Client } from "./support/browser";
import { DB_KINDS, withTestDb } from "./support/databases";
import { HouseFixture, houseFixture } from "./support/house-fixture";
import { saveAt } from "./support/identity";

const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "correct horse battery";

for (const kind of DB_KINDS) {
  describe(`API per stand on ${kind}`, () => {
    let ds: DataSource;
    let server: RunningServer;
    let fx: HouseFixture;
    let release: () => void;
    let finished: Promise<void>;
    const admin = () => client("admin");
    const clients = new Map<string, Client>();
    async function client(login: string): Promise<Client> {
      let c = clients.get(login);
      if (!c) {
        c = new Client(server.url);
        assert.equal((await c.login(login, PASSWORD)).status, 200);
        clients.set(login, c);
      }
      return c;
    }

    before(async () => {
      await new Promise<void>((ready) => {
        finished = withTestDb(kind, async (d) => {
          ds = d;
          fx = await houseFixture(ds);
          const passwordHash = await hashPassword(PASSWORD);
          const user = (login: string, stands: string | null) =>
            ds.getRepository(User).insert({
              login,
              role: "admin",
              passwordHash,
              active: true,
              createdAt: new Date(),
              displayName: null,
              lastLoginAt: null,
              stands,
            } as Partial<User>);
          await user("admin", null);
          await user("tester", "sit01");
          server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local", loginLimit: { max: 50, windowSeconds: 60 } });
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

    test("a house card: ok with its GUID on local, not sent without one on sit01; the default is the server's stand", async () => {
      const c = await admin();
      const local = (await c.get(`/api/houses/${fx.house.id}?stand=local`)).json;
      assert.equal(local.sync.status, "ok");
      assert.equal(local.gisHouseGuid, fx.house.gisHouseGuid);
      assert.equal(local.gisUniqueNumber, "HUN1");
      assert.equal(local.statuses.house.state, "ok");
      assert.equal(local.statuses.account.state, "ok");
      assert.equal(local.statuses.premise.state, "ok");
      const sit = (await c.get(`/api/houses/${fx.house.id}?stand=sit01`)).json;
      assert.equal(sit.sync.status, "not_sent");
      assert.equal(sit.gisHouseGuid, null);
      assert.equal(sit.address, local.address);
      assert.equal(sit.statuses.house.state, "not_sent");
      assert.deepEqual(sit.statuses.account.counts, { not_sent: 2 });
      assert.deepEqual(sit.statuses.premise.counts, { not_sent: 2 });
      const byDefault = (await c.get(`/api/houses/${fx.house.id}`)).json;
      assert.equal(byDefault.sync.status, "ok");
      const unknown = await c.get(`/api/houses/${fx.house.id}?stand=nowhere`);
      assert.equal(unknown.status, 400);
    });

    test("an account card and the house's tabs follow the stand", async () => {
      const c = await admin();
      const [a] = fx.accounts;
      const local = (await c.get(`/api/accounts/${a.id}?stand=local`)).json;
      assert.equal(local.sync.status, "ok");
      assert.equal(local.gisAccountGuid, a.gisAccountGuid);
      assert.equal(local.unifiedNumber, "EL1");
      const sit = (await c.get(`/api/accounts/${a.id}?stand=sit01`)).json;
      assert.equal(sit.sync.status, "not_sent");
      assert.equal(sit.gisAccountGuid, null);
      assert.equal(sit.unifiedNumber, null);
      assert.equal(sit.number, local.number);
      const tab = async (stand: string) =>
        (await c.get(`/api/houses/${fx.house.id}/accounts?stand=${stand}`)).json.items.map((x: { sync: { status: string } }) => x.sync.status);
      assert.deepEqual(await tab("local"), ["ok", "ok"]);
      assert.deepEqual(await tab("sit01"), ["not_sent", "not_sent"]);
      const meters = (await c.get(`/api/houses/${fx.house.id}/meters?stand=local&status=ok`)).json.items;
      assert.equal(meters.length, 2);
      assert.equal((await c.get(`/api/houses/${fx.house.id}/meters?stand=sit01&status=ok`)).json.items.length, 0);
      assert.equal((await c.get(`/api/houses/${fx.house.id}/meters?stand=sit01&status=not_sent`)).json.items.length, 3);
    });

    test("services: the element a stand created shows on that stand only; «unmapped» follows the stand", async () => {
      const c = await admin();
      const s = await saveAt(
        ds,
        "service",
        { externalId: "s-dop", organizationId: fx.org.id, code: "DOP", name: "Домофон", kind: "additional", gisElementGuid: G(77), gisElementCode: "7" },
        "local",
      );
      const list = async (q: string) => (await c.get(`/api/services?${q}`)).json.items as Array<{ id: number; gisElementCode: string | null }>;
      assert.equal((await list("stand=local")).find((x) => x.id === s.id)?.gisElementCode, "7");
      assert.equal((await list("stand=sit01")).find((x) => x.id === s.id)?.gisElementCode, null);
      assert.ok(!(await list("stand=local&unmapped=true")).some((x) => x.id === s.id), "placed on local: not unmapped there");
      assert.ok(
        (await list("stand=sit01&unmapped=true")).some((x) => x.id === s.id),
        "nothing on sit01",
      );
    });

    test("lists, searches and the dashboard count the stand's statuses", async () => {
      const c = await admin();
      const houses = async (q: string) => (await c.get(`/api/houses?${q}`)).json.items as Array<{ id: number; statuses: { house: { state: string } } }>;
      assert.deepEqual(
        (await houses("stand=local&status=ok")).map((h) => h.id),
        [fx.house.id],
      );
      assert.deepEqual(await houses("stand=sit01&status=ok"), []);
      assert.equal((await houses("stand=sit01"))[0].statuses.house.state, "not_sent");
      // ЕЛС and the GIS GUID are a stand's: found on local, not on sit01.
      assert.equal((await houses("stand=local&q=EL1")).length, 1);
      assert.equal((await houses("stand=sit01&q=EL1")).length, 0);
      assert.equal((await houses(`stand=local&q=${fx.house.gisHouseGuid}`)).length, 1);
      assert.equal((await houses(`stand=sit01&q=${fx.house.gisHouseGuid}`)).length, 0);
      assert.equal((await c.get("/api/accounts?stand=local&q=EL2")).json.items.length, 1);
      assert.equal((await c.get("/api/accounts?stand=sit01&q=EL2")).json.items.length, 0);
      assert.equal((await c.get("/api/accounts?stand=sit01&status=ok")).json.items.length, 0);
      const objects = (await c.get("/api/objects?kind=account&status=ok&stand=local")).json.items;
      assert.equal(objects.length, 2);
      assert.equal((await c.get("/api/objects?kind=account&status=ok&stand=sit01")).json.items.length, 0);
      const kinds = async (stand: string) =>
        Object.fromEntries(
          ((await c.get(`/api/dashboard?stand=${stand}`)).json.kinds as Array<{ table: string; byStatus: Record<string, number> }>).map((k) => [
            k.table,
            k.byStatus,
          ]),
        );
      const [l, s] = [await kinds("local"), await kinds("sit01")];
      assert.equal(l.house.ok, 1);
      assert.equal(l.account.ok, 2);
      assert.equal(s.house.ok, 0);
      assert.equal(s.house.not_sent, 1);
      assert.equal(s.account.not_sent, 2);
    });

    test("a user given sit01 only: sit01 by default, 403 for local", async () => {
      const c = await client("tester");
      const card = await c.get(`/api/houses/${fx.house.id}`);
      assert.equal(card.status, 200);
      assert.equal(card.json.sync.status, "not_sent");
      const refused = await c.get(`/api/houses/${fx.house.id}?stand=local`);
      assert.equal(refused.status, 403);
      assert.match(refused.json.message, /local/);
      assert.equal((await c.get("/api/houses?stand=local")).status, 403);
    });
  });
}

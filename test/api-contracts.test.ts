/**
 * Contract editing over the API: attachments (raw-body upload to GIS_SYNC_HOME/attachments, hash,
 * size limit, roles, delete only before GIS has the file) and the mass entry of houses into a
 * contract (adds, skips present ones, refuses unknown and foreign houses). On SQLite and PostgreSQL.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import IORedis from "ioredis";
import { DataSource } from "typeorm";
import { Attachment, AuditLog, Contract, ContractObject, ContractObjectService, House, Organization, Service, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { startServer, RunningServer } from "../src/api/server";
import { REDIS_PREFIX } from "../src/queue/names";
import { streebog256 } from "../src/signing/streebog";
import { DB_KINDS, withTestDb } from "./support/databases";
import { STAND } from "./support/identity";
import { hydrate } from "../src/storage/identity/store";
import { Client, browserAvailable, launchBrowser, screenshot } from "./support/browser";
import { updateAt } from "../src/storage/identity/update";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "correct horse battery";

async function clearLoginFailures(): Promise<void> {
  const r = new IORedis(REDIS_URL);
  const keys = await r.keys(`${REDIS_PREFIX}:login-fail:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

interface Seed {
  ours: Contract;
  theirs: Contract;
  houses: number[];
  services: number[];
  foreignService: number;
}

async function seed(ds: DataSource): Promise<Seed> {
  const passwordHash = await hashPassword(PASSWORD);
  for (const role of ["accountant", "operator", "admin"] as const) {
    await ds.getRepository(User).insert({ login: role, role, passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null });
  }
  const org = await ds.getRepository(Organization).save({ externalId: "O1", fullName: "ООО «УК Тест»" } as Partial<Organization>);
  const other = await ds.getRepository(Organization).save({ externalId: "O2", fullName: "ООО «Другая УК»" } as Partial<Organization>);
  const houses: number[] = [];
  for (let i = 1; i <= 5; i++)
    houses.push((await ds.getRepository(House).save({ externalId: `H${i}`, address: `ул. Договорная, д. ${i}`, houseType: "MKD" } as Partial<House>)).id);
  const service = (o: Organization, code: string) =>
    ds
      .getRepository(Service)
      .save({ externalId: `${o.externalId}-${code}`, organizationId: o.id, code, name: `Услуга ${code}`, kind: "municipal" } as Partial<Service>);
  const s1 = await service(org, "HVS");
  const s2 = await service(org, "GVS");
  const s3 = await service(org, "EL");
  const foreign = await service(other, "HVS");
  const contract = (o: Organization, externalId: string) =>
    ds
      .getRepository(Contract)
      .save({ externalId, organizationId: o.id, kind: "management", number: externalId, effectiveDate: "2025-01-01" } as Partial<Contract>);
  const ours = await contract(org, "Д-1");
  const theirs = await contract(other, "Д-2");
  const object = async (c: Contract, houseId: number, serviceIds: number[]) => {
    const o = await ds
      .getRepository(ContractObject)
      .save({ externalId: `CO-${c.id}-${houseId}`, contractId: c.id, houseId, startDate: "2025-01-01" } as Partial<ContractObject>);
    for (const serviceId of serviceIds)
      await ds.getRepository(ContractObjectService).insert({ contractObjectId: o.id, serviceId, startDate: "2025-01-01", endDate: null });
  };
  await object(ours, houses[0], [s1.id, s2.id]); // house 1 already in our contract
  await object(theirs, houses[4], [foreign.id]); // house 5 managed by the other organization
  return { ours, theirs, houses, services: [s1.id, s2.id, s3.id], foreignService: foreign.id };
}

/** A raw-body upload, as the UI sends it. */
function upload(c: Client, contractId: number, name: string | null, bytes: Buffer, headers: Record<string, string> = {}) {
  return fetchRaw(c, `/api/contracts/${contractId}/attachments`, bytes, {
    "content-type": "application/octet-stream",
    ...(name === null ? {} : { "x-file-name": encodeURIComponent(name) }),
    ...headers,
  });
}

async function fetchRaw(c: Client, url: string, body: Buffer, headers: Record<string, string>) {
  const res = await fetch(c.base + url, { method: "POST", body: new Uint8Array(body), headers: { cookie: c.cookie, "x-csrf-token": c.csrf, ...headers } });
  const text = await res.text();
  let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json };
}

for (const kind of DB_KINDS) {
  describe(`contract editing API on ${kind}`, () => {
    let ds: DataSource;
    let server: RunningServer;
    let release: () => void;
    let finished: Promise<void>;
    let s: Seed;
    let home: string;
    const previousHome = process.env.GIS_SYNC_HOME;

    before(async () => {
      await clearLoginFailures();
      home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-attachments-"));
      process.env.GIS_SYNC_HOME = home;
      await new Promise<void>((ready) => {
        finished = withTestDb(kind, async (d) => {
          ds = d;
          s = await seed(ds);
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
      if (previousHome === undefined) delete process.env.GIS_SYNC_HOME;
      else process.env.GIS_SYNC_HOME = previousHome;
      fs.rmSync(home, { recursive: true, force: true });
    });

    test("upload: file on disk under attachments/, Streebog hash, listed; delete until GIS has it", async () => {
      const op = new Client(server.url);
      assert.equal((await op.login("operator", PASSWORD)).status, 200);
      const bytes = Buffer.from("%PDF-1.4 договор управления\n" + "x".repeat(5000), "utf8");
      const name = "Договор № 1 (скан).pdf";
      const r = await upload(op, s.ours.id, name, bytes);
      assert.equal(r.status, 201, JSON.stringify(r.json));
      assert.equal(r.json.fileName, name);
      assert.equal(r.json.sizeBytes, bytes.length);
      assert.equal(r.json.hash, streebog256(bytes).toString("hex"));
      assert.equal(r.json.gisAttachmentGuid, null);
      assert.ok(!("storagePath" in r.json), "the API does not show where the file lies");

      const row = await ds.getRepository(Attachment).findOneByOrFail({ id: r.json.id });
      assert.equal(row.ownerType, "contract");
      assert.equal(row.ownerId, s.ours.id);
      assert.match(row.storagePath, /^contract\/\d+\/[0-9a-f-]{36}\.pdf$/, "a generated name, not the user's");
      const file = path.join(home, "attachments", row.storagePath);
      assert.deepEqual(fs.readFileSync(file), bytes);

      const acc = new Client(server.url);
      await acc.login("accountant", PASSWORD);
      const list = await acc.get(`/api/contracts/${s.ours.id}/attachments`);
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.json.items.map((a: { id: number }) => a.id),
        [r.json.id],
      );
      assert.equal(list.json.items[0].hash, r.json.hash);
      assert.equal((await acc.get(`/api/contracts/${s.theirs.id}/attachments`)).json.items.length, 0);

      // Accountants view but do not upload or delete.
      assert.equal((await upload(acc, s.ours.id, "a.pdf", bytes)).status, 403);
      assert.equal((await acc.send("DELETE", `/api/contracts/${s.ours.id}/attachments/${r.json.id}`)).status, 403);

      // Once GIS has the file it stays.
      const second = await upload(op, s.ours.id, "акт.docx", Buffer.from("акт"));
      assert.equal(second.status, 201);
      await updateAt(ds, "sit01", Attachment, second.json.id, { gisAttachmentGuid: "11111111-2222-3333-4444-555555555555", uploadedAt: new Date() });
      const refused = await op.send("DELETE", `/api/contracts/${s.ours.id}/attachments/${second.json.id}`);
      assert.equal(refused.status, 409);
      assert.match(refused.json.message, /акт\.docx/);

      // Wrong owner: 404, not someone else's file.
      assert.equal((await op.send("DELETE", `/api/contracts/${s.theirs.id}/attachments/${r.json.id}`)).status, 404);
      const del = await op.send("DELETE", `/api/contracts/${s.ours.id}/attachments/${r.json.id}`);
      assert.equal(del.status, 200);
      assert.equal(fs.existsSync(file), false, "the file is removed with its row");
      assert.equal(await ds.getRepository(Attachment).countBy({ id: r.json.id }), 0);

      const audit = await ds.getRepository(AuditLog).find({ where: { target: `contract:${s.ours.id}` }, order: { id: "ASC" } });
      assert.deepEqual(
        audit.map((a) => a.action),
        ["contract.attachment.add", "contract.attachment.add", "contract.attachment.remove"],
      );
      assert.ok(audit.every((a) => a.actor === "operator"));
      assert.match(audit[0].details ?? "", new RegExp(r.json.hash));
    });

    test("upload refusals: too large 413, empty, bad or missing name, wrong type — each named", async () => {
      const op = new Client(server.url);
      await op.login("operator", PASSWORD);
      const big = await upload(op, s.ours.id, "big.pdf", Buffer.alloc((10 << 20) + 1, 1));
      assert.equal(big.status, 413);
      assert.equal(big.json.code, "too_large");
      const empty = await upload(op, s.ours.id, "empty.pdf", Buffer.alloc(0));
      assert.equal(empty.status, 400);
      assert.match(empty.json.message, /пустой файл/);
      const noName = await upload(op, s.ours.id, null, Buffer.from("x"));
      assert.equal(noName.status, 400);
      assert.match(noName.json.message, /X-File-Name/);
      const slash = await upload(op, s.ours.id, "../../etc/passwd", Buffer.from("x"));
      assert.equal(slash.status, 400);
      assert.match(slash.json.message, /X-File-Name/);
      const badEncoding = await upload(op, s.ours.id, null, Buffer.from("x"), { "x-file-name": "%E0%A4%A" });
      assert.equal(badEncoding.status, 400);
      assert.match(badEncoding.json.message, /X-File-Name/);
      const json = await fetchRaw(op, `/api/contracts/${s.ours.id}/attachments`, Buffer.from("{}"), {
        "content-type": "application/json",
        "x-file-name": "a.pdf",
      });
      assert.equal(json.status, 415);
      assert.equal((await upload(op, 999999, "a.pdf", Buffer.from("x"))).status, 404);
      assert.equal(await ds.getRepository(Attachment).countBy({ fileName: "big.pdf" }), 0);
      const onDisk = fs.readdirSync(path.join(home, "attachments", "contract", String(s.ours.id)));
      assert.equal(onDisk.length, await ds.getRepository(Attachment).countBy({ ownerType: "contract", ownerId: s.ours.id }), "no file without its row");
    });

    test("mass entry of houses: adds with the contract's services, skips present ones, refuses unknown and foreign houses", async () => {
      const op = new Client(server.url);
      await op.login("operator", PASSWORD);
      const url = `/api/contracts/${s.ours.id}/objects`;
      const [h1, h2, h3, h4, h5] = s.houses;

      const foreign = await op.send("POST", url, { houseIds: [h2, h5] });
      assert.equal(foreign.status, 400);
      assert.match(foreign.json.message, /houseIds/);
      assert.match(foreign.json.message, new RegExp(`\\b${h5}\\b`));
      const unknown = await op.send("POST", url, { houseIds: [h2, 999999] });
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.message, /999999/);
      const badDate = await op.send("POST", url, { houseIds: [h2], startDate: "01.02.2025" });
      assert.equal(badDate.status, 400);
      assert.match(badDate.json.message, /startDate/);
      const foreignService = await op.send("POST", url, { houseIds: [h2], serviceIds: [s.foreignService] });
      assert.equal(foreignService.status, 400);
      assert.match(foreignService.json.message, /serviceIds/);
      assert.equal(await ds.getRepository(ContractObject).countBy({ contractId: s.ours.id }), 1, "refusals write nothing");

      const acc = new Client(server.url);
      await acc.login("accountant", PASSWORD);
      assert.equal((await acc.send("POST", url, { houseIds: [h2] })).status, 403);

      const r = await op.send("POST", url, { houseIds: [h1, h2, h3, h2], startDate: "2025-03-01" });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.deepEqual(
        r.json.added.map((a: { houseId: number }) => a.houseId),
        [h2, h3],
      );
      assert.deepEqual(r.json.skipped, [h1]);
      const objects = await hydrate(
        ds,
        "contract_object",
        await ds.getRepository(ContractObject).find({ where: { contractId: s.ours.id }, order: { houseId: "ASC" } }),
        STAND,
      );
      assert.deepEqual(
        objects.map((o) => o.houseId),
        [h1, h2, h3],
      );
      assert.equal(objects[1].startDate, "2025-03-01");
      assert.equal(objects[1].sync.status, "not_sent");
      // Default services: those the contract's other objects have (HVS and GVS, not EL).
      const services = await ds.getRepository(ContractObjectService).find({ where: { contractObjectId: objects[1].id }, order: { serviceId: "ASC" } });
      assert.deepEqual(
        services.map((x) => x.serviceId),
        [s.services[0], s.services[1]],
      );
      assert.ok(services.every((x) => x.startDate === "2025-03-01"));

      // Named services instead of the defaults; the contract's start date when none is given.
      const named = await op.send("POST", url, { houseIds: [h4], serviceIds: [s.services[2]] });
      assert.equal(named.status, 200);
      assert.equal(named.json.startDate, "2025-01-01");
      const h4services = await ds.getRepository(ContractObjectService).findBy({ contractObjectId: named.json.added[0].contractObjectId });
      assert.deepEqual(
        h4services.map((x) => x.serviceId),
        [s.services[2]],
      );

      const again = await op.send("POST", url, { houseIds: [h2, h3] });
      assert.deepEqual(again.json.added, []);
      assert.deepEqual(again.json.skipped, [h2, h3]);

      const list = await op.get(`${url}?limit=10`);
      assert.equal(list.json.items.length, 4);
      const audit = await ds.getRepository(AuditLog).findBy({ action: "contract.objects.add" });
      assert.equal(audit.length, 3);
      assert.equal(JSON.parse(audit[0].details ?? "{}").added, 2);
    });

    test("browser: the contract card uploads an attachment and adds a house", {
      skip: (kind !== "sqlite" || !browserAvailable()) && "browser test on SQLite with chromium only",
    }, async () => {
      const extra = await ds.getRepository(House).save({ externalId: "H6", address: "ул. Браузерная, д. 6", houseType: "MKD" } as Partial<House>);
      const browser = await launchBrowser();
      const errors: string[] = [];
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: "ru-RU" });
        page.on("pageerror", (e) => errors.push(e.message));
        page.on("console", (m) => {
          if (m.type() === "error" && !/Failed to load resource/.test(m.text())) errors.push(m.text());
        });
        page.on("dialog", (d) => void d.accept());
        await page.goto(`${server.url}/login`);
        await page.fill("#login", "operator");
        await page.fill("#password", PASSWORD);
        await page.click("button[type=submit]");
        await page.waitForSelector("nav#nav a[aria-current=page]");
        await page.goto(`${server.url}/#/contracts/${s.ours.id}`);
        await page.click(".tabs >> text=Вложения");
        await page.setInputFiles("input[type=file]", { name: "протокол ОСС.pdf", mimeType: "application/pdf", buffer: Buffer.from("протокол") });
        await page.click("form >> text=Загрузить");
        await page.waitForSelector(".tabpanel table.grid >> text=протокол ОСС.pdf");
        const row = await ds.getRepository(Attachment).findOneByOrFail({ fileName: "протокол ОСС.pdf" });
        assert.equal(row.hash, streebog256(Buffer.from("протокол")).toString("hex"));
        await screenshot(page, "contract-attachments");

        await page.click("text=Добавить дома…");
        await page.fill("dialog.modal input[type=search]", "Браузерная");
        await page.check(`dialog.modal input[aria-label="Выбрать ${extra.address}"]`);
        await page.fill("dialog.modal input[type=date]", "2025-06-01");
        await screenshot(page, "contract-add-houses");
        await page.click("dialog.modal button[type=submit]");
        await page.waitForSelector(`.tabpanel >> text=${extra.address}`);
        const added = await ds.getRepository(ContractObject).findOneByOrFail({ contractId: s.ours.id, houseId: extra.id });
        assert.equal(added.startDate, "2025-06-01");
        assert.deepEqual(errors, [], "no script errors (CSP included)");
      } finally {
        await browser.close();
      }
    });

    test("the new routes are in the OpenAPI description with their roles and the file body", async () => {
      const doc = (await new Client(server.url).get("/api/openapi.json")).json;
      const att = doc.paths["/api/contracts/{id}/attachments"];
      assert.equal(att.get["x-role"], "accountant");
      assert.equal(att.post["x-role"], "operator");
      assert.ok(att.post.requestBody.content["application/octet-stream"]);
      assert.ok(att.post.parameters.some((p: { name: string; in: string }) => p.name === "X-File-Name" && p.in === "header"));
      assert.ok(att.post.responses[413]);
      assert.equal(doc.paths["/api/contracts/{id}/attachments/{attachmentId}"].delete["x-role"], "operator");
      const objects = doc.paths["/api/contracts/{id}/objects"];
      assert.equal(objects.post["x-role"], "operator");
      assert.deepEqual(objects.post.requestBody.content["application/json"].schema.required, ["houseIds"]);
      assert.equal(objects.get["x-role"], "accountant");
    });
  });
}

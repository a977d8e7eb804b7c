/**
 * The exchange end to end over real HTTP against a small scripted GIS in the test: validate, sign,
 * archive, send, Ack, getState until 3, items by TransportGUID; EXP001000 rebuilds and resends with a
 * new MessageGUID; an invalid request never leaves.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import { withTestDb } from "./support/databases";
import { answerNamesAsked } from "./support/scripted-gis";
import { gostEngineMissing, opensslKeyAndCert, referenceVerify } from "./support/gost-tools";
import { createOperation } from "../src/exchange/operation-store";
import { ExchangeContext, RequestRecipe, operationArchive, pollOperation, sendOperation } from "../src/exchange/exchange";
import { ErrorPolicy } from "../src/exchange/error-policy";
import { GisHttpClient } from "../src/transport/http";
import { exportOrgRegistry } from "./support/requests";
import { exportNsiItem } from "./support/requests";
import { SoftwareSigner } from "../src/signing/software-signer";
import { GisOperation, GisOperationItem } from "../entities";
import { verifyArchive } from "../src/archive";
import { resolveSchemaDir } from "../src/transport/schema/validate";

let schemaOk = true;
try {
  resolveSchemaDir();
} catch {
  schemaOk = false;
}
const skip = gostEngineMissing() || (!schemaOk && "official schema package not found");

const env = (body: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:orc="http://dom.gosuslugi.ru/schema/integration/organizations-registry-common/"><soap:Body>${body}</soap:Body></soap:Envelope>`;

/** A scripted GIS: the test says what each call answers. */
async function scriptedGis(script: Array<(body: string, action: string) => { status: number; body: string }>) {
  const seen: Array<{ action: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      const action = String(req.headers.soapaction).replace(/"/g, "");
      seen.push({ action, body: b });
      const step = script.shift();
      const a = step ? step(b, action) : { status: 500, body: "script exhausted" };
      res.writeHead(a.status, { "Content-Type": "text/xml; charset=utf-8" }).end(answerNamesAsked(b, a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

const ack = () => ({
  status: 200,
  body: env(`<base:AckRequest><base:Ack><base:MessageGUID>${crypto.randomUUID()}</base:MessageGUID></base:Ack></base:AckRequest>`),
});
const stateAnswer =
  (s: number, inner = "") =>
  () => ({
    status: 200,
    body: env(
      `<orc:getStateResult Id="signed-data-container" base:version="10.0.2.1"><base:RequestState>${s}</base:RequestState><base:MessageGUID>${crypto.randomUUID()}</base:MessageGUID>${inner}</orc:getStateResult>`,
    ),
  });
const fault = (code: string) => () => ({
  status: 500,
  body: env(
    `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring><detail><base:Fault><base:ErrorCode>${code}</base:ErrorCode><base:ErrorMessage>Произошла ошибка при передаче данных</base:ErrorMessage></base:Fault></detail></soap:Fault>`,
  ),
});

const recipe: RequestRecipe = {
  service: "organizations-registry-common",
  methodKind: "export",
  fixedVersion: "10.0.2.1",
  build: (_items, h) => exportOrgRegistry([{ ogrn: "1027700132195" }], h),
};

async function context(ds: import("typeorm").DataSource, url: string): Promise<ExchangeContext> {
  const { key, cert } = opensslKeyAndCert();
  return {
    ds,
    client: new GisHttpClient({ baseUrl: url, mode: "plain" }),
    signer: SoftwareSigner.fromFiles(key, cert),
    policy: new ErrorPolicy([], { resendDelaysMs: [1], retryLaterMs: 1, transportMaxAttempts: 3 }),
    schedule: { delaysMs: [1], processingDelayMs: 1, maxWaitMs: 60_000 },
    header: {},
  };
}

test("exchange: validate → sign → archive → send → Ack → getState 2 → 3, items matched by TransportGUID", { skip }, async () => {
  await withTestDb("sqlite", async (ds) => {
    let transport: string[] = [];
    const gis = await scriptedGis([
      (body) => {
        assert.ok(referenceVerify(body).valid, "GIS receives a valid signature");
        return ack();
      },
      stateAnswer(2),
      () =>
        stateAnswer(
          3,
          `<orc:ImportResult><base:TransportGUID>${transport[0]}</base:TransportGUID><base:GUID>${crypto.randomUUID()}</base:GUID><base:UpdateDate>2026-11-23T10:00:00</base:UpdateDate></orc:ImportResult>` +
            `<orc:ImportResult><base:TransportGUID>${transport[1]}</base:TransportGUID><base:Error><base:ErrorCode>SRV006001</base:ErrorCode><base:Description>Объект не найден</base:Description></base:Error></orc:ImportResult>`,
        )(),
    ]);
    const ctx = await context(ds, gis.url);
    try {
      const op = await createOperation(ds, {
        stand: "local",
        service: "organizations-registry-common",
        method: "exportOrgRegistry",
        items: [
          { objectType: "organization", objectId: 1 },
          { objectType: "organization", objectId: 2 },
        ],
      });
      transport = (await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id }, order: { id: "ASC" } })).map((i) => i.transportGuid);
      assert.equal(await sendOperation(ctx, op.id, recipe), "sent");
      const sent = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
      assert.ok(sent.gisMessageGuid && sent.messageGuid && sent.gisMessageGuid !== sent.messageGuid);
      assert.equal(await pollOperation(ctx, op.id, recipe), "processing");
      assert.equal(await pollOperation(ctx, op.id, recipe), "done_with_errors");
      const items = await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id }, order: { id: "ASC" } });
      assert.deepEqual(
        items.map((i) => [i.outcome, i.errorCode]),
        [
          ["ok", null],
          ["error", "SRV006001"],
        ],
      );
      assert.ok(items[0].gisGuid);
      assert.deepEqual(
        (await operationArchive(ds, op.id)).map((e) => e.kind),
        ["request", "signed_request", "ack", "state", "result"],
      );
      assert.equal((await verifyArchive(ds)).ok, true);
      assert.deepEqual(
        gis.seen.map((s) => s.action),
        ["urn:exportOrgRegistry", "urn:getState", "urn:getState"],
      );
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("exchange: EXP001000 rebuilds with a new MessageGUID and a new signature; INT002012 is an empty result", { skip }, async () => {
  await withTestDb("sqlite", async (ds) => {
    const gis = await scriptedGis(
      [
        fault("EXP001000"),
        ack(),
        stateAnswer(
          3,
          `<base:ErrorMessage><base:ErrorCode>INT002012</base:ErrorCode><base:Description>Нет объектов для экспорта</base:Description></base:ErrorMessage>`,
        ),
      ].map((f) => (typeof f === "function" ? f : () => f)) as never,
    );
    const ctx = await context(ds, gis.url);
    try {
      const op = await createOperation(ds, { stand: "local", service: "organizations-registry-common", method: "exportOrgRegistry", items: [] });
      assert.equal(await sendOperation(ctx, op.id, recipe), "signed", "EXP001000 → rebuild, not fail");
      const first = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
      assert.equal(first.attempts, 2);
      assert.equal(await sendOperation(ctx, op.id, recipe), "sent");
      assert.equal(await pollOperation(ctx, op.id, recipe), "done");
      const sentGuids = gis.seen.filter((s) => s.action === "urn:exportOrgRegistry").map((s) => /<base:MessageGUID>([^<]+)</.exec(s.body)![1]);
      assert.equal(new Set(sentGuids).size, 2, "each send carries its own MessageGUID");
      const signatures = gis.seen.filter((s) => s.action === "urn:exportOrgRegistry").map((s) => /<ds:SignatureValue[^>]*>([^<]+)</.exec(s.body)![1]);
      assert.notEqual(signatures[0], signatures[1], "re-signed, not the same bytes again");
      assert.deepEqual(
        (await operationArchive(ds, op.id)).map((e) => e.kind),
        ["request", "signed_request", "fault", "request", "signed_request", "ack", "result"],
      );
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("exchange: an invalid request fails before any byte is sent; the objects get the reason", { skip }, async () => {
  await withTestDb("sqlite", async (ds) => {
    const gis = await scriptedGis([]);
    const ctx = await context(ds, gis.url);
    try {
      const bad: RequestRecipe = {
        service: "nsi-common",
        methodKind: "export",
        build: (_i, h) => exportNsiItem({ registryNumber: 2, listGroup: "ЖКХ" as "NSI" }, h),
      };
      const op = await createOperation(ds, {
        stand: "local",
        service: "nsi-common",
        method: "exportNsiItem",
        items: [{ objectType: "nsi_item", objectId: 1 }],
      });
      assert.equal(await sendOperation(ctx, op.id, bad), "failed");
      assert.equal(gis.seen.length, 0, "nothing sent");
      const item = await ds.getRepository(GisOperationItem).findOneByOrFail({ operationId: op.id });
      assert.equal(item.errorCode, "XSD");
      assert.match(item.errorText!, /ListGroup/);
      const failed = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
      assert.match(failed.errorText!, /не соответствует схеме ГИС ЖКХ и не отправлен/);
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("exchange: two workers that pick up one operation at the same moment send it once (a fresh MessageGUID is claimed per send)", { skip }, async () => {
  await withTestDb("sqlite", async (ds) => {
    // EXP001000 puts the operation back to signed for a rebuilt resend; then two workers race on it.
    const gis = await scriptedGis([fault("EXP001000"), ack(), ack(), ack()].map((f) => (typeof f === "function" ? f : () => f)) as never);
    const ctx = await context(ds, gis.url);
    try {
      const fresh = await createOperation(ds, { stand: "local", service: "organizations-registry-common", method: "exportOrgRegistry", items: [] });
      const first = await Promise.all([sendOperation(ctx, fresh.id, recipe), sendOperation(ctx, fresh.id, recipe)]);
      assert.equal(gis.seen.length, 1, `a new operation is sent once (${first.join(", ")})`);
      assert.equal((await ds.getRepository(GisOperation).findOneByOrFail({ id: fresh.id })).state, "signed", "EXP001000 → rebuilt");
      const second = await Promise.all([sendOperation(ctx, fresh.id, recipe), sendOperation(ctx, fresh.id, recipe), sendOperation(ctx, fresh.id, recipe)]);
      assert.equal(gis.seen.length, 2, `the rebuilt message is sent once, not by each worker (${second.join(", ")})`);
      const op = await ds.getRepository(GisOperation).findOneByOrFail({ id: fresh.id });
      assert.equal(op.state, "sent");
      const guids = gis.seen.map((s) => /<base:MessageGUID>([^<]+)</.exec(s.body)![1]);
      assert.equal(new Set(guids).size, 2, "each send carries its own MessageGUID");
      assert.equal(guids[1], op.messageGuid, "the operation records the MessageGUID it sent");
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

/**
 * Imports are never blindly resent. When the Ack is lost (connection reset after GIS took the
 * request) or no result comes in time, the operation reconciles: an export child asks GIS what it
 * already has, those objects are marked reconciled with their GUIDs, and only the missing ones go out
 * again in a rebuilt request. Over real HTTP against a scripted GIS.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import { withTestDb } from "./support/databases";
import { answerNamesAsked } from "./support/scripted-gis";
import { createOperation } from "../src/exchange/operation-store";
import { ExchangeContext, RequestRecipe, advance, operationArchive, reconcileChild } from "../src/exchange/exchange";
import { ErrorPolicy } from "../src/exchange/error-policy";
import { GisHttpClient } from "../src/transport/http";
import { buildRequest } from "../src/transport/messages";
import { children, descendant, text } from "../src/transport/results/safe-xml";
import { SoftwareSigner } from "../src/signing/software-signer";
import { generateTestKey } from "../src/signing/keygen";
import { GisOperation, GisOperationItem } from "../entities";
import { appendArchive, verifyArchive } from "../src/archive";

const HM = "http://dom.gosuslugi.ru/schema/integration/house-management/";
const env = (body: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="${HM}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const ack = () => ({
  status: 200,
  body: env(`<base:AckRequest><base:Ack><base:MessageGUID>${crypto.randomUUID()}</base:MessageGUID></base:Ack></base:AckRequest>`),
});
const state3 = (inner: string) => ({
  status: 200,
  body: env(
    `<hm:getStateResult Id="signed-data-container" base:version="13.2.3.2"><base:RequestState>3</base:RequestState><base:MessageGUID>${crypto.randomUUID()}</base:MessageGUID>${inner}</hm:getStateResult>`,
  ),
});

type Step = (body: string, req: http.IncomingMessage, res: http.ServerResponse) => { status: number; body: string } | "reset";

async function scriptedGis(script: Step[]) {
  const seen: Array<{ action: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      seen.push({ action: String(req.headers.soapaction).replace(/"/g, ""), body: b });
      const step = script.shift();
      const a = step ? step(b, req, res) : { status: 500, body: "script exhausted" };
      if (a === "reset") return req.socket.destroy(); // the request arrived; the Ack never leaves
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

const accountNumber = (objectId: number) => `ЛС-${String(objectId).padStart(6, "0")}`;

/** importAccountData for the pending items; reconciled by exportAccountData, matched by account number. */
function accountRecipe(): RequestRecipe {
  const exportRecipe: RequestRecipe = {
    service: "house-management",
    methodKind: "export",
    build: (_items, h) => buildRequest("exportAccountData", h, { fiasHouseGuid: "5a1bdc8e-3ee6-4d0c-9d5b-6b2f3a1a0001" }),
  };
  return {
    service: "house-management",
    methodKind: "import",
    build: (items, h) =>
      buildRequest("importAccountData", h, {
        accounts: items.map((i) => ({
          transportGuid: i.transportGuid,
          role: "UO" as const,
          totalSquare: 54.3,
          accommodations: [{ premisesGuid: "5a1bdc8e-3ee6-4d0c-9d5b-6b2f3a1a1000", sharePercent: 100 }],
          payer: { person: { surname: "Иванов", firstName: "Пётр" } },
          accountNumber: accountNumber(i.objectId),
        })),
      }),
    reconcile: {
      method: "exportAccountData",
      recipe: exportRecipe,
      found: (answer, items) => {
        const byNumber = new Map<string, string>();
        for (const r of children(answer.result, "exportAccountResult")) {
          byNumber.set(text(descendant(r, "AccountNumber"))!, text(descendant(r, "AccountGUID"))!);
        }
        return new Map(items.filter((i) => byNumber.has(accountNumber(i.objectId))).map((i) => [i.objectId, byNumber.get(accountNumber(i.objectId))!]));
      },
    },
  };
}

async function context(ds: import("typeorm").DataSource, url: string): Promise<ExchangeContext> {
  const { keyPem, certPem } = await generateTestKey({ commonName: "Тест сверки", days: 30 });
  return {
    ds,
    client: new GisHttpClient({ baseUrl: url, mode: "plain", responseTimeoutMs: 5000 }),
    signer: SoftwareSigner.fromPem(keyPem, certPem),
    policy: new ErrorPolicy([], { resendDelaysMs: [1], retryLaterMs: 1, transportMaxAttempts: 4 }),
    schedule: { delaysMs: [1], processingDelayMs: 1, maxWaitMs: 60_000 },
    header: { orgPPAGUID: "7d1b2c3a-0000-4000-8000-000000000001" },
  };
}

const accountsIn = (body: string) => [...body.matchAll(/:AccountNumber[^>]*>([^<]+)</g)].map((m) => m[1]);

test("reconcile: a lost Ack is not resent blindly — the export finds what GIS took, only the missing account goes again", async () => {
  await withTestDb("sqlite", async (ds) => {
    const existing = crypto.randomUUID();
    const gis = await scriptedGis([
      () => "reset", // importAccountData arrives, GIS processes it partly, the Ack is lost
      () => ack(), // exportAccountData (the reconcile child)
      () =>
        state3(
          `<hm:exportAccountResult><hm:AccountNumber>${accountNumber(1)}</hm:AccountNumber><hm:AccountGUID>${existing}</hm:AccountGUID></hm:exportAccountResult>`,
        ),
      () => ack(), // the rebuilt import with account 2 only
      () => {
        return state3(
          `<hm:ImportResult base:version="10.0.1.1"><hm:CommonResult><base:GUID>${crypto.randomUUID()}</base:GUID><base:TransportGUID>${transport2}</base:TransportGUID><base:UpdateDate>2026-11-23T10:00:00</base:UpdateDate></hm:CommonResult></hm:ImportResult>`,
        );
      },
    ]);
    let transport2 = "";
    const ctx = await context(ds, gis.url);
    try {
      const op = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        items: [
          { objectType: "account", objectId: 1 },
          { objectType: "account", objectId: 2 },
        ],
      });
      transport2 = (await ds.getRepository(GisOperationItem).findOneByOrFail({ operationId: op.id, objectId: 2 })).transportGuid;
      const recipe = accountRecipe();
      const states: string[] = [];
      for (let i = 0; i < 12; i++) {
        const s = await advance(ctx, op.id, () => recipe);
        states.push(s);
        if (s === "done" || s === "failed" || s === "done_with_errors") break;
      }
      assert.equal(states.at(-1), "done", states.join(" → "));
      assert.deepEqual(
        gis.seen.map((s) => s.action),
        ["urn:importAccountData", "urn:exportAccountData", "urn:getState", "urn:importAccountData", "urn:getState"],
      );
      assert.deepEqual(accountsIn(gis.seen[0].body), [accountNumber(1), accountNumber(2)]);
      assert.deepEqual(accountsIn(gis.seen[3].body), [accountNumber(2)], "only the account GIS lacks is sent again");
      const mg = gis.seen.filter((s) => s.action === "urn:importAccountData").map((s) => /<base:MessageGUID>([^<]+)</.exec(s.body)![1]);
      assert.notEqual(mg[0], mg[1], "the resend is a new message");
      const items = await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id }, order: { objectId: "ASC" } });
      assert.deepEqual(
        items.map((i) => i.outcome),
        ["reconciled", "ok"],
      );
      assert.equal(items[0].gisGuid, existing);
      const child = await reconcileChild(ds, op.id);
      assert.equal(child?.state, "done");
      assert.equal(child?.method, "exportAccountData");
      assert.deepEqual(
        (await operationArchive(ds, op.id)).map((e) => e.kind),
        ["request", "signed_request", "request", "signed_request", "ack", "result"],
      );
      assert.equal((await verifyArchive(ds)).ok, true);
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("reconcile: when GIS already has every object, nothing is sent again; without a way to check, the import fails instead of resending", async () => {
  await withTestDb("sqlite", async (ds) => {
    const gis = await scriptedGis([
      () => "reset",
      () => ack(),
      () =>
        state3(
          `<hm:exportAccountResult><hm:AccountNumber>${accountNumber(7)}</hm:AccountNumber><hm:AccountGUID>${crypto.randomUUID()}</hm:AccountGUID></hm:exportAccountResult>`,
        ),
      () => "reset", // second operation, no reconcile recipe
    ]);
    const ctx = await context(ds, gis.url);
    try {
      const recipe = accountRecipe();
      const op = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        items: [{ objectType: "account", objectId: 7 }],
      });
      let s = "";
      for (let i = 0; i < 8 && !["done", "failed"].includes(s); i++) s = await advance(ctx, op.id, () => recipe);
      assert.equal(s, "done");
      assert.equal(gis.seen.filter((x) => x.action === "urn:importAccountData").length, 1);
      assert.match((await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id })).errorText!, /уже в ГИС ЖКХ/);

      const blind: RequestRecipe = { ...recipe, reconcile: undefined };
      const op2 = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        items: [{ objectType: "account", objectId: 8 }],
      });
      assert.equal(await advance(ctx, op2.id, () => blind), "failed");
      const failed = await ds.getRepository(GisOperation).findOneByOrFail({ id: op2.id });
      assert.equal(failed.errorCode, "UNKNOWN_OUTCOME");
      assert.match(failed.errorText!, /не отправлены повторно/);
      assert.equal(gis.seen.length, 4, "nothing resent after the lost Ack");
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("reconcile: when the checking export itself fails, the import ends failed with its reason — it never waits in reconciling for ever", async () => {
  await withTestDb("sqlite", async (ds) => {
    const gis = await scriptedGis([() => "reset"]); // the import's Ack is lost; nothing else reaches GIS
    const ctx = await context(ds, gis.url);
    try {
      const recipe = accountRecipe();
      // The export cannot be built (e.g. the objects no longer pass the stage's checks): the child fails before sending.
      recipe.reconcile!.recipe = {
        ...recipe.reconcile!.recipe,
        build: () => {
          throw new Error("Не указан ФИАС ГУИД дома");
        },
      };
      const op = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        items: [{ objectType: "account", objectId: 3 }],
      });
      const states: string[] = [];
      for (let i = 0; i < 6 && !["done", "failed", "done_with_errors"].includes(states.at(-1) ?? ""); i++) states.push(await advance(ctx, op.id, () => recipe));
      assert.deepEqual(states, ["reconciling", "reconciling", "failed"]);
      const failed = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
      assert.equal(failed.state, "failed", "the record itself is final, not only the answer of advance()");
      assert.equal(failed.errorCode, "RECONCILE");
      assert.match(failed.errorText!, /Не указан ФИАС ГУИД дома/);
      assert.match(failed.errorText!, /не отправлены повторно/);
      assert.equal((await reconcileChild(ds, op.id))?.state, "failed");
      assert.equal(gis.seen.length, 1, "nothing resent, no export sent");
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("reconcile: a worker that died after signing leaves an unknown outcome — the import reconciles, an export is rebuilt", async () => {
  await withTestDb("sqlite", async (ds) => {
    const gis = await scriptedGis([]);
    const ctx = await context(ds, gis.url);
    try {
      const crashedAfterSigning = async (method: string) => {
        const op = await createOperation(ds, { stand: "local", service: "house-management", method, items: [{ objectType: "account", objectId: 1 }] });
        const guid = crypto.randomUUID();
        await ds.getRepository(GisOperation).update({ id: op.id }, { state: "signed", messageGuid: guid, attempts: 1 });
        await appendArchive(ds, { operationId: op.id, kind: "signed_request", body: "<signed/>", messageGuid: guid });
        return { op, guid };
      };
      const imp = await crashedAfterSigning("importAccountData");
      assert.equal(await advance(ctx, imp.op.id, () => accountRecipe()), "reconciling");
      assert.equal((await reconcileChild(ds, imp.op.id))?.method, "exportAccountData");

      const exp = await crashedAfterSigning("exportAccountData");
      const exportOnly = accountRecipe().reconcile!.recipe;
      assert.equal(await advance(ctx, exp.op.id, () => exportOnly), "signed");
      const rebuilt = await ds.getRepository(GisOperation).findOneByOrFail({ id: exp.op.id });
      assert.notEqual(rebuilt.messageGuid, exp.guid, "a new MessageGUID: never the same message twice");
      assert.equal(rebuilt.attempts, 2);
      assert.equal(gis.seen.length, 0, "nothing was sent blindly");
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("reconcile: an import that is safe to repeat (readings) is sent again after a lost Ack, under a new MessageGUID, not reconciled", async () => {
  await withTestDb("sqlite", async (ds) => {
    const gis = await scriptedGis([() => "reset", () => ack()]);
    const ctx = await context(ds, gis.url);
    try {
      const recipe: RequestRecipe = { ...accountRecipe(), reconcile: undefined, safeToRepeat: true };
      const op = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        items: [{ objectType: "account", objectId: 5 }],
      });
      assert.equal(await advance(ctx, op.id, () => recipe), "signed", "rebuilt for a resend");
      assert.equal(await advance(ctx, op.id, () => recipe), "sent");
      assert.deepEqual(
        gis.seen.map((s) => s.action),
        ["urn:importAccountData", "urn:importAccountData"],
      );
      const guids = gis.seen.map((s) => /<base:MessageGUID>([^<]+)</.exec(s.body)![1]);
      assert.notEqual(guids[0], guids[1]);
      assert.equal(await reconcileChild(ds, op.id), null, "no export was needed");
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

test("reconcile: a safe-to-repeat import whose attempts run out after a send that may have reached GIS is held (UNKNOWN_OUTCOME); after plain refusals it is not", async () => {
  await withTestDb("sqlite", async (ds) => {
    const recipe: RequestRecipe = { ...accountRecipe(), reconcile: undefined, safeToRepeat: true };
    const refused = () => ({ status: 500, body: "Internal Server Error", asIs: true });
    for (const [script, code] of [
      [["reset", refused, refused, refused], "UNKNOWN_OUTCOME"],
      [[refused, refused, refused, refused], "TRANSPORT"],
    ] as const) {
      const gis = await scriptedGis(script.map((s) => (s === "reset" ? () => "reset" as const : s)));
      const ctx = await context(ds, gis.url);
      try {
        const op = await createOperation(ds, {
          stand: "local",
          service: "house-management",
          method: "importAccountData",
          items: [{ objectType: "account", objectId: 5 }],
        });
        let state = "signed";
        for (let i = 0; i < 4 && state === "signed"; i++) state = await advance(ctx, op.id, () => recipe);
        const after = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
        assert.deepEqual([after.state, after.errorCode], ["failed", code], after.errorText ?? "");
        if (code === "UNKNOWN_OUTCOME") assert.match(after.errorText!, /результат неизвестен/);
      } finally {
        ctx.client.close();
        await gis.close();
      }
    }
  });
});

test("reconcile: getState failing in transit after the last send GIS Acked is no lost import — GIS is asked what it took", async () => {
  await withTestDb("sqlite", async (ds) => {
    const refused = () => ({ status: 500, body: "Internal Server Error", asIs: true });
    const gis = await scriptedGis([refused, refused, refused, () => ack(), refused]);
    const ctx = await context(ds, gis.url);
    try {
      const op = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        items: [{ objectType: "account", objectId: 5 }],
      });
      let state = "signed";
      for (let i = 0; i < 8 && ["signed", "sent", "processing"].includes(state); i++) state = await advance(ctx, op.id, () => accountRecipe());
      assert.equal(state, "reconciling", "not failed TRANSPORT: GIS holds the fourth message");
      assert.ok(await reconcileChild(ds, op.id), "an export asks GIS");
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
});

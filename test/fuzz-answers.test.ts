/**
 * Fuzzed answers: a mutating proxy (a real HTTP server) between the exchange and a truthful scripted
 * GIS mutates half of GIS's answers — truncation, HTML error pages, DOCTYPE/XXE, entity bombs,
 * oversize bodies, unknown TransportGUIDs, impossible RequestState, missing required elements,
 * duplicated result lists, wrong MessageGUIDs, misshapen identifiers, invalid UTF-8, answers slower
 * than the timeout — every kind at least 20 times, FUZZ_ANSWERS (default 1,000) in all. Asserted: no
 * crash, no unhandled rejection, every operation final or in a named retry within a bound, no item
 * ok that GIS did not confirm, no identifier stored without its shape.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import { withTestDb } from "./support/databases";
import { accountRecipe, env, exchangeContext, exportAccountsRecipe } from "./support/scripted-gis";
import { createOperation, FINAL_STATES } from "../src/exchange/operation-store";
import { advance } from "../src/exchange/exchange";
import { GisOperation, GisOperationItem } from "../entities";

const TARGET = Number(process.env.FUZZ_ANSWERS ?? 1000);
const TIMEOUT_MS = 250;
const RATE = Number(process.env.FUZZ_RATE ?? 0.5);
const MAX_BYTES = 200_000;
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A truthful GIS: applies imports by account number (idempotent), answers every getState with RequestState 3. */
function truthfulGis() {
  const registry = new Map<string, string>(); // account number → GUID GIS issued
  const messages = new Map<string, { action: string; items: Array<{ tg: string; number: string }> }>();
  const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      const action = String(req.headers.soapaction).replace(/"/g, "");
      const reply = (body: string, status = 200) => res.writeHead(status, { "Content-Type": "text/xml; charset=utf-8" }).end(body);
      if (action === "urn:getState") {
        const asked = /getStateRequest[^>]*>\s*<(?:\w+:)?MessageGUID>([^<]+)</.exec(b)?.[1] ?? "";
        const m = messages.get(asked);
        if (!m)
          return reply(
            env(
              `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring><detail><base:Fault><base:ErrorCode>INT002000</base:ErrorCode><base:ErrorMessage>Сообщение не найдено</base:ErrorMessage></base:Fault></detail></soap:Fault>`,
            ),
            500,
          );
        const inner =
          m.action === "urn:importAccountData"
            ? `<hm:ImportResult base:version="10.0.1.1">${m.items.map((i) => `<hm:CommonResult><base:GUID>${registry.get(i.number)}</base:GUID><base:TransportGUID>${i.tg}</base:TransportGUID><base:UpdateDate>2026-11-23T10:00:00</base:UpdateDate><hm:ImportAccount><hm:UnifiedAccountNumber>16АБ000001</hm:UnifiedAccountNumber></hm:ImportAccount></hm:CommonResult>`).join("")}</hm:ImportResult>`
            : [...registry]
                .map(
                  ([n, g]) => `<hm:exportAccountResult><hm:AccountNumber>${n}</hm:AccountNumber><hm:AccountGUID>${g}</hm:AccountGUID></hm:exportAccountResult>`,
                )
                .join("");
        return reply(
          env(
            `<hm:getStateResult Id="signed-data-container" base:version="13.2.3.2"><base:RequestState>3</base:RequestState><base:MessageGUID>${asked}</base:MessageGUID>${inner || "<base:ErrorMessage><base:ErrorCode>INT002012</base:ErrorCode><base:Description>Нет объектов</base:Description></base:ErrorMessage>"}</hm:getStateResult>`,
          ),
        );
      }
      const requester = /<(?:\w+:)?MessageGUID>([^<]+)</.exec(b)?.[1] ?? "";
      const items: Array<{ tg: string; number: string }> = [];
      for (const m of b.matchAll(/<(?:\w+:)?Account\b[\s\S]*?<\/(?:\w+:)?Account>/g)) {
        const tg = /TransportGUID>([^<]+)</.exec(m[0])?.[1];
        const number = /AccountNumber[^>]*>([^<]+)</.exec(m[0])?.[1];
        if (tg && number) items.push({ tg, number });
      }
      for (const i of items) if (!registry.has(i.number)) registry.set(i.number, crypto.randomUUID());
      const guid = crypto.randomUUID();
      messages.set(guid, { action, items });
      reply(
        env(
          `<base:AckRequest><base:Ack><base:MessageGUID>${guid}</base:MessageGUID><base:RequesterMessageGUID>${requester}</base:RequesterMessageGUID></base:Ack></base:AckRequest>`,
        ),
      );
    });
  });
  return { server, registry };
}

const KINDS = [
  "truncated",
  "html",
  "doctype",
  "entityBomb",
  "oversize",
  "unknownTransportGuid",
  "requestState",
  "missingElement",
  "duplicatedResults",
  "wrongMessageGuid",
  "badIdentifier",
  "invalidUtf8",
  "slow",
] as const;
type Kind = (typeof KINDS)[number];
/** Kinds that need something in the answer to mutate. */
const needs: Partial<Record<Kind, RegExp>> = {
  unknownTransportGuid: /TransportGUID>/,
  requestState: /RequestState>/,
  duplicatedResults: /<hm:ImportResult|<hm:exportAccountResult/,
  badIdentifier: /<base:GUID>|AccountGUID>/,
};

function mutate(kind: Kind, body: string): { status: number; body: string | Buffer; delayMs?: number } {
  switch (kind) {
    case "truncated":
      return { status: 200, body: body.slice(0, Math.floor(body.length * Math.random())) };
    case "html":
      return { status: Math.random() < 0.5 ? 200 : 502, body: "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>" };
    case "doctype":
      return {
        status: 200,
        body: `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>${body.replace(/<base:MessageGUID>/, "<base:MessageGUID>&x;")}`,
      };
    case "entityBomb":
      return {
        status: 200,
        body: `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`,
      };
    case "oversize":
      return { status: 200, body: body.replace("</soap:Body>", `<!--${"x".repeat(MAX_BYTES)}--></soap:Body>`) };
    case "unknownTransportGuid":
      return { status: 200, body: body.replace(/TransportGUID>[^<]+</, `TransportGUID>${crypto.randomUUID()}<`) };
    case "requestState":
      return { status: 200, body: body.replace(/RequestState>\d</, `RequestState>${[0, 4, 7, -1, 99][Math.floor(Math.random() * 5)]}<`) };
    case "missingElement":
      return { status: 200, body: body.replace(/<base:MessageGUID>[^<]*<\/base:MessageGUID>/, "") };
    case "duplicatedResults": {
      const m = /<hm:ImportResult[\s\S]*<\/hm:ImportResult>|<hm:exportAccountResult>[\s\S]*?<\/hm:exportAccountResult>/.exec(body)!;
      // The list again: for an import the same TransportGUIDs twice (refused); for an export a repeated list.
      return { status: 200, body: body.replace(m[0], m[0] + m[0]) };
    }
    case "wrongMessageGuid":
      return { status: 200, body: body.replace(/<base:MessageGUID>[^<]*</, `<base:MessageGUID>${crypto.randomUUID()}<`) };
    case "badIdentifier":
      return {
        status: 200,
        body: body.replace(/(<base:GUID>|AccountGUID>)[^<]+</, `$1${Math.random() < 0.5 ? "&quot;&gt;&lt;script&gt;" : "a".repeat(20_000)}<`),
      };
    case "invalidUtf8": {
      const at = Math.floor(body.length / 2);
      return { status: 200, body: Buffer.concat([Buffer.from(body.slice(0, at)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(body.slice(at))]) };
    }
    case "slow":
      return { status: 200, body, delayMs: TIMEOUT_MS * 2 };
  }
}

/** The mutating proxy: forwards to GIS, mutates about half the answers, counts every kind. */
function mutatingProxy(target: string) {
  const counts = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  let mutated = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const up = http.request(
        target + req.url,
        { method: "POST", headers: { "content-type": String(req.headers["content-type"] ?? "text/xml"), soapaction: String(req.headers.soapaction ?? "") } },
        (gr) => {
          const back: Buffer[] = [];
          gr.on("data", (c: Buffer) => back.push(c));
          gr.on("end", () => {
            let answer: { status: number; body: string | Buffer; delayMs?: number } = { status: gr.statusCode ?? 500, body: Buffer.concat(back) };
            const text = Buffer.concat(back).toString("utf8");
            if (mutated < TARGET && Math.random() < RATE) {
              const fit = KINDS.filter((k) => !needs[k] || needs[k]!.test(text));
              const kind = fit.sort((a, b) => counts.get(a)! - counts.get(b)!)[0];
              counts.set(kind, counts.get(kind)! + 1);
              mutated++;
              answer = mutate(kind, text);
            }
            const send = () => {
              if (!res.destroyed) res.writeHead(answer.status, { "Content-Type": "text/xml; charset=utf-8" }).end(answer.body);
            };
            if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
            else send();
          });
        },
      );
      up.on("error", () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  return { server, counts, mutated: () => mutated };
}

const listen = async (s: http.Server) => {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};
const close = (s: http.Server) =>
  new Promise((r) => {
    s.closeAllConnections();
    s.close(r);
  });

test(`fuzz: ${TARGET} mutated GIS answers — no crash, no hang, nothing ok that GIS did not confirm, no misshapen identifier stored`, {
  timeout: 240_000,
}, async () => {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on("unhandledRejection", onRejection);
  const gis = truthfulGis();
  const proxy = mutatingProxy(await listen(gis.server));
  const url = await listen(proxy.server);
  await withTestDb("sqlite", async (ds) => {
    const ctx = await exchangeContext(ds, url, { responseTimeoutMs: TIMEOUT_MS, maxAttempts: 6 });
    (ctx.client as unknown as { opts: { maxResponseBytes: number } }).opts.maxResponseBytes = MAX_BYTES;
    const started = Date.now();
    let nextObject = 1;
    const crashes: string[] = [];
    const stuck: string[] = [];
    const ops: string[] = [];
    try {
      while (proxy.mutated() < TARGET && Date.now() - started < 200_000) {
        const isExport = ops.length % 5 === 4;
        const recipe = isExport ? exportAccountsRecipe : accountRecipe();
        const items = isExport ? [] : [0, 1].map(() => ({ objectType: "account", objectId: nextObject++ }));
        const op = await createOperation(ds, {
          stand: "local",
          service: "house-management",
          method: isExport ? "exportAccountData" : "importAccountData",
          items,
        });
        ops.push(op.id);
        let s = "created";
        for (let step = 0; step < 80 && !FINAL_STATES.includes(s as never); step++) {
          try {
            s = await advance(ctx, op.id, () => recipe);
          } catch (e) {
            crashes.push(`${op.id}: ${(e as Error).stack}`);
            break;
          }
        }
        const after = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
        if (!FINAL_STATES.includes(after.state) && !after.errorCode) stuck.push(`${op.id} ${after.state}`);
      }
    } finally {
      ctx.client.close();
    }
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 3)); // late slow answers land, with nobody waiting
    const items = await ds.getRepository(GisOperationItem).find();
    const confirmed = new Set(gis.registry.values());
    const wronglyOk = items.filter((i) => (i.outcome === "ok" || i.outcome === "reconciled") && !(i.gisGuid && confirmed.has(i.gisGuid)));
    const misshapen = items.filter((i) => i.gisGuid !== null && !GUID_RE.test(i.gisGuid));
    const states = (await ds.getRepository(GisOperation).find()).reduce<Record<string, number>>((a, o) => ({ ...a, [o.state]: (a[o.state] ?? 0) + 1 }), {});
    console.log(
      `fuzz: ${proxy.mutated()} mutated answers in ${Math.round((Date.now() - started) / 1000)} s, ${ops.length} operations`,
      Object.fromEntries(proxy.counts),
      states,
    );
    assert.deepEqual(crashes, [], "no step throws");
    assert.deepEqual(stuck, [], "every operation is final or waits in a named retry");
    assert.deepEqual(
      wronglyOk.map((i) => [i.objectId, i.outcome, i.gisGuid]),
      [],
      "nothing ok that GIS did not confirm",
    );
    assert.deepEqual(
      misshapen.map((i) => i.gisGuid),
      [],
      "no misshapen identifier stored",
    );
    assert.ok(proxy.mutated() >= TARGET, `at least ${TARGET} mutated answers (got ${proxy.mutated()})`);
    for (const k of KINDS) assert.ok(proxy.counts.get(k)! >= Math.min(20, Math.floor((TARGET / KINDS.length) * 0.8)), `${k}: ${proxy.counts.get(k)} times`);
  });
  await close(proxy.server);
  await close(gis.server);
  process.off("unhandledRejection", onRejection);
  assert.deepEqual(rejections, [], "no unhandled rejection");
});

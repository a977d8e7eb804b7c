/** Helpers for the scripted GIS of the exchange tests. */
import crypto from "node:crypto";
import http from "node:http";
import { AddressInfo } from "node:net";
import { DataSource } from "typeorm";
import { ExchangeContext, RequestRecipe } from "../../src/exchange/exchange";
import { ErrorPolicy } from "../../src/exchange/error-policy";
import { GisHttpClient } from "../../src/transport/http";
import { buildRequest } from "../../src/transport/messages";
import { children, descendant, text } from "../../src/transport/results/safe-xml";
import { SoftwareSigner } from "../../src/signing/software-signer";
import { generateTestKey } from "../../src/signing/keygen";

/** The MessageGUID a getState request asks about (the one inside getStateRequest), or null for other requests. */
export function askedMessageGuid(requestBody: string): string | null {
  const m = /getStateRequest[^>]*>\s*<(?:\w+:)?MessageGUID>([^<]+)</.exec(requestBody);
  return m ? m[1] : null;
}

/** As GIS does: a getStateResult names the message asked — the script's placeholder GUID is replaced by it. */
export function answerNamesAsked(requestBody: string, answerBody: string): string {
  const asked = askedMessageGuid(requestBody);
  if (!asked) return answerBody;
  return answerBody.replace(/(getStateResult[^>]*>\s*<(?:\w+:)?RequestState>[^<]*<\/(?:\w+:)?RequestState>\s*<(?:\w+:)?MessageGUID>)[^<]*</, `$1${asked}<`);
}

export const HM = "http://dom.gosuslugi.ru/schema/integration/house-management/";
export const env = (body: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="${HM}"><soap:Body>${body}</soap:Body></soap:Envelope>`;

/** What one step of the script answers: a body (text or raw bytes), "reset" (the connection drops), or a body after a delay. */
export type Answer = { status: number; body: string | Buffer; delayMs?: number; asIs?: boolean } | "reset";
export type Step = (body: string) => Answer;

/** A scripted GIS over real HTTP: each call takes the next step; getState answers name the message asked unless `asIs`. */
export async function scriptedGis(script: Step[]) {
  const seen: Array<{ action: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => {
      seen.push({ action: String(req.headers.soapaction).replace(/"/g, ""), body: b });
      const step = script.shift();
      const a = step ? step(b) : { status: 500, body: "script exhausted" };
      if (a === "reset") return req.socket.destroy();
      const body = typeof a.body === "string" && !a.asIs ? answerNamesAsked(b, a.body) : a.body;
      const send = () => {
        if (!res.destroyed) res.writeHead(a.status, { "Content-Type": "text/xml; charset=utf-8" }).end(body);
      };
      if (a.delayMs) setTimeout(send, a.delayMs).unref();
      else send();
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

export const ack = (): Answer => ({
  status: 200,
  body: env(`<base:AckRequest><base:Ack><base:MessageGUID>${crypto.randomUUID()}</base:MessageGUID></base:Ack></base:AckRequest>`),
});
export const state = (s: number | string, inner = "", messageGuid = crypto.randomUUID()): string =>
  env(
    `<hm:getStateResult Id="signed-data-container" base:version="13.2.3.2"><base:RequestState>${s}</base:RequestState><base:MessageGUID>${messageGuid}</base:MessageGUID>${inner}</hm:getStateResult>`,
  );
export const ok = (body: string): Answer => ({ status: 200, body });
/** An hm ImportResult naming these TransportGUIDs (with optional extra elements per item). */
export const importResult = (tgs: string[], extra = (_tg: string) => `<base:GUID>${crypto.randomUUID()}</base:GUID>`) =>
  `<hm:ImportResult base:version="10.0.1.1">${tgs.map((tg) => `<hm:CommonResult>${extra(tg)}<base:TransportGUID>${tg}</base:TransportGUID><base:UpdateDate>2026-11-23T10:00:00</base:UpdateDate></hm:CommonResult>`).join("")}</hm:ImportResult>`;
export const wholeError = (code: string) =>
  `<base:ErrorMessage><base:ErrorCode>${code}</base:ErrorCode><base:Description>x</base:Description></base:ErrorMessage>`;
export const fault = (code: string): Answer => ({
  status: 500,
  body: env(
    `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring><detail><base:Fault><base:ErrorCode>${code}</base:ErrorCode><base:ErrorMessage>x</base:ErrorMessage></base:Fault></detail></soap:Fault>`,
  ),
});

export const accountNumber = (objectId: number) => `ЛС-${String(objectId).padStart(6, "0")}`;

export const exportAccountsRecipe: RequestRecipe = {
  service: "house-management",
  methodKind: "export",
  build: (_items, h) => buildRequest("exportAccountData", h, { fiasHouseGuid: "5a1bdc8e-3ee6-4d0c-9d5b-6b2f3a1a0001" }),
};

/** importAccountData for the pending items; reconciled by exportAccountData, matched by account number. */
export function accountRecipe(o: { safeToRepeat?: boolean } = {}): RequestRecipe {
  return {
    service: "house-management",
    methodKind: "import",
    safeToRepeat: o.safeToRepeat,
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
      recipe: exportAccountsRecipe,
      found: (answer, items) => {
        const byNumber = new Map<string, string>();
        for (const r of children(answer.result, "exportAccountResult"))
          byNumber.set(text(descendant(r, "AccountNumber"))!, text(descendant(r, "AccountGUID"))!);
        return new Map(items.filter((i) => byNumber.has(accountNumber(i.objectId))).map((i) => [i.objectId, byNumber.get(accountNumber(i.objectId))!]));
      },
    },
  };
}

export async function exchangeContext(ds: DataSource, url: string, o: { responseTimeoutMs?: number; maxAttempts?: number } = {}): Promise<ExchangeContext> {
  const { keyPem, certPem } = await generateTestKey({ commonName: "Тест ответов", days: 30 });
  return {
    ds,
    client: new GisHttpClient({ baseUrl: url, mode: "plain", responseTimeoutMs: o.responseTimeoutMs ?? 5000 }),
    signer: SoftwareSigner.fromPem(keyPem, certPem),
    policy: new ErrorPolicy([], { resendDelaysMs: [1], retryLaterMs: 1, transportMaxAttempts: o.maxAttempts ?? 4 }),
    schedule: { delaysMs: [1], processingDelayMs: 1, maxWaitMs: 60_000, learn: false },
    header: { orgPPAGUID: "7d1b2c3a-0000-4000-8000-000000000001" },
  };
}

/**
 * The stand's core over real HTTP with real signatures: our exchange end to end against it; each
 * check (signature, foreign certificate, reused MessageGUID, unknown organization, schema, unknown
 * operation and message) answered with its code; every fault mode seen from the client's side;
 * seed determinism; persistence across a restart; inspection; the file store; the nsi-common and
 * org-registry handlers. Keys are made in pure JS (generateTestKey), so nothing here needs openssl.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { withTestDb } from "./support/databases";
import { officialAvailable, officialDirs } from "./support/xsd";
import { createOperation } from "../src/exchange/operation-store";
import { ExchangeContext, RequestRecipe, operationArchive, pollOperation, sendOperation } from "../src/exchange/exchange";
import { ErrorPolicy } from "../src/exchange/error-policy";
import { GisHttpClient, TransportError } from "../src/transport/http";
import { BuiltRequest } from "../src/transport/envelope/envelope";
import { exportOrgRegistry } from "./support/requests";
import { exportNsiItem } from "./support/requests";
import { buildMethodRequest } from "../src/transport/messages/build";
import { exportNsiPagingItem } from "../src/methods/nsi-common/export-nsi-paging-item";
import { exportNsiList } from "../src/methods/nsi-common/export-nsi-list";
import { exportDataProvider } from "../src/methods/organizations-registry-common/export-data-provider";
import { getState } from "../src/methods/base/get-state";
import { GisResponse, parseResponse } from "../src/transport/results/results";
import { ResponseError, children, parseUntrusted } from "../src/transport/results/safe-xml";
import { NS, serialize } from "../src/transport/envelope/xml";
import { pack, unpack } from "../src/stand/domain/xml-read";
import { validateRequest } from "../src/transport/schema/validate";
import { ServiceName } from "../src/transport/services";
import { generateTestKey } from "../src/signing/keygen";
import { SoftwareSigner } from "../src/signing/software-signer";
import { verifyXades } from "../src/signing/verify";
import { signEnvelope } from "../src/signing/xades";
import { GisOperation } from "../entities";
import { RunningStand, StandOptions, certificateFingerprint, makeOrganization, parseFaultSpec, startStand } from "../src/stand";
import { FaultPlan } from "../src/stand/core/faults";
import { StandOrganization } from "../src/stand/types";

const OFFICIAL = officialAvailable() ? Object.values(officialDirs()) : [];

interface Key {
  signer: SoftwareSigner;
  certPem: string;
}
const keys: Key[] = [];
async function key(i: number): Promise<Key> {
  while (keys.length <= i) {
    const k = await generateTestKey({ commonName: `Подписант ${keys.length}`, organization: "ООО «Тест»", days: 30 });
    keys.push({ signer: SoftwareSigner.fromPem(k.keyPem, k.certPem), certPem: k.certPem });
  }
  return keys[i];
}

async function org(certKey = 0): Promise<StandOrganization> {
  return makeOrganization({
    ogrn: "1027700132195",
    inn: "7707083893",
    kpp: "773601001",
    fullName: "ООО «Тестовая РСО»",
    shortName: "ООО «ТРСО»",
    roles: ["RSO"],
    certificatePem: (await key(certKey)).certPem,
  });
}

async function withStand(o: StandOptions, fn: (s: RunningStand, org: StandOrganization) => Promise<void>): Promise<void> {
  const organization = await org();
  const stand = await startStand({ organizations: [organization], log: () => undefined, ...o });
  try {
    await fn(stand, organization);
  } finally {
    await stand.close();
  }
}

/** A raw POST: status and body, or the transport error code. */
function post(url: string, p: string, action: string, body: string, timeoutMs = 5000): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      new URL(p, url),
      { method: "POST", headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: `"${action}"` }, agent: false },
      (res) => {
        let b = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (b += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: b }));
        res.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

async function send(stand: RunningStand, built: BuiltRequest, signer?: SoftwareSigner): Promise<GisResponse> {
  const body = signer ? await signEnvelope(built.xml, signer) : built.xml;
  const r = await post(stand.url, built.path, built.soapAction, body);
  assert.ok("status" in r, `transport error ${"error" in r ? r.error : ""}`);
  return parseResponse(r.body);
}

async function poll(stand: RunningStand, service: ServiceName, gisGuid: string, orgPPAGUID?: string): Promise<{ answer: GisResponse; xml: string }> {
  for (let i = 0; i < 50; i++) {
    const q = getState(service, gisGuid, { orgPPAGUID });
    const r = await post(stand.url, q.path, q.soapAction, q.xml);
    assert.ok("status" in r);
    const answer = parseResponse(r.body);
    if (answer.kind !== "state" || answer.requestState === 3) return { answer, xml: r.body };
    await new Promise((res) => setTimeout(res, 5));
  }
  throw new Error("no RequestState 3");
}

function faultCode(r: GisResponse): string | null {
  return r.kind === "fault" ? r.errorCode : null;
}

const orgSearch = () => exportOrgRegistry([{ ogrn: "1027700132195" }]);

test("stand: our exchange end to end — exportOrgRegistry and exportNsiItem, signatures verified both ways, answers valid per the official XSD", async () => {
  await withStand({}, async (stand, organization) => {
    await withTestDb("sqlite", async (ds) => {
      const { signer } = await key(0);
      const ctx: ExchangeContext = {
        ds,
        client: new GisHttpClient({ baseUrl: stand.url, mode: "plain" }),
        signer,
        policy: new ErrorPolicy([], { resendDelaysMs: [1], retryLaterMs: 1, transportMaxAttempts: 3 }),
        schedule: { delaysMs: [1], processingDelayMs: 1, maxWaitMs: 60_000 },
        header: {},
      };
      try {
        const recipes: Array<[string, RequestRecipe]> = [
          [
            "exportOrgRegistry",
            {
              service: "organizations-registry-common",
              methodKind: "export",
              fixedVersion: "10.0.2.1",
              build: (_i, h) => exportOrgRegistry([{ ogrn: organization.ogrn }], h),
            },
          ],
          ["exportNsiItem", { service: "nsi-common", methodKind: "export", build: (_i, h) => exportNsiItem({ registryNumber: 2, listGroup: "NSI" }, h) }],
        ];
        for (const [method, recipe] of recipes) {
          const op = await createOperation(ds, { stand: "local", service: recipe.service, method, items: [] });
          assert.equal(await sendOperation(ctx, op.id, recipe), "sent", method);
          let state: string = "sent";
          for (let i = 0; i < 20 && state !== "done"; i++) state = await pollOperation(ctx, op.id, recipe);
          assert.equal(state, "done", method);
          const archive = await operationArchive(ds, op.id);
          const result = archive.find((e) => e.kind === "result")!;
          const v = verifyXades(result.body);
          assert.ok(v.valid, `the stand's answer is signed: ${v.errors.join("; ")}`);
          assert.ok(v.certificate!.der.equals(stand.certificate));
          const parsed = parseResponse(result.body);
          assert.equal(parsed.kind === "state" && parsed.resultKind, method === "exportOrgRegistry" ? "exportOrgRegistryResult" : "NsiItem");
          for (const dir of OFFICIAL)
            assert.deepEqual(await validateRequest(result.body, recipe.service, { schemaDir: dir }), [], `${method} result valid per XSD (${dir})`);
          if (method === "exportOrgRegistry") assert.match(result.body, new RegExp(`<base:orgPPAGUID>${organization.orgPPAGUID}</base:orgPPAGUID>`));
          const sent = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
          assert.ok(sent.gisMessageGuid);
        }
      } finally {
        ctx.client.close();
      }
    });
    const s = stand.stats();
    assert.equal(s.received.exportOrgRegistry, 1);
    assert.equal(s.received.exportNsiItem, 1);
    assert.deepEqual(s.duplicates, []);
  });
});

test("stand: checks like GIS — unsigned AUT011004, bad signature AUT011005, foreign certificate AUT011003 (strict only), reused MessageGUID, unknown orgPPAGUID, schema FMT001300, unknown operation, unknown message", async () => {
  const own = (await key(0)).signer;
  const foreign = (await key(1)).signer;
  await withStand({}, async (stand, organization) => {
    assert.equal(faultCode(await send(stand, orgSearch())), "AUT011004");

    const signed = await signEnvelope(orgSearch().xml, own);
    const tampered = signed.replace("1027700132195</org-base:OGRN>", "1027700132196</org-base:OGRN>");
    assert.notEqual(tampered, signed);
    const r1 = await post(stand.url, orgSearch().path, "urn:exportOrgRegistry", tampered);
    assert.ok("status" in r1 && r1.status === 500);
    assert.equal(faultCode(parseResponse((r1 as { body: string }).body)), "AUT011005");

    assert.equal(faultCode(await send(stand, orgSearch(), foreign)), "AUT011003");

    const once = orgSearch();
    assert.equal((await send(stand, once, own)).kind, "ack");
    const again = await send(stand, once, own);
    assert.equal(faultCode(again), "INT002003");

    const q = getState("nsi", crypto.randomUUID(), { orgPPAGUID: crypto.randomUUID() });
    assert.equal(faultCode(await send(stand, q)), "AUT011000");

    const invalid = exportNsiItem({ registryNumber: 2, listGroup: "ЖКХ" as "NSI" });
    const fmt = await send(stand, invalid, own);
    assert.equal(faultCode(fmt), "FMT001300");
    assert.match(fmt.kind === "fault" ? (fmt.errorMessage ?? "") : "", /ListGroup/);

    const wrongOp = await post(stand.url, orgSearch().path, "urn:importHouseUOData", await signEnvelope(orgSearch().xml, own));
    assert.equal(faultCode(parseResponse((wrongOp as { body: string }).body)), "FMT001301");

    const unknown = getState("nsi", crypto.randomUUID(), { orgPPAGUID: organization.orgPPAGUID });
    assert.equal(faultCode(await send(stand, unknown)), "INT002000");

    const broken = await post(stand.url, orgSearch().path, "urn:exportOrgRegistry", "<soapenv:Envelope");
    assert.equal(faultCode(parseResponse((broken as { body: string }).body)), "FMT001307");

    const s = stand.stats();
    assert.deepEqual(s.rejected.byCode, {
      AUT011004: 1,
      AUT011005: 1,
      AUT011003: 1,
      INT002003: 1,
      AUT011000: 1,
      FMT001300: 1,
      FMT001301: 1,
      INT002000: 1,
      FMT001307: 1,
    });
    assert.ok(s.rejected.log.some((e) => e.code === "AUT011000" && e.operation === "getState" && e.orgPPAGUID));
  });
  await withStand({ strict: false }, async (stand) => {
    assert.equal((await send(stand, orgSearch(), foreign)).kind, "ack", "strict off: any valid signature");
  });
  await withStand({ verify: false }, async (stand) => {
    assert.equal((await send(stand, orgSearch())).kind, "ack", "verification off: unsigned accepted");
  });
  await withStand({ validate: false, verify: false }, async (stand) => {
    const a = await send(stand, exportNsiItem({ registryNumber: 2, listGroup: "ЖКХ" as "NSI" }));
    assert.equal(a.kind, "ack", "validation off: the schema is not checked");
  });
});

test("stand: async like GIS — RequestState 1 → 2 → 3 with latency; errors of the handler arrive as ErrorMessage", async () => {
  await withStand({ latency: { receivedMs: 150, processingMs: 150 } }, async (stand) => {
    const own = (await key(0)).signer;
    const ack = await send(stand, exportNsiItem({ registryNumber: 9999, listGroup: "NSI" }), own);
    assert.equal(ack.kind, "ack");
    const guid = ack.kind === "ack" ? ack.messageGuid : "";
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      const q = getState("nsi-common", guid);
      const r = parseResponse(((await post(stand.url, q.path, q.soapAction, q.xml)) as { body: string }).body);
      if (r.kind === "state" && seen[seen.length - 1] !== r.requestState) seen.push(r.requestState);
      if (r.kind === "state" && r.requestState === 3) {
        assert.deepEqual(r.error?.code, "INT016001");
        break;
      }
      await new Promise((res) => setTimeout(res, 25));
    }
    assert.deepEqual(seen, [1, 2, 3]);
  });
});

test("stand: nsi-common and org-registry handlers — paging, list, data providers, not found", async () => {
  await withStand({}, async (stand, organization) => {
    const own = (await key(0)).signer;
    const run = async (b: BuiltRequest, service: ServiceName) => {
      const ack = await send(stand, b, own);
      assert.equal(ack.kind, "ack", JSON.stringify(ack));
      const { answer, xml } = await poll(stand, service, ack.kind === "ack" ? ack.messageGuid : "");
      for (const dir of OFFICIAL) assert.deepEqual(await validateRequest(xml, service, { schemaDir: dir }), [], dir);
      return answer;
    };
    const page = await run(buildMethodRequest(exportNsiPagingItem, {}, { registryNumber: 32, listGroup: "NSI", page: 1 }), "nsi-common");
    assert.ok(page.kind === "state" && page.nsiPage && page.nsiPage.totalPages === 1 && page.lastPage === true);
    const list = await run(buildMethodRequest(exportNsiList, {}, { listGroup: "NSI" }), "nsi-common");
    assert.equal(list.kind === "state" && list.resultKind, "NsiList");
    const providers = await run(buildMethodRequest(exportDataProvider, {}, { isActual: true }), "organizations-registry-common");
    assert.equal(providers.kind === "state" && providers.resultKind, "exportDataProviderResult");
    for (const c of [
      { orgRootEntityGUID: organization.orgRootEntityGUID },
      { orgVersionGUID: organization.orgVersionGUID },
      { orgPPAGUID: organization.orgPPAGUID },
    ]) {
      const found = await run(exportOrgRegistry([c]), "organizations-registry-common");
      assert.equal(found.kind === "state" && found.resultKind, "exportOrgRegistryResult");
    }
    const none = await run(exportOrgRegistry([{ ogrnip: "304500116000157" }]), "organizations-registry-common");
    assert.equal(none.kind === "state" && none.error?.code, "INT002012");
  });
});

test("stand: faults on demand, each seen from the client's side", async () => {
  const own = (await key(0)).signer;
  const client = (url: string, timeout = 5000) => new GisHttpClient({ baseUrl: url, mode: "plain", responseTimeoutMs: timeout, maxSockets: 1 });
  const once = async (stand: RunningStand, rates: Record<string, number>, timeout?: number) => {
    stand.setFaults({ rates, seed: 3 });
    const c = client(stand.url, timeout);
    const b = orgSearch();
    try {
      return await c.post(b.path, b.soapAction, await signEnvelope(b.xml, own));
    } catch (e) {
      return e as TransportError;
    } finally {
      c.close();
    }
  };
  await withStand({}, async (stand) => {
    for (const s of [500, 502, 503]) {
      const r = await once(stand, { [`http${s}`]: 1 });
      assert.equal("status" in r && r.status, s);
    }
    const reset = await once(stand, { reset: 1 });
    assert.ok(reset instanceof TransportError && reset.code === "ECONNRESET", String(reset));
    const timeout = await once(stand, { timeout: 1 }, 300);
    assert.ok(timeout instanceof TransportError && timeout.code === "ETIMEDOUT", String(timeout));
    const malformed = await once(stand, { malformed: 1 });
    assert.ok("status" in malformed);
    assert.throws(() => parseResponse((malformed as { body: string }).body), ResponseError);
    const exp = await once(stand, { exp001000: 1 });
    assert.equal("status" in exp && faultCode(parseResponse(exp.body)), "EXP001000");

    const before = stand.stats().messages;
    const lost = await once(stand, { lostAck: 1 });
    assert.ok(lost instanceof TransportError && lost.code === "ECONNRESET" && lost.requestMayHaveArrived, String(lost));
    await stand.idle();
    const s = stand.stats();
    assert.equal(s.messages, before + 1, "the request was accepted and processed although the client saw a reset");
    assert.equal(s.inFlight, 0);
    assert.deepEqual(s.faults.counts, { http500: 1, http502: 1, http503: 1, reset: 1, timeout: 1, malformed: 1, exp001000: 1, lostAck: 1 });

    // Scopes: a getState-only fault leaves sends alone; an operation filter leaves other operations alone.
    stand.setFaults({ rates: { http503: 1 }, scope: "getState" });
    assert.equal((await send(stand, orgSearch(), own)).kind, "ack");
    stand.setFaults({ rates: { http503: 1 }, operations: ["exportNsiItem"] });
    assert.equal((await send(stand, orgSearch(), own)).kind, "ack");
  });

  await withStand({ latency: { receivedMs: 60_000, processingMs: 0 }, faults: { maxInFlightPerOrg: 1 } }, async (stand) => {
    assert.equal((await send(stand, orgSearch(), own)).kind, "ack");
    assert.equal(faultCode(await send(stand, orgSearch(), own)), "EXP001000", "over the in-flight cap");
    assert.equal(stand.stats().faults.counts.throttled, 1);
  });
});

test("stand: faults are deterministic with a seed; the CLI spec parses", async () => {
  const draws = (seed: number) => {
    const p = new FaultPlan({ rates: { http503: 0.3, reset: 0.2 }, seed });
    return Array.from({ length: 50 }, () => p.draw("exportNsiItem"));
  };
  assert.deepEqual(draws(42), draws(42));
  assert.notDeepEqual(draws(42), draws(43));
  const statuses = async () => {
    const out: string[] = [];
    await withStand({ faults: { rates: { http503: 0.4 }, seed: 7 } }, async (stand) => {
      for (let i = 0; i < 12; i++) {
        const q = getState("nsi-common", crypto.randomUUID());
        const r = await post(stand.url, q.path, q.soapAction, q.xml);
        out.push("status" in r ? String(r.status) : r.error);
      }
    });
    return out;
  };
  const a = await statuses();
  assert.deepEqual(a, await statuses());
  assert.ok(a.includes("503") && a.includes("500"), a.join(","));
  assert.deepEqual(parseFaultSpec("reset=0.05, http503=0.1,scope=send,ops=importAccountData+exportNsiItem,throttle=3", 9), {
    rates: { reset: 0.05, http503: 0.1 },
    seed: 9,
    scope: "send",
    operations: ["importAccountData", "exportNsiItem"],
    maxInFlightPerOrg: 3,
  });
  assert.throws(() => parseFaultSpec("bogus=0.1"), /неизвестный вид/);
  assert.throws(() => parseFaultSpec("reset=0.7,http500=0.6"), /больше 1/);
});

test("stand: the state, used MessageGUIDs, answers and registered organizations survive a restart with a data file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stand-data-"));
  const dataFile = path.join(dir, "stand.json");
  const own = (await key(0)).signer;
  const other = await key(2);
  const first = orgSearch();
  let gisGuid = "";
  let registered = "";
  await withStand({ dataFile }, async (stand) => {
    const ack = await send(stand, first, own);
    gisGuid = ack.kind === "ack" ? ack.messageGuid : "";
    const res = await fetch(`${stand.url}/stand/admin/organizations`, {
      method: "POST",
      body: JSON.stringify({
        ogrn: "1021602843470",
        inn: "1655065057",
        fullName: "АО «Казанские коммунальные сети»",
        roles: ["RSO"],
        certificatePem: other.certPem,
      }),
    });
    assert.equal(res.status, 201);
    const created = (await res.json()) as StandOrganization;
    registered = created.orgPPAGUID;
    assert.deepEqual(created.certificateFingerprints, [certificateFingerprint(other.certPem)]);
    const up = await fetch(`${stand.url}/ext-bus-file-store-service/rest/homemanagement`, {
      method: "PUT",
      headers: { "X-Upload-Filename": encodeURIComponent("акт.pdf") },
      body: "%PDF-1.4 test",
    });
    assert.equal(up.status, 200);
    const id = up.headers.get("x-upload-uploadid")!;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const down = await fetch(`${stand.url}/ext-bus-file-store-service/rest/homemanagement/${id}`);
    assert.equal(await down.text(), "%PDF-1.4 test");
  });
  assert.ok(fs.existsSync(dataFile));
  const stand = await startStand({ dataFile, log: () => undefined });
  try {
    assert.equal(faultCode(await send(stand, first, own)), "INT002003", "the reuse check survives");
    const { answer } = await poll(stand, "organizations-registry-common", gisGuid);
    assert.equal(answer.kind === "state" && answer.requestState, 3, "getState of a message from before the restart");
    assert.ok(stand.store.organization(registered));
    const b = exportOrgRegistry([{ ogrn: "1021602843470" }]);
    assert.equal((await send(stand, b, other.signer)).kind, "ack", "the organization registered at runtime signs with its certificate");
    const inspect = (await (await fetch(`${stand.url}/stand/admin/inspect`)).json()) as ReturnType<RunningStand["stats"]>;
    assert.equal(inspect.tables.fileStore, 1);
    assert.equal(inspect.organizations, 2);
    assert.deepEqual(inspect.duplicates, []);
  } finally {
    await stand.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("stand: admin endpoints — faults and latency set at runtime, bad JSON refused, WSDL served", async () => {
  await withStand({}, async (stand) => {
    const set = await fetch(`${stand.url}/stand/admin/faults`, { method: "POST", body: JSON.stringify({ rates: { http502: 1 }, scope: "getState", seed: 1 }) });
    assert.equal(set.status, 200);
    const q = getState("nsi-common", crypto.randomUUID());
    const r = await post(stand.url, q.path, q.soapAction, q.xml);
    assert.equal("status" in r && r.status, 502);
    const bad = await fetch(`${stand.url}/stand/admin/faults`, { method: "POST", body: JSON.stringify({ rates: { nope: 1 } }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /неизвестный вид/);
    const lat = await fetch(`${stand.url}/stand/admin/latency`, { method: "POST", body: '{"receivedMs":5}' });
    assert.deepEqual(await lat.json(), { receivedMs: 5, processingMs: 0 });
    const wsdl = await fetch(`${stand.url}/ext-bus-nsi-common-service/services/NsiCommonAsync?wsdl`);
    assert.equal(wsdl.status, 200);
    assert.match(await wsdl.text(), /wsdl:definitions/);
  });
});

test("stand: placed fragments are kept packed — the same elements come back, TransportGUIDs dropped; a data file of trees still reads", () => {
  const doc = parseUntrusted(
    `<hm:Account xmlns:hm="${NS.hm}" xmlns:base="${NS.base}"><hm:AccountNumber>ЛС-001 &amp; «дом»</hm:AccountNumber>` +
      `<hm:PayerInfo><hm:Ind><base:TransportGUID>${crypto.randomUUID()}</base:TransportGUID><hm:Surname>Иванов</hm:Surname></hm:Ind></hm:PayerInfo><hm:Empty/></hm:Account>`,
  );
  const packed = pack(children(doc.documentElement), new Set(["TransportGUID"]));
  assert.equal(typeof packed, "string");
  const back = unpack(packed);
  assert.deepEqual(
    back.map((n) => serialize(n)),
    [
      `<hm:AccountNumber xmlns:hm="${NS.hm}">ЛС-001 &amp; «дом»</hm:AccountNumber>`,
      `<hm:PayerInfo xmlns:hm="${NS.hm}"><hm:Ind><hm:Surname>Иванов</hm:Surname></hm:Ind></hm:PayerInfo>`,
      `<hm:Empty xmlns:hm="${NS.hm}"></hm:Empty>`,
    ],
  );
  assert.equal(pack(back), packed, "built nodes pack the same way");
  assert.deepEqual(unpack(""), []);
  const tree = { name: "hm:AccountNumber", attrs: [], kids: ["1"] };
  assert.deepEqual(unpack([tree] as never), [tree], "a list of trees from an older data file");
  assert.deepEqual(unpack(tree as never), [tree], "one tree (a reading's value) from an older data file");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { GisResponse, parseResponse, gisDate } from "../src/transport/results/results";
import { DEFAULT_MAX_RESPONSE_BYTES, ResponseError } from "../src/transport/results/safe-xml";
import { assertValidInAllPackages, officialSkip } from "./support/xsd";

import { REFERENCE } from "./support/gost-tools";

const env = (body: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" ` +
  `xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" xmlns:dm="http://dom.gosuslugi.ru/schema/integration/device-metering/" ` +
  `xmlns:nsi="http://dom.gosuslugi.ru/schema/integration/nsi-common/" xmlns:ac="http://dom.gosuslugi.ru/schema/integration/account-base/">` +
  `<soap:Header><base:ResultHeader><base:Date>2026-11-23T10:00:00+03:00</base:Date><base:MessageGUID>11111111-1111-4111-8111-111111111111</base:MessageGUID></base:ResultHeader></soap:Header>` +
  `<soap:Body>${body}</soap:Body></soap:Envelope>`;
import { G } from "./support/guids";
const state = (inner: string, s = 3) =>
  env(
    `<hm:getStateResult Id="signed-data-container" base:version="11.0.0.1"><base:RequestState>${s}</base:RequestState><base:MessageGUID>${G(99)}</base:MessageGUID>${inner}</hm:getStateResult>`,
  );

test("results: Ack gives GIS's MessageGUID; a SOAP fault gives base:Fault's code and text", () => {
  const ack = parseResponse(
    env(
      `<base:AckRequest><base:Ack><base:MessageGUID>${G(1).toUpperCase()}</base:MessageGUID><base:RequesterMessageGUID>${G(2)}</base:RequesterMessageGUID></base:Ack></base:AckRequest>`,
    ),
  );
  assert.deepEqual(ack, { kind: "ack", messageGuid: G(1), requesterMessageGuid: G(2) });
  const fault = parseResponse(
    env(
      `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Ошибка доступа</faultstring><detail><base:Fault><base:ErrorCode>AUT011003</base:ErrorCode><base:ErrorMessage>Нет прав</base:ErrorMessage></base:Fault></detail></soap:Fault>`,
    ),
  );
  assert.deepEqual(fault, { kind: "fault", faultCode: "soap:Server", faultString: "Ошибка доступа", errorCode: "AUT011003", errorMessage: "Нет прав" });
});

test("results: house-management ImportResult wrapper — per-item results by TransportGUID, ЕЛС/ИЖКУ, item errors", () => {
  const r = parseResponse(
    state(
      `<hm:ImportResult base:version="10.0.1.1">` +
        `<hm:CommonResult><base:GUID>${G(10)}</base:GUID><base:TransportGUID>${G(3)}</base:TransportGUID><base:UniqueNumber>1234</base:UniqueNumber><base:UpdateDate>2026-11-23T10:00:00</base:UpdateDate>` +
        `<hm:ImportAccount><ac:UnifiedAccountNumber>12АБ345678</ac:UnifiedAccountNumber><ac:ServiceID>12АБ345678-01</ac:ServiceID></hm:ImportAccount></hm:CommonResult>` +
        `<hm:CommonResult><base:TransportGUID>${G(4)}</base:TransportGUID><base:Error><base:ErrorCode>SRV007013</base:ErrorCode><base:Description>Истек период сдачи показаний &amp; т.п.</base:Description></base:Error></hm:CommonResult>` +
        `</hm:ImportResult>`,
    ),
  );
  assert.equal(r.kind, "state");
  if (r.kind !== "state") return;
  assert.equal(r.requestState, 3);
  assert.equal(r.error, null);
  assert.deepEqual(
    r.items.map((i) => [i.transportGuid, i.guid, i.uniqueNumber, i.errors.map((e) => e.code)]),
    [
      [G(3), G(10), "1234", []],
      [G(4), null, null, ["SRV007013"]],
    ],
  );
  assert.deepEqual(r.items[0].values, { UnifiedAccountNumber: "12АБ345678", ServiceID: "12АБ345678-01" });
  assert.equal(r.items[1].errors[0].description, "Истек период сдачи показаний & т.п.");
});

test("results: whole-message ErrorMessage, CommonResultType ImportResult (dm), processing state, special dates", () => {
  const e = parseResponse(
    state(`<base:ErrorMessage><base:ErrorCode>INT002012</base:ErrorCode><base:Description>Нет объектов для экспорта</base:Description></base:ErrorMessage>`),
  );
  assert.deepEqual(e.kind === "state" && e.error, { code: "INT002012", description: "Нет объектов для экспорта" });
  const dm = parseResponse(
    state(`<dm:ImportResult><base:TransportGUID>${G(5)}</base:TransportGUID><base:UpdateDate>1900-01-01T00:00:00</base:UpdateDate></dm:ImportResult>`),
  );
  assert.equal(dm.kind === "state" && dm.items[0].transportGuid, G(5));
  assert.equal(dm.kind === "state" && dm.items[0].updateDate, null, "1900-01-01 means no value");
  assert.equal(gisDate("5000-01-01"), null);
  assert.equal(gisDate("2026-01-31"), "2026-01-31");
  const p = parseResponse(state("", 2));
  assert.equal(p.kind === "state" && p.requestState, 2);
});

test("results: paged exports — IsLastPage, paging GUIDs, NSI pages", () => {
  const more = parseResponse(
    state(
      `<hm:exportSupplyResourceContractResult><hm:Contract/><hm:ExportContractRootGUID>${G(7)}</hm:ExportContractRootGUID></hm:exportSupplyResourceContractResult>`,
    ),
  );
  assert.ok(more.kind === "state");
  if (more.kind !== "state") return;
  assert.equal(more.lastPage, false);
  assert.deepEqual(more.nextPage, { element: "ExportContractRootGUID", guid: G(7) });
  const last = parseResponse(
    state(`<hm:exportSupplyResourceContractResult><hm:Contract/><hm:IsLastPage>true</hm:IsLastPage></hm:exportSupplyResourceContractResult>`),
  );
  assert.equal(last.kind === "state" && last.lastPage, true);
  const nsi = parseResponse(
    state(
      `<nsi:NsiPagingItem><nsi:TotalItemsCount>2500</nsi:TotalItemsCount><nsi:TotalPages>3</nsi:TotalPages><nsi:CurrentPage>2</nsi:CurrentPage></nsi:NsiPagingItem>`,
    ),
  );
  assert.equal(nsi.kind === "state" && nsi.lastPage, false);
});

test("results: untrusted input — XXE/DTD, oversized, malformed and wrong shapes are refused with a clear error", () => {
  const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + state("<x>&e;</x>");
  assert.throws(() => parseResponse(xxe), /DTD.*XXE/);
  assert.throws(() => parseResponse(state("x".repeat(2000)), 1000), /слишком велик/);
  assert.throws(() => parseResponse("<soap:Envelope><unclosed>"), /некорректный XML/);
  assert.throws(() => parseResponse(""), /пустой ответ/);
  assert.throws(() => parseResponse("<html><body>502 Bad Gateway</body></html>"), /ожидался SOAP Envelope, получен html/);
  assert.throws(() => parseResponse(state("", 7)), /RequestState «7»/);
  assert.throws(
    () => parseResponse(state(`<dm:ImportResult><base:TransportGUID>not-a-guid</base:TransportGUID></dm:ImportResult>`)),
    /TransportGUID — не GUID/,
  );
});

test("results: the real GIS-signed response parses", { skip: !fs.existsSync(REFERENCE) && "reference samples not found" }, () => {
  const r = parseResponse(fs.readFileSync(path.join(REFERENCE, "samples/gis-resp-2016.xml"), "utf8"));
  assert.equal(r.kind, "state");
  assert.equal(r.kind === "state" && r.requestState, 2);
  assert.equal(r.kind === "state" && r.messageGuid, "2c03ae2a-8f24-46ad-851d-f5561083cc7a");
});

// ---- every service's getStateResult, checked against the official XSD where the sample is complete ----
const NS = {
  base: "http://dom.gosuslugi.ru/schema/integration/base/",
  hm: "http://dom.gosuslugi.ru/schema/integration/house-management/",
  dm: "http://dom.gosuslugi.ru/schema/integration/device-metering/",
  bills: "http://dom.gosuslugi.ru/schema/integration/bills/",
  pay: "http://dom.gosuslugi.ru/schema/integration/payment/",
  nsi: "http://dom.gosuslugi.ru/schema/integration/nsi/",
  nsic: "http://dom.gosuslugi.ru/schema/integration/nsi-common/",
  orc: "http://dom.gosuslugi.ru/schema/integration/organizations-registry-common/",
};
const gsr = (prefix: keyof typeof NS, version: string, inner: string, s = 3) =>
  `<${prefix}:getStateResult xmlns:${prefix}="${NS[prefix]}" xmlns:base="${NS.base}" Id="signed-data-container" base:version="${version}">` +
  `<base:RequestState>${s}</base:RequestState><base:MessageGUID>${G(99)}</base:MessageGUID>${inner}</${prefix}:getStateResult>`;
const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
  `<h:ResultHeader xmlns:h="${NS.base}"><h:Date>2026-11-23T10:00:00+03:00</h:Date><h:MessageGUID>${G(98)}</h:MessageGUID></h:ResultHeader></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
const commonOk = (t: number, g: number) =>
  `<base:GUID>${G(g)}</base:GUID><base:TransportGUID>${G(t)}</base:TransportGUID><base:UniqueNumber>U-${t}</base:UniqueNumber><base:UpdateDate>2026-11-23T10:00:00</base:UpdateDate>`;
const commonErr = (t: number, code: string, text: string, trace?: string) =>
  `<base:TransportGUID>${G(t)}</base:TransportGUID><base:Error><base:ErrorCode>${code}</base:ErrorCode><base:Description>${text}</base:Description>${trace ? `<base:StackTrace>${trace}</base:StackTrace>` : ""}</base:Error>`;

const SAMPLES: Array<{ name: string; folder: string; body: string; check(r: GisResponse): void }> = [
  {
    name: "house-management ImportResult wrapper (accounts: ЕЛС/ИЖКУ, item error)",
    folder: "house-management",
    body: gsr(
      "hm",
      "11.0.0.1",
      `<hm:ImportResult base:version="10.0.1.1"><hm:CommonResult>${commonOk(3, 10)}<hm:ImportAccount>` +
        `<ab:UnifiedAccountNumber xmlns:ab="http://dom.gosuslugi.ru/schema/integration/account-base/">12АБ345678</ab:UnifiedAccountNumber>` +
        `<ab:ServiceID xmlns:ab="http://dom.gosuslugi.ru/schema/integration/account-base/">12АБ345678-01</ab:ServiceID></hm:ImportAccount></hm:CommonResult>` +
        `<hm:CommonResult>${commonErr(4, "INT004153", "Для текущей роли запрещено редактировать значение площади (TotalArea)", "at ru.lanit...")}</hm:CommonResult></hm:ImportResult>`,
    ),
    check(r) {
      assert.ok(r.kind === "state");
      if (r.kind !== "state") return;
      assert.equal(r.resultKind, "ImportResult");
      assert.deepEqual(
        r.items.map((i) => i.transportGuid),
        [G(3), G(4)],
      );
      assert.deepEqual(r.items[0].values, { UnifiedAccountNumber: "12АБ345678", ServiceID: "12АБ345678-01" });
      assert.deepEqual(r.items[1].errors, [
        { code: "INT004153", description: "Для текущей роли запрещено редактировать значение площади (TotalArea)", stackTrace: "at ru.lanit..." },
      ]);
    },
  },
  {
    name: "house-management ImportResult with a whole-batch ErrorMessage",
    folder: "house-management",
    body: gsr(
      "hm",
      "11.0.0.1",
      `<hm:ImportResult base:version="10.0.1.1"><base:ErrorMessage><base:ErrorCode>FMT001300</base:ErrorCode><base:Description>Ошибка формата</base:Description></base:ErrorMessage></hm:ImportResult>`,
    ),
    check(r) {
      assert.deepEqual(r.kind === "state" && r.error, { code: "FMT001300", description: "Ошибка формата" });
    },
  },
  {
    name: "device-metering ImportResult (readings)",
    folder: "device-metering",
    body: gsr(
      "dm",
      "10.0.1.1",
      `<dm:ImportResult>${commonOk(5, 11)}</dm:ImportResult><dm:ImportResult>${commonErr(6, "SRV007013", "Истек период сдачи текущих показаний &amp; т.п.")}</dm:ImportResult>`,
    ),
    check(r) {
      assert.ok(r.kind === "state" && r.items.length === 2);
      if (r.kind !== "state") return;
      assert.equal(r.items[0].guid, G(11));
      assert.equal(r.items[0].updateDate, "2026-11-23T10:00:00");
      assert.equal(r.items[1].errors[0].description, "Истек период сдачи текущих показаний & т.п.");
    },
  },
  {
    name: "bills ImportResult (payment documents)",
    folder: "bills",
    body: gsr("bills", "10.0.1.1", `<bills:ImportResult>${commonOk(7, 12)}</bills:ImportResult>`),
    check(r) {
      assert.equal(r.kind === "state" && r.items[0].uniqueNumber, "U-7");
    },
  },
  {
    name: "payment ImportResult (notifications)",
    folder: "payment",
    body: gsr("pay", "10.0.1.1", `<pay:ImportResult>${commonErr(8, "SRV008070", "Платежный документ отозван")}</pay:ImportResult>`),
    check(r) {
      assert.deepEqual(r.kind === "state" && r.items[0].errors.map((e) => e.code), ["SRV008070"]);
    },
  },
  {
    name: "nsi ImportResult (additional services)",
    folder: "nsi",
    body: gsr("nsi", "10.0.1.2", `<nsi:ImportResult>${commonOk(9, 13)}</nsi:ImportResult>`),
    check(r) {
      assert.equal(r.kind === "state" && r.items[0].guid, G(13));
    },
  },
  {
    name: "nsi-common NsiPagingItem — page 2 of 3",
    folder: "nsi-common",
    body: gsr(
      "nsic",
      "10.0.1.2",
      `<nsic:NsiPagingItem><nb:NsiItemRegistryNumber xmlns:nb="http://dom.gosuslugi.ru/schema/integration/nsi-base/">58</nb:NsiItemRegistryNumber>` +
        `<nb:Created xmlns:nb="http://dom.gosuslugi.ru/schema/integration/nsi-base/">2026-01-01T00:00:00</nb:Created>` +
        `<nsic:TotalItemsCount>2500</nsic:TotalItemsCount><nsic:TotalPages>3</nsic:TotalPages><nsic:CurrentPage>2</nsic:CurrentPage></nsic:NsiPagingItem>`,
    ),
    check(r) {
      assert.ok(r.kind === "state");
      if (r.kind !== "state") return;
      assert.deepEqual(r.nsiPage, { totalItems: 2500, totalPages: 3, currentPage: 2 });
      assert.equal(r.lastPage, false);
      assert.equal(r.resultKind, "NsiPagingItem");
    },
  },
  {
    name: "organizations-registry-common exportOrgRegistryResult + IsNextPage",
    folder: "organizations-registry-common",
    body: gsr(
      "orc",
      "10.0.2.1",
      `<orc:exportOrgRegistryResult><orb:orgRootEntityGUID xmlns:orb="http://dom.gosuslugi.ru/schema/integration/organizations-registry-base/">${G(14)}</orb:orgRootEntityGUID>` +
        `<orc:OrgVersion><orb:orgVersionGUID xmlns:orb="http://dom.gosuslugi.ru/schema/integration/organizations-registry-base/">${G(15)}</orb:orgVersionGUID>` +
        `<orc:lastEditingDate>2026-01-01T00:00:00</orc:lastEditingDate><orc:IsActual>true</orc:IsActual>` +
        `<orc:Legal><ob:ShortName xmlns:ob="http://dom.gosuslugi.ru/schema/integration/organizations-base/">ООО «УК Дом»</ob:ShortName></orc:Legal></orc:OrgVersion>` +
        `<base:orgPPAGUID>${G(16)}</base:orgPPAGUID></orc:exportOrgRegistryResult><orc:IsNextPage>true</orc:IsNextPage>`,
    ),
    check(r) {
      assert.ok(r.kind === "state");
      if (r.kind !== "state") return;
      assert.equal(r.resultKind, "exportOrgRegistryResult");
      assert.equal(r.lastPage, false, "IsNextPage=true: more pages follow");
    },
  },
  {
    name: "device-metering history export with a paging GUID",
    folder: "device-metering",
    body: gsr(
      "dm",
      "10.0.1.1",
      `<dm:exportMeteringDeviceHistoryResult><dm:FIASHouseGuid>${G(17)}</dm:FIASHouseGuid><dm:MeteringDeviceRootGUID>${G(18)}</dm:MeteringDeviceRootGUID></dm:exportMeteringDeviceHistoryResult>` +
        `<dm:PagedOutput><dm:ExportMeteringDeviceRootGUID>${G(19)}</dm:ExportMeteringDeviceRootGUID></dm:PagedOutput>`,
    ),
    check(r) {
      assert.ok(r.kind === "state");
      if (r.kind !== "state") return;
      assert.deepEqual(r.nextPage, { element: "ExportMeteringDeviceRootGUID", guid: G(19) });
      assert.equal(r.lastPage, false);
    },
  },
  {
    name: "still processing (RequestState 2), no result",
    folder: "house-management",
    body: gsr("hm", "11.0.0.1", "", 2),
    check(r) {
      assert.ok(r.kind === "state" && r.requestState === 2 && r.items.length === 0 && r.resultKind === null && r.error === null);
    },
  },
];

for (const s of SAMPLES) {
  test(`results: ${s.name}`, () => s.check(parseResponse(envelope(s.body))));
}

test("results: the hand-written samples follow both official packages", { skip: officialSkip() }, () => {
  const valid = new Set([
    "house-management ImportResult wrapper (accounts: ЕЛС/ИЖКУ, item error)",
    "house-management ImportResult with a whole-batch ErrorMessage",
    "device-metering ImportResult (readings)",
    "bills ImportResult (payment documents)",
    "payment ImportResult (notifications)",
    "nsi ImportResult (additional services)",
    "still processing (RequestState 2), no result",
  ]);
  for (const s of SAMPLES.filter((x) => valid.has(x.name))) {
    assertValidInAllPackages(envelope(s.body), s.name);
  }
});

test("results: SOAP fault without base:Fault detail; the default size limit is 50 MB and configurable", () => {
  const f = parseResponse(envelope(`<soap:Fault><faultcode>soap:Client</faultcode><faultstring>Bad request</faultstring></soap:Fault>`));
  assert.deepEqual(f, { kind: "fault", faultCode: "soap:Client", faultString: "Bad request", errorCode: null, errorMessage: null });
  assert.equal(DEFAULT_MAX_RESPONSE_BYTES, 50 * 1024 * 1024);
  const big = envelope(gsr("hm", "11.0.0.1", "", 2)).replace("<soap:Body>", `<soap:Body>${"<!-- pad -->".repeat(100)}`);
  assert.throws(
    () => parseResponse(big, { maxBytes: 500 }),
    (e: Error) => e instanceof ResponseError && /слишком велик/.test(e.message),
  );
  assert.equal(parseResponse(big).kind, "state");
});

test("results: entity tricks without a DOCTYPE and billion laughs are refused before parsing", () => {
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
  assert.throws(() => parseResponse(laughs), /DTD/);
  assert.throws(() => parseResponse(`<!doctype html><html></html>`), /DTD/, "case-insensitive");
  assert.throws(() => parseResponse(envelope("<x>&undefined;</x>")), ResponseError, "undeclared entity → malformed");
  assert.throws(() => parseResponse(envelope(gsr("hm", "11.0.0.1", "")).slice(0, -20)), /некорректный XML/, "truncated answer");
});

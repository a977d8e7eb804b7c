import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parseResponse, gisDate } from "../src/transport/results/results";
import { REFERENCE } from "./support/gost-tools";

const env = (body: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" ` +
  `xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" xmlns:dm="http://dom.gosuslugi.ru/schema/integration/device-metering/" ` +
  `xmlns:nsi="http://dom.gosuslugi.ru/schema/integration/nsi-common/" xmlns:ac="http://dom.gosuslugi.ru/schema/integration/account-base/">` +
  `<soap:Header><base:ResultHeader><base:Date>2026-11-23T10:00:00+03:00</base:Date><base:MessageGUID>11111111-1111-4111-8111-111111111111</base:MessageGUID></base:ResultHeader></soap:Header>` +
  `<soap:Body>${body}</soap:Body></soap:Envelope>`;
const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const state = (inner: string, s = 3) => env(`<hm:getStateResult Id="signed-data-container" base:version="11.0.0.1"><base:RequestState>${s}</base:RequestState><base:MessageGUID>${G(99)}</base:MessageGUID>${inner}</hm:getStateResult>`);

test("results: Ack gives GIS's MessageGUID; a SOAP fault gives base:Fault's code and text", () => {
  const ack = parseResponse(env(`<base:AckRequest><base:Ack><base:MessageGUID>${G(1).toUpperCase()}</base:MessageGUID><base:RequesterMessageGUID>${G(2)}</base:RequesterMessageGUID></base:Ack></base:AckRequest>`));
  assert.deepEqual(ack, { kind: "ack", messageGuid: G(1), requesterMessageGuid: G(2) });
  const fault = parseResponse(env(`<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Ошибка доступа</faultstring><detail><base:Fault><base:ErrorCode>AUT011003</base:ErrorCode><base:ErrorMessage>Нет прав</base:ErrorMessage></base:Fault></detail></soap:Fault>`));
  assert.deepEqual(fault, { kind: "fault", faultCode: "soap:Server", faultString: "Ошибка доступа", errorCode: "AUT011003", errorMessage: "Нет прав" });
});

test("results: house-management ImportResult wrapper — per-item results by TransportGUID, ЕЛС/ИЖКУ, item errors", () => {
  const r = parseResponse(state(`<hm:ImportResult base:version="10.0.1.1">` +
    `<hm:CommonResult><base:GUID>${G(10)}</base:GUID><base:TransportGUID>${G(3)}</base:TransportGUID><base:UniqueNumber>1234</base:UniqueNumber><base:UpdateDate>2026-11-23T10:00:00</base:UpdateDate>` +
    `<hm:ImportAccount><ac:UnifiedAccountNumber>12АБ345678</ac:UnifiedAccountNumber><ac:ServiceID>12АБ345678-01</ac:ServiceID></hm:ImportAccount></hm:CommonResult>` +
    `<hm:CommonResult><base:TransportGUID>${G(4)}</base:TransportGUID><base:Error><base:ErrorCode>SRV007013</base:ErrorCode><base:Description>Истек период сдачи показаний &amp; т.п.</base:Description></base:Error></hm:CommonResult>` +
    `</hm:ImportResult>`));
  assert.equal(r.kind, "state");
  if (r.kind !== "state") return;
  assert.equal(r.requestState, 3);
  assert.equal(r.error, null);
  assert.deepEqual(r.items.map((i) => [i.transportGuid, i.guid, i.uniqueNumber, i.errors.map((e) => e.code)]), [[G(3), G(10), "1234", []], [G(4), null, null, ["SRV007013"]]]);
  assert.deepEqual(r.items[0].values, { UnifiedAccountNumber: "12АБ345678", ServiceID: "12АБ345678-01" });
  assert.equal(r.items[1].errors[0].description, "Истек период сдачи показаний & т.п.");
});

test("results: whole-message ErrorMessage, CommonResultType ImportResult (dm), processing state, special dates", () => {
  const e = parseResponse(state(`<base:ErrorMessage><base:ErrorCode>INT002012</base:ErrorCode><base:Description>Нет объектов для экспорта</base:Description></base:ErrorMessage>`));
  assert.deepEqual(e.kind === "state" && e.error, { code: "INT002012", description: "Нет объектов для экспорта" });
  const dm = parseResponse(state(`<dm:ImportResult><base:TransportGUID>${G(5)}</base:TransportGUID><base:UpdateDate>1900-01-01T00:00:00</base:UpdateDate></dm:ImportResult>`));
  assert.equal(dm.kind === "state" && dm.items[0].transportGuid, G(5));
  assert.equal(dm.kind === "state" && dm.items[0].updateDate, null, "1900-01-01 means no value");
  assert.equal(gisDate("5000-01-01"), null);
  assert.equal(gisDate("2026-01-31"), "2026-01-31");
  const p = parseResponse(state("", 2));
  assert.equal(p.kind === "state" && p.requestState, 2);
});

test("results: paged exports — IsLastPage, paging GUIDs, NSI pages", () => {
  const more = parseResponse(state(`<hm:exportSupplyResourceContractResult><hm:Contract/><hm:ExportContractRootGUID>${G(7)}</hm:ExportContractRootGUID></hm:exportSupplyResourceContractResult>`));
  assert.ok(more.kind === "state");
  if (more.kind !== "state") return;
  assert.equal(more.lastPage, false);
  assert.deepEqual(more.nextPage, { element: "ExportContractRootGUID", guid: G(7) });
  const last = parseResponse(state(`<hm:exportSupplyResourceContractResult><hm:Contract/><hm:IsLastPage>true</hm:IsLastPage></hm:exportSupplyResourceContractResult>`));
  assert.equal(last.kind === "state" && last.lastPage, true);
  const nsi = parseResponse(state(`<nsi:NsiPagingItem><nsi:TotalItemsCount>2500</nsi:TotalItemsCount><nsi:TotalPages>3</nsi:TotalPages><nsi:CurrentPage>2</nsi:CurrentPage></nsi:NsiPagingItem>`));
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
  assert.throws(() => parseResponse(state(`<dm:ImportResult><base:TransportGUID>not-a-guid</base:TransportGUID></dm:ImportResult>`)), /TransportGUID — не GUID/);
});

test("results: the real GIS-signed response parses", { skip: !fs.existsSync(REFERENCE) && "reference samples not found" }, () => {
  const r = parseResponse(fs.readFileSync(path.join(REFERENCE, "samples/gis-resp-2016.xml"), "utf8"));
  assert.equal(r.kind, "state");
  assert.equal(r.kind === "state" && r.requestState, 2);
  assert.equal(r.kind === "state" && r.messageGuid, "2c03ae2a-8f24-46ad-851d-f5561083cc7a");
});

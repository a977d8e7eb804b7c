/**
 * Answers of both format packages read by the same code. What 16.3.0.0 adds to getStateResult
 * (compared with 14.4.0.1): house-management — exportAccountResult without Accommodation, HouseGUID
 * in exportHouseResult, PremiseInfo/LivingRoomInfo in meters (version 14.8.0.1), new CommonResult
 * payloads (AbsenceDeviceImportResult, importVotingInformation) and result kinds
 * (exportODSPMeteringDeviceDataResult, exportAbsenceDeviceInfoResultType); payment —
 * exportForPaymentAggregatorResult, whose requisites may carry their own base:ErrorMessage. The
 * getStateResult base:version stays 11.0.0.1 (house-management) and 10.0.1.1 (payment).
 * Each sample is checked against the official package it belongs to, and shown not to fit the other.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseResponse } from "../src/transport/results/results";
import { assertValidIn, complaintsIn, officialSkip } from "./support/xsd";

const skip = officialSkip();
import { G } from "./support/guids";
const I = "http://dom.gosuslugi.ru/schema/integration";
const NS =
  `xmlns:hm="${I}/house-management/" xmlns:pay="${I}/payment/" xmlns:base="${I}/base/" xmlns:nsi-base="${I}/nsi-base/" xmlns:account-base="${I}/account-base/" ` +
  `xmlns:bills-base="${I}/bills-base/" xmlns:payments-base="${I}/payments-base/" xmlns:ind-base="${I}/individual-registry-base/" xmlns:org-base="${I}/organizations-base/" xmlns:mdb="${I}/metering-device-base/"`;
const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const gsr = (prefix: "hm" | "pay", inner: string) =>
  envelope(
    `<${prefix}:getStateResult ${NS} Id="signed-data-container" base:version="${prefix === "hm" ? "11.0.0.1" : "10.0.1.1"}"><base:RequestState>3</base:RequestState>` +
      `<base:MessageGUID>${G(99)}</base:MessageGUID>${inner}</${prefix}:getStateResult>`,
  );
const state = (xml: string) => {
  const r = parseResponse(xml);
  assert.equal(r.kind, "state");
  return r as Extract<typeof r, { kind: "state" }>;
};

/** An account placed without premises (16.3.0.0: Accommodation optional), and one with. */
const ACCOUNTS = gsr(
  "hm",
  `<hm:exportAccountResult><hm:isUOAccount>true</hm:isUOAccount><hm:PayerInfo></hm:PayerInfo><hm:AccountGUID>${G(19)}</hm:AccountGUID>` +
    `<account-base:UnifiedAccountNumber>12АБ345679</account-base:UnifiedAccountNumber></hm:exportAccountResult>`,
);
/** A house with its registry GUID (16.3.0.0: exportHouseResultType/HouseGUID). */
const HOUSE = gsr(
  "hm",
  `<hm:exportHouseResult><hm:HouseUniqueNumber>1600000123</hm:HouseUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate>` +
    `<hm:HouseGUID>${G(12)}</hm:HouseGUID><hm:ApartmentHouse><hm:BasicCharacteristicts><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid></hm:BasicCharacteristicts></hm:ApartmentHouse></hm:exportHouseResult>`,
);
/** A meter exported with version 14.8.0.1: premises as PremiseInfo (GUID and number), not a bare PremiseGUID. */
const METER = gsr(
  "hm",
  `<hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>ХВ-123456</hm:MeteringDeviceNumber>` +
    `<hm:RemoteMeteringMode>false</hm:RemoteMeteringMode><hm:TemperatureSensor>false</hm:TemperatureSensor><hm:PressureSensor>false</hm:PressureSensor>` +
    `<hm:ResidentialPremiseDevice><hm:AccountGUID>${G(18)}</hm:AccountGUID><hm:PremiseInfo><hm:PremiseGUID>${G(2001)}</hm:PremiseGUID><hm:PremiseNo>12</hm:PremiseNo></hm:PremiseInfo></hm:ResidentialPremiseDevice>` +
    `</hm:BasicChatacteristicts><hm:NotLinkedWithMetering>true</hm:NotLinkedWithMetering><hm:MunicipalResourceNotEnergy><mdb:MunicipalResource><nsi-base:Code>1</nsi-base:Code>` +
    `<nsi-base:GUID>${G(910)}</nsi-base:GUID></mdb:MunicipalResource><mdb:MeteringValue>12.5</mdb:MeteringValue></hm:MunicipalResourceNotEnergy>` +
    `<hm:MeteringDeviceRootGUID>${G(30)}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>Active</hm:StatusRootDoc><hm:MeteringDeviceVersionGUID>${G(32)}</hm:MeteringDeviceVersionGUID>` +
    `<hm:VersionNumber>1</hm:VersionNumber><hm:StatusVersion>Actual</hm:StatusVersion><hm:UpdateDateTime>2026-11-20T10:00:00</hm:UpdateDateTime><hm:MeteringDeviceGISGKHNumber>100500</hm:MeteringDeviceGISGKHNumber></hm:exportMeteringDeviceDataResult>`,
);
/** A CommonResult of a 16.x-only import (absence of a meter installation possibility). */
const ABSENCE = gsr(
  "hm",
  `<hm:ImportResult base:version="10.0.1.1"><hm:CommonResult><base:GUID>${G(40)}</base:GUID><base:TransportGUID>${G(41)}</base:TransportGUID>` +
    `<base:UpdateDate>2026-11-20T10:00:00</base:UpdateDate><hm:AbsenceDeviceImportResult><hm:AbsenceDeviceInfoGUID>${G(42)}</hm:AbsenceDeviceInfoGUID>` +
    `<hm:AbsenceDeviceInfoVersionGUID>${G(43)}</hm:AbsenceDeviceInfoVersionGUID></hm:AbsenceDeviceImportResult></hm:CommonResult></hm:ImportResult>`,
);
/** payment's new export for payment aggregators: one document; one requisite refused with its own ErrorMessage. */
const AGGREGATOR = gsr(
  "pay",
  `<pay:exportForPaymentAggregatorResult><pay:Charge><pay:PaymentDocumentForAggregator>` +
    `<bills-base:PaymentDocumentID>12АБ345678-01-6111</bills-base:PaymentDocumentID><pay:PaymentDocumentForAggregatorDetails>` +
    `<pay:ExecutorInformation><org-base:INN>1655000000</org-base:INN><pay:Legal><org-base:KPP>165501001</org-base:KPP><pay:Name>АО «ККС»</pay:Name></pay:Legal>` +
    `<pay:PaymentInformationForAggregator><payments-base:BankBIK>044525225</payments-base:BankBIK><pay:PaymentInformationGuid>${G(50)}</pay:PaymentInformationGuid>` +
    `<base:ErrorMessage><base:ErrorCode>INT002000</base:ErrorCode><base:Description>Реквизиты не найдены</base:Description></base:ErrorMessage></pay:PaymentInformationForAggregator>` +
    `<pay:MailingAddress>г. Казань, ул. Баумана, 1</pay:MailingAddress></pay:ExecutorInformation><pay:Reminder>211586</pay:Reminder></pay:PaymentDocumentForAggregatorDetails>` +
    `<base:Year>2026</base:Year><base:Month>11</base:Month></pay:PaymentDocumentForAggregator></pay:Charge></pay:exportForPaymentAggregatorResult>`,
);

test("formats: 16.3.0.0-only answers follow 16.3.0.0 and not 14.4.0.1", { skip }, () => {
  for (const [name, xml, why] of [
    ["account without Accommodation", ACCOUNTS, /Accommodation/],
    ["house with HouseGUID", HOUSE, /HouseGUID/],
    ["meter with PremiseInfo", METER, /PremiseInfo|PremiseGUID/],
    ["AbsenceDeviceImportResult", ABSENCE, /AbsenceDeviceImportResult/],
    ["exportForPaymentAggregatorResult", AGGREGATOR, /exportForPaymentAggregatorResult/],
  ] as const) {
    assertValidIn(xml, ["16.3.0.0"], name);
    assert.match(complaintsIn(xml, "14.4.0.1").join("\n"), why, `${name}: a 14.4.0.1 answer cannot have it`);
  }
});

test("formats: the same reader takes 16.3.0.0 answers — result kinds, per-item values, no false whole-message error", () => {
  assert.equal(state(ACCOUNTS).resultKind, "exportAccountResult");
  assert.equal(state(HOUSE).resultKind, "exportHouseResult");
  const m = state(METER);
  assert.equal(m.resultKind, "exportMeteringDeviceDataResult");
  assert.equal(m.error, null);
  const a = state(ABSENCE);
  assert.equal(a.items.length, 1);
  assert.deepEqual(a.items[0], {
    transportGuid: G(41),
    guid: G(40),
    uniqueNumber: null,
    updateDate: "2026-11-20T10:00:00",
    errors: [],
    values: { AbsenceDeviceInfoGUID: G(42), AbsenceDeviceInfoVersionGUID: G(43) },
  });
  const p = state(AGGREGATOR);
  assert.equal(p.resultKind, "exportForPaymentAggregatorResult");
  assert.equal(p.error, null, "a requisite's own ErrorMessage is not the whole message's");
  assert.equal(p.items.length, 0);
  assert.equal(p.lastPage, null);
});

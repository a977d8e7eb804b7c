import { test } from "node:test";
import assert from "node:assert/strict";
import { parseResponse } from "../src/transport/results/results";
import { exportedCACh, exportedPaymentDocuments, exportedSupplyResourceContracts } from "../src/transport/results/exports";
import { assertValidInAllPackages, officialSkip } from "./support/xsd";

const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const I = "http://dom.gosuslugi.ru/schema/integration";
const NS = `xmlns:hm="${I}/house-management/" xmlns:bills="${I}/bills/" xmlns:base="${I}/base/" xmlns:nsi-base="${I}/nsi-base/" xmlns:account-base="${I}/account-base/" ` +
  `xmlns:bills-base="${I}/bills-base/" xmlns:payments-base="${I}/payments-base/" xmlns:ind-base="${I}/individual-registry-base/" xmlns:mdb="${I}/metering-device-base/" ` +
  `xmlns:org-reg-base="${I}/organizations-registry-base/"`;
/** A getStateResult of `prefix`'s service around hand-written result rows (each sample validates against the official XSD, checked below). */
const gsr = (prefix: "hm" | "bills", inner: string) =>
  `<${prefix}:getStateResult ${NS} Id="signed-data-container" base:version="${prefix === "hm" ? "11.0.0.1" : "10.0.1.1"}"><base:RequestState>3</base:RequestState>` +
  `<base:MessageGUID>${G(99)}</base:MessageGUID>${inner}</${prefix}:getStateResult>`;
const envelope = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
const result = (body: string) => {
  const r = parseResponse(envelope(body));
  assert.equal(r.kind, "state");
  return (r as Extract<typeof r, { kind: "state" }>).result;
};

const CACH = `<hm:exportCAChResult><hm:Contract><hm:DocNum>ДУ-7/2026 «Центр»</hm:DocNum><hm:SigningDate>2026-01-15</hm:SigningDate><hm:EffectiveDate>2026-02-01</hm:EffectiveDate><hm:PlanDateComptetion>2031-01-31</hm:PlanDateComptetion><hm:Owners>true</hm:Owners><hm:ContractBase><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(920)}</nsi-base:GUID></hm:ContractBase><hm:ContractStatus>Approved</hm:ContractStatus><hm:ContractGUID>${G(120)}</hm:ContractGUID><hm:ContractVersionGUID>${G(121)}</hm:ContractVersionGUID><hm:ContractObject><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid><hm:StartDate>2026-02-01</hm:StartDate><hm:ContractObjectVersionGUID>${G(122)}</hm:ContractObjectVersionGUID><hm:BaseMService><hm:CurrentDoc>true</hm:CurrentDoc></hm:BaseMService><hm:HouseService><hm:ServiceType><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(921)}</nsi-base:GUID></hm:ServiceType><hm:StartDate>2026-02-01</hm:StartDate><hm:EndDate>2031-01-31</hm:EndDate><hm:BaseService><hm:CurrentDoc>true</hm:CurrentDoc></hm:BaseService></hm:HouseService><hm:StatusObject>Approved</hm:StatusObject></hm:ContractObject></hm:Contract></hm:exportCAChResult><hm:exportCAChResult><hm:Charter><hm:Date>2010-03-04</hm:Date><hm:Terminate><hm:Terminate>2026-06-30</hm:Terminate><hm:Reason>Ликвидация</hm:Reason></hm:Terminate><hm:CharterStatus>Terminated</hm:CharterStatus><hm:CharterGUID>${G(123)}</hm:CharterGUID><hm:CharterVersionGUID>${G(124)}</hm:CharterVersionGUID></hm:Charter></hm:exportCAChResult>`;
const SRC = `<hm:exportSupplyResourceContractResult><hm:Contract><hm:IsContract><hm:ContractNumber>ТС-15/2026 (отопление &amp; ГВС)</hm:ContractNumber><hm:SigningDate>2026-01-10</hm:SigningDate><hm:EffectiveDate>2026-01-10</hm:EffectiveDate></hm:IsContract><hm:ComptetionDate>2026-12-31</hm:ComptetionDate><hm:Offer>true</hm:Offer><hm:IsPlannedVolume>false</hm:IsPlannedVolume><hm:ContractSubject><hm:ServiceType><nsi-base:Code>2</nsi-base:Code><nsi-base:GUID>${G(924)}</nsi-base:GUID></hm:ServiceType><hm:MunicipalResource><nsi-base:Code>3</nsi-base:Code><nsi-base:GUID>${G(925)}</nsi-base:GUID></hm:MunicipalResource><hm:StartSupplyDate>2026-01-10</hm:StartSupplyDate><base:TransportGUID>${G(131)}</base:TransportGUID></hm:ContractSubject><hm:CountingResource>R</hm:CountingResource><hm:SpecifyingQualityIndicators>D</hm:SpecifyingQualityIndicators><hm:ContractRootGUID>${G(134)}</hm:ContractRootGUID><hm:ContractGUID>${G(135)}</hm:ContractGUID><hm:ContractState>Proceed</hm:ContractState><hm:VersionNumber>1</hm:VersionNumber><hm:VersionStatus>Posted</hm:VersionStatus></hm:Contract><hm:ExportContractRootGUID>${G(134)}</hm:ExportContractRootGUID></hm:exportSupplyResourceContractResult>`;
const PD = `<bills:exportPaymentDocResult><bills:PaymentDocument><account-base:AccountGuid>${G(18)}</account-base:AccountGuid><bills-base:PaymentDocumentNumber>11-2026-000001</bills-base:PaymentDocumentNumber><bills:Expose>true</bills:Expose><bills:TotalPayableByPD>2115.86</bills:TotalPayableByPD><base:Month>11</base:Month><base:Year>2026</base:Year><bills-base:PaymentDocumentID>12АБ345678-01-6111</bills-base:PaymentDocumentID><bills:PaymentInformation><payments-base:BankBIK>044525225</payments-base:BankBIK></bills:PaymentInformation></bills:PaymentDocument></bills:exportPaymentDocResult>`;

const SAMPLES: Array<[string, "hm" | "bills", string]> = [["contracts and charters", "hm", CACH],
  ["resource supply contracts", "hm", SRC], ["payment documents", "bills", PD]];

test("exports: the hand-written result samples follow both official packages", { skip: officialSkip() }, () => {
  for (const [name, prefix, inner] of SAMPLES) assertValidInAllPackages(envelope(gsr(prefix, inner)), name);
});

test("exports: exportPaymentDocResult → ИПД, account, period, amount, state", () => {
  const { documents, errors } = exportedPaymentDocuments(result(gsr("bills", PD)));
  assert.deepEqual(documents, [{ paymentDocumentId: "12АБ345678-01-6111", paymentDocumentNumber: "11-2026-000001", accountGuid: G(18), year: 2026, month: 11, amount: 2115.86, state: "exposed" }]);
  assert.deepEqual(errors, []);
  const withError = `<bills:exportPaymentDocResult><base:ErrorMessage><base:ErrorCode>INT002012</base:ErrorCode><base:Description>Нет объектов для экспорта</base:Description></base:ErrorMessage></bills:exportPaymentDocResult>`;
  assert.deepEqual(exportedPaymentDocuments(result(gsr("bills", withError))).errors, [{ code: "INT002012", description: "Нет объектов для экспорта" }]);
});

test("exports: exportCAChResult → contracts and charters with versions, statuses and managed objects", () => {
  const [c, ch] = exportedCACh(result(gsr("hm", CACH)));
  assert.equal(c.kind, "contract");
  assert.equal(c.guid, G(120));
  assert.equal(c.versionGuid, G(121));
  assert.equal(c.status, "Approved");
  assert.equal(c.docNum, "ДУ-7/2026 «Центр»");
  assert.deepEqual(c.objects, [{ fiasHouseGuid: G(11), versionGuid: G(122), startDate: "2026-02-01", endDate: null, status: "Approved", houseServices: [{ code: "1", guid: G(921), name: null }], addServices: [] }]);
  assert.deepEqual([ch.kind, ch.guid, ch.versionGuid, ch.status, ch.terminated, ch.signingDate], ["charter", G(123), G(124), "Terminated", "2026-06-30", "2010-03-04"]);
});

test("exports: exportSupplyResourceContractResult → root/version GUIDs, state, subjects, paging by ExportContractRootGUID", () => {
  const page = exportedSupplyResourceContracts(result(gsr("hm", SRC)));
  assert.equal(page.lastPage, false);
  assert.equal(page.nextPage, G(134));
  const [k] = page.contracts;
  assert.deepEqual([k.rootGuid, k.versionGuid, k.state, k.versionStatus, k.versionNumber, k.contractNumber, k.isContract, k.countingResource],
    [G(134), G(135), "Proceed", "Posted", 1, "ТС-15/2026 (отопление & ГВС)", true, "R"]);
  assert.deepEqual(k.subjects, [{ transportGuid: G(131), serviceType: { code: "2", guid: G(924), name: null }, municipalResource: { code: "3", guid: G(925), name: null }, startSupplyDate: "2026-01-10", endSupplyDate: null }]);
  const last = exportedSupplyResourceContracts(result(gsr("hm", SRC.replace(/<hm:ExportContractRootGUID>.*<\/hm:ExportContractRootGUID>/, "<hm:IsLastPage>true</hm:IsLastPage>"))));
  assert.deepEqual([last.lastPage, last.nextPage, last.contracts.length], [true, null, 1]);
});

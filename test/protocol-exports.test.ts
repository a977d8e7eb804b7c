import { test } from "node:test";
import assert from "node:assert/strict";
import { parseResponse } from "../src/transport/results/results";
import { exportedAccounts, exportedCACh, exportedHouse, exportedMeters, exportedPaymentDocuments, exportedSupplyResourceContracts } from "../src/transport/results/exports";
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

const ACC = `<hm:exportAccountResult><hm:isRSOAccount>true</hm:isRSOAccount><hm:CreationDate>2026-01-10T12:00:00</hm:CreationDate><hm:LivingPersonsNumber>3</hm:LivingPersonsNumber><hm:TotalSquare>54.3</hm:TotalSquare><hm:Closed><hm:CloseReason><nsi-base:Code>3</nsi-base:Code><nsi-base:GUID>${G(908)}</nsi-base:GUID></hm:CloseReason><hm:CloseDate>2026-10-31</hm:CloseDate><hm:Description>Переезд &amp; продажа</hm:Description></hm:Closed><hm:Accommodation><hm:PremisesGUID>${G(2001)}</hm:PremisesGUID><hm:SharePercent>100</hm:SharePercent></hm:Accommodation><hm:PayerInfo><hm:Ind><ind-base:Surname>Гарипов</ind-base:Surname><ind-base:FirstName>Рустем</ind-base:FirstName></hm:Ind></hm:PayerInfo><hm:AccountReasons><hm:SupplyResourceContract><hm:ContractGUID>${G(134)}</hm:ContractGUID></hm:SupplyResourceContract></hm:AccountReasons><hm:AccountNumber>ЛС-000001</hm:AccountNumber><hm:AccountGUID>${G(18)}</hm:AccountGUID><account-base:UnifiedAccountNumber>12АБ345678</account-base:UnifiedAccountNumber><account-base:ServiceID>12АБ345678-01</account-base:ServiceID></hm:exportAccountResult><hm:exportAccountResult><hm:isUOAccount>true</hm:isUOAccount><hm:Accommodation><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid></hm:Accommodation><hm:PayerInfo></hm:PayerInfo><hm:AccountGUID>${G(19)}</hm:AccountGUID><account-base:UnifiedAccountNumber>12АБ345679</account-base:UnifiedAccountNumber></hm:exportAccountResult>`;
const MET = `<hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>ХВ-123456</hm:MeteringDeviceNumber><hm:MeteringDeviceStamp>Бетар</hm:MeteringDeviceStamp><hm:MeteringDeviceModel>СХВ-15</hm:MeteringDeviceModel><hm:InstallationDate>2025-05-01</hm:InstallationDate><hm:CommissioningDate>2025-05-02</hm:CommissioningDate><hm:RemoteMeteringMode>false</hm:RemoteMeteringMode><hm:FirstVerificationDate>1900-01-01</hm:FirstVerificationDate><hm:TemperatureSensor>false</hm:TemperatureSensor><hm:PressureSensor>false</hm:PressureSensor><hm:ResidentialPremiseDevice><hm:PremiseGUID>${G(2001)}</hm:PremiseGUID><hm:AccountGUID>${G(18)}</hm:AccountGUID></hm:ResidentialPremiseDevice></hm:BasicChatacteristicts><hm:NotLinkedWithMetering>true</hm:NotLinkedWithMetering><hm:MunicipalResourceNotEnergy><mdb:MunicipalResource><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(910)}</nsi-base:GUID></mdb:MunicipalResource><mdb:MeteringValue>12.5</mdb:MeteringValue></hm:MunicipalResourceNotEnergy><hm:MeteringDeviceRootGUID>${G(30)}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>Active</hm:StatusRootDoc><hm:MeteringDeviceVersionGUID>${G(32)}</hm:MeteringDeviceVersionGUID><hm:VersionNumber>2</hm:VersionNumber><hm:StatusVersion>Actual</hm:StatusVersion><hm:UpdateDateTime>2026-11-20T10:00:00</hm:UpdateDateTime><hm:MeteringDeviceGISGKHNumber>100500</hm:MeteringDeviceGISGKHNumber></hm:exportMeteringDeviceDataResult><hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>Э-777</hm:MeteringDeviceNumber><hm:RemoteMeteringMode>true</hm:RemoteMeteringMode><hm:TemperatureSensor>false</hm:TemperatureSensor><hm:PressureSensor>false</hm:PressureSensor><hm:CollectiveDevice><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid></hm:CollectiveDevice></hm:BasicChatacteristicts><hm:NotLinkedWithMetering>true</hm:NotLinkedWithMetering><hm:MunicipalResourceEnergy><mdb:MeteringValueT1>1000</mdb:MeteringValueT1><mdb:MeteringValueT2>500.25</mdb:MeteringValueT2></hm:MunicipalResourceEnergy><hm:MeteringDeviceRootGUID>${G(33)}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>Archival</hm:StatusRootDoc><hm:MeteringDeviceVersionGUID>${G(34)}</hm:MeteringDeviceVersionGUID><hm:VersionNumber>1</hm:VersionNumber><hm:StatusVersion>Archival</hm:StatusVersion><hm:UpdateDateTime>2026-11-21T10:00:00</hm:UpdateDateTime><hm:MeteringDeviceGISGKHNumber>100501</hm:MeteringDeviceGISGKHNumber></hm:exportMeteringDeviceDataResult>`;
const HOUSE = `<hm:exportHouseResult><hm:HouseUniqueNumber>1600000123</hm:HouseUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:ApartmentHouse><hm:BasicCharacteristicts><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid></hm:BasicCharacteristicts><hm:Entrance><hm:EntranceNum>1</hm:EntranceNum><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:EntranceGUID>${G(40)}</hm:EntranceGUID></hm:Entrance><hm:Entrance><hm:EntranceNum>2</hm:EntranceNum><hm:TerminationDate>2026-10-01</hm:TerminationDate><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:EntranceGUID>${G(41)}</hm:EntranceGUID></hm:Entrance><hm:ResidentialPremises><hm:PremisesNum>1</hm:PremisesNum><hm:EntranceNum>1</hm:EntranceNum><hm:TotalArea>54.3</hm:TotalArea><hm:PremisesUniqueNumber>1600000123-1</hm:PremisesUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:LivingRoom><hm:CadastralNumber>16:50:000000:1</hm:CadastralNumber><hm:RoomNumber>1а</hm:RoomNumber><hm:LivingRoomUniqueNumber>1600000123-1-1</hm:LivingRoomUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:LivingRoomGUID>${G(50)}</hm:LivingRoomGUID></hm:LivingRoom><hm:PremisesGUID>${G(2001)}</hm:PremisesGUID></hm:ResidentialPremises><hm:NonResidentialPremises><hm:PremisesNum>Н1 «магазин»</hm:PremisesNum><hm:AnnulmentReason><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(932)}</nsi-base:GUID></hm:AnnulmentReason><hm:PremisesUniqueNumber>1600000123-Н1</hm:PremisesUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:PremisesGUID>${G(2002)}</hm:PremisesGUID></hm:NonResidentialPremises></hm:ApartmentHouse></hm:exportHouseResult>`;
const CACH = `<hm:exportCAChResult><hm:Contract><hm:DocNum>ДУ-7/2026 «Центр»</hm:DocNum><hm:SigningDate>2026-01-15</hm:SigningDate><hm:EffectiveDate>2026-02-01</hm:EffectiveDate><hm:PlanDateComptetion>2031-01-31</hm:PlanDateComptetion><hm:Owners>true</hm:Owners><hm:ContractBase><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(920)}</nsi-base:GUID></hm:ContractBase><hm:ContractStatus>Approved</hm:ContractStatus><hm:ContractGUID>${G(120)}</hm:ContractGUID><hm:ContractVersionGUID>${G(121)}</hm:ContractVersionGUID><hm:ContractObject><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid><hm:StartDate>2026-02-01</hm:StartDate><hm:ContractObjectVersionGUID>${G(122)}</hm:ContractObjectVersionGUID><hm:BaseMService><hm:CurrentDoc>true</hm:CurrentDoc></hm:BaseMService><hm:HouseService><hm:ServiceType><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(921)}</nsi-base:GUID></hm:ServiceType><hm:StartDate>2026-02-01</hm:StartDate><hm:EndDate>2031-01-31</hm:EndDate><hm:BaseService><hm:CurrentDoc>true</hm:CurrentDoc></hm:BaseService></hm:HouseService><hm:StatusObject>Approved</hm:StatusObject></hm:ContractObject></hm:Contract></hm:exportCAChResult><hm:exportCAChResult><hm:Charter><hm:Date>2010-03-04</hm:Date><hm:Terminate><hm:Terminate>2026-06-30</hm:Terminate><hm:Reason>Ликвидация</hm:Reason></hm:Terminate><hm:CharterStatus>Terminated</hm:CharterStatus><hm:CharterGUID>${G(123)}</hm:CharterGUID><hm:CharterVersionGUID>${G(124)}</hm:CharterVersionGUID></hm:Charter></hm:exportCAChResult>`;
const SRC = `<hm:exportSupplyResourceContractResult><hm:Contract><hm:IsContract><hm:ContractNumber>ТС-15/2026 (отопление &amp; ГВС)</hm:ContractNumber><hm:SigningDate>2026-01-10</hm:SigningDate><hm:EffectiveDate>2026-01-10</hm:EffectiveDate></hm:IsContract><hm:ComptetionDate>2026-12-31</hm:ComptetionDate><hm:Offer>true</hm:Offer><hm:IsPlannedVolume>false</hm:IsPlannedVolume><hm:ContractSubject><hm:ServiceType><nsi-base:Code>2</nsi-base:Code><nsi-base:GUID>${G(924)}</nsi-base:GUID></hm:ServiceType><hm:MunicipalResource><nsi-base:Code>3</nsi-base:Code><nsi-base:GUID>${G(925)}</nsi-base:GUID></hm:MunicipalResource><hm:StartSupplyDate>2026-01-10</hm:StartSupplyDate><base:TransportGUID>${G(131)}</base:TransportGUID></hm:ContractSubject><hm:CountingResource>R</hm:CountingResource><hm:SpecifyingQualityIndicators>D</hm:SpecifyingQualityIndicators><hm:ContractRootGUID>${G(134)}</hm:ContractRootGUID><hm:ContractGUID>${G(135)}</hm:ContractGUID><hm:ContractState>Proceed</hm:ContractState><hm:VersionNumber>1</hm:VersionNumber><hm:VersionStatus>Posted</hm:VersionStatus></hm:Contract><hm:ExportContractRootGUID>${G(134)}</hm:ExportContractRootGUID></hm:exportSupplyResourceContractResult>`;
const PD = `<bills:exportPaymentDocResult><bills:PaymentDocument><account-base:AccountGuid>${G(18)}</account-base:AccountGuid><bills-base:PaymentDocumentNumber>11-2026-000001</bills-base:PaymentDocumentNumber><bills:Expose>true</bills:Expose><bills:TotalPayableByPD>2115.86</bills:TotalPayableByPD><base:Month>11</base:Month><base:Year>2026</base:Year><bills-base:PaymentDocumentID>12АБ345678-01-6111</bills-base:PaymentDocumentID><bills:PaymentInformation><payments-base:BankBIK>044525225</payments-base:BankBIK></bills:PaymentInformation></bills:PaymentDocument></bills:exportPaymentDocResult>`;

const SAMPLES: Array<[string, "hm" | "bills", string]> = [["accounts", "hm", ACC], ["meters", "hm", MET], ["house", "hm", HOUSE], ["contracts and charters", "hm", CACH],
  ["resource supply contracts", "hm", SRC], ["payment documents", "bills", PD]];

test("exports: the hand-written result samples follow both official packages", { skip: officialSkip() }, () => {
  for (const [name, prefix, inner] of SAMPLES) assertValidInAllPackages(envelope(gsr(prefix, inner)), name);
});

test("exports: exportAccountResult → account GUID, numbers (ЕЛС, ИЖКУ), role, placement, closing", () => {
  const [a, b] = exportedAccounts(result(gsr("hm", ACC)));
  assert.deepEqual(a, {
    accountGuid: G(18), accountNumber: "ЛС-000001", unifiedAccountNumber: "12АБ345678", serviceId: "12АБ345678-01", role: "RSO", creationDate: "2026-01-10T12:00:00",
    premisesGuids: [G(2001)], fiasHouseGuids: [], livingRoomGuids: [],
    closed: { date: "2026-10-31", reason: { code: "3", guid: G(908), name: null }, description: "Переезд & продажа" },
    totalSquare: 54.3, livingPersonsNumber: 3, supplyResourceContractGuids: [G(134)],
  });
  assert.equal(b.role, "UO");
  assert.deepEqual(b.fiasHouseGuids, [G(11)]);
  assert.equal(b.serviceId, null);
  assert.equal(b.closed, null);
});

test("exports: exportMeteringDeviceDataResult → root/version GUIDs, factory number, placement, resources and base readings", () => {
  const [w, e] = exportedMeters(result(gsr("hm", MET)));
  assert.equal(w.rootGuid, G(30));
  assert.equal(w.versionGuid, G(32));
  assert.equal(w.factoryNumber, "ХВ-123456");
  assert.equal(w.status, "Active");
  assert.equal(w.placement, "residentialPremise");
  assert.deepEqual(w.premiseGuids, [G(2001)]);
  assert.deepEqual(w.accountGuids, [G(18)]);
  assert.deepEqual(w.resources, [{ code: "1", guid: G(910), name: null }]);
  assert.deepEqual(w.baseValues, [{ resource: { code: "1", guid: G(910), name: null }, value: "12.5" }]);
  assert.equal(w.firstVerificationDate, null, "1900-01-01 means no value");
  assert.equal(w.gisNumber, "100500");
  assert.equal(e.electric, true);
  assert.equal(e.status, "Archival");
  assert.equal(e.placement, "collective");
  assert.deepEqual(e.fiasHouseGuids, [G(11)]);
  assert.deepEqual(e.baseValuesElectric, { t1: "1000", t2: "500.25", t3: null });
});

test("exports: exportHouseResult → house, entrances, premises and rooms with their GUIDs and numbers; annulled ones marked", () => {
  const h = exportedHouse(result(gsr("hm", HOUSE)))!;
  assert.equal(h.kind, "apartment");
  assert.equal(h.houseGuid, null);
  assert.equal(h.fiasHouseGuid, G(11));
  assert.equal(h.houseUniqueNumber, "1600000123");
  assert.deepEqual(h.entrances, [{ guid: G(40), number: "1", annulled: false }, { guid: G(41), number: "2", annulled: true }]);
  assert.deepEqual(h.premises.map((p) => [p.guid, p.number, p.residential, p.entranceNum, p.annulled, p.rooms.map((r) => [r.guid, r.number, r.uniqueNumber])]), [
    [G(2001), "1", true, "1", false, [[G(50), "1а", "1600000123-1-1"]]],
    [G(2002), "Н1 «магазин»", false, null, true, []],
  ]);
  assert.equal(exportedHouse(result(gsr("hm", ""))), null, "no house in the answer");
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

test("exports: a result of the wrong shape is refused with the element named", () => {
  assert.throws(() => exportedAccounts(result(gsr("hm", ACC.replace(/<hm:AccountGUID>[^<]*<\/hm:AccountGUID>/, "")))), /exportAccountResult без AccountGUID/);
  assert.throws(() => exportedMeters(result(gsr("hm", MET.replace("<hm:StatusRootDoc>Active</hm:StatusRootDoc>", "<hm:StatusRootDoc>Lost</hm:StatusRootDoc>")))), /StatusRootDoc «Lost»/);
});

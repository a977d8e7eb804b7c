import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { OPERATIONS, OperationInputs, OperationName, buildRequest } from "../src/transport/messages/index";
import { getState } from "../src/transport/messages/get-state";
import { exportNsiItem } from "../src/transport/messages/nsi-common";
import { exportOrgRegistry } from "../src/transport/messages/organizations-registry-common";
import { AccountInput } from "../src/methods/house-management/import-account-data";
import { resolveSchemaDir, validateRequest, inProcessValidation } from "../src/transport/schema/validate";
import { SERVICES, ServiceName } from "../src/transport/services";
import { el, serialize } from "../src/transport/envelope/xml";
import { HeaderInput } from "../src/transport/envelope/envelope";
import { PACKAGES, assertValidInAllPackages, bodyChild, docVersionsOf, fixedVersionOf, officialDirs, officialSkip, xmllintBody, xsdFor } from "./support/xsd";

const OWN = path.resolve("wsdl");
const skip = officialSkip();

const ORG = "7ad2bc7d-2b2c-4b6a-9d3b-0c6b7b1d2e3f";
const H: HeaderInput = { orgPPAGUID: ORG, date: new Date("2026-11-23T07:00:00Z"), messageGuid: "0b5f3c1e-4a8d-4c1e-9f6b-2d7e8a9c0b1d" };
const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const ref = (code: string, n: number, name?: string) => ({ code, guid: G(900 + n), name });

const ATT = (n: number, name = "Договор управления № 7/2026 & приложения.pdf") => ({ name, description: "Скан <подписанного> договора", guid: G(700 + n), hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" });

export function sampleAccount(n: number, fancy = false): AccountInput {
  return {
    transportGuid: G(1000 + n), role: "UO", livingPersonsNumber: 3, totalSquare: 54.3, residentialSquare: 38.25, heatedArea: 54.3,
    accommodations: [{ premisesGuid: G(2000 + n), sharePercent: 100 }],
    payer: { person: { surname: fancy ? "Иванов & <Сыновья>" : "Иванов", firstName: "Пётр", patronymic: "Сергеевич", sex: "M", dateOfBirth: "1980-05-01", snils: "11223344595" } },
    accountNumber: `ЛС-${String(n).padStart(6, "0")}`,
  };
}

/** Two accounts (importAccountData, a method module): the request the header and escaping checks use. */
const ACCOUNTS = { accounts: [sampleAccount(1, true), { ...sampleAccount(2), role: "RSO" as const, payer: { orgVersionGuid: G(17) }, accountGuid: G(18),
  closed: { reason: ref("3", 8), date: "2026-10-31", description: "Переезд" }, supplyResourceContracts: [{ contractGuid: G(19) }, { contractNumber: "№ 15/2026", signingDate: "2026-01-10", isContract: true }] }] };

/** One realistic input per operation we build. */
/** Legacy operations (not yet in a method module: those have their samples in test/methods/). */
export const SAMPLES: { [O in OperationName]: OperationInputs[O] } = {
  getState: { service: "house-management", messageGuid: "2c03ae2a-8f24-46ad-851d-f5561083cc7a" },
  importAdditionalServices: {
    services: [{ transportGuid: G(1), name: "Вывоз строительного мусора", okei: "A023" }, { transportGuid: G(2), elementGuid: G(3), name: "Домофон", unitText: "точка" }],
    delete: [{ transportGuid: G(4), elementGuid: G(5) }],
  },
  importMunicipalServices: {
    services: [{ transportGuid: G(6), municipalService: ref("1", 1), name: "Холодное водоснабжение", municipalResource: ref("1", 2), okei: "113", sortOrder: "1" },
      { transportGuid: G(7), municipalService: ref("2", 3), generalNeeds: true, selfProduced: false, name: "ГВС на ОДН", municipalResource: ref("2", 4) }],
  },
  exportDataProviderNsiItem: { registryNumber: 51, modifiedAfter: "2026-01-01T00:00:00" },
  exportDataProviderPagingNsiItem: { registryNumber: 337, page: 2 },
  exportNsiItem: { registryNumber: 2, listGroup: "NSI", modifiedAfter: "2026-01-01T00:00:00" },
  exportNsiPagingItem: { registryNumber: 58, listGroup: "NSIRAO", page: 1 },
  exportNsiList: { listGroup: "NSI" },
  exportDataProvider: { isActual: true },
  importContractData: { contracts: [{
    transportGuid: G(100),
    place: {
      docNum: "ДУ-7/2026 «Центр»", signingDate: "2026-01-15", effectiveDate: "2026-02-01", planDateCompletion: "2031-01-31", party: { owners: true },
      protocol: { meetingOwners: [ATT(1, "Протокол ОСС № 3 от 10.01.2026.pdf")] }, contractBase: ref("1", 20, "Решение собрания собственников"),
      dates: { metering: { start: 20, startNextMonth: false, end: "last", endNextMonth: false }, paymentDocument: { day: 1, nextMonth: true }, payment: { day: 10, nextMonth: true } },
      attachments: [ATT(2)], automaticRollOverOneYear: true,
      objects: [{ transportGuid: G(101), fiasHouseGuid: G(11), startDate: "2026-02-01",
        houseServices: [{ service: ref("1", 21, "Холодное водоснабжение"), startDate: "2026-02-01", endDate: "2031-01-31" }],
        addServices: [{ service: ref("2", 22), startDate: "2026-02-01", endDate: "2031-01-31", basis: { attachment: ATT(3, "Доп. соглашение № 1.pdf") } }] }],
    },
  }] },
  importCharterData: {
    transportGuid: G(110),
    place: { date: "2010-03-04", dates: { metering: { start: 15, startNextMonth: false, end: 25, endNextMonth: false } }, noApproveProtocol: true,
      attachments: [ATT(4, "Устав ТСЖ «Наш дом».pdf")], indicationsAnyDay: false,
      objects: [{ transportGuid: G(111), fiasHouseGuid: G(11), startDate: "2010-04-01", houseServices: [{ service: ref("1", 21), startDate: "2010-04-01", endDate: "2030-12-31" }] }] },
  },
  exportCAChData: { criteria: [{ contractGuid: G(120) }, { charterVersionGuid: G(121) }, { uoGuid: G(122), fiasHouseGuid: G(11), lastVersionOnly: true }] },
  exportStatusCAChData: { criteria: [{ contractGuid: G(120) }, { charterGuid: G(123), onlyConflicted: true }] },
  importSupplyResourceContractData: { contracts: [{
    transportGuid: G(130),
    contract: {
      document: { kind: "contract", number: "ТС-15/2026 (отопление & ГВС)", signingDate: "2026-01-10", effectiveDate: "2026-01-10", attachments: [ATT(5, "Договор теплоснабжения.pdf")] },
      term: { completionDate: "2026-12-31", automaticRollOverOneYear: true },
      readingsPeriod: { start: 20, end: -1 },
      contractBase: [ref("2", 23)],
      party: { apartmentBuildingOwner: { person: { surname: "Гарипов", firstName: "Рустем", patronymic: "Ильдарович", sex: "M", snils: "11223344595", placeOfBirth: "г. Казань" } } },
      isPlannedVolume: false,
      subjects: [{ transportGuid: G(131), serviceType: ref("2", 24, "Отопление"), municipalResource: ref("3", 25, "Тепловая энергия"), startSupplyDate: "2026-01-10" }],
      countingResource: "R", specifyingQualityIndicators: "D",
      objects: [{ transportGuid: G(132), houseType: "MKD", fiasHouseGuid: G(11), apartmentNumber: "15", pairs: [{ pairKey: G(131), startSupplyDate: "2026-01-10", heatingSystem: { open: false, centralized: true } }] }],
      billingDate: { day: 1, nextMonth: true }, paymentDate: { day: 10, nextMonth: true }, providingInformationDate: { day: -1, nextMonth: false },
      meteringDeviceInformation: true,
    },
  }, { transportGuid: G(133), contractRootGuid: G(134), terminate: { date: "2026-06-30", reason: ref("4", 26) } }] },
  importSupplyResourceContractObjectAddressData: { contractRootGuid: G(134), objects: [
    { transportGuid: G(140), load: { houseType: "ZHD", fiasHouseGuid: G(12), pairs: [{ transportGuid: G(141), serviceType: ref("1", 27, "Холодное водоснабжение"), municipalResource: ref("1", 28), startSupplyDate: "2026-02-01" }], countingResource: "R" } },
    { transportGuid: G(142), objectGuid: G(143), delete: true },
  ] },
  exportSupplyResourceContractData: { exportContractRootGuid: G(150), signingDateStart: "2025-01-01", subjects: [{ serviceType: ref("2", 24), municipalResource: ref("3", 25) }] },
  exportSupplyResourceContractObjectAddressData: { contractRootGuid: G(134), exportObjectGuid: G(151) },
  importMeteringDeviceValues: {
    fiasHouseGuid: G(11),
    meters: [
      { rootGuid: G(30), oneRate: { current: [{ transportGuid: G(31), municipalResource: ref("1", 10), value: "123.4567", date: "2026-11-20", period: { year: 2026, month: 11 } }] } },
      { versionGuid: G(32), electric: { current: { transportGuid: G(33), t1: 1200, t2: 600.5, date: "2026-11-20" }, control: { transportGuid: G(34), t1: 1100, date: "2026-11-01" } } },
    ],
  },
  exportMeteringDeviceHistory: { fiasHouseGuids: [G(11), G(12)], exportMeteringDeviceRootGuid: G(160), select: { municipalResources: [ref("1", 10), ref("2", 29)] },
    inputDateFrom: "2026-10-01", inputDateTo: "2026-10-31", excludeCurrentOrg: true, excludeOtherOrg: true },
  exportPaymentDocumentData: { year: 2026, month: 11, fiasHouseGuid: G(11), accountNumbers: ["ЛС-000001", "ЛС/2 «кв. 5»"] },
  exportNotificationsOfOrderExecution: { dateFrom: "2026-11-01", days: 7, ackStatuses: [0, 3, 4] },
  exportNotificationsOfOrderExecutionPaginal: { year: 2026, month: 11, unifiedAccountNumber: "12АБ345678", exportGuid: G(170), pageSize: 500 },
  importPaymentDocumentData: {
    month: 11, year: 2026,
    paymentInformation: [{ transportGuid: G(40), bankBik: "044525225", operatingAccountNumber: "40702810938000000001" }],
    documents: [{ transportGuid: G(41), accountGuid: G(18), number: "11-2026-000001", expose: true,
      charges: [{ kind: "housing", serviceType: ref("1", 12), rate: 32.15, totalPayable: 1745.75 }, { kind: "municipal", serviceType: ref("1", 13), rate: 45.7, totalPayable: 320.11, accountingPeriodTotal: 320.11 },
        { kind: "additional", serviceType: ref("1", 14), rate: 50, totalPayable: 50 }],
      totalPayableByPD: 2115.86, paymentInformationKey: G(40), totalPayableByPaymentInformation: 2115.86 }],
  },
  importAcknowledgment: { acknowledgments: [
    { transportGuid: G(50), notificationGuid: G(51), paymentDocument: { paymentDocumentId: "12АБ345678-01-6111", service: { ms: G(52) }, amount: 320.11 } },
    { transportGuid: G(53), order: { orderId: "1".repeat(32), orgPPAGUID: ORG }, impossible: { reason: "Нет документа" } },
  ] },
  importNotificationsOfOrderExecution: { notifications: [{
    transportGuid: G(60),
    supplier: { id: "5001", name: "ПАО Сбербанк" },
    recipient: { inn: "7701234567", legal: { kpp: "770101001", name: "ООО «УК Дом»" },
      paymentInformation: { recipientInn: "7701234567", recipientKpp: "770101001", bankName: "ПАО Сбербанк", paymentRecipient: "ООО «УК Дом»", bankBik: "044525225", operatingAccountNumber: "40702810938000000001" } },
    order: { orderId: "A".repeat(32), orderDate: "2026-11-20", orderNum: "123", amountKopecks: 211586, paymentPurpose: "Оплата ЖКУ за 11.2026", paymentDocumentId: "12АБ345678-01-6111", year: 2026, month: 11, unifiedAccountNumber: "12АБ345678" },
  }] },
  importNotificationsOfOrderExecutionCancellation: { cancellations: [{ transportGuid: G(61), orderId: "A".repeat(32), cancellationDate: "2026-11-21", comment: "Ошибочный платёж" }] },
};

function build<O extends OperationName>(op: O) {
  return buildRequest(op, H, SAMPLES[op]);
}

test("protocol: every operation validates against BOTH official packages (xmllint) and our wsdl/, with the right base:version", { skip }, async () => {
  const OFFICIAL = officialDirs();
  assert.ok(await inProcessValidation(), "libxml2-wasm loads");
  for (const op of Object.keys(SAMPLES) as OperationName[]) {
    const r = build(op);
    const spec = OPERATIONS[op];
    const service = r.service;
    const folder = SERVICES[service].folder;
    const b = bodyChild(r.xml);
    assert.equal(b.local, spec.element, op);
    assert.equal(r.soapAction, `urn:${op}`);
    assert.equal(r.path, SERVICES[service].path);
    assertValidInAllPackages(r.xml, `${op}\n${r.container}`);
    assert.equal(xmllintBody(r.xml, xsdFor(OWN, folder, b.ns)), "", `${op}: our wsdl/ (xmllint)`);
    for (const pkg of PACKAGES) {
      assert.deepEqual(await validateRequest(r.xml, service, { schemaDir: OFFICIAL[pkg] }), [], `${op}: in-process, official ${pkg}`);
      assert.deepEqual(await validateRequest(r.xml, service, { formatPackage: pkg }), [], `${op}: in-process, wsdl/ with ${pkg}'s versions`);
    }
    if (op !== "getState") {
      for (const pkg of PACKAGES) {
        if (fixedVersionOf(OFFICIAL[pkg], folder, spec.element) || docVersionsOf(OFFICIAL[pkg], folder, spec.element).length > 0) continue;
        assert.deepEqual([b.version], spec.allowedVersions, `${op}: ${pkg} names no version — the one our table settles on`);
      }
      assert.match(r.container, /^<[\w-]+:\w+ xmlns:/, "namespaces declared on the container");
      assert.ok(r.container.includes(` Id="signed-data-container" base:version="${b.version}"`), "Id then base:version (c14n order)");
    }
  }
  for (const service of Object.keys(SERVICES) as ServiceName[]) {
    const r = getState(service, "2c03ae2a-8f24-46ad-851d-f5561083cc7a", { orgPPAGUID: ORG });
    for (const pkg of PACKAGES) assert.deepEqual(await validateRequest(r.xml, service, { schemaDir: OFFICIAL[pkg] }), [], `${service} ${pkg}`);
    assertValidInAllPackages(r.xml, `getState ${service}`);
    assert.equal(r.soapAction, "urn:getState");
    assert.match(r.xml, SERVICES[service].isHeader ? /<base:ISRequestHeader / : /<base:RequestHeader /);
  }
});

test("protocol: headers — RequestHeader with orgPPAGUID and IsOperatorSignature; ISRequestHeader for nsi-common/org-registry-common", () => {
  const r = buildRequest("importAccountData", { ...H, isOperatorSignature: true }, ACCOUNTS);
  assert.ok(r.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>' +
    '<base:RequestHeader xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/"><base:Date>2026-11-23T10:00:00.000+03:00</base:Date>' +
    `<base:MessageGUID>${H.messageGuid}</base:MessageGUID><base:orgPPAGUID>${ORG}</base:orgPPAGUID><base:IsOperatorSignature>true</base:IsOperatorSignature></base:RequestHeader>`), r.xml.slice(0, 600));
  assert.equal(r.messageGuid, H.messageGuid);
  assert.equal(r.path, "/ext-bus-home-management-service/services/HomeManagementAsync");
  const n = exportNsiItem({ registryNumber: 2, listGroup: "NSI" }, { date: H.date });
  assert.match(n.xml, /<base:ISRequestHeader xmlns:base="[^"]+"><base:Date>[^<]+<\/base:Date><base:MessageGUID>[0-9a-f-]{36}<\/base:MessageGUID><\/base:ISRequestHeader>/);
  assert.doesNotMatch(n.xml, /orgPPAGUID/);
  assert.equal(n.path, "/ext-bus-nsi-common-service/services/NsiCommonAsync");
  assert.throws(() => getState("house-management", "x"), /orgPPAGUID/, "RequestHeader services need the organization");
  assert.notEqual(buildRequest("exportNsiList", {}, {}).messageGuid, buildRequest("exportNsiList", {}, {}).messageGuid, "a new MessageGUID each time");
});

test("protocol: the container is already exclusive-canonical — equal to the canonicalizer's exc-c14n of it", async () => {
  // src/signing/c14n.ts is checked against libxml2 (python3-lxml) in test/signing-c14n.test.ts.
  const { byQName, canonicalize } = await import("../src/signing/c14n");
  for (const op of Object.keys(SAMPLES) as OperationName[]) {
    const r = build(op);
    const name = /^<([^\s>]+)/.exec(r.container)![1];
    assert.equal(r.container, canonicalize(r.xml, byQName(name)), op);
    assert.ok(r.xml.includes(r.container), `${op}: the container's bytes are in the envelope as they are`);
  }
});

test("protocol: XML writer — c14n escaping, attribute order, no self-closing, Cyrillic/&/</CR/LF round-trip", async () => {
  assert.equal(serialize(el("hm:A", { "base:version": "1", Id: "x\t\n\r\"<&" }, el("hm:B", null), "a&b<c>d\r\ne")),
    '<hm:A xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" Id="x&#x9;&#xA;&#xD;&quot;&lt;&amp;" base:version="1"><hm:B></hm:B>a&amp;b&lt;c&gt;d&#xD;\ne</hm:A>');
  assert.throws(() => el("hm:A", { "xmlns:hm": "x" }), /автоматически/);
  const text = "Иванов & <Сыновья>\r\nООО «Ромашка»";
  const r = buildRequest("importAccountData", H, { accounts: [{ ...sampleAccount(1), closed: { reason: ref("3", 8), date: "2026-10-31", description: text } }] });
  const { DOMParser } = await import("@xmldom/xmldom");
  const doc = new DOMParser().parseFromString(r.xml, "text/xml");
  assert.equal(doc.getElementsByTagNameNS(SERVICES["house-management"].ns, "Description")[0].textContent, text, "text survives a parse exactly, CR included");
  assert.ok(r.xml.includes("Иванов &amp; &lt;Сыновья&gt;&#xD;\nООО «Ромашка»"));
  assert.doesNotMatch(r.xml, /\/>/, "no self-closing tags");
  assert.deepEqual(await validateRequest(r.xml, "house-management"), []);
});

test("protocol: invalid requests are refused with the element named; wrong base:version is caught", { skip }, async () => {
  const OFFICIAL = officialDirs();
  // a required element missing: Account without PayerInfo
  const good = buildRequest("importAccountData", H, ACCOUNTS).xml;
  const noPayer = good.replace(/<hm:PayerInfo>.*?<\/hm:PayerInfo>/, "");
  for (const dir of [...Object.values(OFFICIAL), OWN]) {
    const p = await validateRequest(noPayer, "house-management", { schemaDir: dir });
    assert.ok(p.some((x) => x.expected?.includes("PayerInfo") || x.element === "PayerInfo"), JSON.stringify(p));
    assert.notEqual(xmllintBody(noPayer, xsdFor(dir, "house-management", SERVICES["house-management"].ns)), "");
  }
  // a bad value: ListGroup outside the enumeration
  const bad = exportNsiItem({ registryNumber: 2, listGroup: "ЖКХ" as "NSI" });
  const p1 = await validateRequest(bad.xml, "nsi-common", { schemaDir: OFFICIAL["16.3.0.0"] });
  assert.ok(p1.some((p) => p.element === "ListGroup"), JSON.stringify(p1));
  assert.ok((await validateRequest(bad.xml, "nsi-common")).some((p) => p.element === "ListGroup"), "our wsdl/ catches it too");
  // the xmllint engine says the same
  const p2 = await validateRequest(noPayer, "house-management", { engine: "xmllint" });
  assert.ok(p2.some((x) => x.expected?.includes("PayerInfo")), JSON.stringify(p2));
  // base:version: libxml2 ignores fixed=, the table does not
  const v = await validateRequest(exportNsiItem({ registryNumber: 2, listGroup: "NSI" }).xml.replace('base:version="10.0.1.2"', 'base:version="9.9.9.9"'), "nsi-common");
  assert.deepEqual(v, [{ element: "exportNsiItemRequest", message: "base:version «9.9.9.9», пакет 16.3.0.0 требует «10.0.1.2»" }]);
  const hv = await validateRequest(buildRequest("exportHouseData", H, { fiasHouseGuid: G(11) }).xml.replace('base:version="13.2.3.2"', 'base:version="1.0.0.0"'), "house-management");
  assert.match(hv[0]?.message ?? "", /не из допустимых/);
  // builder-side limits
  assert.throws(() => buildRequest("importAccountData", H, { accounts: Array.from({ length: 101 }, (_, i) => sampleAccount(i)) }), /Account — от 1 до 100/);
  assert.throws(() => buildRequest("importAccountData", H, { accounts: [{ ...sampleAccount(1), transportGuid: "nope" }] }), /TransportGUID «nope»/);
  assert.throws(() => buildRequest("importMeteringDeviceValues", H, { meters: [{ rootGuid: G(1), oneRate: { current: [{ transportGuid: G(2), municipalResource: ref("1", 1), value: 1e21, date: "2026-01-01" }] } }] }), /показание/);
});

test("protocol: schema folder — GIS_SCHEMA_DIR or an explicit folder wins over the project's wsdl/", { skip }, () => {
  const OFFICIAL = officialDirs()["16.3.0.0"];
  const saved = process.env.GIS_SCHEMA_DIR;
  try {
    delete process.env.GIS_SCHEMA_DIR;
    assert.equal(resolveSchemaDir(), OWN);
    process.env.GIS_SCHEMA_DIR = OFFICIAL!;
    assert.equal(resolveSchemaDir(), OFFICIAL);
    assert.equal(resolveSchemaDir(OWN), OWN, "an explicit argument wins");
    process.env.GIS_SCHEMA_DIR = "/nonexistent";
    assert.throws(() => resolveSchemaDir(), /lib\/hcs-base\.xsd/);
  } finally {
    if (saved === undefined) delete process.env.GIS_SCHEMA_DIR;
    else process.env.GIS_SCHEMA_DIR = saved;
  }
});

test("protocol: built requests sign and verify (builder → XAdES → reference verifier)", { skip }, async () => {
  const { gostEngineMissing, opensslKeyAndCert, referenceVerify } = await import("./support/gost-tools");
  if (gostEngineMissing()) return;
  const { SoftwareSigner } = await import("../src/signing/software-signer");
  const { signRequest } = await import("../src/signing/xades");
  const { key, cert } = opensslKeyAndCert();
  const signed = await signRequest(exportOrgRegistry([{ ogrn: "1027700132195" }]).xml, SoftwareSigner.fromFiles(key, cert));
  const v = referenceVerify(signed);
  assert.ok(v.valid, v.output);
  assert.deepEqual(await validateRequest(signed, "organizations-registry-common"), [], "the signed body still validates (ds:Signature first child)");
});

/** Further variants of the operations above (one SAMPLE each is not enough for the choices the pipeline uses). */
const S = SAMPLES;
const placeContract = (S.importContractData.contracts[0] as Extract<OperationInputs["importContractData"]["contracts"][0], { place: unknown }>).place;
const src = (S.importSupplyResourceContractData.contracts[0] as Extract<OperationInputs["importSupplyResourceContractData"]["contracts"][0], { contract: unknown }>).contract;
const charterPlace = (S.importCharterData as Extract<OperationInputs["importCharterData"], { place: unknown }>).place;
/** The sample resource supply contract with its own TransportGUIDs (they are unique across a request). */
const srcCopy = (n: number, over: Partial<typeof src> = {}): typeof src => ({
  ...src,
  subjects: [{ ...src.subjects[0], transportGuid: G(n) }],
  objects: [{ ...src.objects![0], transportGuid: G(n + 1), pairs: [{ ...src.objects![0].pairs[0], pairKey: G(n) }] }],
  ...over,
});

export const VARIANTS: Array<{ [O in OperationName]: [O, string, OperationInputs[O]] }[OperationName]> = [
  ["importContractData", "edit + approve + roll over + terminate + annul", { contracts: [
    { transportGuid: G(200), edit: { ...placeContract, party: { cooperative: G(201) }, protocol: { votingProtocolGuids: [G(202)] }, contractVersionGuid: G(203), indicationsAnyDay: true,
      objects: [{ add: { transportGuid: G(204), fiasHouseGuid: G(12), startDate: "2026-03-01", endDate: "2031-01-31" } },
        { edit: { transportGuid: G(205), fiasHouseGuid: G(11), startDate: "2026-02-01", versionGuid: G(206), basis: "current", addServices: [{ service: ref("2", 22), startDate: "2026-02-01", endDate: "2027-01-31" }] } },
        { annul: { transportGuid: G(207), versionGuid: G(208) } }] } },
    { transportGuid: G(209), approve: { contractVersionGuid: G(213) } },
    { transportGuid: G(210), rollOver: { contractVersionGuid: G(214), toDate: "2032-01-31" } },
    { transportGuid: G(211), terminate: { contractVersionGuid: G(215), date: "2026-12-31", reason: ref("5", 30, "Расторжение по соглашению сторон"), attachments: [ATT(6, "Соглашение о расторжении.pdf")] } },
    { transportGuid: G(212), annul: { contractVersionGuid: G(216), reason: "Ошибка ввода: договор «№ 7» & дубль" } },
  ] }],
  ["importCharterData", "edit", { transportGuid: G(220), edit: { ...charterPlace, charterVersionGuid: G(221), protocol: { meetingOwners: [ATT(7)] },
    objects: [{ add: { transportGuid: G(222), fiasHouseGuid: G(12), startDate: "2026-01-01", basis: { attachment: ATT(8, "Протокол ОСС.pdf") } } }, { annul: { transportGuid: G(223), versionGuid: G(224) } }] } }],
  ["importCharterData", "roll over", { transportGuid: G(225), rollOver: { charterVersionGuid: G(221) } }],
  ["importCharterData", "terminate", { transportGuid: G(226), terminate: { charterVersionGuid: G(221), date: "2026-12-31", reason: "Ликвидация ТСЖ «Наш дом»" } }],
  ["importCharterData", "annul", { transportGuid: G(227), annul: { charterVersionGuid: G(221), reason: "Ошибочно размещён" } }],
  ["exportCAChData", "no criteria, old format", { criteria: [], version: "10.0.1.1" }],
  ["importSupplyResourceContractData", "public contract, offer, indefinite; managing org; roll over; annul", { contracts: [
    { transportGuid: G(230), contract: { ...src, document: { kind: "public" }, term: { indefinite: true }, party: { offer: true }, readingsPeriod: undefined, objects: undefined,
      subjects: [{ ...src.subjects[0], transportGuid: G(300), endSupplyDate: "2030-12-31", plannedVolume: { volume: 1234.5, unit: "233", feedingMode: "Круглосуточно" } }], isPlannedVolume: true, plannedVolumeType: "D" } },
    { transportGuid: G(231), contractGuid: G(232), contract: srcCopy(302, { party: { managingOrganization: G(233) } }) },
    { transportGuid: G(234), contract: srcCopy(304, { party: { livingHouseOwner: { regOrg: G(235) } } }) },
    { transportGuid: G(236), contract: srcCopy(306, { party: { soleOwner: { noData: true } } }) },
    { transportGuid: G(237), contractRootGuid: G(134), rollOver: { date: "2027-12-31" } },
    { transportGuid: G(238), contractRootGuid: G(239), annul: { reason: "Дубль договора" } },
  ] }],
  ["exportSupplyResourceContractData", "by root GUIDs", { contractRootGuids: [G(134), G(239)] }],
  ["exportSupplyResourceContractData", "by version GUIDs, old format", { contractGuids: [G(232)], version: "11.11.0.2" }],
  ["exportSupplyResourceContractData", "everything (first page)", {}],
  ["exportSupplyResourceContractObjectAddressData", "by house", { fiasHouseGuid: G(11) }],
  ["exportSupplyResourceContractObjectAddressData", "by version GUID", { contractGuid: G(232) }],
  ["exportMeteringDeviceHistory", "by meters, archived too, citizens only", { select: { rootGuids: [G(30), G(31)] }, searchArchived: true, excludeCurrentOrg: true, excludeOtherOrg: true, excludeISValues: false }],
  ["exportMeteringDeviceHistory", "by meter types, one house", { fiasHouseGuids: [G(11)], select: { meteringDeviceTypes: [ref("1", 34, "Индивидуальный")] }, commissioningDateFrom: "2020-01-01", archiveDateTo: "2026-12-31" }],
  ["exportPaymentDocumentData", "by document IDs", { paymentDocumentIds: ["12АБ345678-01-6111", "12АБ345679-01-6111"], version: "11.2.0.10" }],
  ["exportPaymentDocumentData", "by ЕЛС", { year: 2026, month: 10, unifiedAccountNumbers: ["12АБ345678"] }],
  ["exportPaymentDocumentData", "by document numbers", { year: 2026, month: 10, fiasHouseGuid: G(11), paymentDocumentNumbers: ["11-2026-000001"] }],
  ["exportPaymentDocumentData", "by ИЖКУ", { year: 2026, month: 10, serviceIds: ["12АБ345678-01"] }],
  ["exportPaymentDocumentData", "by account GUIDs", { year: 2026, month: 10, accountGuids: [G(18)] }],
  ["exportNotificationsOfOrderExecution", "by document", { paymentDocumentId: "12АБ345678-01-6111" }],
  ["exportNotificationsOfOrderExecution", "by house and account, no period", { fiasHouseGuid: G(11), accountNumber: "ЛС-000001" }],
  ["exportNotificationsOfOrderExecution", "by ИЖКУ for a month", { year: 2026, month: 11, serviceId: "12АБ345678-01" }],
  ["exportNotificationsOfOrderExecution", "by notice GUID", { notificationGuid: G(51) }],
  ["exportNotificationsOfOrderExecutionPaginal", "period, first page", { dateFrom: "2026-11-01", days: 1, ackStatuses: [0, 1, 2, 3, 4, 5] }],
  ["exportNotificationsOfOrderExecutionPaginal", "by document numbers", { fiasHouseGuid: G(11), paymentDocumentNumber: "11-2026-000001", pageSize: 100 }],
  ["importPaymentDocumentData", "withdraw (WithdrawPaymentDocument)", { withdraw: [{ transportGuid: G(280), paymentDocumentId: "12АБ345678-01-6111" }, { transportGuid: G(281), paymentDocumentId: "12АБ345679-01-6111" }] }],
  ["importAdditionalServices", "restore + delete only", { recover: [{ transportGuid: G(290), elementGuid: G(291) }], delete: [{ transportGuid: G(292), elementGuid: G(293) }] }],
  ["importMunicipalServices", "restore with hierarchy + delete", { recover: [{ transportGuid: G(294), elementGuid: G(295), hierarchyRecover: true }], delete: [{ transportGuid: G(296), elementGuid: G(297) }] }],
  ["importMunicipalServices", "change an element", { services: [{ ...S.importMunicipalServices.services![0], transportGuid: G(298), elementGuid: G(299), name: "ХВС (питьевая) & техническая" }] }],
];

test("protocol: variants — every choice the pipeline uses validates against BOTH official packages and our wsdl/, base:version per table", { skip }, async () => {
  const OFFICIAL = officialDirs();
  for (const [op, what, input] of VARIANTS) {
    const r = buildRequest(op, H, input as never);
    const spec = OPERATIONS[op];
    const folder = SERVICES[r.service].folder;
    const b = bodyChild(r.xml);
    assert.equal(b.local, spec.element, `${op} (${what})`);
    assertValidInAllPackages(r.xml, `${op} (${what})\n${r.container}`);
    assert.equal(xmllintBody(r.xml, xsdFor(OWN, folder, b.ns)), "", `${op} (${what}): our wsdl/`);
    assert.deepEqual(await validateRequest(r.xml, r.service), [], `${op} (${what}): in-process, wsdl/`);
    if (!fixedVersionOf(OFFICIAL["16.3.0.0"], folder, spec.element)) assert.ok((spec.allowedVersions ?? []).includes(b.version!), `${op} (${what}): ${b.version}`);
  }
  assert.ok(r0().includes("&amp;"), "special characters escaped in contracts");
  function r0() { return buildRequest("importContractData", H, VARIANTS[0][2] as OperationInputs["importContractData"]).container; }
});

test("protocol: new builders refuse batches outside the schema's limits and impossible inputs, naming the element", () => {
  const many = (n: number) => Array.from({ length: n }, (_, k) => G(5000 + k));
  assert.throws(() => buildRequest("importContractData", H, { contracts: Array.from({ length: 101 }, (_, k) => ({ transportGuid: G(6000 + k), approve: { contractVersionGuid: G(1) } })) }), /Contract — от 1 до 100/);
  assert.throws(() => buildRequest("importContractData", H, { contracts: [{ transportGuid: G(1), place: { ...placeContract, attachments: [] } }] }), /ContractAttachment — от 1/);
  assert.throws(() => buildRequest("importContractData", H, { contracts: [{ transportGuid: G(1), place: { ...placeContract, dates: { payment: { day: 31, nextMonth: false } } } }] }), /DateDetails/);
  assert.throws(() => buildRequest("importContractData", H, { contracts: [{ transportGuid: G(1), place: { ...placeContract, dates: { ...placeContract.dates, payment: { day: 31, nextMonth: false } } } }] }), /от 1 до 30/);
  assert.throws(() => buildRequest("exportCAChData", H, { criteria: many(101).map((g) => ({ contractGuid: g })) }), /Criteria — от 0 до 100/);
  assert.throws(() => buildRequest("exportStatusCAChData", H, { criteria: [] }), /Criteria — от 1 до 100/);
  assert.throws(() => buildRequest("importSupplyResourceContractData", H, { contracts: [{ transportGuid: G(1), contract: { ...src, subjects: [] } }] }), /ContractSubject — от 1 до 100/);
  assert.throws(() => buildRequest("importSupplyResourceContractData", H, { contracts: [{ transportGuid: G(1), contract: { ...src, document: { kind: "contract", number: "1", signingDate: "2026-01-01", effectiveDate: "2026-01-01", attachments: [] } } }] }), /ContractAttachment — от 1 до 100/);
  assert.throws(() => buildRequest("importSupplyResourceContractData", H, { contracts: [{ transportGuid: G(1), contract: { ...src, party: { soleOwner: { person: { surname: "Иванов", firstName: "Иван" } } } } }] }), /СНИЛС или документ/);
  assert.throws(() => buildRequest("importSupplyResourceContractObjectAddressData", H, { contractGuid: G(1), objects: [{ transportGuid: G(2), delete: true }] }), /objectGuid/);
  assert.throws(() => buildRequest("exportSupplyResourceContractData", H, { contractRootGuids: many(1001) }), /ContractRootGUID — от 1 до 1000/);
  assert.throws(() => buildRequest("exportMeteringDeviceHistory", H, { fiasHouseGuids: many(101), select: { rootGuids: [G(1)] } }), /FIASHouseGuid — от 0 до 100/);
  assert.throws(() => buildRequest("exportMeteringDeviceHistory", H, { select: { rootGuids: many(101) } }), /MeteringDeviceRootGUID — от 1 до 100/);
  assert.throws(() => buildRequest("exportPaymentDocumentData", H, { paymentDocumentIds: [] }), /PaymentDocumentID — от 1 до 1000/);
  assert.throws(() => buildRequest("exportNotificationsOfOrderExecution", H, { dateFrom: "2026-11-01", days: 8, ackStatuses: [0] }), /DaysInterval/);
  assert.throws(() => buildRequest("exportNotificationsOfOrderExecutionPaginal", H, { notificationGuid: G(1), pageSize: 50 }), /PageSize/);
  assert.throws(() => buildRequest("importContractData", H, { contracts: [{ transportGuid: G(1), approve: { contractVersionGuid: G(3) } }, { transportGuid: G(2), annul: { contractVersionGuid: G(3), reason: "x" } }] }), /ContractVersionGUID .* дважды/);
  assert.throws(() => buildRequest("importSupplyResourceContractData", H, { contracts: [{ transportGuid: G(1), contractRootGuid: G(3), rollOver: { date: "2027-01-01" } }, { transportGuid: G(2), contractRootGuid: G(3), annul: { reason: "x" } }] }), /ContractRootGUID .* дважды/);
  assert.throws(() => buildRequest("importSupplyResourceContractData", H, { contracts: [{ transportGuid: G(1), contract: src }, { transportGuid: G(2), contract: src }] }), /TransportGUID «[0-9a-f-]+» встречается в запросе дважды/);
  assert.equal(OPERATIONS.importSupplyResourceContractData.batch?.max, 1000);
  assert.equal(OPERATIONS.importContractData.batch?.max, 100);
  assert.equal(OPERATIONS.importCharterData.batch, undefined, "one charter per request: no batch element");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { OPERATIONS, OperationInputs, OperationName, buildRequest } from "../src/transport/messages/index";
import { getState } from "../src/transport/messages/get-state";
import { exportNsiItem } from "../src/transport/messages/nsi-common";
import { exportOrgRegistry } from "../src/transport/messages/organizations-registry-common";
import { AccountInput } from "../src/transport/messages/house-management";
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
  importHouseUOData: {
    apartmentHouse: {
      transportGuid: G(10),
      create: { cadastre: { cadastralNumber: "77:01:0001001:1001" }, fiasHouseGuid: G(11), totalSquare: 3540.5, state: ref("2", 5, "Исправный"), usedYear: 1975,
        floorCount: 9, oktmo: { code: "45382000" }, olsonTZ: ref("1", 6), culturalHeritage: false, undergroundFloorCount: 1 },
      nonResidentialPremises: [{ transportGuid: G(12), cadastre: { noCadastralNumber: true }, premisesNum: "Н1", totalArea: 120, isCommonProperty: false }],
      entrances: [{ transportGuid: G(13), entranceNum: "1", storeysCount: 9, creationYear: 1975 }],
      residentialPremises: [
        { transportGuid: G(14), cadastre: { cadastralNumber: "77:01:0001001:2001" }, premisesNum: "1", entranceNum: "1", premisesCharacteristic: ref("1", 7), totalArea: 54.3, grossArea: 38.25 },
        { transportGuid: G(15), premisesGuid: G(16), cadastre: { notRegistered: true }, premisesNum: "2", entranceNum: null, totalArea: 41, grossArea: null },
      ],
    },
  },
  exportHouseData: { fiasHouseGuid: G(11) },
  importAccountData: { accounts: [sampleAccount(1, true), { ...sampleAccount(2), role: "RSO", payer: { orgVersionGuid: G(17) }, accountGuid: G(18),
    closed: { reason: ref("3", 8), date: "2026-10-31", description: "Переезд" }, supplyResourceContracts: [{ contractGuid: G(19) }, { contractNumber: "№ 15/2026", signingDate: "2026-01-10", isContract: true }] }] },
  exportAccountData: { fiasHouseGuid: G(11) },
  importMeteringDeviceData: {
    fiasHouseGuid: G(11),
    devices: [
      { transportGuid: G(20), create: { number: "ХВ-123456", model: "СВК-15", installationDate: "2025-05-01", commissioningDate: "2025-05-02", remoteMetering: false, firstVerificationDate: "2025-04-01",
        verificationInterval: ref("6", 9), temperatureSensor: false, pressureSensor: false, placement: { kind: "residentialPremise", premiseGuids: [G(14)], accountGuids: [G(18)] },
        resources: { notEnergy: [{ municipalResource: ref("1", 10), value: 12.5, unit: "113" }] } } },
      { transportGuid: G(21), create: { number: "Э-777", remoteMetering: true, remoteMeteringInfo: "АСКУЭ", temperatureSensor: false, pressureSensor: false,
        placement: { kind: "collective", fiasHouseGuids: [G(11)] }, linked: { installationPlace: "in" }, resources: { energy: { t1: 1000, t2: 500.25, transformationRatio: 1 } } } },
      { transportGuid: G(22), versionGuid: G(23), archive: { reason: ref("4", 11) } },
    ],
  },
  exportMeteringDeviceData: { fiasHouseGuid: G(11), searchArchived: false, includeFiasHouseGuid: true },
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
  const r = buildRequest("importAccountData", { ...H, isOperatorSignature: true }, SAMPLES.importAccountData);
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

test("protocol: the container is already exclusive-canonical — equal to xml-crypto's exc-c14n of it", async () => {
  const { DOMParser } = await import("@xmldom/xmldom");
  const { ExclusiveCanonicalization } = await import("xml-crypto/lib/exclusive-canonicalization");
  for (const op of Object.keys(SAMPLES) as OperationName[]) {
    const r = build(op);
    const doc = new DOMParser().parseFromString(r.xml, "text/xml");
    const body = doc.getElementsByTagNameNS("http://schemas.xmlsoap.org/soap/envelope/", "Body")[0];
    let c: Node | null = body.firstChild;
    while (c && c.nodeType !== 1) c = c.nextSibling;
    const canon = new ExclusiveCanonicalization().process(c as never, {}) as unknown as string;
    assert.equal(r.container, canon, op);
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
  const good = build("importAccountData").xml;
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
  const hv = await validateRequest(build("exportHouseData").xml.replace('base:version="13.2.3.2"', 'base:version="1.0.0.0"'), "house-management");
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
const meterInfo = (S.importMeteringDeviceData.devices[0] as Extract<OperationInputs["importMeteringDeviceData"]["devices"][0], { create: unknown }>).create;
const house = (S.importHouseUOData as Extract<OperationInputs["importHouseUOData"], { apartmentHouse: unknown }>).apartmentHouse;

export const VARIANTS: Array<{ [O in OperationName]: [O, string, OperationInputs[O]] }[OperationName]> = [
  ["importMeteringDeviceData", "replace (planned, unplanned with final readings) and update before readings", { devices: [
    { transportGuid: G(240), versionGuid: G(241), replace: { verificationDate: "2026-11-01", replacingVersionGuid: G(242) } },
    { transportGuid: G(243), versionGuid: G(244), replace: { verificationDate: "2026-11-02", unplannedReason: ref("3", 31, "Истёк срок поверки"),
      finalValues: { notEnergy: [{ municipalResource: ref("1", 10), value: "321.1234567" }] }, replacingVersionGuid: G(245) } },
    { transportGuid: G(246), versionGuid: G(247), replace: { verificationDate: "2026-11-03", finalValues: { energy: { t1: 100, t2: 50.5 } }, replacingVersionGuid: G(248) } },
    { transportGuid: G(249), versionGuid: G(250), updateBefore: { ...meterInfo, number: "ХВ-123456/1" } },
  ] }],
  ["importHouseUOData", "annul (delete) premises and an entrance", { apartmentHouse: {
    transportGuid: G(260), update: { cadastre: { cadastralNumber: "77:01:0001001:1001" }, fiasHouseGuid: G(11) },
    nonResidentialPremises: [{ transportGuid: G(261), premisesGuid: G(262), cadastre: { noCadastralNumber: true }, premisesNum: "Н2", annulment: { reason: ref("1", 32), info: "Объединено с Н1 <перепланировка>" } },
      house.nonResidentialPremises![0]],
    entrances: [{ transportGuid: G(263), entranceGuid: G(264), entranceNum: "2", annulment: { reason: ref("2", 33) } }],
    residentialPremises: [{ transportGuid: G(265), premisesGuid: G(266), cadastre: { notRegistered: true }, premisesNum: "7", entranceNum: "1", annulment: { reason: ref("1", 32), info: "Ошибка ввода" } }],
  } }],
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
});

test("protocol: new builders refuse batches outside the schema's limits and impossible inputs, naming the element", () => {
  const many = (n: number) => Array.from({ length: n }, (_, k) => G(5000 + k));
  assert.throws(() => buildRequest("exportMeteringDeviceHistory", H, { fiasHouseGuids: many(101), select: { rootGuids: [G(1)] } }), /FIASHouseGuid — от 0 до 100/);
  assert.throws(() => buildRequest("exportMeteringDeviceHistory", H, { select: { rootGuids: many(101) } }), /MeteringDeviceRootGUID — от 1 до 100/);
  assert.throws(() => buildRequest("exportPaymentDocumentData", H, { paymentDocumentIds: [] }), /PaymentDocumentID — от 1 до 1000/);
  assert.throws(() => buildRequest("exportNotificationsOfOrderExecution", H, { dateFrom: "2026-11-01", days: 8, ackStatuses: [0] }), /DaysInterval/);
  assert.throws(() => buildRequest("exportNotificationsOfOrderExecutionPaginal", H, { notificationGuid: G(1), pageSize: 50 }), /PageSize/);
  assert.throws(() => buildRequest("importMeteringDeviceData", H, { devices: [{ transportGuid: G(1), versionGuid: G(2), replace: { verificationDate: "2026-01-01", replacingVersionGuid: G(3),
    finalValues: { notEnergy: [1, 2, 3, 4].map(() => ({ municipalResource: ref("1", 1), value: 1 })) } } }] }), /DeviceValueMunicipalResourceNotElectric — от 1 до 3/);
  assert.throws(() => buildRequest("importHouseUOData", H, { apartmentHouse: { ...house, residentialPremises: [{ ...house.residentialPremises![0], annulment: { reason: ref("1", 1) } }] } }), /аннулировать можно только помещение с ГУИД/);
});

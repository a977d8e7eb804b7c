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
  importMeteringDeviceValues: {
    fiasHouseGuid: G(11),
    meters: [
      { rootGuid: G(30), oneRate: { current: [{ transportGuid: G(31), municipalResource: ref("1", 10), value: "123.4567", date: "2026-11-20", period: { year: 2026, month: 11 } }] } },
      { versionGuid: G(32), electric: { current: { transportGuid: G(33), t1: 1200, t2: 600.5, date: "2026-11-20" }, control: { transportGuid: G(34), t1: 1100, date: "2026-11-01" } } },
    ],
  },
  exportMeteringDeviceHistory: { fiasHouseGuids: [G(11), G(12)], exportMeteringDeviceRootGuid: G(160), select: { municipalResources: [ref("1", 10), ref("2", 29)] },
    inputDateFrom: "2026-10-01", inputDateTo: "2026-10-31", excludeCurrentOrg: true, excludeOtherOrg: true },
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

export const VARIANTS: Array<{ [O in OperationName]: [O, string, OperationInputs[O]] }[OperationName]> = [
  ["exportMeteringDeviceHistory", "by meters, archived too, citizens only", { select: { rootGuids: [G(30), G(31)] }, searchArchived: true, excludeCurrentOrg: true, excludeOtherOrg: true, excludeISValues: false }],
  ["exportMeteringDeviceHistory", "by meter types, one house", { fiasHouseGuids: [G(11)], select: { meteringDeviceTypes: [ref("1", 34, "Индивидуальный")] }, commissioningDateFrom: "2020-01-01", archiveDateTo: "2026-12-31" }],
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
});

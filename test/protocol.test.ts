import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { buildRequest } from "../src/transport/messages/index";
import { getState } from "../src/methods/base/get-state";
import { exportNsiItem } from "./support/requests";
import { exportOrgRegistry } from "./support/requests";
import { AccountInput } from "../src/methods/house-management/import-account-data";
import { resolveSchemaDir, validateRequest } from "../src/transport/schema/validate";
import { SERVICES } from "../src/transport/services";
import { el, serialize } from "../src/transport/envelope/xml";
import { HeaderInput } from "../src/transport/envelope/envelope";
import { officialDirs, officialSkip, xmllintBody, xsdFor } from "./support/xsd";

const OWN = path.resolve("wsdl");
const skip = officialSkip();

const ORG = "7ad2bc7d-2b2c-4b6a-9d3b-0c6b7b1d2e3f";
const H: HeaderInput = { orgPPAGUID: ORG, date: new Date("2026-11-23T07:00:00Z"), messageGuid: "0b5f3c1e-4a8d-4c1e-9f6b-2d7e8a9c0b1d" };
import { G } from "./support/guids";
const ref = (code: string, n: number, name?: string) => ({ code, guid: G(900 + n), name });

const _ATT = (n: number, name = "Договор управления № 7/2026 & приложения.pdf") => ({
  name,
  description: "Скан <подписанного> договора",
  guid: G(700 + n),
  hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
});

export function sampleAccount(n: number, fancy = false): AccountInput {
  return {
    transportGuid: G(1000 + n),
    role: "UO",
    livingPersonsNumber: 3,
    totalSquare: 54.3,
    residentialSquare: 38.25,
    heatedArea: 54.3,
    accommodations: [{ premisesGuid: G(2000 + n), sharePercent: 100 }],
    payer: {
      person: {
        surname: fancy ? "Иванов & <Сыновья>" : "Иванов",
        firstName: "Пётр",
        patronymic: "Сергеевич",
        sex: "M",
        dateOfBirth: "1980-05-01",
        snils: "11223344595",
      },
    },
    accountNumber: `ЛС-${String(n).padStart(6, "0")}`,
  };
}

/** Two accounts (importAccountData, a method module): the request the header and escaping checks use. */
const ACCOUNTS = {
  accounts: [
    sampleAccount(1, true),
    {
      ...sampleAccount(2),
      role: "RSO" as const,
      payer: { orgVersionGuid: G(17) },
      accountGuid: G(18),
      closed: { reason: ref("3", 8), date: "2026-10-31", description: "Переезд" },
      supplyResourceContracts: [{ contractGuid: G(19) }, { contractNumber: "№ 15/2026", signingDate: "2026-01-10", isContract: true }],
    },
  ],
};

test("protocol: headers — RequestHeader with orgPPAGUID and IsOperatorSignature; ISRequestHeader for nsi-common/org-registry-common", () => {
  const r = buildRequest("importAccountData", { ...H, isOperatorSignature: true }, ACCOUNTS);
  assert.ok(
    r.xml.startsWith(
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>' +
        '<base:RequestHeader xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/"><base:Date>2026-11-23T10:00:00.000+03:00</base:Date>' +
        `<base:MessageGUID>${H.messageGuid}</base:MessageGUID><base:orgPPAGUID>${ORG}</base:orgPPAGUID><base:IsOperatorSignature>true</base:IsOperatorSignature></base:RequestHeader>`,
    ),
    r.xml.slice(0, 600),
  );
  assert.equal(r.messageGuid, H.messageGuid);
  assert.equal(r.path, "/ext-bus-home-management-service/services/HomeManagementAsync");
  const n = exportNsiItem({ registryNumber: 2, listGroup: "NSI" }, { date: H.date });
  assert.match(
    n.xml,
    /<base:ISRequestHeader xmlns:base="[^"]+"><base:Date>[^<]+<\/base:Date><base:MessageGUID>[0-9a-f-]{36}<\/base:MessageGUID><\/base:ISRequestHeader>/,
  );
  assert.doesNotMatch(n.xml, /orgPPAGUID/);
  assert.equal(n.path, "/ext-bus-nsi-common-service/services/NsiCommonAsync");
  assert.throws(() => getState("house-management", "x"), /orgPPAGUID/, "RequestHeader services need the organization");
  assert.notEqual(buildRequest("exportNsiList", {}, {}).messageGuid, buildRequest("exportNsiList", {}, {}).messageGuid, "a new MessageGUID each time");
});

test("protocol: XML writer — c14n escaping, attribute order, no self-closing, Cyrillic/&/</CR/LF round-trip", async () => {
  assert.equal(
    serialize(el("hm:A", { "base:version": "1", Id: 'x\t\n\r"<&' }, el("hm:B", null), "a&b<c>d\r\ne")),
    '<hm:A xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" Id="x&#x9;&#xA;&#xD;&quot;&lt;&amp;" base:version="1"><hm:B></hm:B>a&amp;b&lt;c&gt;d&#xD;\ne</hm:A>',
  );
  assert.throws(() => el("hm:A", { "xmlns:hm": "x" }), /автоматически/);
  const text = "Иванов & <Сыновья>\r\nООО «Ромашка»";
  const r = buildRequest("importAccountData", H, {
    accounts: [{ ...sampleAccount(1), closed: { reason: ref("3", 8), date: "2026-10-31", description: text } }],
  });
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
    assert.ok(
      p.some((x) => x.expected?.includes("PayerInfo") || x.element === "PayerInfo"),
      JSON.stringify(p),
    );
    assert.notEqual(xmllintBody(noPayer, xsdFor(dir, "house-management", SERVICES["house-management"].ns)), "");
  }
  // a bad value: ListGroup outside the enumeration
  const bad = exportNsiItem({ registryNumber: 2, listGroup: "ЖКХ" as "NSI" });
  const p1 = await validateRequest(bad.xml, "nsi-common", { schemaDir: OFFICIAL["16.3.0.0"] });
  assert.ok(
    p1.some((p) => p.element === "ListGroup"),
    JSON.stringify(p1),
  );
  assert.ok(
    (await validateRequest(bad.xml, "nsi-common")).some((p) => p.element === "ListGroup"),
    "our wsdl/ catches it too",
  );
  // the xmllint engine says the same
  const p2 = await validateRequest(noPayer, "house-management", { engine: "xmllint" });
  assert.ok(
    p2.some((x) => x.expected?.includes("PayerInfo")),
    JSON.stringify(p2),
  );
  // base:version: libxml2 ignores fixed=, the table does not
  const v = await validateRequest(
    exportNsiItem({ registryNumber: 2, listGroup: "NSI" }).xml.replace('base:version="10.0.1.2"', 'base:version="9.9.9.9"'),
    "nsi-common",
  );
  assert.deepEqual(v, [{ element: "exportNsiItemRequest", message: "base:version «9.9.9.9», пакет 16.3.0.0 требует «10.0.1.2»" }]);
  const hv = await validateRequest(
    buildRequest("exportHouseData", H, { fiasHouseGuid: G(11) }).xml.replace('base:version="13.2.3.2"', 'base:version="1.0.0.0"'),
    "house-management",
  );
  assert.match(hv[0]?.message ?? "", /не из допустимых/);
  // builder-side limits
  assert.throws(() => buildRequest("importAccountData", H, { accounts: Array.from({ length: 101 }, (_, i) => sampleAccount(i)) }), /Account — от 1 до 100/);
  assert.throws(() => buildRequest("importAccountData", H, { accounts: [{ ...sampleAccount(1), transportGuid: "nope" }] }), /TransportGUID «nope»/);
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

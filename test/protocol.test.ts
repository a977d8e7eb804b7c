import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { getState } from "../src/transport/messages/get-state";
import { exportNsiItem } from "../src/transport/messages/nsi-common";
import { exportOrgRegistry } from "../src/transport/messages/organizations-registry-common";
import { validateRequest, resolveSchemaDir } from "../src/transport/schema/validate";
import { SERVICES, ServiceName } from "../src/transport/services";
import { el } from "../src/transport/envelope/xml";
import { buildEnvelope } from "../src/transport/envelope/envelope";

/** The official package beside the checkout, and the project's own wsdl/: every request must pass both. */
function officialDir(): string | null {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const c = path.join(dir, "shared", "gis-schema", "14.4.0.1");
    if (fs.existsSync(c)) return c;
    if (path.dirname(dir) === dir) return null;
  }
}
const schemaDir = officialDir();
const OWN = path.resolve("wsdl");
const skip = !schemaDir && "official GIS schema package not found";

async function validBoth(xml: string, service: ServiceName, fixedVersion?: string): Promise<void> {
  assert.deepEqual(await validateRequest(xml, service, { schemaDir: schemaDir!, fixedVersion }), [], `${service}: official package`);
  assert.deepEqual(await validateRequest(xml, service, { schemaDir: OWN, fixedVersion }), [], `${service}: project's wsdl/`);
}

/** The fixed base:version of a request element, from ../shared/gis-schema/request-versions.tsv. */
function fixedVersion(service: string, element: string): string {
  const tsv = fs.readFileSync(path.join(schemaDir!, "..", "request-versions.tsv"), "utf8");
  const line = tsv.split("\n").find((l) => l.startsWith(`${service}\t${element}\t`));
  const v = /fixed=([\d.]+)/.exec(line ?? "");
  if (!v) throw new Error(`no fixed version for ${service} ${element}`);
  return v[1];
}

const ORG = "7ad2bc7d-2b2c-4b6a-9d3b-0c6b7b1d2e3f";

test("protocol: every request we build validates against the official XSD, with the fixed base:version", { skip }, async () => {
  for (const service of Object.keys(SERVICES) as ServiceName[]) {
    const r = getState(service, "2c03ae2a-8f24-46ad-851d-f5561083cc7a", { orgPPAGUID: ORG });
    await validBoth(r.xml, service);
    assert.equal(r.soapAction, "urn:getState");
  }
  const nsi = exportNsiItem({ registryNumber: 2, listGroup: "NSI", modifiedAfter: "2026-01-01T00:00:00" });
  await validBoth(nsi.xml, "nsi-common", fixedVersion("nsi-common", "exportNsiItemRequest"));
  assert.match(nsi.xml, /<base:ISRequestHeader>/, "nsi-common takes ISRequestHeader");
  assert.equal(nsi.soapAction, "urn:exportNsiItem");
  assert.equal(nsi.path, "/ext-bus-nsi-common-service/services/NsiCommonAsync");
  const org = exportOrgRegistry([{ ogrn: "1027700132195", kpp: "770701001" }, { ogrnip: "304500116000157" }, { orgPPAGUID: ORG }]);
  await validBoth(org.xml, "organizations-registry-common", fixedVersion("organizations-registry-common", "exportOrgRegistryRequest"));
  assert.equal(resolveSchemaDir(), OWN, "the project's own wsdl/ is the default");
  assert.equal(resolveSchemaDir(schemaDir), schemaDir, "a configured official package wins");
});

test("protocol: an invalid request is refused with the element named; a wrong base:version is caught", { skip }, async () => {
  const bad = exportNsiItem({ registryNumber: 2, listGroup: "ЖКХ" as "NSI" });
  const problems = await validateRequest(bad.xml, "nsi-common", { schemaDir: schemaDir! });
  assert.ok((await validateRequest(bad.xml, "nsi-common")).some((p) => p.element === "ListGroup"), "our wsdl/ catches it too");
  assert.ok(problems.some((p) => p.element === "ListGroup"), JSON.stringify(problems));
  const missing = buildEnvelope("nsi-common", "exportNsiItem", el("nsi-common:exportNsiItemRequest",
    { "xmlns:base": "http://dom.gosuslugi.ru/schema/integration/base/", "xmlns:nsi-common": SERVICES["nsi-common"].ns, Id: "signed-data-container", "base:version": "10.0.1.2" },
    el("nsi-common:RegistryNumber", null, "2")));
  const p2 = await validateRequest(missing.xml, "nsi-common", { schemaDir: schemaDir! });
  assert.ok(p2.some((p) => p.element === "RegistryNumber" || /ListGroup/.test(p.message)), JSON.stringify(p2));
  const v = await validateRequest(exportNsiItem({ registryNumber: 2, listGroup: "NSI" }).xml.replace('base:version="10.0.1.2"', 'base:version="9.9.9.9"'), "nsi-common", { fixedVersion: "10.0.1.2" });
  assert.deepEqual(v, [{ element: "exportNsiItemRequest", message: "base:version «9.9.9.9», схема требует «10.0.1.2»" }]);
  assert.throws(() => getState("house-management", "x"), /orgPPAGUID/, "RequestHeader services need the organization");
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

/**
 * What every method test (test/methods/<service>/<method>.test.ts) needs: the official packages
 * (both, 16.3.0.0 and 14.4.0.1 — a missing one fails under CI instead of skipping), schema checks
 * of a built request under each package, the stand method's handler run directly on a built
 * request the way the stand's core runs it, and the stand's answer parsed by the client's parser.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { AnyMethod, FORMAT_PACKAGES, FormatPackage } from "../../src/methods/method";
import { buildMethodRequest } from "../../src/transport/messages/build";
import { HeaderInput } from "../../src/transport/envelope/envelope";
import { NS, el, leaf, serialize } from "../../src/transport/envelope/xml";
import { CONTAINER_ID } from "../../src/transport/envelope/envelope";
import { GisResponse, ItemResult, parseResponse } from "../../src/transport/results/results";
import { parseUntrusted } from "../../src/transport/results/safe-xml";
import { SERVICES, ServiceName } from "../../src/transport/services";
import { handlerFor } from "../../src/stand/handlers/index";
import { MemoryStore } from "../../src/stand/store";
import { StandOrganization, StandRole } from "../../src/stand/types";
import { byQName, canonicalize } from "../../src/signing/c14n";
import { bodyChild, xmllintAvailable, xmllintBody, xsdFor } from "./xsd";

/** The project's own trimmed schemas (wsdl/ at the checkout's root; tests run from dist/test/…). */
const OWN_WSDL = path.resolve(__dirname, "..", "..", "..", "wsdl");

/** A GUID made of a number, for readable fixtures. */
export { G } from "./guids";
import { G } from "./guids";
export const UO = G(9001);
export const RSO = G(9002);
/** Day 20 of November 2026, 10:00 Moscow: inside the default readings window (15–25). */
export const IN_WINDOW = new Date("2026-11-20T07:00:00Z");

/** …/shared/gis-schema/<pkg>, found walking up from the working directory. */
export function packageDir(pkg: FormatPackage): string | null {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const c = path.join(dir, "shared", "gis-schema", pkg);
    if (fs.existsSync(path.join(c, "lib", "hcs-base.xsd"))) return c;
    if (path.dirname(dir) === dir) return null;
  }
}

/** Both official packages; under CI a missing one (or a missing xmllint) is a failure, elsewhere the checks are skipped. */
export function officialPackages(): Array<{ pkg: FormatPackage; dir: string }> {
  const found = FORMAT_PACKAGES.map((pkg) => ({ pkg, dir: packageDir(pkg) }));
  const missing = found.filter((f) => !f.dir).map((f) => f.pkg);
  if (process.env.CI && (missing.length > 0 || !xmllintAvailable())) {
    assert.fail(`official GIS packages ${missing.join(", ") || "—"} not found above ${process.cwd()} (shared/gis-schema/<pkg>) or xmllint missing`);
  }
  return xmllintAvailable() ? found.filter((f): f is { pkg: FormatPackage; dir: string } => f.dir !== null) : [];
}

function tsvLine(dir: string, pkg: FormatPackage, folder: string, element: string): string {
  const file = path.join(dir, "..", pkg === "14.4.0.1" ? "request-versions.tsv" : `request-versions-${pkg}.tsv`);
  return (
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .find((l) => l.startsWith(`${folder}\t${element}\t`)) ?? ""
  );
}

/**
 * Builds `method`'s request from `input` under each official package and checks it: valid per the
 * package's XSD (xmllint on the Body child), base:version the fixed one or among the documented
 * ones, the SOAPAction and element the method's. Returns the request built under the default package.
 */
export function assertValidInAllPackages(method: AnyMethod, input: unknown, header: HeaderInput = { orgPPAGUID: UO, date: IN_WINDOW }): string {
  let first = "";
  // The project's own wsdl/ (the default schema of request validation) and the container's form, under every package.
  for (const pkg of FORMAT_PACKAGES) {
    const built = buildMethodRequest(method, { ...header, formatPackage: pkg }, input);
    const b = bodyChild(built.xml);
    if (xmllintAvailable())
      assert.equal(
        xmllintBody(built.xml, xsdFor(OWN_WSDL, SERVICES[built.service].folder, b.ns)),
        "",
        `${method.name}: valid per the project's wsdl/ (${pkg})`,
      );
    assert.equal(
      built.container,
      canonicalize(built.xml, byQName(/^<([^\s>]+)/.exec(built.container)![1])),
      `${method.name}: the container is sent in exclusive canonical form`,
    );
    assert.ok(built.xml.includes(built.container), `${method.name}: the container's bytes are in the envelope as they are`);
    if (method.element !== "getStateRequest")
      assert.ok(
        built.container.includes(` Id="signed-data-container" base:version="${method.versions[pkg]}"`),
        `${method.name}: Id, then ${pkg}'s base:version`,
      );
  }
  for (const { pkg, dir } of officialPackages()) {
    const built = buildMethodRequest(method, { ...header, formatPackage: pkg }, input);
    first ||= built.xml;
    const service = built.service;
    const b = bodyChild(built.xml);
    assert.equal(b.local, method.element, `${method.name}: request element`);
    assert.equal(built.soapAction, `urn:${method.name}`);
    assert.equal(xmllintBody(built.xml, xsdFor(dir, SERVICES[service].folder, b.ns)), "", `${method.name}: valid per the official ${pkg} package`);
    if (method.element === "getStateRequest") continue;
    const line = tsvLine(dir, pkg, SERVICES[service].folder, method.element);
    const fixed = /fixed=([\d.]+)/.exec(line)?.[1];
    const documented: string[] = (/doc_versions=(.*)$/.exec(line)?.[1] ?? "").match(/\d+\.\d+\.\d+\.\d+/g) ?? [];
    if (fixed) assert.equal(b.version, fixed, `${method.name}: base:version is ${pkg}'s fixed value`);
    else if (documented.length > 0)
      assert.ok(documented.includes(b.version!), `${method.name}: ${b.version} among ${pkg}'s documented versions ${documented.join(", ")}`);
  }
  return first || buildMethodRequest(method, header, input).xml;
}

/**
 * The maxOccurs of `element` in the package's service XSD: its first declaration after the request
 * element's (when `request` is given; an element of the same name may be declared by an earlier
 * request with another limit), else the first found.
 */
export function maxOccursIn(dir: string, service: ServiceName, element: string, request?: string): number | null {
  const file = path.join(dir, SERVICES[service].folder, `hcs-${SERVICES[service].folder}-types.xsd`);
  const whole = fs.readFileSync(file, "utf8");
  const from = request ? whole.indexOf(`<xs:element name="${request}"`) : -1;
  const xsd = from >= 0 ? whole.slice(from) : whole;
  const m = new RegExp(`<xs:element[^>]*name="${element}"[^>]*>`).exec(xsd) ?? new RegExp(`<xs:element[^>]*ref="[\\w-]+:${element}"[^>]*>`).exec(xsd);
  if (!m) return null;
  const max = /maxOccurs="(\w+)"/.exec(m[0])?.[1];
  return max === undefined ? 1 : max === "unbounded" ? Infinity : Number(max);
}

export function standOrg(guid: string, roles: StandRole[], name: string): StandOrganization {
  return {
    orgPPAGUID: guid,
    orgRootEntityGUID: guid,
    orgVersionGUID: guid,
    ogrn: "1021600000000",
    inn: "1650000000",
    kpp: "165001001",
    fullName: name,
    shortName: name,
    roles,
    certificateFingerprints: [],
  };
}

/** A stand store with a managing organization (UO) and a resource supplier (RSO). */
export function newStandStore(extra: StandOrganization[] = []): MemoryStore {
  return new MemoryStore([standOrg(UO, ["UO"], "УК Тест"), standOrg(RSO, ["RSO"], "РСО Тест"), ...extra]);
}

export interface StandAnswer {
  xml: string;
  answer: Extract<GisResponse, { kind: "state" }>;
  items: ItemResult[];
  byTg(tg: string): ItemResult;
}

let counter = 0;

/**
 * Runs the stand's handler of `operation` on a request (a whole envelope or a container) the way
 * the stand's core does, and parses the getStateResult it makes with the client's parser.
 */
export async function runStand(store: MemoryStore, operation: string, requestXml: string, sender: string | null, received = IN_WINDOW): Promise<StandAnswer> {
  const spec = handlerFor(operation);
  assert.ok(spec, `the stand has no handler for ${operation}`);
  const doc = parseUntrusted(requestXml);
  const all = doc.getElementsByTagName("*");
  let body: Element | null = null;
  for (let i = 0; i < all.length; i++)
    if (all[i].getAttribute("Id") === CONTAINER_ID) {
      body = all[i] as unknown as Element;
      break;
    }
  assert.ok(body, "no signed-data-container");
  const n = ++counter;
  const kids = await spec.handle(
    {
      service: spec.service,
      operation,
      body,
      version: body.getAttributeNS(NS.base, "version") ?? "",
      org: sender ? (store.organization(sender) ?? null) : null,
      messageGuid: G(n),
      requesterMessageGuid: G(50000 + n),
      received,
    },
    store,
  );
  const state = el(
    `${spec.resultPrefix}:getStateResult`,
    { "base:version": spec.resultVersion },
    leaf("base:RequestState", "3"),
    leaf("base:MessageGUID", G(n)),
    kids,
  );
  const xml = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${serialize(state)}</soapenv:Body></soapenv:Envelope>`;
  const parsed = parseResponse(xml);
  assert.equal(parsed.kind, "state", xml.slice(0, 500));
  if (parsed.kind !== "state") throw new Error("unreachable");
  return {
    xml,
    answer: parsed,
    items: parsed.items,
    byTg: (tg) => {
      const r = parsed.items.find((i) => i.transportGuid === tg.toLowerCase());
      assert.ok(r, `no result for ${tg}`);
      return r;
    },
  };
}

/** The stand's answer is valid per each official package's service XSD. */
export function assertAnswerValid(a: StandAnswer, service: ServiceName): void {
  for (const { pkg, dir } of officialPackages()) {
    assert.equal(
      xmllintBody(a.xml, xsdFor(dir, SERVICES[service].folder, SERVICES[service].ns)),
      "",
      `${service} answer not valid per the official ${pkg} package`,
    );
  }
}

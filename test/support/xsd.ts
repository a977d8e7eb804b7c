/**
 * Test helpers for schema checks that do not go through the code under test: the official packages
 * beside the checkout (16.3.0.0 and 14.4.0.1), xmllint run on the SOAP Body child (the way
 * ../shared/gis-schema/README.md prescribes), and the fixed base:version read from each package's
 * request-versions table.
 *
 * Missing packages (or xmllint) skip a test on a developer's machine, but fail it under CI
 * (process.env.CI), with the places looked in: CI must never pass by checking nothing.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";

export const PACKAGES = ["16.3.0.0", "14.4.0.1"] as const;
export type Package = (typeof PACKAGES)[number];

const BASE_NS = "http://dom.gosuslugi.ru/schema/integration/base/";
const NS_RE = /^http:\/\/dom\.gosuslugi\.ru\/schema\/integration\/([\w-]+)\/$/;

/** Where shared/gis-schema/<pkg> is looked for: the cwd and every folder above it. */
function candidates(pkg: string): string[] {
  const out: string[] = [];
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    out.push(path.join(dir, "shared", "gis-schema", pkg));
    if (path.dirname(dir) === dir) return out;
  }
}

/** …/shared/gis-schema/<pkg> (16.3.0.0 by default), wherever the clone sits; null when absent. */
export function officialDir(pkg: Package = "16.3.0.0"): string | null {
  return candidates(pkg).find((c) => fs.existsSync(path.join(c, "lib", "hcs-base.xsd"))) ?? null;
}

function missing(): string | null {
  const lost = PACKAGES.filter((p) => !officialDir(p));
  if (lost.length > 0) {
    return `official GIS schema package${lost.length > 1 ? "s" : ""} ${lost.join(", ")} not found: looked for ${candidates(lost[0]).join(", ")}`;
  }
  if (!xmllintAvailable()) return "xmllint not installed (apt-get install libxml2-utils)";
  return null;
}

/** Both official package folders; throws (naming where it looked) when one is missing. */
export function officialDirs(): Record<Package, string> {
  const why = missing();
  if (why) throw new Error(why);
  return { "16.3.0.0": officialDir("16.3.0.0")!, "14.4.0.1": officialDir("14.4.0.1")! };
}

/**
 * The `skip` option of a test that needs the official packages and xmllint: a reason on a
 * developer's machine without them; false under CI, so the test runs and fails in officialDirs().
 */
export function officialSkip(): string | false {
  const why = missing();
  return why && !process.env.CI ? why : false;
}

/**
 * For tests that add the official check to something they test anyway: true when both packages and
 * xmllint are here; false on a developer's machine without them; under CI it throws (officialDirs).
 */
export function officialAvailable(): boolean {
  if (process.env.CI) officialDirs();
  return missing() === null;
}

export function xmllintAvailable(): boolean {
  return spawnSync("xmllint", ["--version"]).status === 0;
}

/** The SOAP Body child of an envelope (or the element itself, for a bare body), serialized on its own. */
export function bodyChild(xml: string): { xml: string; ns: string; local: string; version: string | null } {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const body = doc.getElementsByTagNameNS("http://schemas.xmlsoap.org/soap/envelope/", "Body")[0];
  let c: Element | null = body ? null : (doc.documentElement as unknown as Element);
  for (let n = body?.firstChild ?? null; n; n = n.nextSibling)
    if (n.nodeType === 1) {
      c = n as unknown as Element;
      break;
    }
  if (!c) throw new Error("no SOAP Body child");
  return {
    xml: new XMLSerializer().serializeToString(c as never),
    ns: c.namespaceURI ?? "",
    local: c.localName ?? "",
    version: c.getAttributeNS(BASE_NS, "version") || null,
  };
}

/** xmllint --schema on the Body child; returns "" when valid, else xmllint's complaints. */
export function xmllintBody(xml: string, xsdFile: string): string {
  const r = spawnSync("xmllint", ["--noout", "--schema", xsdFile, "-"], { input: bodyChild(xml).xml, encoding: "utf8" });
  return r.status === 0 ? "" : r.stderr.trim();
}

/** The XSD of the service folder (or lib/hcs-base.xsd for base elements such as getStateRequest). */
export function xsdFor(dir: string, folder: string, ns: string): string {
  return ns === BASE_NS ? path.join(dir, "lib", "hcs-base.xsd") : path.join(dir, folder, `hcs-${folder}-types.xsd`);
}

/** request-versions-<pkg>.tsv beside the package; 14.4.0.1's is the first one, request-versions.tsv. */
export function versionsTsv(official: string): string {
  const pkg = path.basename(official);
  const own = path.join(official, "..", `request-versions-${pkg}.tsv`);
  return fs.existsSync(own) || pkg !== "14.4.0.1" ? own : path.join(official, "..", "request-versions.tsv");
}

function tsvLine(official: string, folder: string, element: string): string {
  return (
    fs
      .readFileSync(versionsTsv(official), "utf8")
      .split(/\r?\n/)
      .find((l) => l.startsWith(`${folder}\t${element}\t`)) ?? ""
  );
}

/** The fixed base:version of a request element, from the package's request-versions table. */
export function fixedVersionOf(official: string, folder: string, element: string): string | null {
  return /fixed=([\d.]+)/.exec(tsvLine(official, folder, element))?.[1] ?? null;
}

/** The versions listed in the annotation when not fixed ("doc_versions=" column). */
export function docVersionsOf(official: string, folder: string, element: string): string[] {
  return (/doc_versions=(.*)$/.exec(tsvLine(official, folder, element))?.[1] ?? "").match(/\d+\.\d+\.\d+\.\d+/g) ?? [];
}

/** The service folder of a body element's namespace (base elements: "lib"). */
export function folderOf(ns: string): string {
  if (ns === BASE_NS) return "lib";
  const m = NS_RE.exec(ns);
  if (!m) throw new Error(`not a GIS ЖКХ namespace: ${ns}`);
  return m[1];
}

/** Every complaint about one body in one package: xmllint's, and the base:version against the table. */
export function complaintsIn(xml: string, pkg: Package): string[] {
  const dir = officialDirs()[pkg];
  const b = bodyChild(xml);
  const folder = folderOf(b.ns);
  const out: string[] = [];
  const lint = xmllintBody(xml, xsdFor(dir, folder, b.ns));
  if (lint)
    out.push(
      ...lint
        .split("\n")
        .filter((l) => !/fails to validate$/.test(l))
        .map((l) => `${pkg} ${b.local}: ${l}`),
    );
  // Requests only: the tables are written for them (16.3.0.0's row for house-management getStateResult
  // names the version of a nested ImportResult, not of getStateResult itself).
  if (b.ns !== BASE_NS && b.local.endsWith("Request")) {
    const fixed = fixedVersionOf(dir, folder, b.local);
    const listed = docVersionsOf(dir, folder, b.local);
    if (fixed && b.version !== fixed) out.push(`${pkg} ${b.local}: base:version «${b.version ?? ""}», the package fixes «${fixed}»`);
    else if (!fixed && listed.length > 0 && !listed.includes(b.version ?? ""))
      out.push(`${pkg} ${b.local}: base:version «${b.version ?? ""}» not among ${listed.join(", ")}`);
  }
  return out;
}

/** Asserts the body (of an envelope, or a bare body element) is valid in each of these packages; the error lists every complaint. */
export function assertValidIn(xml: string, packages: readonly Package[], what = ""): void {
  const all = packages.flatMap((p) => complaintsIn(xml, p));
  assert.ok(all.length === 0, `${what ? `${what}: ` : ""}not valid in ${packages.join(" and ")}:\n  ${all.join("\n  ")}`);
}

/** Asserts the body is valid in both official packages (xmllint and the fixed base:version). */
export function assertValidInAllPackages(xml: string, what = ""): void {
  assertValidIn(xml, PACKAGES, what);
}

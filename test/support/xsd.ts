/**
 * Test helpers for schema checks that do not go through the code under test: the official package
 * beside the checkout, and xmllint run on the SOAP Body child (the way ../shared/gis-schema/README.md
 * prescribes), plus the fixed base:version read from request-versions.tsv.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";

/** …/shared/gis-schema/14.4.0.1, wherever the clone sits; null when absent. */
export function officialDir(): string | null {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const c = path.join(dir, "shared", "gis-schema", "14.4.0.1");
    if (fs.existsSync(path.join(c, "lib", "hcs-base.xsd"))) return c;
    if (path.dirname(dir) === dir) return null;
  }
}

export function xmllintAvailable(): boolean {
  return spawnSync("xmllint", ["--version"]).status === 0;
}

/** The SOAP Body child of an envelope, serialized on its own. */
export function bodyChild(xml: string): { xml: string; ns: string; local: string; version: string | null } {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  const body = doc.getElementsByTagNameNS("http://schemas.xmlsoap.org/soap/envelope/", "Body")[0];
  let c: Element | null = null;
  for (let n = body?.firstChild ?? null; n; n = n.nextSibling) if (n.nodeType === 1) { c = n as unknown as Element; break; }
  if (!c) throw new Error("no SOAP Body child");
  return {
    xml: new XMLSerializer().serializeToString(c as never),
    ns: c.namespaceURI ?? "",
    local: c.localName ?? "",
    version: c.getAttributeNS("http://dom.gosuslugi.ru/schema/integration/base/", "version") || null,
  };
}

/** xmllint --schema on the Body child; returns "" when valid, else xmllint's complaints. */
export function xmllintBody(xml: string, xsdFile: string): string {
  const r = spawnSync("xmllint", ["--noout", "--schema", xsdFile, "-"], { input: bodyChild(xml).xml, encoding: "utf8" });
  return r.status === 0 ? "" : r.stderr.trim();
}

/** The XSD of the service folder (or lib/hcs-base.xsd for base elements such as getStateRequest). */
export function xsdFor(dir: string, folder: string, ns: string): string {
  return ns === "http://dom.gosuslugi.ru/schema/integration/base/" ? path.join(dir, "lib", "hcs-base.xsd") : path.join(dir, folder, `hcs-${folder}-types.xsd`);
}

/** The fixed base:version of a request element, from request-versions.tsv beside the package. */
export function fixedVersionOf(official: string, folder: string, element: string): string | null {
  const tsv = fs.readFileSync(path.join(official, "..", "request-versions.tsv"), "utf8");
  const line = tsv.split("\n").find((l) => l.startsWith(`${folder}\t${element}\t`));
  return /fixed=([\d.]+)/.exec(line ?? "")?.[1] ?? null;
}

/** The versions listed in the annotation when not fixed ("doc_versions=" column). */
export function docVersionsOf(official: string, folder: string, element: string): string[] {
  const tsv = fs.readFileSync(path.join(official, "..", "request-versions.tsv"), "utf8");
  const line = tsv.split("\n").find((l) => l.startsWith(`${folder}\t${element}\t`)) ?? "";
  return (/doc_versions=(.*)$/.exec(line)?.[1] ?? "").match(/\d+\.\d+\.\d+\.\d+/g) ?? [];
}

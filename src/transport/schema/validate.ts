/**
 * Every request is checked against the schema in use before it is signed: the official package
 * folder named by GIS_SCHEMA_DIR (or the setting gis.schemaDir), else the package this machine has
 * at ../shared/gis-schema/14.4.0.1. The SOAP Body child goes against hcs-<service>-types.xsd with
 * xmllint; base:version is compared with the fixed value separately because libxml2 ignores `fixed`
 * on that attribute. Problems name the element, for the objects' error text.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { SERVICES, ServiceName } from "../services";

/** The official package next to the checkout (…/shared/gis-schema/14.4.0.1), wherever the clone sits. */
function sharedPackage(): string | null {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const c = path.join(dir, "shared", "gis-schema", "14.4.0.1");
    if (fs.existsSync(c)) return c;
    if (path.dirname(dir) === dir) return null;
  }
}

export function resolveSchemaDir(explicit?: string | null): string {
  const candidates = [explicit, process.env.GIS_SCHEMA_DIR, path.resolve("wsdl"), sharedPackage()];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, "lib", "hcs-base.xsd"))) return path.resolve(c);
  throw new Error("не найден пакет WSDL/XSD ГИС ЖКХ: укажите каталог в GIS_SCHEMA_DIR (папка с lib/hcs-base.xsd)");
}

export interface Problem {
  element: string | null;
  message: string;
}

function bodyElement(xml: string): Element {
  const doc = new DOMParser().parseFromString(xml, "text/xml") as unknown as Document;
  const body = doc.getElementsByTagNameNS("http://schemas.xmlsoap.org/soap/envelope/", "Body")[0];
  for (let n = body?.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) return n as Element;
  throw new Error("в запросе нет тела SOAP");
}

function xmllint(xsd: string, doc: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn("xmllint", ["--noout", "--schema", xsd, "-"], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("error", (e) => reject(new Error(`xmllint не запускается (${e.message}); установите libxml2-utils`)));
    p.on("close", (code) => resolve({ code: code ?? 1, stderr }));
    p.stdin.end(doc);
  });
}

/** Validates a built request; an empty list means valid. `fixedVersion` is checked when given. */
export async function validateRequest(xml: string, service: ServiceName, opts: { schemaDir?: string; fixedVersion?: string } = {}): Promise<Problem[]> {
  const dir = resolveSchemaDir(opts.schemaDir);
  const body = bodyElement(xml);
  const problems: Problem[] = [];
  const isBase = body.namespaceURI === "http://dom.gosuslugi.ru/schema/integration/base/";
  const xsd = isBase ? path.join(dir, "lib", "hcs-base.xsd") : path.join(dir, SERVICES[service].folder, `hcs-${SERVICES[service].folder}-types.xsd`);
  const r = await xmllint(xsd, new XMLSerializer().serializeToString(body as never));
  if (r.code !== 0) {
    for (const line of r.stderr.split("\n")) {
      const m = /Element '([^']+)'(?:, attribute '([^']+)')?: (.*)$/.exec(line);
      if (m) problems.push({ element: m[1].replace(/^\{[^}]*\}/, ""), message: m[3].trim() });
    }
    if (problems.length === 0) problems.push({ element: null, message: r.stderr.trim().split("\n")[0] ?? "не соответствует схеме" });
  }
  if (opts.fixedVersion !== undefined) {
    const v = body.getAttributeNS("http://dom.gosuslugi.ru/schema/integration/base/", "version");
    if (v !== opts.fixedVersion) problems.push({ element: body.localName, message: `base:version «${v}», схема требует «${opts.fixedVersion}»` });
  }
  return problems;
}

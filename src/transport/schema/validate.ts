/**
 * Every request is checked against the schema in use before it is signed: the official package
 * folder named by GIS_SCHEMA_DIR (or an explicit argument — the settings module passes
 * gis.schemaDir), else the project's own trimmed copies in wsdl/. The SOAP Body child (the signed
 * container) is validated against hcs-<service>-types.xsd (lib/hcs-base.xsd for getState).
 *
 * Fast path: libxml2 compiled to WebAssembly (npm "libxml2-wasm"), in process, with one compiled
 * XsdValidator cached per XSD file; the container is validated as a subtree of the parsed envelope.
 * Fallback: the xmllint command (libxml2-utils) when the package cannot be loaded.
 * libxml2 does not enforce `fixed` on `ref="base:version"` attributes, so base:version is compared
 * separately with the version table of the package in force (./versions.ts): an official folder's
 * own table beside it, or, on the project's wsdl/, the table of the selected format package
 * (gis.formatPackage, 16.3.0.0 by default). Problems name the element, for the objects' error text.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SERVICES, type ServiceName } from "../services";
import type { FormatPackage } from "./packages";
import { type SchemaInForce, type VersionTable, ruleFor, schemaPackage } from "./versions";

const BASE_NS = "http://dom.gosuslugi.ru/schema/integration/base/";
const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

/** The project's wsdl/ folder (next to src/ in the checkout; dist/ sits one level deeper). */
export function projectSchemaDir(): string {
  for (const c of [path.resolve(__dirname, "../../../wsdl"), path.resolve(__dirname, "../../../../wsdl"), path.resolve("wsdl")]) {
    if (fs.existsSync(path.join(c, "lib", "hcs-base.xsd"))) return c;
  }
  return path.resolve("wsdl");
}

/** The schema folder in use: the explicit argument, else GIS_SCHEMA_DIR, else the project's wsdl/. */
export function resolveSchemaDir(explicit?: string | null): string {
  const dir = explicit || process.env.GIS_SCHEMA_DIR || projectSchemaDir();
  if (!fs.existsSync(path.join(dir, "lib", "hcs-base.xsd"))) {
    throw new Error(`каталог схем ГИС ЖКХ «${dir}» не похож на пакет WSDL/XSD: нет lib/hcs-base.xsd (GIS_SCHEMA_DIR)`);
  }
  return path.resolve(dir);
}

export interface Problem {
  /** Local name of the offending element (or the container for version problems); null if unknown. */
  element: string | null;
  message: string;
  /** For "missing child" errors: the local names libxml2 expected. */
  expected?: string[];
  /** XPath of the element in the envelope, when libxml2 gives it. */
  path?: string;
}

export interface ValidateOptions {
  schemaDir?: string | null;
  /** The selected format package (gis.formatPackage); on the project's wsdl/ it picks the version table. */
  formatPackage?: FormatPackage | string | null;
  /** The base:version the method declares for the package: required exactly, on top of the table. */
  fixedVersion?: string;
  /** "wasm" (default when loadable) or "xmllint". */
  engine?: "wasm" | "xmllint";
}

/** The XSD a container is validated with. */
export function schemaFileFor(dir: string, service: ServiceName, containerNs: string): string {
  if (containerNs === BASE_NS) return path.join(dir, "lib", "hcs-base.xsd");
  const f = SERVICES[service].folder;
  return path.join(dir, f, `hcs-${f}-types.xsd`);
}

// ---- libxml2-wasm ----------------------------------------------------------------------------

type Lx = typeof import("libxml2-wasm");
let lxPromise: Promise<Lx | null> | null = null;
// TypeScript (module commonjs) would turn import() into require(), which cannot load this ES module.
const esmImport = new Function("s", "return import(s)") as (s: string) => Promise<unknown>;

function loadLibxml(): Promise<Lx | null> {
  lxPromise ??= (async () => {
    try {
      const lx = (await esmImport("libxml2-wasm")) as Lx;
      const node = (await esmImport("libxml2-wasm/lib/nodejs.mjs")) as { xmlRegisterFsInputProviders(): boolean };
      node.xmlRegisterFsInputProviders();
      return lx;
    } catch {
      return null;
    }
  })();
  return lxPromise;
}

interface Compiled {
  validate(el: unknown): void;
}
const validators = new Map<string, Compiled>();

function compiled(lx: Lx, xsdFile: string): Compiled {
  let v = validators.get(xsdFile);
  if (!v) {
    const doc = lx.XmlDocument.fromBuffer(fs.readFileSync(xsdFile), { url: xsdFile });
    try {
      v = lx.XsdValidator.fromDoc(doc) as unknown as Compiled;
    } finally {
      doc.dispose();
    }
    validators.set(xsdFile, v);
  }
  return v;
}

/** Compiles (and caches) the schemas for these services ahead of time. */
export async function warmUp(services: ServiceName[], schemaDir?: string): Promise<boolean> {
  const lx = await loadLibxml();
  if (!lx) return false;
  const dir = resolveSchemaDir(schemaDir);
  compiled(lx, path.join(dir, "lib", "hcs-base.xsd"));
  for (const s of services) compiled(lx, schemaFileFor(dir, s, ""));
  return true;
}

const ELEMENT_RE = /Element '(?:\{[^}]*\})?([^']+)'(?:, attribute '([^']+)')?: ([\s\S]*)$/;

function problemOf(message: string, xpath?: string): Problem {
  const m = ELEMENT_RE.exec(message.trim());
  if (!m) return { element: null, message: message.trim(), path: xpath };
  const text = m[3].trim();
  const p: Problem = { element: m[1], message: m[2] ? `attribute ${m[2]}: ${text}` : text };
  const exp = /Expected is(?: one of)? \(\s*([^)]*)\)/.exec(text);
  if (exp)
    p.expected = exp[1]
      .split(",")
      .map((s) => s.trim().replace(/^\{[^}]*\}/, ""))
      .filter(Boolean);
  if (xpath) p.path = xpath;
  return p;
}

/** The schema folder, package and version table a validation uses (cached per folder and package). */
const inForce = new Map<string, SchemaInForce>();
export function schemaInForce(opts: Pick<ValidateOptions, "schemaDir" | "formatPackage"> = {}): SchemaInForce {
  const dir = resolveSchemaDir(opts.schemaDir);
  const key = `${dir}\t${opts.formatPackage ?? ""}`;
  const known = inForce.get(key);
  if (known) return known;
  const s = schemaPackage(dir, opts.formatPackage);
  inForce.set(key, s);
  return s;
}

/** Only requests are checked: they are what we send, and the official tables are written for them. */
function versionProblems(folder: string, element: string, version: string | null, fixed: string | undefined, s: SchemaInForce): Problem[] {
  if (!element.endsWith("Request")) return [];
  const v = version ?? "";
  const problems: Problem[] = [];
  const rule = ruleFor(s.versions as VersionTable | null, folder, element);
  const pkg = s.package ? `пакет ${s.package}` : "схема";
  if (rule?.fixed && v !== rule.fixed) problems.push({ element, message: `base:version «${v}», ${pkg} требует «${rule.fixed}»` });
  else if (rule && !rule.fixed && rule.documented.length > 0 && !rule.documented.includes(v)) {
    problems.push({ element, message: `base:version «${v}» не из допустимых (${pkg}): ${rule.documented.join(", ")}` });
  }
  if (fixed !== undefined && v !== fixed && !problems.some((p) => p.message.includes(`«${fixed}»`))) {
    problems.push({ element, message: `base:version «${v}», метод для ${s.package ?? "этого пакета"} отправляет «${fixed}»` });
  }
  return problems;
}

async function validateWasm(lx: Lx, xml: string, service: ServiceName, s: SchemaInForce, fixed: string | undefined): Promise<Problem[]> {
  let doc;
  try {
    doc = lx.XmlDocument.fromString(xml);
  } catch (e) {
    return [{ element: null, message: `запрос — некорректный XML: ${(e as Error).message.trim()}` }];
  }
  try {
    let body = null as null | InstanceType<Lx["XmlElement"]>;
    for (let n = doc.root.firstChild; n; n = n.next) {
      if (n instanceof lx.XmlElement && n.namespaceUri === SOAP_NS && n.name === "Body") body = n;
    }
    let container = null as null | InstanceType<Lx["XmlElement"]>;
    for (let n = body?.firstChild ?? null; n; n = n.next)
      if (n instanceof lx.XmlElement) {
        container = n;
        break;
      }
    if (!container) return [{ element: null, message: "в запросе нет тела SOAP" }];
    const problems: Problem[] = [];
    try {
      compiled(lx, schemaFileFor(s.dir, service, container.namespaceUri)).validate(container);
    } catch (e) {
      if (e instanceof lx.XmlValidateError) for (const d of e.details) problems.push(problemOf(d.message, d.xpath));
      else throw e;
      if (problems.length === 0) problems.push({ element: null, message: (e as Error).message.trim() });
    }
    const v = container.attrs.find((a) => a.name === "version" && a.namespaceUri === BASE_NS)?.value ?? null;
    if (container.namespaceUri !== BASE_NS) problems.push(...versionProblems(SERVICES[service].folder, container.name, v, fixed, s));
    return problems;
  } finally {
    doc.dispose();
  }
}

// ---- xmllint fallback ------------------------------------------------------------------------

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

/**
 * The container's text cut out of our own envelope (it declares every namespace it uses, so it
 * stands alone). Only for envelopes gis-sync built; anything else goes through the wasm path.
 */
function containerText(xml: string): { text: string; ns: string; local: string; version: string | null } | null {
  const b = /<([A-Za-z_][\w.-]*:)?Body[^>]*>/.exec(xml);
  if (!b) return null;
  const start = b.index + b[0].length;
  const end = xml.lastIndexOf(`</${b[1] ?? ""}Body>`);
  if (end < start) return null;
  const text = xml.slice(start, end).trim();
  const open = /^<(?:([\w.-]+):)?([\w.-]+)([^>]*)>/.exec(text);
  if (!open) return null;
  const nsDecl = new RegExp(`xmlns${open[1] ? ":" + open[1].replace(/[.-]/g, "\\$&") : ""}="([^"]*)"`).exec(open[3]);
  const ver = /\s[\w.-]+:version="([^"]*)"/.exec(open[3]);
  return { text, ns: nsDecl?.[1] ?? "", local: open[2], version: ver?.[1] ?? null };
}

async function validateXmllint(xml: string, service: ServiceName, s: SchemaInForce, fixed: string | undefined): Promise<Problem[]> {
  const c = containerText(xml);
  if (!c) return [{ element: null, message: "в запросе нет тела SOAP" }];
  const r = await xmllint(schemaFileFor(s.dir, service, c.ns), c.text);
  const problems: Problem[] = [];
  if (r.code !== 0) {
    for (const line of r.stderr.split("\n")) if (/Element '/.test(line)) problems.push(problemOf(line.replace(/^[^:]*:\d+: [^:]*: /, "")));
    if (problems.length === 0) problems.push({ element: null, message: r.stderr.trim().split("\n")[0] || "не соответствует схеме" });
  }
  if (c.ns !== BASE_NS) problems.push(...versionProblems(SERVICES[service].folder, c.local, c.version, fixed, s));
  return problems;
}

/**
 * Validates a built request (the whole envelope); an empty list means valid. The container's
 * base:version is checked against the version table of the package in force, and against
 * `opts.fixedVersion` (what the method sends under that package) when given.
 */
export async function validateRequest(xml: string, service: ServiceName, opts: ValidateOptions = {}): Promise<Problem[]> {
  const s = schemaInForce(opts);
  const lx = opts.engine === "xmllint" ? null : await loadLibxml();
  if (lx) return validateWasm(lx, xml, service, s, opts.fixedVersion);
  return validateXmllint(xml, service, s, opts.fixedVersion);
}

/** True when the in-process validator (libxml2-wasm) is available. */
export async function inProcessValidation(): Promise<boolean> {
  return (await loadLibxml()) !== null;
}

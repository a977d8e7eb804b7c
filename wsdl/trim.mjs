#!/usr/bin/env node
// Regenerates the project's trimmed WSDL/XSD copies from an official GIS ЖКХ package:
//   node wsdl/trim.mjs ../shared/gis-schema/14.4.0.1
// For every service in wsdl/operations.json it keeps only the listed WSDL operations (plus their
// messages), and in the XSDs only the global components those messages reach (transitively, through
// type/base/ref/itemType/memberTypes/substitutionGroup). Names, namespaces, element order, facets and
// base:version values are untouched; annotations are dropped to keep the copies small. Requests valid
// against these copies are valid against the official package (and vice versa for what we build).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";

const XS = "http://www.w3.org/2001/XMLSchema";
const WSDL = "http://schemas.xmlsoap.org/wsdl/";
const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.resolve(process.argv[2] ?? path.join(here, "..", "..", "shared", "gis-schema", "14.4.0.1"));
const ops = JSON.parse(fs.readFileSync(path.join(here, "operations.json"), "utf8"));

const parse = (f) => new DOMParser().parseFromString(fs.readFileSync(f, "utf8"), "text/xml");
const kids = (n) => Array.from(n.childNodes).filter((c) => c.nodeType === 1);

// ---- load every XSD the services reach -------------------------------------------------------
const schemas = new Map(); // abs path -> { doc, tns }
function load(file) {
  if (schemas.has(file)) return;
  const doc = parse(file);
  const root = doc.documentElement;
  schemas.set(file, { doc, tns: root.getAttribute("targetNamespace") });
  for (const imp of kids(root)) {
    if (imp.namespaceURI === XS && (imp.localName === "import" || imp.localName === "include") && imp.getAttribute("schemaLocation")) {
      load(path.resolve(path.dirname(file), imp.getAttribute("schemaLocation")));
    }
  }
}
for (const svc of Object.keys(ops)) load(path.join(src, svc, `hcs-${svc}-types.xsd`));
load(path.join(src, "lib", "hcs-base.xsd"));

// component key: kind|ns|name ; kind "type" covers complexType and simpleType
const comps = new Map();
for (const [file, s] of schemas) {
  for (const c of kids(s.doc.documentElement)) {
    if (c.namespaceURI !== XS || !c.getAttribute("name")) continue;
    const kind = c.localName === "complexType" || c.localName === "simpleType" ? "type" : c.localName;
    comps.set(`${kind}|${s.tns}|${c.getAttribute("name")}`, { node: c, file });
  }
}

function qname(node, value) {
  const i = value.indexOf(":");
  const prefix = i < 0 ? null : value.slice(0, i);
  const ns = node.lookupNamespaceURI(prefix);
  return { ns, local: i < 0 ? value : value.slice(i + 1) };
}

const keep = new Set();
function mark(key) {
  if (keep.has(key)) return;
  const c = comps.get(key);
  if (!c) return; // xs: built-ins
  keep.add(key);
  walk(c.node);
}
function walk(n) {
  if (n.nodeType !== 1) return;
  if (n.namespaceURI === XS && n.localName === "annotation") return;
  for (const attr of ["type", "base", "itemType"]) {
    if (n.getAttribute(attr)) { const q = qname(n, n.getAttribute(attr)); mark(`type|${q.ns}|${q.local}`); }
  }
  if (n.getAttribute("memberTypes")) {
    for (const v of n.getAttribute("memberTypes").trim().split(/\s+/)) { const q = qname(n, v); mark(`type|${q.ns}|${q.local}`); }
  }
  if (n.getAttribute("substitutionGroup")) { const q = qname(n, n.getAttribute("substitutionGroup")); mark(`element|${q.ns}|${q.local}`); }
  if (n.getAttribute("ref")) {
    const q = qname(n, n.getAttribute("ref"));
    mark(`${n.localName}|${q.ns}|${q.local}`); // element / attribute / group / attributeGroup
  }
  for (const c of kids(n)) walk(c);
}

// ---- WSDLs: keep the listed operations --------------------------------------------------------
const out = new Map(); // relative path -> text
const ser = new XMLSerializer();
function tidy(text) {
  return text.replace(/\n\s*\n(\s*\n)*/g, "\n").replace(/\t/g, "  ");
}
for (const [svc, wanted] of Object.entries(ops)) {
  const wsdlFile = fs.readdirSync(path.join(src, svc)).find((f) => f.endsWith(".wsdl"));
  const doc = parse(path.join(src, svc, wsdlFile));
  const root = doc.documentElement;
  const usedMessages = new Set();
  for (const holder of [...kids(root).filter((c) => c.localName === "portType" || c.localName === "binding")]) {
    for (const op of kids(holder).filter((c) => c.localName === "operation")) {
      if (!wanted.includes(op.getAttribute("name"))) { holder.removeChild(op); continue; }
      if (holder.localName === "portType") {
        for (const io of kids(op)) if (io.getAttribute("message")) usedMessages.add(io.getAttribute("message").replace(/^.*:/, ""));
        for (const d of kids(op).filter((c) => c.localName === "documentation")) op.removeChild(d);
      } else {
        for (const io of kids(op)) for (const h of kids(io)) if (h.getAttribute("message")) usedMessages.add(h.getAttribute("message").replace(/^.*:/, ""));
      }
    }
  }
  const found = new Set();
  for (const op of kids(root).filter((c) => c.localName === "portType").flatMap(kids)) found.add(op.getAttribute("name"));
  for (const w of wanted) if (!found.has(w)) throw new Error(`${svc}: no operation ${w} in ${wsdlFile}`);
  for (const m of kids(root).filter((c) => c.localName === "message")) {
    if (!usedMessages.has(m.getAttribute("name"))) { root.removeChild(m); continue; }
    for (const part of kids(m)) { const q = qname(part, part.getAttribute("element")); mark(`element|${q.ns}|${q.local}`); }
  }
  out.set(`${svc}/${wsdlFile}`, tidy(`<?xml version="1.0" encoding="UTF-8"?>\n<!-- Trimmed from the official GIS ЖКХ package (wsdl/trim.mjs): only the operations gis-sync uses. -->\n` + ser.serializeToString(root)));
}
// ds:Signature is the first child of every request
mark("element|http://www.w3.org/2000/09/xmldsig#|Signature");

// ---- XSDs: drop unreached components and annotations -----------------------------------------
function strip(n) {
  for (const c of Array.from(n.childNodes)) {
    if (c.nodeType === 8) n.removeChild(c);
    else if (c.nodeType === 1 && c.namespaceURI === XS && c.localName === "annotation") n.removeChild(c);
    else if (c.nodeType === 1) strip(c);
  }
}
const emitted = new Set();
for (const [file, s] of schemas) {
  const root = s.doc.documentElement;
  let any = false;
  for (const c of kids(root)) {
    if (c.namespaceURI !== XS) continue;
    if (c.localName === "import" || c.localName === "include") continue;
    const kind = c.localName === "complexType" || c.localName === "simpleType" ? "type" : c.localName;
    if (c.getAttribute("name") && keep.has(`${kind}|${s.tns}|${c.getAttribute("name")}`)) any = true;
    else root.removeChild(c);
  }
  if (any) emitted.add(file);
}
for (const [file, s] of schemas) {
  if (!emitted.has(file)) continue;
  const root = s.doc.documentElement;
  for (const imp of kids(root).filter((c) => c.localName === "import")) {
    const loc = imp.getAttribute("schemaLocation");
    if (loc && !emitted.has(path.resolve(path.dirname(file), loc))) root.removeChild(imp);
  }
  strip(root);
  const rel = path.relative(src, file);
  out.set(rel, tidy(`<?xml version="1.0" encoding="UTF-8"?>\n<!-- Trimmed from the official GIS ЖКХ package (wsdl/trim.mjs): only the components gis-sync's requests and results reach. -->\n` + ser.serializeToString(root)));
}

// ---- write ------------------------------------------------------------------------------------
for (const dir of fs.readdirSync(here, { withFileTypes: true })) {
  if (dir.isDirectory()) fs.rmSync(path.join(here, dir.name), { recursive: true });
}
let total = 0;
for (const [rel, text] of [...out].sort()) {
  fs.mkdirSync(path.join(here, path.dirname(rel)), { recursive: true });
  fs.writeFileSync(path.join(here, rel), text + "\n");
  total += Buffer.byteLength(text);
  console.log(`${String(Buffer.byteLength(text)).padStart(8)}  ${rel}`);
}
console.log(`${String(total).padStart(8)}  total, ${keep.size} components kept`);

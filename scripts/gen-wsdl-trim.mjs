// The trimming half of scripts/gen-wsdl.mjs: from an official GIS ЖКХ package, the WSDLs with only
// the listed operations (and their messages), and the XSDs with only the global components those
// messages reach (transitively, through type/base/ref/itemType/memberTypes/substitutionGroup) plus
// ds:Signature. Names, namespaces, element order, facets and base:version values are untouched;
// annotations and comments are dropped to keep the copies small.
import fs from "node:fs";
import path from "node:path";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";

export const XS = "http://www.w3.org/2001/XMLSchema";
const DSIG = "http://www.w3.org/2000/09/xmldsig#";

// Official files come with CRLF or bare CR line ends; XML reads both as LF anyway.
export const parseXml = (file) => new DOMParser().parseFromString(fs.readFileSync(file, "utf8").replace(/\r\n?/g, "\n"), "text/xml");
export const kids = (n) => Array.from(n.childNodes).filter((c) => c.nodeType === 1);
const kindOf = (c) => (c.localName === "complexType" || c.localName === "simpleType" ? "type" : c.localName);
const tidy = (text) => text.replace(/\n\s*\n(\s*\n)*/g, "\n").replace(/\t/g, "  ");

function qname(node, value) {
  const i = value.indexOf(":");
  return { ns: node.lookupNamespaceURI(i < 0 ? null : value.slice(0, i)), local: i < 0 ? value : value.slice(i + 1) };
}

/** Every XSD a service's types file reaches (imports and includes), by absolute path. */
export function loadSchemas(src, services) {
  const schemas = new Map();
  const load = (file) => {
    if (schemas.has(file)) return;
    if (!fs.existsSync(file)) throw new Error(`нет файла ${file} в пакете ${src}`);
    const doc = parseXml(file);
    schemas.set(file, { doc, tns: doc.documentElement.getAttribute("targetNamespace") });
    for (const imp of kids(doc.documentElement)) {
      const loc = imp.namespaceURI === XS && (imp.localName === "import" || imp.localName === "include") && imp.getAttribute("schemaLocation");
      if (loc) load(path.resolve(path.dirname(file), loc));
    }
  };
  for (const svc of services) load(path.join(src, svc, `hcs-${svc}-types.xsd`));
  load(path.join(src, "lib", "hcs-base.xsd"));
  return schemas;
}

/**
 * Trims the package at `src` to the operations `ops` ({service: [operation…]}). Returns the files
 * as a Map of relative path → text, and the number of components kept. `header` is the comment
 * each file starts with.
 */
export function trimPackage(src, ops, header) {
  const schemas = loadSchemas(src, Object.keys(ops));
  const comps = new Map(); // kind|ns|name → node
  for (const [, s] of schemas) {
    for (const c of kids(s.doc.documentElement)) {
      if (c.namespaceURI === XS && c.getAttribute("name")) comps.set(`${kindOf(c)}|${s.tns}|${c.getAttribute("name")}`, c);
    }
  }
  const keep = new Set();
  const mark = (key) => {
    if (keep.has(key) || !comps.has(key)) return; // absent: an xs: built-in
    keep.add(key);
    walk(comps.get(key));
  };
  const markType = (n, v) => {
    const q = qname(n, v);
    mark(`type|${q.ns}|${q.local}`);
  };
  function walk(n) {
    if (n.nodeType !== 1 || (n.namespaceURI === XS && n.localName === "annotation")) return;
    for (const attr of ["type", "base", "itemType"]) if (n.getAttribute(attr)) markType(n, n.getAttribute(attr));
    if (n.getAttribute("memberTypes")) for (const v of n.getAttribute("memberTypes").trim().split(/\s+/)) markType(n, v);
    if (n.getAttribute("substitutionGroup")) {
      const q = qname(n, n.getAttribute("substitutionGroup"));
      mark(`element|${q.ns}|${q.local}`);
    }
    if (n.getAttribute("ref")) {
      const q = qname(n, n.getAttribute("ref"));
      mark(`${n.localName}|${q.ns}|${q.local}`);
    }
    for (const c of kids(n)) walk(c);
  }

  const out = new Map();
  const ser = new XMLSerializer();
  for (const [svc, wanted] of Object.entries(ops)) {
    const wsdlFile = fs.readdirSync(path.join(src, svc)).find((f) => f.endsWith(".wsdl"));
    if (!wsdlFile) throw new Error(`${svc}: нет WSDL в ${path.join(src, svc)}`);
    const root = parseXml(path.join(src, svc, wsdlFile)).documentElement;
    const used = new Set();
    const found = new Set();
    for (const holder of kids(root).filter((c) => c.localName === "portType" || c.localName === "binding")) {
      for (const op of kids(holder).filter((c) => c.localName === "operation")) {
        if (holder.localName === "portType") found.add(op.getAttribute("name"));
        if (!wanted.includes(op.getAttribute("name"))) {
          holder.removeChild(op);
          continue;
        }
        for (const io of kids(op)) {
          if (io.getAttribute("message")) used.add(io.getAttribute("message").replace(/^.*:/, ""));
          for (const h of kids(io)) if (h.getAttribute("message")) used.add(h.getAttribute("message").replace(/^.*:/, ""));
          if (io.localName === "documentation") op.removeChild(io);
        }
      }
    }
    for (const w of wanted) if (!found.has(w)) throw new Error(`${svc}: нет операции ${w} в ${wsdlFile}`);
    for (const m of kids(root).filter((c) => c.localName === "message")) {
      if (!used.has(m.getAttribute("name"))) {
        root.removeChild(m);
        continue;
      }
      for (const part of kids(m)) {
        const q = qname(part, part.getAttribute("element"));
        mark(`element|${q.ns}|${q.local}`);
      }
    }
    out.set(
      `${svc}/${wsdlFile}`,
      tidy(`<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${header}: only the operations gis-sync uses. -->\n${ser.serializeToString(root)}`),
    );
  }
  mark(`element|${DSIG}|Signature`); // the first child of every signed request

  const strip = (n) => {
    for (const c of Array.from(n.childNodes)) {
      if (c.nodeType === 8 || (c.nodeType === 1 && c.namespaceURI === XS && c.localName === "annotation")) n.removeChild(c);
      else if (c.nodeType === 1) strip(c);
    }
  };
  const emitted = new Set();
  for (const [file, s] of schemas) {
    const root = s.doc.documentElement;
    for (const c of kids(root)) {
      if (c.namespaceURI !== XS || c.localName === "import" || c.localName === "include") continue;
      if (c.getAttribute("name") && keep.has(`${kindOf(c)}|${s.tns}|${c.getAttribute("name")}`)) emitted.add(file);
      else root.removeChild(c);
    }
  }
  for (const [file, s] of schemas) {
    if (!emitted.has(file)) continue;
    const root = s.doc.documentElement;
    for (const imp of kids(root).filter((c) => c.localName === "import")) {
      const loc = imp.getAttribute("schemaLocation");
      if (loc && !emitted.has(path.resolve(path.dirname(file), loc))) root.removeChild(imp);
    }
    strip(root);
    out.set(
      path.relative(src, file),
      tidy(
        `<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${header}: only the components gis-sync's requests and results reach. -->\n${ser.serializeToString(root)}`,
      ),
    );
  }
  return { files: out, components: keep.size };
}

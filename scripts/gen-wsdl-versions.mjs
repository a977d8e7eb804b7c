// The version-table half of scripts/gen-wsdl.mjs: for each package, the base:version rule of every
// request element the kept operations send (and of each service's getStateResult), read from the
// package's own XSD — the fixed value of the element's `ref="base:version"` attribute, or the
// versions its annotation names — in the format of the official request-versions*.tsv. Where the
// official table beside the package says otherwise, the XSD wins (it is what GIS validates with)
// and the difference is reported.
import fs from "node:fs";
import path from "node:path";
import { XS, kids, parseXml } from "./gen-wsdl-trim.mjs";

const VERSION_RE = /\d+\.\d+\.\d+\.\d+/g;

/** Request elements of the wanted operations, from the WSDL's input messages. */
function requestElements(src, svc, wanted) {
  const file = fs.readdirSync(path.join(src, svc)).find((f) => f.endsWith(".wsdl"));
  const root = parseXml(path.join(src, svc, file)).documentElement;
  const parts = new Map(
    kids(root)
      .filter((c) => c.localName === "message")
      .map((m) => [m.getAttribute("name"), kids(m)[0]?.getAttribute("element") ?? ""]),
  );
  const elements = [];
  for (const op of kids(root)
    .filter((c) => c.localName === "portType")
    .flatMap(kids)) {
    if (op.localName !== "operation" || !wanted.includes(op.getAttribute("name"))) continue;
    const input = kids(op).find((c) => c.localName === "input");
    const el = parts.get(input?.getAttribute("message").replace(/^.*:/, "") ?? "") ?? "";
    if (el && !el.startsWith("base:")) elements.push(el.replace(/^.*:/, ""));
  }
  return [...new Set(elements)];
}

/** The element's own base:version attribute use (not one of a nested element's). */
function ruleOf(element) {
  let attr = null;
  const walk = (n) => {
    for (const c of kids(n)) {
      if (c.namespaceURI !== XS || c.localName === "element" || c.localName === "annotation") continue;
      if (c.localName === "attribute" && /(^|:)version$/.test(c.getAttribute("ref") ?? "")) attr ??= c;
      walk(c);
    }
  };
  walk(element);
  const doc = kids(element).find((c) => c.localName === "annotation");
  const fixed = attr?.getAttribute("fixed") || null;
  return {
    fixed,
    use: attr?.getAttribute("use") || null,
    documented: fixed ? [] : [...new Set((doc?.textContent ?? "").match(VERSION_RE) ?? [])],
  };
}

function officialTable(src, pkg) {
  const file = [path.join(src, "..", `request-versions-${pkg}.tsv`), ...(pkg === "14.4.0.1" ? [path.join(src, "..", "request-versions.tsv")] : [])].find((f) =>
    fs.existsSync(f),
  );
  const rows = new Map();
  if (!file) return { file: null, rows };
  for (const line of fs.readFileSync(file, "utf8").split(/\r?\n/)) {
    const [svc, el, ...cols] = line.split("\t");
    if (!svc || !el) continue;
    const col = (n) => cols.find((c) => c.startsWith(`${n}=`))?.slice(n.length + 1) ?? "";
    rows.set(`${svc}\t${el}`, { fixed: col("fixed") === "None" ? null : col("fixed") || null, documented: col("doc_versions").match(VERSION_RE) ?? [] });
  }
  return { file, rows };
}

/** The table text for package `pkg` at `src`, plus warnings (differences from the official table, missing operations). */
export function versionTable(src, pkg, ops) {
  const official = officialTable(src, pkg);
  const lines = [`# base:version per request element, package ${pkg}, read from its XSDs by scripts/gen-wsdl.mjs`];
  const warnings = [];
  if (!official.file) warnings.push(`${pkg}: нет официальной таблицы request-versions рядом с пакетом — только XSD`);
  for (const [svc, wanted] of Object.entries(ops)) {
    const xsd = path.join(src, svc, `hcs-${svc}-types.xsd`);
    const top = new Map(
      kids(parseXml(xsd).documentElement)
        .filter((c) => c.namespaceURI === XS && c.localName === "element")
        .map((c) => [c.getAttribute("name"), c]),
    );
    for (const name of [...requestElements(src, svc, wanted), "getStateResult"]) {
      const node = top.get(name);
      if (!node) {
        warnings.push(`${pkg} ${svc}: нет элемента ${name}`);
        continue;
      }
      const r = ruleOf(node);
      const o = official.rows.get(`${svc}\t${name}`);
      if (o && (o.fixed !== r.fixed || o.documented.join(",") !== r.documented.join(","))) {
        warnings.push(
          `${pkg} ${svc} ${name}: официальная таблица fixed=${o.fixed ?? "None"} doc=${o.documented.join(",")}, в XSD fixed=${r.fixed ?? "None"} doc=${r.documented.join(",")} — берём XSD`,
        );
      }
      lines.push([svc, name, `fixed=${r.fixed ?? "None"}`, `use=${r.use ?? "None"}`, `doc_versions=${r.documented.join(",")}`].join("\t"));
    }
  }
  return { text: `${lines.join("\n")}\n`, warnings };
}

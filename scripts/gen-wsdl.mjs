#!/usr/bin/env node
// Regenerates wsdl/ — gis-sync's own trimmed copies of the GIS ЖКХ WSDL/XSD — from an official package:
//
//   node scripts/gen-wsdl.mjs [--from DIR] [--operations FILE] [--versions PKG=DIR]… [--out DIR] [--check]
//
//   --from DIR         the official package to trim (default: shared/gis-schema/16.3.0.0, looked for
//                      upwards from the current folder and from this script's)
//   --operations FILE  the operations to keep: {"<service>": ["<operation>", …]} or an array of
//                      {"service", "operation"} (what a registry of method modules writes); default
//                      wsdl/operations.json. getState is always kept. The list is written back to
//                      wsdl/operations.json, normalized, as the record of what the copies hold.
//   --versions PKG=DIR a package to write a base:version table for (wsdl/request-versions-PKG.tsv);
//                      default: every package gis-sync speaks, found beside --from
//   --out DIR          where to write (default: the project's wsdl/)
//   --check            write nothing; exit 1 and list the files that would change
//
// Besides the trimmed tree it writes wsdl/format-package.txt (the package the XSDs come from) and
// the version tables; wsdl/README.md is left alone.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { trimPackage } from "./gen-wsdl-trim.mjs";
import { versionTable } from "./gen-wsdl-versions.mjs";

// The same list as FORMAT_PACKAGES in src/transport/schema/packages.ts (this script runs without a build).
const PACKAGES = ["16.3.0.0", "14.4.0.1"];
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

function args(argv) {
  const o = { versions: [], check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a}: нужно значение`);
      return argv[++i];
    };
    if (a === "--from") o.from = value();
    else if (a === "--operations") o.operations = value();
    else if (a === "--out") o.out = value();
    else if (a === "--versions") {
      const [pkg, dir] = value().split("=");
      if (!pkg || !dir) throw new Error("--versions: PKG=DIR, например 14.4.0.1=../shared/gis-schema/14.4.0.1");
      o.versions.push({ pkg, dir });
    } else if (a === "--check") o.check = true;
    else if (!a.startsWith("-") && !o.from)
      o.from = a; // the old form: trim.mjs <package>
    else throw new Error(`неизвестный параметр ${a}`);
  }
  return o;
}

function findShared(pkg) {
  for (const start of [process.cwd(), root]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const c = path.join(dir, "shared", "gis-schema", pkg);
      if (fs.existsSync(path.join(c, "lib", "hcs-base.xsd"))) return c;
      if (path.dirname(dir) === dir) break;
    }
  }
  return null;
}

/** {service: [operation…]} from either input shape, getState first, duplicates dropped. */
function readOperations(file) {
  const raw = JSON.parse(fs.readFileSync(file, "utf8"));
  const list = Array.isArray(raw) ? raw : Array.isArray(raw.operations) ? raw.operations : null;
  const ops = {};
  const add = (svc, op, where) => {
    if (typeof svc !== "string" || typeof op !== "string" || !svc || !op) throw new Error(`${file}: ${where} — нужны service и operation`);
    ops[svc] ??= ["getState"];
    if (!ops[svc].includes(op)) ops[svc].push(op);
  };
  if (list) for (const [i, m] of list.entries()) add(m?.service, m?.operation, `элемент ${i + 1}`);
  else
    for (const [svc, names] of Object.entries(raw)) {
      if (!Array.isArray(names)) throw new Error(`${file}: ${svc} — ожидается массив операций`);
      for (const n of names) add(svc, n, svc);
    }
  return ops;
}

function main() {
  const o = args(process.argv.slice(2));
  const from = path.resolve(o.from ?? findShared(PACKAGES[0]) ?? "");
  if (!fs.existsSync(path.join(from, "lib", "hcs-base.xsd")))
    throw new Error(`официальный пакет не найден (${o.from ?? `shared/gis-schema/${PACKAGES[0]}`}): укажите --from`);
  const out = path.resolve(o.out ?? path.join(root, "wsdl"));
  const ops = readOperations(path.resolve(o.operations ?? path.join(root, "wsdl", "operations.json")));
  const pkg = /^(\d+\.\d+\.\d+\.\d+)/.exec(path.basename(from))?.[1];
  if (!pkg) throw new Error(`${from}: имя каталога пакета должно начинаться с его номера (16.3.0.0)`);

  const { files, components } = trimPackage(from, ops, `Trimmed from the official GIS ЖКХ package ${pkg} (scripts/gen-wsdl.mjs)`);
  const versions = o.versions.length > 0 ? o.versions : PACKAGES.map((p) => ({ pkg: p, dir: p === pkg ? from : path.join(from, "..", p) }));
  for (const v of versions) {
    if (!fs.existsSync(path.join(v.dir, "lib", "hcs-base.xsd"))) throw new Error(`пакет ${v.pkg} не найден в ${v.dir}: укажите --versions ${v.pkg}=DIR`);
    const t = versionTable(path.resolve(v.dir), v.pkg, ops);
    for (const w of t.warnings) console.warn(`внимание: ${w}`);
    files.set(`request-versions-${v.pkg}.tsv`, t.text);
  }
  files.set("format-package.txt", pkg);
  // The same text as src/methods/operations-file.ts writes, so the two never disagree on bytes.
  files.set(
    "operations.json",
    `{\n${Object.entries(ops)
      .map(([s, l]) => `  ${JSON.stringify(s)}: ${JSON.stringify(l)}`)
      .join(",\n")}\n}`,
  );

  const text = (t) => (t.endsWith("\n") ? t : `${t}\n`);
  if (o.check) {
    const stale = [...files]
      .filter(([rel, t]) => !fs.existsSync(path.join(out, rel)) || fs.readFileSync(path.join(out, rel), "utf8") !== text(t))
      .map(([rel]) => rel);
    const extra = fs.existsSync(out) ? fs.readdirSync(out, { recursive: true }).filter((f) => /\.(xsd|wsdl|tsv)$/.test(f) && !files.has(f)) : [];
    for (const f of [...stale, ...extra]) console.log(`устарел: ${f}`);
    process.exit(stale.length + extra.length === 0 ? 0 : 1);
  }
  fs.mkdirSync(out, { recursive: true });
  for (const e of fs.readdirSync(out, { withFileTypes: true })) {
    if (e.isDirectory()) fs.rmSync(path.join(out, e.name), { recursive: true });
    else if (/^request-versions-.*\.tsv$/.test(e.name)) fs.rmSync(path.join(out, e.name));
  }
  let total = 0;
  for (const [rel, t] of [...files].sort()) {
    fs.mkdirSync(path.join(out, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(out, rel), text(t));
    total += Buffer.byteLength(text(t));
    console.log(`${String(Buffer.byteLength(text(t))).padStart(8)}  ${rel}`);
  }
  console.log(`${String(total).padStart(8)}  total, ${components} components kept, from ${pkg}`);
}

try {
  main();
} catch (e) {
  console.error(`gen-wsdl: ${e.message}`);
  process.exit(2);
}

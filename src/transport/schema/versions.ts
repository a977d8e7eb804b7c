/**
 * Which base:version each request element may carry, per format package. libxml2 does not enforce
 * `fixed` on `ref="base:version"` attribute uses, so the value is checked against a table:
 *  - an official package folder (GIS_SCHEMA_DIR, gis.schemaDir, stand --schema-dir): the table beside
 *    it, request-versions-<package>.tsv (request-versions.tsv for 14.4.0.1, the first one published);
 *  - the project's wsdl/: its own tables, wsdl/request-versions-<package>.tsv for every package it
 *    speaks (written by scripts/gen-wsdl.mjs from the official tables), and the package its XSDs were
 *    trimmed from in wsdl/format-package.txt.
 * A line: folder, element, fixed=<v>|None, use=…, doc_versions=<v>,<v>… (the versions its annotation names).
 */
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_FORMAT_PACKAGE, type FormatPackage, formatPackage } from "./packages";

export interface VersionRule {
  /** The version the XSD fixes, or null. */
  fixed: string | null;
  /** The versions the element's annotation lists when not fixed (may be empty: any). */
  documented: string[];
}

export interface VersionTable {
  /** The package the table is for. */
  package: string;
  file: string;
  rules: Map<string, VersionRule>;
}

const PACKAGE_RE = /^(\d+\.\d+\.\d+\.\d+)/;
export const PACKAGE_MARKER = "format-package.txt";

const tables = new Map<string, VersionTable>();

export function readVersionTable(file: string, pkg: string): VersionTable {
  let t = tables.get(file);
  if (!t) {
    const rules = new Map<string, VersionRule>();
    for (const line of fs.readFileSync(file, "utf8").split(/\r?\n/)) {
      const [folder, element, ...cols] = line.split("\t");
      if (!folder || !element || folder.startsWith("#")) continue;
      const col = (name: string) => cols.find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1) ?? "";
      const fixed = col("fixed");
      rules.set(`${folder}\t${element}`, {
        fixed: fixed && fixed !== "None" ? fixed : null,
        documented: col("doc_versions").match(/\d+\.\d+\.\d+\.\d+/g) ?? [],
      });
    }
    t = { package: pkg, file, rules };
    tables.set(file, t);
  }
  return t;
}

export function ruleFor(table: VersionTable | null, folder: string, element: string): VersionRule | null {
  return table?.rules.get(`${folder}\t${element}`) ?? null;
}

/** The package a schema folder holds: wsdl/format-package.txt, else the folder's name (16.3.0.0, 14.5.0.1-partial). */
export function packageOfDir(dir: string): string | null {
  const marker = path.join(dir, PACKAGE_MARKER);
  if (fs.existsSync(marker)) return fs.readFileSync(marker, "utf8").trim() || null;
  return PACKAGE_RE.exec(path.basename(path.resolve(dir)))?.[1] ?? null;
}

/** True for the project's own trimmed folder (it carries tables for every package it speaks). */
export function isProjectSchemaDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, PACKAGE_MARKER));
}

/** The version table file for a folder and package, or null when none is published beside it. */
export function versionTableFile(dir: string, pkg: string | null): string | null {
  if (!pkg) return null;
  const candidates = isProjectSchemaDir(dir)
    ? [path.join(dir, `request-versions-${pkg}.tsv`)]
    : [path.join(dir, "..", `request-versions-${pkg}.tsv`), ...(pkg === "14.4.0.1" ? [path.join(dir, "..", "request-versions.tsv")] : [])];
  return candidates.find((f) => fs.existsSync(f)) ?? null;
}

export interface SchemaInForce {
  dir: string;
  /** The package whose rules apply: the official folder's own, or the selected one on wsdl/. */
  package: string | null;
  official: boolean;
  versions: VersionTable | null;
  /** Set when the folder holds another package than the one selected (gis.formatPackage). */
  mismatch: string | null;
}

/**
 * What validation uses for a resolved folder: an official package is its own package (whatever was
 * selected, with a note when they differ); the project's wsdl/ applies the selected package's table.
 */
export function schemaPackage(dir: string, selected?: FormatPackage | string | null): SchemaInForce {
  const chosen = selected ? formatPackage(selected) : null;
  if (isProjectSchemaDir(dir)) {
    const pkg = chosen ?? DEFAULT_FORMAT_PACKAGE;
    const file = versionTableFile(dir, pkg);
    if (!file)
      throw new Error(`каталог схем «${dir}»: нет таблицы версий пакета ${pkg} (request-versions-${pkg}.tsv; перегенерируйте: node scripts/gen-wsdl.mjs)`);
    return { dir, package: pkg, official: false, versions: readVersionTable(file, pkg), mismatch: null };
  }
  const pkg = packageOfDir(dir);
  const file = versionTableFile(dir, pkg);
  const mismatch =
    chosen && pkg && chosen !== pkg ? `выбран пакет форматов ${chosen}, а каталог схем ${dir} — пакет ${pkg}: запросы проверяются по пакету ${pkg}` : null;
  return { dir, package: pkg, official: true, versions: file && pkg ? readVersionTable(file, pkg) : null, mismatch };
}

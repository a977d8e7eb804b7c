/**
 * The GIS ЖКХ format packages gis-sync speaks (defined with the method contract in
 * src/methods/method.ts, where each method says which base:version it sends under each), and the
 * check of a package named by a setting or a flag.
 */
import { DEFAULT_FORMAT_PACKAGE, FORMAT_PACKAGES, type FormatPackage, isFormatPackage } from "../../methods/method";

export { DEFAULT_FORMAT_PACKAGE, FORMAT_PACKAGES, isFormatPackage };
export type { FormatPackage };

/** The package a setting (gis.formatPackage) or a flag names; empty means the default. The error names where it came from. */
export function formatPackage(v: unknown, where = "gis.formatPackage"): FormatPackage {
  if (v === null || v === undefined || v === "") return DEFAULT_FORMAT_PACKAGE;
  if (!isFormatPackage(v)) throw new Error(`${where}: пакет форматов «${String(v)}» не поддерживается (допустимо: ${FORMAT_PACKAGES.join(", ")})`);
  return v;
}

/**
 * The GIS ЖКХ format packages gis-sync speaks. A package is GIS's whole WSDL/XSD set of one release;
 * what differs between them for a method is the base:version a request carries and what the
 * answers may contain. 16.3.0.0 (March 2026) is current; 14.4.0.1 (2024) stays selectable.
 *
 * (The three exports below are the ones src/methods/method.ts is to own; they live here until the
 * method registry exists, and it can re-export them.)
 */
export const FORMAT_PACKAGES = ["16.3.0.0", "14.4.0.1"] as const;
export type FormatPackage = (typeof FORMAT_PACKAGES)[number];
export const DEFAULT_FORMAT_PACKAGE: FormatPackage = "16.3.0.0";

export function isFormatPackage(v: unknown): v is FormatPackage {
  return typeof v === "string" && (FORMAT_PACKAGES as readonly string[]).includes(v);
}

/** Checks a package named by a setting or a flag; the error names where it came from. */
export function formatPackage(v: unknown, where = "gis.formatPackage"): FormatPackage {
  if (v === null || v === undefined || v === "") return DEFAULT_FORMAT_PACKAGE;
  if (!isFormatPackage(v)) throw new Error(`${where}: пакет форматов «${String(v)}» не поддерживается (допустимо: ${FORMAT_PACKAGES.join(", ")})`);
  return v;
}

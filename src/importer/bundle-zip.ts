/**
 * A zip of bundle files (or of any files a caller wants, e.g. a ГАР extract) unpacked into a
 * folder within the input limits: entry count and declared size checked first, bytes counted
 * while unpacking (declared sizes may lie), names reduced to safe relative paths (no "..", no
 * absolute paths), and only the extensions asked for.
 */
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { InputLimits, InputRefused, UnzipBudget, openBoundedZip } from "../util/input-bounds";

export interface Unzipped {
  files: string[];
  /** Entries left out (another extension, a folder, an unsafe name). */
  skipped: string[];
}

export async function unzipBounded(
  zipFile: string,
  label: string,
  dir: string,
  limits: InputLimits,
  o: { extensions: readonly string[]; flat?: boolean },
): Promise<Unzipped> {
  const zip = await openBoundedZip(zipFile, label, limits);
  const budget = new UnzipBudget(label, limits);
  const out: Unzipped = { files: [], skipped: [] };
  const root = path.resolve(dir);
  for (const entry of zip.files) {
    if (entry.type !== "File") continue;
    const parts = entry.path.replace(/\\/g, "/").split("/").filter(Boolean);
    const safe = parts.every((p) => p !== ".." && p !== "." && !p.includes("\0"));
    const base = parts[parts.length - 1] ?? "";
    if (!safe || !base || base.startsWith(".") || base.startsWith("~$") || !o.extensions.includes(path.extname(base).toLowerCase())) {
      out.skipped.push(entry.path);
      continue;
    }
    const target = path.resolve(root, ...(o.flat ? [base] : parts));
    if (!target.startsWith(root + path.sep)) {
      out.skipped.push(entry.path);
      continue;
    }
    if (o.flat && out.files.includes(target)) throw new InputRefused(`${label}: в архиве два файла «${base}»`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await pipeline(budget.stream(entry), fs.createWriteStream(target));
    out.files.push(target);
  }
  return out;
}

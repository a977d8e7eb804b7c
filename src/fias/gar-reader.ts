/**
 * Streams the elements of a ГАР XML file to a callback, attributes as strings. The region files
 * are gigabytes: the SAX parser (saxes) sees one chunk at a time, nothing is kept.
 */
import fs from "node:fs";
import path from "node:path";
import { SaxesParser } from "saxes";
import { UserError } from "../util/errors";

export async function forEachElement(file: string, element: string, fn: (attrs: Record<string, string>) => void): Promise<number> {
  const parser = new SaxesParser();
  let count = 0;
  let failure: Error | null = null;
  parser.on("opentag", (tag) => {
    if (tag.name !== element) return;
    count++;
    fn(tag.attributes as Record<string, string>);
  });
  parser.on("error", (e) => {
    failure ??= e;
  });
  let first = true;
  for await (const chunk of fs.createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    let text = chunk as string;
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    parser.write(text);
    if (failure) break;
  }
  if (!failure) parser.close();
  if (failure) throw new UserError(`Файл ГАР «${path.basename(file)}» повреждён: ${(failure as Error).message}`);
  return count;
}

export async function forEachInFiles(files: string[], element: string, fn: (attrs: Record<string, string>) => void): Promise<number> {
  let n = 0;
  for (const f of files) n += await forEachElement(f, element, fn);
  return n;
}

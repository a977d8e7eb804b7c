/**
 * Zip files written by hand for the bounded-input tests: an entry may be a block repeated many
 * times (deflated once, then the same full-flushed deflate block repeated, so 1.5 GB of content
 * costs a few MB and no time), and an entry's declared size may lie.
 */
import fs from "node:fs";
import zlib from "node:zlib";

export interface CraftedEntry {
  name: string;
  /** The content: `data` once, or `block` repeated `times` times. */
  data?: Buffer | string;
  block?: Buffer | string;
  times?: number;
  /** Around the repeated block (an XML root's start and end). */
  prefix?: string;
  suffix?: string;
  /** The uncompressed size written in the headers, instead of the true one. */
  declaredSize?: number;
}

function deflated(e: CraftedEntry): { parts: Buffer[]; size: number; crc: number } {
  if (e.block !== undefined) {
    const block = Buffer.from(e.block);
    const times = e.times ?? 1;
    // A full flush empties the window: each copy of the block stands alone, so copies can be concatenated.
    const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 };
    const prefix = Buffer.from(e.prefix ?? "");
    const suffix = Buffer.from(e.suffix ?? "");
    const one = zlib.deflateRawSync(block, flush);
    let crc = zlib.crc32(prefix);
    for (let i = 0; i < times; i++) crc = zlib.crc32(block, crc);
    crc = zlib.crc32(suffix, crc);
    const parts: Buffer[] = [zlib.deflateRawSync(prefix, flush)];
    for (let i = 0; i < times; i++) parts.push(one);
    parts.push(zlib.deflateRawSync(suffix)); // the final block
    return { parts, size: prefix.length + block.length * times + suffix.length, crc };
  }
  const data = Buffer.from(e.data ?? "");
  return { parts: [zlib.deflateRawSync(data)], size: data.length, crc: zlib.crc32(data) };
}

/** Writes the zip; returns its size in bytes. */
export function writeCraftedZip(file: string, entries: CraftedEntry[]): number {
  const fd = fs.openSync(file, "w");
  let offset = 0;
  const write = (b: Buffer) => {
    fs.writeSync(fd, b);
    offset += b.length;
  };
  const central: Buffer[] = [];
  for (const e of entries) {
    const { parts, size, crc } = deflated(e);
    const compressed = parts.reduce((n, p) => n + p.length, 0);
    const name = Buffer.from(e.name, "utf8");
    const declared = e.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const at = offset;
    write(local);
    write(name);
    for (const p of parts) write(p);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(compressed, 20);
    c.writeUInt32LE(declared, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(at, 42);
    central.push(Buffer.concat([c, name]));
  }
  const cdStart = offset;
  for (const c of central) write(c);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - cdStart, 12);
  end.writeUInt32LE(cdStart, 16);
  write(end);
  fs.closeSync(fd);
  return offset;
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>';
const WORKBOOK =
  '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
  '<sheets><sheet name="Лицевые счета" sheetId="1" r:id="rId1"/></sheets></workbook>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>';
const SHEET =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
  '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>';

/** An xlsx around a sharedStrings part the caller describes (its content, or a block repeated). */
export function writeCraftedXlsx(file: string, sharedStrings: Omit<CraftedEntry, "name">): number {
  return writeCraftedZip(file, [
    { name: "[Content_Types].xml", data: CONTENT_TYPES },
    { name: "xl/workbook.xml", data: WORKBOOK },
    { name: "xl/_rels/workbook.xml.rels", data: RELS },
    { name: "xl/worksheets/sheet1.xml", data: SHEET },
    { name: "xl/sharedStrings.xml", ...sharedStrings },
  ]);
}

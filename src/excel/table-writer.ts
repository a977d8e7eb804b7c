/**
 * Plain tables for the billing program and for reports (not GIS templates): a bold header row,
 * then rows, streamed to .xlsx (exceljs WorkbookWriter) or to CSV (UTF-8 with BOM, «;», as
 * Excel and the billing programs open it).
 */
import { csvCell } from "../generator/csv-writer";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import ExcelJS from "exceljs";
import { BREATHE_EVERY, breathe } from "./backpressure";
import { CellInput } from "./format";

export interface TableColumn {
  key: string;
  header: string;
  width?: number;
}

export interface TableSheet {
  name: string;
  /** Lines above the header (report title, parameters). */
  caption?: string[];
  columns: TableColumn[];
  rows: AsyncIterable<Record<string, CellInput>> | Iterable<Record<string, CellInput>>;
}

export type TableFormat = "xlsx" | "csv";

export function formatOf(file: string, asked?: string): TableFormat {
  const f = (asked ?? path.extname(file).slice(1)).toLowerCase();
  return f === "csv" ? "csv" : "xlsx";
}

/** Writes the sheets; returns rows written per sheet. CSV holds the first sheet only. */
export async function writeTable(file: string, sheets: TableSheet[], format: TableFormat = formatOf(file)): Promise<number[]> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return format === "csv" ? [await writeCsv(file, sheets[0])] : writeXlsx(file, sheets);
}

async function writeXlsx(file: string, sheets: TableSheet[]): Promise<number[]> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = "gis-sync";
  const counts: number[] = [];
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31), {
      pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = s.columns.map((c) => ({ key: c.key, width: c.width ?? 18 }));
    let r = 1;
    for (const line of s.caption ?? []) {
      const row = ws.getRow(r++);
      row.getCell(1).value = line;
      if (r === 2) row.getCell(1).font = { bold: true, size: 12 };
      row.commit();
    }
    if (s.caption?.length) r++;
    const header = ws.getRow(r++);
    s.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.font = { bold: true };
      cell.alignment = { wrapText: true, vertical: "middle" };
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
    });
    header.commit();
    let n = 0;
    for await (const values of s.rows) {
      const row = ws.getRow(r++);
      s.columns.forEach((c, i) => {
        const v = values[c.key];
        if (v !== null && v !== undefined && v !== "") row.getCell(i + 1).value = v;
      });
      row.commit();
      if (++n % BREATHE_EVERY === 0) await breathe(ws);
    }
    ws.commit();
    counts.push(n);
  }
  await wb.commit();
  return counts;
}

/** A value as the billing program's CSV wants it (decimal comma), escaped by the one CSV escaper. */
const csvValue = (v: CellInput): string => {
  if (v === null || v === undefined) return "";
  return csvCell(typeof v === "number" ? String(v).replace(".", ",") : String(v));
};

async function writeCsv(file: string, s: TableSheet): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, "drain");
  };
  await write("\uFEFF" + s.columns.map((c) => csvValue(c.header)).join(";") + "\r\n");
  let n = 0;
  for await (const values of s.rows) {
    await write(s.columns.map((c) => csvValue(values[c.key])).join(";") + "\r\n");
    n++;
  }
  out.end();
  await once(out, "finish");
  return n;
}

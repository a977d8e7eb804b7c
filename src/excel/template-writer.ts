/**
 * Writes a template workbook with exceljs's streaming WorkbookWriter: each row is committed as
 * soon as it is added, so a million-row export keeps memory flat. Sheets are written one after
 * another (a streaming zip cannot interleave them).
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { BREATHE_EVERY, breathe } from "./backpressure";
import { CellInput } from "./format";
import { ColumnRole, FIRST_DATA_ROW, HEADER_ROW, INFO_SHEET, TITLE_ROW, TemplateDefinition, TemplateSheet } from "./templates";

/** Fill colours as GIS marks its templates. */
export const ROLE_FILL: Record<ColumnRole, string> = {
  required: "FFC6E0B4", // green
  optional: "FFFFF2CC", // yellow
  answer: "FFD9D9D9", // grey
};
export const ROLE_LABEL: Record<ColumnRole, string> = {
  required: "обязательное поле",
  optional: "необязательное поле",
  answer: "заполняется ГИС ЖКХ (ответ)",
};

export type RowValues = Record<string, CellInput>;

const thin = { style: "thin" as const, color: { argb: "FF808080" } };
const border = { top: thin, left: thin, bottom: thin, right: thin };

export function sheetTitle(def: TemplateDefinition): string {
  return `${def.title} (шаблон gis-sync «${def.kind}», версия ${def.version})`;
}

export class TemplateWriter {
  private readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;

  constructor(
    readonly def: TemplateDefinition,
    readonly file: string,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
    this.wb.creator = "gis-sync";
    this.wb.title = def.title;
    this.wb.subject = `gis-sync:${def.kind}:${def.version}`;
  }

  /** Writes one sheet: title row, coloured header row, then the rows; returns how many rows. */
  async writeSheet(sheet: TemplateSheet, rows: AsyncIterable<RowValues> | Iterable<RowValues> = []): Promise<number> {
    const ws = this.wb.addWorksheet(sheet.name, {
      views: [{ state: "frozen", ySplit: HEADER_ROW }],
      // Wide sheets print across the page: landscape, all columns on one page width.
      pageSetup: { orientation: "landscape", paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    ws.columns = sheet.columns.map((c) => ({ key: c.key, width: c.width ?? 18 }));

    const title = ws.getRow(TITLE_ROW);
    title.getCell(1).value = sheetTitle(this.def);
    title.getCell(1).font = { bold: true, size: 12 };
    title.commit();

    const header = ws.getRow(HEADER_ROW);
    header.height = 60;
    sheet.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: ROLE_FILL[c.role] } };
      cell.font = { bold: true };
      cell.alignment = { wrapText: true, vertical: "middle", horizontal: "center" };
      cell.border = border;
      if (c.note) cell.note = c.note;
    });
    header.commit();

    let n = 0;
    for await (const values of rows) {
      const row = ws.getRow(FIRST_DATA_ROW + n);
      sheet.columns.forEach((c, i) => {
        const v = values[c.key];
        if (v !== null && v !== undefined && v !== "") row.getCell(i + 1).value = v;
      });
      row.commit();
      if (++n % BREATHE_EVERY === 0) await breathe(ws);
    }
    ws.commit();
    return n;
  }

  /** The sheet naming kind and version, and the colour legend; then the file is closed. */
  async finish(generatedAt = new Date()): Promise<void> {
    const ws = this.wb.addWorksheet(INFO_SHEET);
    ws.columns = [{ width: 28 }, { width: 70 }];
    const lines: Array<[string, string]> = [
      ["Вид шаблона", this.def.kind],
      ["Версия шаблона", this.def.version],
      ["Шаблон ГИС ЖКХ", this.def.gisTemplate],
      ["Сформирован", generatedAt.toISOString().slice(0, 19).replace("T", " ") + " UTC"],
    ];
    lines.forEach(([k, v], i) => {
      const row = ws.getRow(i + 1);
      row.getCell(1).value = k;
      row.getCell(1).font = { bold: true };
      row.getCell(2).value = v;
      row.commit();
    });
    (Object.keys(ROLE_FILL) as ColumnRole[]).forEach((role, i) => {
      const row = ws.getRow(lines.length + 2 + i);
      row.getCell(1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: ROLE_FILL[role] } };
      row.getCell(1).border = border;
      row.getCell(2).value = ROLE_LABEL[role];
      row.commit();
    });
    ws.commit();
    await this.wb.commit();
  }
}

/** Writes the empty template of a kind (the files kept in excel-templates/). */
export async function writeEmptyTemplate(def: TemplateDefinition, dir: string): Promise<string> {
  const file = path.join(dir, `${def.kind}.xlsx`);
  const w = new TemplateWriter(def, file);
  for (const s of def.sheets) await w.writeSheet(s);
  // A fixed date keeps the committed files stable when they are regenerated.
  await w.finish(new Date("2026-01-01T00:00:00Z"));
  return file;
}

/**
 * Reads a workbook GIS sent back ("Результаты импорта/экспорта"): recognises each sheet as a
 * sheet of one of our templates by its name and header row, and yields the data rows as values
 * by column key. Streaming, so a processed million-row accounts file is never held whole.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { cellText } from "../importer/xlsx-source";
import { openXlsx } from "./xlsx-stream";
import { UserError } from "../util/errors";
import { DEFAULT_INPUT_LIMITS, InputLimits, NotAnArchive, checkXlsx } from "../util/input-bounds";
import { INFO_SHEET, TEMPLATES, TemplateDefinition, TemplateSheet } from "./templates";

export interface ProcessedRow {
  file: string;
  sheet: string;
  /** Row number as Excel shows it. */
  row: number;
  template: TemplateDefinition;
  sheetDef: TemplateSheet;
  values: Record<string, string>;
}

const norm = (s: string) => s.toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();

/** The template sheet a header row belongs to (sheet name first, then the best header overlap). */
export function recogniseSheet(
  sheetName: string,
  headers: string[],
): { template: TemplateDefinition; sheet: TemplateSheet; columns: Map<string, number> } | null {
  const have = new Map<string, number>();
  headers.forEach((h, i) => {
    if (h) have.set(norm(h), i);
  });
  let best: { template: TemplateDefinition; sheet: TemplateSheet; columns: Map<string, number>; score: number } | null = null;
  for (const template of TEMPLATES) {
    for (const sheet of template.sheets) {
      const columns = new Map<string, number>();
      for (const c of sheet.columns) {
        const i = have.get(norm(c.header));
        if (i !== undefined) columns.set(c.key, i);
      }
      const score = columns.size / sheet.columns.length + (norm(sheet.name) === norm(sheetName) ? 1 : 0);
      if (columns.size >= Math.ceil(sheet.columns.length / 2) && (!best || score > best.score)) best = { template, sheet, columns, score };
    }
  }
  return best;
}

type Sheet = { name: string; rows: AsyncIterable<{ number: number; cells: string[] }> };

/** Sheets through our streaming reader (bounded memory, any entry order). */
async function* streamedSheets(file: string, limits: InputLimits): AsyncGenerator<Sheet> {
  for (const sheet of await openXlsx(file, limits, path.basename(file))) yield sheet;
}

/**
 * Sheets of a workbook read whole by exceljs: the fallback when our streaming reader cannot
 * make sense of a file.
 */
async function* wholeSheets(file: string): AsyncGenerator<Sheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  for (const ws of wb.worksheets) {
    async function* rows() {
      for (let n = 1; n <= ws.rowCount; n++) yield { number: n, cells: rowCells(ws.getRow(n)) };
    }
    yield { name: ws.name, rows: rows() };
  }
}

function rowCells(row: ExcelJS.Row): string[] {
  const values = row.values as ExcelJS.CellValue[];
  const cells: string[] = [];
  for (let i = 1; i < (values?.length ?? 0); i++) cells.push(cellText(values[i]));
  return cells;
}

async function* sheetRows(label: string, sheets: AsyncGenerator<Sheet>, onSkip: (sheet: string, why: string) => void): AsyncGenerator<ProcessedRow> {
  for await (const ws of sheets) {
    if (ws.name === INFO_SHEET) continue;
    let found: ReturnType<typeof recogniseSheet> = null;
    let headerRow = 0;
    for await (const { number, cells } of ws.rows) {
      if (!found) {
        // The header is within the first five rows (GIS keeps our title row above it).
        if (number <= 5) {
          found = recogniseSheet(ws.name, cells);
          if (found) headerRow = number;
        }
        continue;
      }
      if (number <= headerRow || cells.every((c) => c === "")) continue;
      const v: Record<string, string> = {};
      for (const [key, i] of found.columns) v[key] = cells[i] ?? "";
      yield { file: label, sheet: ws.name, row: number, template: found.template, sheetDef: found.sheet, values: v };
    }
    if (!found) onSkip(ws.name, "не найдена строка заголовков ни одного шаблона");
  }
}

/** Rows of every recognised sheet of `file`. Unrecognised sheets are reported through `onSkip`. */
export async function* readProcessedWorkbook(
  file: string,
  onSkip: (sheet: string, why: string) => void = () => {},
  limits: InputLimits = DEFAULT_INPUT_LIMITS,
): AsyncGenerator<ProcessedRow> {
  const label = path.basename(file);
  if (!fs.existsSync(file)) throw new UserError(`Файл «${label}» не найден`);
  // Before either reader: the whole-workbook fallback below must never meet a file past the limits.
  try {
    await checkXlsx(file, label, limits);
  } catch (e) {
    if (!(e instanceof NotAnArchive)) throw e;
    throw new UserError(
      `Не удаётся прочитать книгу Excel «${label}»: это не книга .xlsx (не zip-архив или файл повреждён). Сохраните файл из ГИС ЖКХ в формате .xlsx`,
    );
  }
  let yielded = false;
  try {
    try {
      for await (const r of sheetRows(label, streamedSheets(file, limits), onSkip)) {
        yielded = true;
        yield r;
      }
    } catch (e) {
      // Nothing taken yet: let exceljs read the workbook whole (it copes with odd files) — unless it was refused.
      if (yielded || e instanceof UserError) throw e;
      yield* sheetRows(label, wholeSheets(file), onSkip);
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`Не удаётся прочитать книгу Excel «${label}»: ${(e as Error).message}. Сохраните файл из ГИС ЖКХ в формате .xlsx`);
  }
}

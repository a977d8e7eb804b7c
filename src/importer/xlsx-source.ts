/**
 * XLSX files: the first worksheet, header in row 1. Read with exceljs's streaming reader so a
 * large workbook is never held in memory whole.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { DEFAULT_INPUT_LIMITS, InputLimits, checkXlsx } from "../util/input-bounds";
import { UserError } from "../util/errors";
import { RowSource, SourceError, SourceRow } from "./source";

/** A cell as the text a CSV would have held: dates as YYYY-MM-DD, numbers as written, booleans 1/0. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return v.trim();
  if (typeof v === "object") {
    if ("richText" in v)
      return v.richText
        .map((r) => r.text)
        .join("")
        .trim();
    if ("text" in v && typeof v.text === "string") return v.text.trim();
    if ("result" in v) return cellText(v.result as ExcelJS.CellValue);
    if ("error" in v) return "";
  }
  return String(v);
}

export class XlsxSource implements RowSource {
  readonly label: string;
  private header: string[] | null = null;
  private checked = false;

  constructor(
    private readonly file: string,
    private readonly limits: InputLimits = DEFAULT_INPUT_LIMITS,
  ) {
    this.label = path.basename(file);
  }

  private async *sheetRows(): AsyncIterable<{ number: number; cells: string[] }> {
    if (!fs.existsSync(this.file)) throw new SourceError(this.label, "файл не найден");
    if (!this.checked) {
      // exceljs keeps every shared string: a workbook past the limits is refused before it starts.
      try {
        await checkXlsx(this.file, this.label, this.limits);
      } catch (e) {
        if (e instanceof UserError) throw new SourceError(this.label, e.message.replace(`${this.label}: `, ""));
        throw e;
      }
      this.checked = true;
    }
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(this.file, {
      sharedStrings: "cache",
      hyperlinks: "ignore",
      styles: "cache",
      worksheets: "emit",
      entries: "emit",
    });
    try {
      for await (const sheet of reader) {
        for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
          const values = row.values as ExcelJS.CellValue[]; // 1-based
          const cells: string[] = [];
          for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
          yield { number: row.number, cells };
        }
        return; // first worksheet only
      }
    } catch (e) {
      if (e instanceof SourceError) throw e;
      throw new SourceError(this.label, `не удаётся прочитать книгу Excel: ${(e as Error).message}`);
    }
  }

  async columns(): Promise<string[]> {
    if (!this.header) {
      for await (const r of this.sheetRows()) {
        this.header = r.cells.map((c) => c.toLowerCase());
        break;
      }
      if (!this.header) throw new SourceError(this.label, "лист пуст: нет строки заголовка");
    }
    return this.header;
  }

  async *rows(): AsyncIterable<SourceRow> {
    const header = await this.columns();
    let first = true;
    for await (const r of this.sheetRows()) {
      if (first) {
        first = false;
        continue;
      }
      if (r.cells.every((c) => c === "")) continue;
      const values: Record<string, string> = {};
      header.forEach((h, i) => (values[h] = r.cells[i] ?? ""));
      const row: SourceRow = { line: r.number, values };
      if (r.cells.length > header.length && r.cells.slice(header.length).some((c) => c !== "")) {
        row.problem = `в строке заполнены ячейки правее последнего столбца заголовка`;
      }
      yield row;
    }
  }

  async close(): Promise<void> {}
}

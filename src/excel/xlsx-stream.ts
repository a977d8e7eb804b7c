/**
 * A small streaming .xlsx reader: finds the sheets through the zip's central directory (so the
 * order of entries does not matter, unlike exceljs's streaming reader) and parses each sheet's
 * XML with saxes, yielding rows as cell texts. Only the shared strings are held in memory.
 */
import { Readable } from "node:stream";
import { SaxesParser, SaxesTagPlain } from "saxes";
import * as unzipper from "unzipper";
import { DEFAULT_INPUT_LIMITS, InputLimits, InputRefused, UnzipBudget, openBoundedZip } from "../util/input-bounds";

export interface XlsxRow {
  /** Row number as Excel shows it. */
  number: number;
  cells: string[];
}

export interface XlsxSheet {
  name: string;
  rows: AsyncIterable<XlsxRow>;
}

/** Pushes a zip entry through a SAX parser; `drain` is called after each chunk with what is ready. */
async function* saxStream<T>(stream: Readable, setup: (p: SaxesParser, out: T[]) => void): AsyncGenerator<T> {
  const parser = new SaxesParser();
  const out: T[] = [];
  let failure: Error | null = null;
  parser.on("error", (e) => {
    failure ??= e;
  });
  // No DTDs in a workbook: entities are how a small file becomes a huge one (and XXE).
  parser.on("doctype", () => {
    failure ??= new InputRefused("в книге Excel есть DOCTYPE — такие файлы не принимаются (защита от XXE)");
  });
  setup(parser, out);
  let first = true;
  for await (const chunk of stream) {
    let text = (chunk as Buffer).toString("utf8");
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    parser.write(text);
    if (failure) throw failure;
    yield* out.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* out.splice(0);
}

async function readXml(entry: unzipper.CentralDirectoryFile | undefined, budget: UnzipBudget, onTag: (t: SaxesTagPlain) => void): Promise<void> {
  if (!entry) return;
  for await (const _ of saxStream<never>(budget.stream(entry), (p) => p.on("opentag", (t) => onTag(t as SaxesTagPlain)))) {
    /* tags only */
  }
}

async function sharedStrings(entry: unzipper.CentralDirectoryFile | undefined, budget: UnzipBudget, label: string, limits: InputLimits): Promise<string[]> {
  const out: string[] = [];
  if (!entry) return out;
  let chars = 0;
  let current: string | null = null;
  let inText = false;
  let phonetic = 0;
  for await (const _ of saxStream<never>(budget.stream(entry), (p) => {
    p.on("opentag", (t) => {
      if (t.name === "si") current = "";
      else if (t.name === "rPh") phonetic++;
      else if (t.name === "t" && !phonetic) inText = true;
    });
    p.on("text", (s) => {
      if (inText && current !== null) current += s;
    });
    p.on("closetag", (t) => {
      if (t.name === "t") inText = false;
      else if (t.name === "rPh") phonetic--;
      else if (t.name === "si") {
        chars += current?.length ?? 0;
        // Counted as they come, so a lying header cannot make us hold more than the limits say.
        if (out.length >= limits.sharedStrings || chars * 2 > limits.sharedStringsBytes)
          throw new InputRefused(`${label}: общих строк в книге больше допустимого (настройки import.maxSharedStrings, import.maxSharedStringsMb)`);
        out.push(current ?? "");
        current = null;
      }
    });
  })) {
    /* collected in out */
  }
  return out;
}

/** "BC12" → 54 (0-based column index). */
function columnIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

function sheetRows(entry: unzipper.CentralDirectoryFile, strings: string[], budget: UnzipBudget): AsyncIterable<XlsxRow> {
  return saxStream<XlsxRow>(budget.stream(entry), (p, out) => {
    let row: XlsxRow | null = null;
    let lastRow = 0;
    let col = -1;
    let type = "";
    let value = "";
    let collect = false;
    p.on("opentag", (t) => {
      const a = t.attributes as Record<string, string>;
      if (t.name === "row") {
        lastRow = a.r ? Number(a.r) : lastRow + 1;
        row = { number: lastRow, cells: [] };
      } else if (t.name === "c" && row) {
        col = a.r ? columnIndex(a.r.replace(/\d+$/, "")) : row.cells.length;
        type = a.t ?? "";
        value = "";
      } else if (t.name === "v" || (t.name === "t" && type === "inlineStr")) {
        collect = true;
      }
    });
    p.on("text", (s) => {
      if (collect) value += s;
    });
    p.on("closetag", (t) => {
      if (t.name === "v" || t.name === "t") collect = false;
      else if (t.name === "c" && row) {
        let text = value;
        if (type === "s") text = strings[Number(value)] ?? "";
        else if (type === "b") text = value === "1" ? "1" : "0";
        else if (type === "e") text = "";
        while (row.cells.length < col) row.cells.push("");
        row.cells[col] = text.trim();
      } else if (t.name === "row" && row) {
        out.push(row);
        row = null;
      }
    });
  });
}

export async function openXlsx(file: string, limits: InputLimits = DEFAULT_INPUT_LIMITS, label = file.split(/[\\/]/).pop()!): Promise<XlsxSheet[]> {
  const dir = await openBoundedZip(file, label, limits);
  const budget = new UnzipBudget(label, limits);
  const entry = (name: string) => dir.files.find((f) => f.path.replace(/^\//, "").toLowerCase() === name.toLowerCase());
  const rels = new Map<string, string>();
  await readXml(entry("xl/_rels/workbook.xml.rels"), budget, (t) => {
    const a = t.attributes as Record<string, string>;
    if (t.name === "Relationship" && a.Id && a.Target) rels.set(a.Id, a.Target.startsWith("/") ? a.Target.slice(1) : `xl/${a.Target}`);
  });
  const sheets: Array<{ name: string; path: string }> = [];
  await readXml(entry("xl/workbook.xml"), budget, (t) => {
    const a = t.attributes as Record<string, string>;
    const target = rels.get(a["r:id"] ?? "");
    if (t.name === "sheet" && target) sheets.push({ name: a.name ?? "", path: target });
  });
  if (!sheets.length) throw new Error("в книге не найдено ни одного листа (xl/workbook.xml)");
  const strings = await sharedStrings(entry("xl/sharedStrings.xml"), budget, label, limits);
  return sheets.map((s) => {
    const e = entry(s.path);
    return {
      name: s.name,
      rows: e
        ? sheetRows(e, strings, budget)
        : (async function* () {
            /* empty */
          })(),
    };
  });
}

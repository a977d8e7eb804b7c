/**
 * CSV files as billing programs write them: UTF-8 (with or without BOM) or Windows-1251, `;` or
 * `,` separated, a header row of column names. Read as a stream: memory does not grow with the file.
 */
import fs from "node:fs";
import { Transform } from "node:stream";
import path from "node:path";
import { CsvError, parse } from "csv-parse";
import iconv from "iconv-lite";
import { DEFAULT_INPUT_LIMITS, InputLimits, LIMIT_SETTINGS } from "../util/input-bounds";
import { RowSource, SourceError, SourceRow } from "./source";

const SNIFF_BYTES = 64 * 1024;

export type CsvEncoding = "utf8" | "win1251";

/** UTF-8 if the first bytes decode as UTF-8, otherwise Windows-1251 (the other encoding billing exports use). */
export function detectEncoding(head: Buffer): CsvEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf8";
  // Cut at the last newline so a multi-byte character split by the sniff window is not held against UTF-8.
  const nl = head.lastIndexOf(0x0a);
  const sample = nl > 0 && head.length === SNIFF_BYTES ? head.subarray(0, nl) : head;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample);
    return "utf8";
  } catch {
    return "win1251";
  }
}

/** The separator is whichever of `;`, `,`, tab appears most in the header line. */
export function detectDelimiter(headerLine: string): string {
  const counts = [";", ",", "\t"].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ";";
}

class LineTooLong extends Error {
  constructor(readonly line: number) {
    super(`line ${line} too long`);
  }
}

/**
 * Fails the stream at the first physical line longer than `max` bytes: csv-parse's own record
 * limit counts field characters, so a line of ten million separators would still be split into
 * ten million fields.
 */
function lineGuard(max: number): Transform {
  let run = 0;
  let line = 1;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      let from = 0;
      for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
        if (run + (nl - from) > max) return done(new LineTooLong(line));
        run = 0;
        line++;
        from = nl + 1;
      }
      run += chunk.length - from;
      done(run > max ? new LineTooLong(line) : null, chunk);
    },
  });
}

export class CsvSource implements RowSource {
  readonly label: string;
  private header: string[] | null = null;
  private encoding: CsvEncoding = "utf8";
  private delimiter = ";";
  private stream: fs.ReadStream | null = null;

  constructor(
    private readonly file: string,
    private readonly limits: InputLimits = DEFAULT_INPUT_LIMITS,
  ) {
    this.label = path.basename(file);
  }

  private async sniff(): Promise<void> {
    if (this.header) return;
    let head: Buffer;
    try {
      const fd = await fs.promises.open(this.file, "r");
      try {
        const buf = Buffer.alloc(SNIFF_BYTES);
        const { bytesRead } = await fd.read(buf, 0, SNIFF_BYTES, 0);
        head = buf.subarray(0, bytesRead);
      } finally {
        await fd.close();
      }
    } catch (e) {
      throw new SourceError(this.label, `не удаётся прочитать файл (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (head.length === 0) throw new SourceError(this.label, "файл пуст: нет строки заголовка");
    if (head.includes(0)) throw new SourceError(this.label, "это не текстовый CSV-файл (в нём есть двоичные данные)");
    this.encoding = detectEncoding(head);
    let text = this.encoding === "utf8" ? head.toString("utf8") : iconv.decode(head, "win1251");
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const firstLine = text.split(/\r?\n/, 1)[0];
    // A header that does not end within the sniff window is no bundle's header (a file of millions of columns).
    if (head.length === SNIFF_BYTES && !/\r?\n/.test(text))
      throw new SourceError(this.label, `строка заголовка длиннее ${SNIFF_BYTES / 1024} КБ — это не файл выгрузки (слишком много столбцов)`);
    this.delimiter = detectDelimiter(firstLine);
    this.header = firstLine.split(this.delimiter).map((c) =>
      c
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .trim()
        .toLowerCase(),
    );
    if (this.header.length > this.limits.csvColumns)
      throw new SourceError(
        this.label,
        `в заголовке ${this.header.length} столбцов, допустимо не более ${this.limits.csvColumns} (настройка ${LIMIT_SETTINGS.csvColumns})`,
      );
  }

  async columns(): Promise<string[]> {
    await this.sniff();
    return this.header!;
  }

  async *rows(): AsyncIterable<SourceRow> {
    await this.sniff();
    const width = this.header!.length;
    this.stream = fs.createReadStream(this.file, { highWaterMark: 256 * 1024 });
    const guarded = this.stream.pipe(lineGuard(this.limits.csvRecordChars));
    this.stream.on("error", (e) => guarded.destroy(e));
    const decoded = this.encoding === "utf8" ? guarded : guarded.pipe(iconv.decodeStream("win1251"));
    const parser = decoded.pipe(
      parse({
        delimiter: this.delimiter,
        bom: true,
        info: true,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        trim: true,
        // One record may not hold more than this: a line of millions of separators is refused, not parsed.
        max_record_size: this.limits.csvRecordChars,
      }),
    );
    // pipe() does not carry errors downstream: a refused line must end the loop below.
    guarded.on("error", (e) => parser.destroy(e));
    let first = true;
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (first) {
          first = false;
          continue; // header
        }
        const { record, info } = item;
        const values: Record<string, string> = {};
        for (let i = 0; i < width; i++) values[this.header![i]] = record[i] ?? "";
        const row: SourceRow = { line: info.lines, values };
        if (record.length !== width) row.problem = `в строке ${record.length} полей, в заголовке ${width}`;
        yield row;
      }
    } catch (e) {
      if (e instanceof LineTooLong) {
        throw new SourceError(
          this.label,
          `строка ${e.line} длиннее ${Math.round(this.limits.csvRecordChars / 1024)} КБ (настройка ${LIMIT_SETTINGS.csvRecordChars}); файл не загружен`,
        );
      }
      if (e instanceof CsvError && e.code === "CSV_MAX_RECORD_SIZE") {
        const at = (e as CsvError & { lines?: number }).lines;
        throw new SourceError(
          this.label,
          `строка ${at ?? "?"} длиннее ${Math.round(this.limits.csvRecordChars / 1024)} КБ (настройка ${LIMIT_SETTINGS.csvRecordChars}); файл не загружен`,
        );
      }
      if (e instanceof CsvError) {
        const at = (e as CsvError & { lines?: number }).lines;
        throw new SourceError(this.label, `файл повреждён около строки ${at ?? "?"}: ${e.message}`);
      }
      throw e;
    } finally {
      this.stream.destroy();
    }
  }

  async close(): Promise<void> {
    this.stream?.destroy();
  }
}

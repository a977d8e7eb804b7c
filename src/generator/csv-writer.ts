/**
 * One bundle file being written: a header row, then rows. Rows are collected in a string and
 * handed to a WriteStream in chunks; `flush()` waits for 'drain' when the stream says its buffer
 * is full, so memory stays bounded however large the bundle is.
 */
import fs from "node:fs";

const NEEDS_QUOTES = /[;"\r\n]/;
const CHUNK = 1 << 20;

/** A cell as CSV text: quoted (with "" for ") when it holds ; " or a line break. */
export function csvCell(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export type Cell = string | number | null | undefined;

export class CsvWriter {
  /** Rows are encoded straight into a chunk buffer (no long concatenated strings for the GC to chase). */
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private pending: Buffer[] = [];
  private readonly stream: fs.WriteStream;
  private readonly index: Map<string, number>;
  private failed: Error | null = null;
  /** Data rows written (header excluded). */
  rows = 0;
  /** Physical lines written so far (the header is line 1). */
  lines = 1;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly columns: readonly string[],
  ) {
    this.stream = fs.createWriteStream(path);
    this.stream.on("error", (e) => (this.failed = e));
    this.index = new Map(columns.map((c, i) => [c, i]));
    this.put(columns.map(csvCell).join(";") + "\n");
  }

  private put(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > this.chunk.length) {
      if (this.used > 0) this.pending.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK, text.length * 3));
      this.used = 0;
    }
    this.used += this.chunk.write(text, this.used, "utf8");
  }

  /** The physical line the next row will start on. */
  get nextLine(): number {
    return this.lines + 1;
  }

  /** A row given as cells in column order. Values are escaped as needed. Returns its line. */
  row(cells: readonly Cell[]): number {
    const line = this.lines + 1;
    let out = "";
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const t = c === null || c === undefined ? "" : typeof c === "number" ? String(c) : c;
      if (i > 0) out += ";";
      if (NEEDS_QUOTES.test(t)) {
        out += csvCell(t);
        this.lines += (t.match(/\r\n|\r|\n/g) ?? []).length;
      } else out += t;
    }
    this.put(out + "\n");
    this.lines++;
    this.rows++;
    return line;
  }

  /** A row given by column name; unknown columns are a programming error. Returns its line. */
  obj(rec: Record<string, Cell>): number {
    const cells: Cell[] = new Array(this.columns.length).fill("");
    for (const k in rec) {
      const i = this.index.get(k);
      if (i === undefined) throw new Error(`${this.name}: no column "${k}"`);
      cells[i] = rec[k];
    }
    return this.row(cells);
  }

  /** A pre-joined row of cells known to need no quoting (numbers, ids, dates). Returns its line. */
  raw(line: string): number {
    this.put(line + "\n");
    this.rows++;
    return ++this.lines;
  }

  /** Hands full chunks (all data when `force`) to the stream, waiting for 'drain' when it is full. */
  async flush(force = false): Promise<void> {
    if (this.failed) throw this.failed;
    if (force && this.used > 0) {
      this.pending.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafe(CHUNK);
      this.used = 0;
    }
    const list = this.pending;
    this.pending = [];
    for (const b of list) {
      if (!this.stream.write(b)) await this.drained();
      if (this.failed) throw this.failed;
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("error", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("error", done);
    });
  }

  async close(): Promise<number> {
    await this.flush(true);
    await new Promise<void>((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.stream.once("error", reject);
      this.stream.end(() => resolve());
    });
    if (this.failed) throw this.failed;
    return this.stream.bytesWritten;
  }
}

/**
 * Where import rows come from. Every source yields the same thing: records of column → text,
 * with the position a person can find again (the physical line of a CSV file, the sheet row of
 * an XLSX file, the ordinal of a database row). Values stay text until src/importer/convert.ts
 * checks them, so a CSV, a spreadsheet and a billing database are checked by one set of rules.
 */
export interface SourceRow {
  /** Line in the file (header = 1), sheet row, or row ordinal from a database. */
  line: number;
  values: Record<string, string>;
  /** A problem with the row's shape (wrong number of fields): the row is rejected as a whole. */
  problem?: string;
}

export interface RowSource {
  /** How the journal names it: "accounts.csv", "sql:accounts". */
  label: string;
  /** Column names as the source gives them (checked against the bundle format before reading). */
  columns(): Promise<string[]>;
  rows(): AsyncIterable<SourceRow>;
  close(): Promise<void>;
}

/** A problem with a whole file (unreadable, wrong encoding, missing columns): the file is skipped. */
export class SourceError extends Error {
  constructor(
    readonly label: string,
    message: string,
  ) {
    super(`${label}: ${message}`);
    this.name = "SourceError";
  }
}

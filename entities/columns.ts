/**
 * Portable column decorators. Every column of the model goes through one of these, so the
 * schema stays valid on MS SQL, PostgreSQL and SQLite alike (see test/portability.test.ts).
 *
 * Types used: String (nvarchar on mssql, varchar elsewhere), "text" (mapped to nvarchar(max) on
 * mssql by src/storage/dialect.ts), "int", "bigint", "decimal", Boolean, "date" (kept as an ISO
 * "YYYY-MM-DD" string, no time zone games) and Date (a UTC moment).
 */
import { Column, ColumnOptions, ValueTransformer } from "typeorm";

export interface ColumnExtras {
  /** Columns are nullable unless a caller says otherwise: billing data is often incomplete. */
  nullable?: boolean;
  default?: string | number | boolean;
  name?: string;
  comment?: string;
  /** Converts values between the entity and the database (e.g. the archive's encryption at rest). */
  transformer?: ColumnOptions["transformer"];
}

function extras(o: ColumnExtras): ColumnOptions {
  const out: ColumnOptions = { nullable: o.nullable ?? true };
  if (o.default !== undefined) out.default = o.default;
  if (o.name) out.name = o.name;
  if (o.comment) out.comment = o.comment;
  if (o.transformer) out.transformer = o.transformer;
  return out;
}

/** Decimal columns come back as strings from pg/mssql and numbers from sqlite: make them numbers. */
export const decimalToNumber: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? null : Number(v)),
};

/** Exact decimals (meter readings up to 15+7 digits) stay strings, normalised ("12.500" → "12.5"). */
export const decimalToString: ValueTransformer = {
  to: (v: unknown) => v,
  from: (v: unknown) => (v === null || v === undefined ? null : normaliseDecimal(String(v))),
};

export function normaliseDecimal(s: string): string {
  if (!s.includes(".")) return s;
  const t = s.replace(/0+$/, "").replace(/\.$/, "");
  return t === "" || t === "-" ? "0" : t;
}

/** Large integer counters come back as strings from pg: keep them numbers (safe up to 2^53). */
export const bigintToNumber: ValueTransformer = decimalToNumber;

export const Str = (length: number, o: ColumnExtras = {}) => Column({ type: String, length, ...extras(o) });
export const Text = (o: ColumnExtras = {}) => Column({ type: "text", ...extras(o) });
/** A GUID as a 36-character string (GIS GUIDs, our MessageGUIDs, FIAS GUIDs). */
export const Guid = (o: ColumnExtras = {}) => Column({ type: String, length: 36, ...extras(o) });
export const Int = (o: ColumnExtras = {}) => Column({ type: "int", ...extras(o) });
export const BigInt = (o: ColumnExtras = {}) => Column({ type: "bigint", transformer: bigintToNumber, ...extras(o) });
/** Roubles with kopecks. GIS payment amounts travel in kopecks; the conversion is at the wire. */
export const Money = (o: ColumnExtras = {}) => Column({ type: "decimal", precision: 18, scale: 2, transformer: decimalToNumber, ...extras(o) });
/** Areas in m² (GIS allows 4 fraction digits, e.g. HeatedArea). */
export const Area = (o: ColumnExtras = {}) => Column({ type: "decimal", precision: 14, scale: 4, transformer: decimalToNumber, ...extras(o) });
export const Decimal = (precision: number, scale: number, o: ColumnExtras = {}) =>
  Column({ type: "decimal", precision, scale, transformer: decimalToNumber, ...extras(o) });
/** Meter readings: GIS pattern \d{1,15}(\.\d{1,7})? kept exact as a string. */
export const Reading = (o: ColumnExtras = {}) => Column({ type: "decimal", precision: 22, scale: 7, transformer: decimalToString, ...extras(o) });
export const Flag = (o: ColumnExtras = {}) => Column({ type: Boolean, ...extras({ nullable: false, default: false, ...o }) });
/** A calendar day, "YYYY-MM-DD". */
export const Day = (o: ColumnExtras = {}) => Column({ type: "date", ...extras(o) });
/** A moment in time, stored as UTC. */
export const Moment = (o: ColumnExtras = {}) => Column({ type: Date, ...extras(o) });

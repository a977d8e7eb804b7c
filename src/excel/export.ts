/**
 * `gis-sync excel export`: fills a GIS template from the database for a selection of houses.
 * One workbook per call, named like the manual's files: "<template> <date>.xlsx".
 */
import path from "node:path";
import { DataSource } from "typeorm";
import { UserError } from "../util/errors";
import { accommodationRows, accountRows } from "./export/accounts";
import { contractObjectRows, contractRows } from "./export/contracts";
import { entranceRows, houseRows, premiseRows, roomRows, tempAddressRows } from "./export/fund";
import { meterRows, readingRows } from "./export/meters";
import { latestPeriod, paymentDocumentLineRows, paymentDocumentRows } from "./export/payment-documents";
import { ExportScope } from "./export/scope";
import { RowValues, TemplateWriter } from "./template-writer";
import { templateFor } from "./templates";

type RowSource = (ds: DataSource, scope: ExportScope) => AsyncIterable<RowValues>;

/** Row sources per kind, one per sheet in the template's sheet order. */
const SOURCES: Record<string, RowSource[]> = {
  contracts: [(ds, s) => contractRows(ds, s, "management"), (ds, s) => contractObjectRows(ds, s, "management")],
  "supply-contracts": [(ds, s) => contractRows(ds, s, "supply"), (ds, s) => contractObjectRows(ds, s, "supply")],
  mkd: [
    (ds, s) => houseRows(ds, s, "MKD"),
    entranceRows,
    (ds, s) => premiseRows(ds, s, true),
    (ds, s) => premiseRows(ds, s, false),
    (ds, s) => roomRows(ds, s, "MKD"),
  ],
  zhd: [(ds, s) => houseRows(ds, s, "ZHD"), (ds, s) => roomRows(ds, s, "ZHD")],
  accounts: [accountRows, accommodationRows],
  meters: [meterRows],
  readings: [(ds, s) => readingRows(ds, s, false)],
  "readings-common": [(ds, s) => readingRows(ds, s, true)],
  "temp-addresses": [tempAddressRows],
  "payment-documents": [paymentDocumentRows, paymentDocumentLineRows],
};

export interface ExportResult {
  file: string;
  rows: Array<{ sheet: string; rows: number }>;
}

export function parseMonth(s: string, flag = "--month"): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(s.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new UserError(`${flag}: ожидается месяц в виде ГГГГ-ММ, получено «${s}»`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

export function parseDay(s: string, flag = "--from"): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  const ru = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s.trim());
  const d = iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : ru ? `${ru[3]}-${ru[2]}-${ru[1]}` : null;
  if (!d || Number.isNaN(Date.parse(d))) throw new UserError(`${flag}: ожидается дата ГГГГ-ММ-ДД или ДД.ММ.ГГГГ, получено «${s}»`);
  return d;
}

export async function exportTemplate(ds: DataSource, kind: string, scope: ExportScope, dir: string, now = new Date()): Promise<ExportResult> {
  const def = templateFor(kind);
  const sources = SOURCES[def.kind];
  if (def.kind === "payment-documents" && !scope.month) {
    const p = await latestPeriod(ds, scope.stand);
    scope = { ...scope, year: p?.year ?? now.getUTCFullYear(), month: p?.month ?? now.getUTCMonth() + 1 };
  }
  const stamp = `${String(now.getDate()).padStart(2, "0")}.${String(now.getMonth() + 1).padStart(2, "0")}.${now.getFullYear()}`;
  const file = path.join(dir, `${def.fileName} ${stamp}.xlsx`);
  const writer = new TemplateWriter(def, file);
  const rows: ExportResult["rows"] = [];
  for (let i = 0; i < def.sheets.length; i++) {
    rows.push({ sheet: def.sheets[i].name, rows: await writer.writeSheet(def.sheets[i], sources[i](ds, scope)) });
  }
  await writer.finish(now);
  return { file, rows };
}

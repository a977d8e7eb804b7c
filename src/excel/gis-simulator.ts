/**
 * Plays GIS's part for tests and demos: takes a workbook we exported and fills the grey answer
 * columns the way GIS's "Результаты импорта" file does — identifiers and «Загружено», or an error
 * text in «Статус обработки» for rows the caller wants rejected.
 */
import crypto from "node:crypto";
import ExcelJS from "exceljs";
import { cellText } from "../importer/xlsx-source";
import { recogniseSheet } from "./processed-reader";
import { INFO_SHEET } from "./templates";

export interface SimulatedRow {
  sheet: string;
  row: number;
  values: Record<string, string>;
  /** What GIS "assigned", by answer column key (empty when rejected). */
  assigned: Record<string, string>;
  rejected: string | null;
}

export interface SimulateOptions {
  /** Return GIS's error text to reject the row, or null to accept it. */
  reject?: (sheet: string, values: Record<string, string>) => string | null;
  /** Put identifiers into the status text instead of the answer columns (older GIS files did). */
  idsInStatus?: boolean;
}

export async function simulateGisProcessing(inFile: string, outFile: string, opts: SimulateOptions = {}): Promise<SimulatedRow[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(inFile);
  const out: SimulatedRow[] = [];
  let counter = 0;
  const unified = new Map<string, string>();
  const elsFor = (account: string) => {
    if (!unified.has(account)) unified.set(account, `${String(unified.size % 100).padStart(2, "0")}АА${String(unified.size + 1).padStart(6, "0")}`);
    return unified.get(account)!;
  };
  for (const ws of wb.worksheets) {
    if (ws.name === INFO_SHEET) continue;
    const header = ws.getRow(2);
    const headers: string[] = [];
    for (let i = 1; i <= header.cellCount; i++) headers.push(cellText(header.getCell(i).value));
    const found = recogniseSheet(ws.name, headers);
    if (!found) continue;
    for (let n = 3; n <= ws.rowCount; n++) {
      const row = ws.getRow(n);
      const values: Record<string, string> = {};
      for (const [key, i] of found.columns) values[key] = cellText(row.getCell(i + 1).value);
      if (Object.values(values).every((v) => v === "")) continue;
      const set = (key: string, v: string) => {
        const i = found.columns.get(key);
        if (i !== undefined) row.getCell(i + 1).value = v;
      };
      const reason = opts.reject?.(ws.name, values) ?? null;
      const assigned: Record<string, string> = {};
      if (reason) {
        set("status", reason);
      } else {
        counter++;
        for (const c of found.sheet.columns) {
          if (c.role !== "answer" || c.key === "status" || !found.columns.has(c.key)) continue;
          switch (c.key) {
            case "gisGuid":
            case "gisVersionGuid":
            case "fiasHouseGuid":
              assigned[c.key] = crypto.randomUUID();
              break;
            case "gisUniqueNumber":
              assigned[c.key] = String(100000000 + counter);
              break;
            case "gisNumber":
              assigned[c.key] = String(500000 + counter);
              break;
            case "unifiedNumber":
              assigned[c.key] = elsFor(values.accountNumber);
              break;
            case "utilityServiceId":
              assigned[c.key] = `${elsFor(values.accountNumber)}-01`;
              break;
            case "gisPaymentDocumentId": {
              const [mm, yyyy] = (values.period || "01.2000").split(".");
              assigned[c.key] = `${elsFor(values.accountNumber)}-${mm}${(yyyy ?? "").slice(2)}-01`;
              break;
            }
          }
        }
        if (opts.idsInStatus) {
          const bits = Object.entries(assigned).map(([k, v]) => `${found.sheet.columns.find((c) => c.key === k)!.header}: ${v}`);
          set("status", ["Загружено", ...bits].join(". "));
        } else {
          for (const [k, v] of Object.entries(assigned)) set(k, v);
          set("status", "Загружено");
        }
      }
      row.commit();
      out.push({ sheet: ws.name, row: n, values, assigned, rejected: reason });
    }
  }
  await wb.xlsx.writeFile(outFile);
  return out;
}

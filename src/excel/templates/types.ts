/**
 * One definition per GIS Excel template: sheets, column order, who fills each column. The .xlsx
 * files in excel-templates/, the export and the import of GIS's processed workbooks all read the
 * same definition, so a column is defined exactly once.
 */

/** GIS marks required columns green, optional yellow, and the columns it fills itself grey. */
export type ColumnRole = "required" | "optional" | "answer";

export interface TemplateColumn {
  /** Our key for the value (the export fills it, the import of GIS answers reads it). */
  key: string;
  /** Header text exactly as it stands in row 2 of the sheet. */
  header: string;
  role: ColumnRole;
  width?: number;
  /** A hint shown as the header cell's note (e.g. when an optional column becomes required). */
  note?: string;
}

/** Which object a row of the sheet stands for: decides how the import of GIS answers finds it. */
export type RowObject =
  | "house"
  | "entrance"
  | "premise"
  | "room"
  | "account"
  | "accommodation"
  | "meter"
  | "reading"
  | "contract"
  | "contract_object"
  | "payment_document"
  | "payment_document_line"
  | "temp_address";

export interface TemplateSheet {
  name: string;
  object: RowObject;
  columns: TemplateColumn[];
}

export interface TemplateDefinition {
  kind: string;
  /** Russian title, row 1 of each sheet. */
  title: string;
  /** File name without extension (the export appends the date). */
  fileName: string;
  /** Version of our template layout; stated in every sheet and in excel-templates/README.md. */
  version: string;
  /** The GIS template the layout follows. */
  gisTemplate: string;
  sheets: TemplateSheet[];
}

export const req = (key: string, header: string, width = 18, note?: string): TemplateColumn => ({ key, header, role: "required", width, note });
export const opt = (key: string, header: string, width = 18, note?: string): TemplateColumn => ({ key, header, role: "optional", width, note });
export const ans = (key: string, header: string, width = 24): TemplateColumn => ({ key, header, role: "answer", width });

/** GIS's answer column every sheet ends with: "Загружено" or the error text. */
export const STATUS = ans("status", "Статус обработки", 40);

/** Row numbers inside every sheet. */
export const TITLE_ROW = 1;
export const HEADER_ROW = 2;
export const FIRST_DATA_ROW = 3;

/** The extra sheet naming the template kind and version (the import recognises files by it). */
export const INFO_SHEET = "Сведения о шаблоне";

/** What the generator produces and reports, and the kinds of deliberately broken objects. */

export interface GenerateOptions {
  /** Number of accounts (лицевые счета); every other file scales with it. */
  accounts: number;
  outDir: string;
  /** PRNG seed: the same seed (and options) gives byte-identical files. Default 1. */
  seed?: number;
  /** Months of readings, payment documents and payments. Default 12. */
  months?: number;
  /** Inject a few deliberately broken objects and list them in broken.json. Default true. */
  broken?: boolean;
  format?: "csv";
  /** Last billing period, "YYYY-MM". Default "2025-12" (fixed, so output does not depend on today). */
  endPeriod?: string;
  /**
   * A settlement centre's bundle (see centre.ts): the centre, a managing organization that places
   * the housing fund and a resource supplier, dated relative to `today` ("YYYY-MM-DD", the house's
   * local date): bills up to last month, readings of this month inside the contracts' open window.
   * Overrides endPeriod and today. The same `today` and seed give the same bundle.
   */
  centre?: { today: string };
  /**
   * Dates the plain bundle from this day ("YYYY-MM-DD", the houses' local date), as the centre's is:
   * the billing periods end last month and one more month of readings, this month's, is dated inside
   * the contracts' readings window, widened to contain today — so a run today has readings GIS
   * still takes (without it every period ends by endPeriod and every readings window has closed).
   * Overrides endPeriod; ignored with `centre`. The same `today` and seed give the same bundle.
   */
  today?: string;
  /**
   * At most this many accounts in one apartment house (1..10000). Default: a house takes all the
   * accounts its plan has room for. Small houses mean many houses, hence many pipeline lanes.
   */
  accountsPerHouse?: number;
}

export type BrokenKind =
  | "org_inn_check_digit"
  | "house_bad_fias_guid"
  | "premise_area_not_number"
  | "account_missing_number"
  | "account_premise_unknown_premise"
  | "meter_empty_factory_number"
  | "reading_negative"
  | "reading_not_numeric"
  | "reading_decreasing"
  | "payment_nonpositive_amount";

/** Where each kind lands and what an importer should say about it. */
export const BROKEN_KINDS: Record<BrokenKind, { file: string; column: string; description: string }> = {
  org_inn_check_digit: { file: "organizations", column: "inn", description: "ИНН: неверное контрольное число (вторичная организация)" },
  house_bad_fias_guid: { file: "houses", column: "fias_house_guid", description: "ФИАС GUID дома не является GUID" },
  premise_area_not_number: { file: "premises", column: "total_area", description: "общая площадь помещения не число" },
  account_missing_number: { file: "accounts", column: "number", description: "не указан обязательный номер лицевого счёта" },
  account_premise_unknown_premise: { file: "account_premises", column: "premise_id", description: "ссылка на несуществующее помещение" },
  meter_empty_factory_number: { file: "meters", column: "factory_number", description: "не указан заводской номер прибора учёта" },
  reading_negative: { file: "readings", column: "value_t1", description: "отрицательное показание" },
  reading_not_numeric: { file: "readings", column: "value_t1", description: "показание не число" },
  reading_decreasing: { file: "readings", column: "value_t1", description: "показание меньше предыдущего показания того же прибора" },
  payment_nonpositive_amount: { file: "payments", column: "amount", description: "сумма платежа нулевая или отрицательная" },
};

/** One entry of broken.json. */
export interface BrokenRow {
  /** File name with extension, e.g. "readings.csv". */
  file: string;
  /** Physical line number in the file; the header is line 1, so the first data row is line 2. */
  line: number;
  /** The row's key (id, or the natural key joined with "|" for link files). */
  key: string;
  column: string;
  /** The value written in that cell. */
  value: string;
  kind: BrokenKind;
  description: string;
}

export interface GeneratedFile {
  /** Bundle file name without extension (BUNDLE_FILES[].name). */
  name: string;
  file: string;
  /** Data rows, header excluded. */
  rows: number;
  bytes: number;
}

export interface GenerateReport {
  outDir: string;
  seed: number;
  accounts: number;
  months: number;
  /** First and last billing period, "YYYY-MM". */
  periods: { from: string; to: string };
  houses: number;
  /** In BUNDLE_FILES order. */
  files: GeneratedFile[];
  totalRows: number;
  totalBytes: number;
  broken: BrokenRow[];
  brokenByKind: Partial<Record<BrokenKind, number>>;
  elapsedMs: number;
}

/**
 * Turning a cell's text into a model value, by the field's type in the bundle format. One
 * function per type; each returns the value or a sentence in Russian saying what is wrong,
 * which goes to the import journal next to the file, row and column.
 */
import { FieldType } from "../bundle/format";

export type Converted = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): Converted => ({ ok: true, value });
const bad = (message: string): Converted => ({ ok: false, message });

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const READING_RE = /^\d{1,15}(\.\d{1,7})?$/;
const TRUE = new Set(["1", "true", "да", "yes", "y", "д", "истина"]);
const FALSE = new Set(["0", "false", "нет", "no", "n", "н", "ложь"]);

/** Accepts YYYY-MM-DD and the Russian DD.MM.YYYY; checks the day exists. */
export function parseDay(text: string): string | null {
  let y: number, m: number, d: number;
  let r = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  if (r) [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else if ((r = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text))) [d, m, y] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  if (y < 1800 || y > 2200) return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Decimal text with `.` or `,`, spaces as thousands separators allowed. */
export function parseDecimalText(text: string): string | null {
  const t = text.replace(/[\s\u00a0]/g, "").replace(",", ".");
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null;
}

export function convert(text: string, type: FieldType): Converted {
  switch (type.kind) {
    case "string":
      return text.length > type.max ? bad(`длиннее ${type.max} символов (${text.length})`) : ok(text);
    case "int": {
      if (!/^-?\d+$/.test(text)) return bad("должно быть целым числом");
      const n = Number(text);
      if (type.min !== undefined && n < type.min) return bad(`должно быть не меньше ${type.min}`);
      if (type.max !== undefined && n > type.max) return bad(`должно быть не больше ${type.max}`);
      return ok(n);
    }
    case "decimal": {
      const t = parseDecimalText(text);
      if (t === null) return bad("должно быть числом");
      const frac = t.split(".")[1] ?? "";
      if (frac.length > type.scale) return bad(`больше ${type.scale} знаков после запятой`);
      const n = Number(t);
      if (type.min !== undefined && n < type.min) return bad(`должно быть не меньше ${type.min}`);
      return ok(n);
    }
    case "reading": {
      const t = parseDecimalText(text);
      if (t === null || t.startsWith("-")) return bad("показание должно быть неотрицательным числом");
      if (!READING_RE.test(t)) return bad("показание: не более 15 цифр до запятой и 7 после");
      const [i, f] = t.split(".");
      const int = i.replace(/^0+(?=\d)/, "");
      const frac = (f ?? "").replace(/0+$/, "");
      return ok(frac ? `${int}.${frac}` : int);
    }
    case "date": {
      const d = parseDay(text);
      return d ? ok(d) : bad("должно быть датой ГГГГ-ММ-ДД или ДД.ММ.ГГГГ");
    }
    case "bool": {
      const t = text.toLowerCase();
      if (TRUE.has(t)) return ok(true);
      if (FALSE.has(t)) return ok(false);
      return bad("должно быть 1 или 0");
    }
    case "guid":
      return GUID_RE.test(text) ? ok(text.toLowerCase()) : bad("должно быть GUID вида xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    case "enum":
      return type.values.includes(text) ? ok(text) : bad(`допустимые значения: ${type.values.join(", ")}`);
    case "ref":
      return text.length > 64 ? bad("идентификатор длиннее 64 символов") : ok(text);
  }
}

// Check digits of Russian registration numbers: a wrong one is a typo GIS would reject later.

function innOk(inn: string): boolean {
  const d = [...inn].map(Number);
  const sum = (w: number[]) => (w.reduce((s, k, i) => s + k * d[i], 0) % 11) % 10;
  if (inn.length === 10) return sum([2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[9];
  if (inn.length === 12) {
    return sum([7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[10] && sum([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === d[11];
  }
  return false;
}

function ogrnOk(ogrn: string): boolean {
  if (ogrn.length === 13) return Number((BigInt(ogrn.slice(0, 12)) % 11n) % 10n) === Number(ogrn[12]);
  if (ogrn.length === 15) return Number((BigInt(ogrn.slice(0, 14)) % 13n) % 10n) === Number(ogrn[14]);
  return false;
}

function snilsOk(snils: string): boolean {
  const d = [...snils].map(Number);
  const sum = d.slice(0, 9).reduce((s, k, i) => s + k * (9 - i), 0);
  const check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101 === 100 ? 0 : sum % 101;
  return check === Number(snils.slice(9));
}

/** Extra checks for columns whose content has a known structure, by column name. */
export const COLUMN_CHECKS: Record<string, (v: string) => string | null> = {
  inn: (v) => (!/^\d{10}(\d{2})?$/.test(v) ? "ИНН: 10 или 12 цифр" : innOk(v) ? null : "ИНН: неверное контрольное число"),
  kpp: (v) => (/^\d{4}[\dA-Z]{2}\d{3}$/.test(v) ? null : "КПП: 9 знаков"),
  ogrn: (v) => (!/^\d{13}(\d{2})?$/.test(v) ? "ОГРН: 13 цифр (ОГРНИП: 15)" : ogrnOk(v) ? null : "ОГРН: неверное контрольное число"),
  payer_snils: (v) => (!/^\d{11}$/.test(v) ? "СНИЛС: 11 цифр" : snilsOk(v) ? null : "СНИЛС: неверное контрольное число"),
  oktmo: (v) => (/^\d{8}(\d{3})?$/.test(v) ? null : "ОКТМО: 8 или 11 цифр"),
  bank_bik: (v) => (/^\d{9}$/.test(v) ? null : "БИК: 9 цифр"),
  operating_account: (v) => (/^\d{20}$/.test(v) ? null : "расчётный счёт: 20 цифр"),
};

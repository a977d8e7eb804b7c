/**
 * Payers' personal data over the API. Accountants get a payer's name and account; SNILS and the
 * identity document (type, series, number) only a role that may see them (operator, admin), only
 * from the routes that need them (the account card and its field history), and every such read is
 * audited. Every other answer — and every answer to an accountant — has those fields removed and
 * SNILS-shaped numbers in texts (error messages, GIS's answers) masked.
 */
import { User } from "../../entities/user";
import { maskPersonalText } from "../log";
import { ROLE_RANK } from "./router";

/** Account columns that are personal data beyond the payer's name. */
export const PERSONAL_FIELDS: readonly string[] = ["payerSnils", "payerDocumentType", "payerDocumentSeries", "payerDocumentNumber"];

export const canSeePersonalData = (u: Pick<User, "role"> | null): boolean => !!u && ROLE_RANK[u.role] >= ROLE_RANK.operator;

/** Does a value (an account, a page of field history) carry personal data worth an audit row? */
export function holdsPersonalData(v: unknown): boolean {
  if (!v || typeof v !== "object") return false;
  if (Array.isArray(v)) return v.some(holdsPersonalData);
  const o = v as Record<string, unknown>;
  if (typeof o.field === "string" && PERSONAL_FIELDS.includes(o.field) && o.value != null) return true;
  if (PERSONAL_FIELDS.some((f) => o[f] != null)) return true;
  return Object.values(o).some((x) => x && typeof x === "object" && !(x instanceof Date) && holdsPersonalData(x));
}

/** A JSON answer without SNILS and identity documents; with `maskText`, SNILS-shaped numbers in texts masked too. */
export function withoutPersonalData(v: unknown, maskText: boolean, depth = 0): unknown {
  if (typeof v === "string") return maskText && v.length > 11 ? maskPersonalText(v) : v;
  if (!v || typeof v !== "object" || v instanceof Date || Buffer.isBuffer(v) || depth > 8) return v;
  if (Array.isArray(v)) return v.map((x) => withoutPersonalData(x, maskText, depth + 1));
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const historyOfPersonal = typeof o.field === "string" && PERSONAL_FIELDS.includes(o.field);
  for (const [k, x] of Object.entries(o)) {
    if (PERSONAL_FIELDS.includes(k)) continue;
    out[k] = historyOfPersonal && k === "value" ? null : withoutPersonalData(x, maskText, depth + 1);
  }
  if (historyOfPersonal) out.hidden = true;
  return out;
}

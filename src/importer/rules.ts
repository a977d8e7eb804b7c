/**
 * Rules beyond a single column's type: relations between columns of a row, values computed
 * from others, and checks against data already in the database. Keyed by bundle file name.
 * Errors reject the row; warnings import it and tell the accountant what looks wrong.
 */
import { EntityManager, In } from "typeorm";
import { MeterReading } from "../../entities/meter-reading";

export type Values = Record<string, unknown>;

export interface RuleIssue {
  column: string | null;
  message: string;
  severity: "error" | "warning";
}

export interface RuleOptions {
  /** The manual's import option: the billing side keeps the *next* verification date. */
  verificationDateIsNext: boolean;
  /** The import's "today" (YYYY-MM-DD). */
  today: string;
}

const err = (column: string | null, message: string): RuleIssue => ({ column, message, severity: "error" });
const warn = (column: string | null, message: string): RuleIssue => ({ column, message, severity: "warning" });

function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(d, last));
  return t.toISOString().slice(0, 10);
}

/** Row checks on converted values (keyed by column name). */
export const ROW_RULES: Record<string, (v: Values, o: RuleOptions) => RuleIssue[]> = {
  accounts: (v) => {
    const out: RuleIssue[] = [];
    if (v.payer_kind === "person" && !v.payer_last_name && !v.payer_first_name) {
      out.push(err("payer_last_name", "у плательщика-физлица не указаны ни фамилия, ни имя"));
    }
    if (v.payer_kind === "organization" && !v.payer_organization_id) {
      out.push(err("payer_organization_id", "у плательщика-организации не указана организация"));
    }
    if (typeof v.payment_share === "number" && v.payment_share > 1) out.push(err("payment_share", "доля внесения платы больше 1"));
    if (v.closed_date && v.opened_date && String(v.closed_date) < String(v.opened_date)) {
      out.push(err("closed_date", "дата закрытия раньше даты открытия"));
    }
    return out;
  },
  account_premises: (v) => {
    const out: RuleIssue[] = [];
    if (!v.house_id && !v.premise_id && !v.room_id) out.push(err("premise_id", "не указано ни помещение, ни комната, ни дом"));
    if (typeof v.share_percent === "number" && v.share_percent > 100) out.push(err("share_percent", "доля больше 100%"));
    return out;
  },
  meters: (v, o) => {
    const out: RuleIssue[] = [];
    if (v.commissioned_date && v.installed_date && String(v.commissioned_date) < String(v.installed_date)) {
      out.push(warn("commissioned_date", "дата ввода в эксплуатацию раньше даты установки"));
    }
    if (o.verificationDateIsNext && v.verification_date && !v.verification_interval_months) {
      out.push(err("verification_interval_months", "указана дата следующей поверки, но не указан межповерочный интервал"));
    }
    if (v.state === "archived" && !v.archived_date) out.push(warn("archived_date", "прибор архивирован, но дата архивации не указана"));
    return out;
  },
  readings: (v, o) => {
    const out: RuleIssue[] = [];
    if (v.reading_date && String(v.reading_date) > o.today) out.push(err("reading_date", "дата показания в будущем"));
    return out;
  },
  payments: (v) => {
    const out: RuleIssue[] = [];
    if (typeof v.amount === "number" && v.amount <= 0) out.push(err("amount", "сумма платежа должна быть больше нуля"));
    if (!v.account_id && !v.payment_document_id) out.push(err("account_id", "платёж не привязан ни к лицевому счёту, ни к платёжному документу"));
    if (v.annulled === true && !v.annulled_date) out.push(warn("annulled_date", "платёж аннулирован, но дата аннулирования не указана"));
    return out;
  },
  contracts: (v) => {
    const out: RuleIssue[] = [];
    if (v.effective_date && v.signed_date && String(v.effective_date) < String(v.signed_date)) {
      out.push(warn("effective_date", "дата вступления в силу раньше даты заключения"));
    }
    if (v.termination_date && !v.termination_reason) out.push(warn("termination_reason", "договор расторгнут без указания причины"));
    return out;
  },
};

/** Properties computed from the row rather than copied from one column. */
export const DERIVED: Record<string, (v: Values, o: RuleOptions) => Values> = {
  meters: (v, o) => {
    const day = v.verification_date as string | null;
    const months = v.verification_interval_months as number | null;
    if (!day) return { lastVerificationDate: null };
    // The manual's rule: when billing keeps the next verification date, last = next − interval.
    return { lastVerificationDate: o.verificationDateIsNext && months ? addMonths(day, -months) : day };
  },
};

export interface PendingReading {
  index: number;
  meterId: number;
  day: string;
  t1: string;
}

/**
 * Readings must not go down: a smaller value than the meter's previous one is usually a typo (or a
 * meter replacement the billing side forgot to record). Checked against this batch and the
 * database; a warning, because a rollover is legitimate.
 */
export async function decreasingReadings(em: EntityManager, rows: PendingReading[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (rows.length === 0) return out;
  const meterIds = [...new Set(rows.map((r) => r.meterId))];
  const known = new Map<number, Array<{ day: string; t1: string }>>();
  for (let i = 0; i < meterIds.length; i += 500) {
    const found = await em.getRepository(MeterReading).find({
      where: { meterId: In(meterIds.slice(i, i + 500)) },
      select: { meterId: true, readingDate: true, valueT1: true },
    });
    for (const r of found) {
      const list = known.get(r.meterId) ?? [];
      list.push({ day: r.readingDate, t1: r.valueT1 });
      known.set(r.meterId, list);
    }
  }
  for (const r of rows) {
    const list = known.get(r.meterId) ?? [];
    let prev: { day: string; t1: string } | null = null;
    for (const k of list) if (k.day < r.day && (!prev || k.day > prev.day)) prev = k;
    if (prev && Number(r.t1) < Number(prev.t1)) {
      out.set(r.index, `показание меньше предыдущего (${prev.t1} на ${prev.day})`);
    }
    list.push({ day: r.day, t1: r.t1 });
    known.set(r.meterId, list);
  }
  return out;
}

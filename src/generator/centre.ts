/**
 * The settlement centre's bundle (GenerateOptions.centre): the centre (РЦ) runs the installation and
 * sends for two organizations that granted it their rights — a managing organization (УО) that
 * places the housing fund itself, keeps management contracts, accounts, water and heat meters and
 * bills, and a resource supplier (РСО) that sells electricity to the owners directly (supply
 * contracts on the same houses, its own accounts and meters). Everything is dated from `today`:
 * bills for the months up to the last one, readings of this month dated inside the contracts'
 * readings window, which is open today.
 */
import { Period, parsePeriods } from "./state";
import { p2 } from "./format";

export interface CentreDates {
  today: string;
  /** The period whose readings are sent now (this month). */
  readingPeriod: Period;
  /** The contracts' readings window, days of the period's own month (GIS: «с N числа текущего месяца по M число текущего месяца»). */
  fromDay: number;
  toDay: number;
}

/**
 * The readings window the demo's contracts state: GIS's usual 15th–25th, widened to today when today
 * falls outside it, so the current window is open on the day the bundle is made.
 */
export function centreDates(today: string): CentreDates {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) throw new Error(`today must be YYYY-MM-DD, got "${today}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { today, readingPeriod: { year, month }, fromDay: Math.min(15, day), toDay: Math.max(25, day) };
}

/** The billing periods: `months` months ending with the one before today's. */
export function centrePeriods(c: CentreDates, months: number): Period[] {
  const { year, month } = c.readingPeriod;
  const prev = month === 1 ? `${year - 1}-12` : `${year}-${p2(month - 1)}`;
  return parsePeriods(prev, months);
}

/** Today's date in the houses' time zone (Kazan, UTC+3) — the date GIS checks the readings window by. */
export function houseToday(now: Date = new Date(), utcOffsetHours = 3): string {
  return new Date(now.getTime() + utcOffsetHours * 3600_000).toISOString().slice(0, 10);
}

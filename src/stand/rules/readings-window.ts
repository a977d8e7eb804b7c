/**
 * The readings window: GIS accepts current readings for a month only on certain days of that month,
 * in the house's time zone, and answers SRV007013 otherwise (text as in the manual's example:
 * "…за 9 2017 г. … возможна в период с 23.09.2017 по 25.09.2017 …").
 */
import { GisErrorText, readingsWindowClosed } from "./codes";
import { StandRules } from "./settings";

const dd = (n: number) => String(n).padStart(2, "0");

/** Null when a current reading for `year`/`month` may be entered at `received`; else the SRV007013 error. */
export function outsideWindow(rules: StandRules, received: Date, year: number, month: number, collective: boolean): GisErrorText | null {
  const w = rules.readingsWindow;
  if (w === "always") return null;
  const local = new Date(received.getTime() + rules.houseUtcOffsetHours * 3600_000);
  const inMonth = local.getUTCFullYear() === year && local.getUTCMonth() + 1 === month;
  const day = local.getUTCDate();
  if (inMonth && day >= w.fromDay && day <= w.toDay) return null;
  const date = (d: number) => `${dd(d)}.${dd(month)}.${year}`;
  const offset = rules.houseUtcOffsetHours;
  const utc = `UTC${offset >= 0 ? "+" : "-"}${Math.abs(offset)}`;
  return readingsWindowClosed(collective, month, year, date(w.fromDay), date(w.toDay), utc);
}

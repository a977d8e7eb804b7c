/**
 * When a schedule fires. A schedule speaks in the organization's wall-clock time (setting
 * gis.timeZone, Europe/Moscow by default): once a day at HH:MM, or every N minutes from the window's
 * start up to and including its end, on the chosen ISO weekdays, between the start date and the
 * optional end date (both inclusive). Fire times are whole minutes; this is the single source of
 * truth (node-cron only ticks every minute), so it is tested directly.
 */
import { parseTimeOfDay } from "./validate";

/** The parts of a schedule that decide when it fires. */
export interface FireRule {
  daysOfWeek: string;
  mode: "once" | "interval";
  timeOfDay: string | null;
  everyMinutes: number | null;
  windowStart: string | null;
  windowEnd: string | null;
  startDate: string | null;
  endDate: string | null;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", {
        timeZone: tz,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      });
    } catch {
      throw new Error(`Часовая зона «${tz}» неизвестна (настройка gis.timeZone, например Europe/Moscow)`);
    }
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock day ("YYYY-MM-DD") and minute of the day of an instant in a time zone. */
export function localTime(at: Date, tz: string): { day: string; minute: number } {
  const p = Object.fromEntries(
    formatter(tz)
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/** The instant a wall-clock minute of a day happens in a time zone. */
export function zonedInstant(day: string, minute: number, tz: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`) + minute * 60_000;
  const offset = (t: number) => {
    const l = localTime(new Date(t), tz);
    return Date.parse(`${l.day}T00:00:00Z`) + l.minute * 60_000 - Math.floor(t / 60_000) * 60_000;
  };
  const first = guess - offset(guess);
  // Second pass for zones whose offset differs on either side of the guess (DST changes).
  return new Date(guess - offset(first));
}

export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() || 7;

/** Minutes of the day the rule fires at (ignoring dates and weekdays). */
export function fireMinutes(rule: FireRule): number[] {
  if (rule.mode === "once") {
    const t = rule.timeOfDay ? parseTimeOfDay(rule.timeOfDay) : null;
    return t === null ? [] : [t];
  }
  const from = rule.windowStart ? parseTimeOfDay(rule.windowStart) : null;
  const to = rule.windowEnd ? parseTimeOfDay(rule.windowEnd) : null;
  const every = rule.everyMinutes ?? 0;
  if (from === null || to === null || every < 1) return [];
  const out: number[] = [];
  for (let m = from; m <= to; m += every) out.push(m);
  return out;
}

/** Whether the rule runs at all on a calendar day (dates and weekdays). */
export function runsOn(rule: FireRule, day: string): boolean {
  if (rule.startDate && day < rule.startDate) return false;
  if (rule.endDate && day > rule.endDate) return false;
  return rule.daysOfWeek.split(",").map(Number).includes(isoWeekday(day));
}

/**
 * Wall-clock minutes of a day → instants. Time-zone lookups are the costly part (a tick checks
 * every schedule), so a day whose UTC offset is the same at both ends is converted arithmetically;
 * only days with an offset change (DST) convert minute by minute.
 */
function dayClock(day: string, tz: string): (minute: number) => Date {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const offsetAt = (m: number) => midnight + m * 60_000 - zonedInstant(day, m, tz).getTime();
  const offset = offsetAt(0);
  if (offsetAt(1439) === offset) return (m) => new Date(midnight + m * 60_000 - offset);
  return (m) => zonedInstant(day, m, tz);
}

/** The instants the rule fires on one calendar day, in order. */
export function fireTimesOn(rule: FireRule, day: string, tz: string): Date[] {
  if (!runsOn(rule, day)) return [];
  const minutes = fireMinutes(rule);
  if (!minutes.length) return [];
  const at = dayClock(day, tz);
  return minutes.map(at);
}

/** The first fire time strictly after `after`, or null when there is none within `horizonDays`. */
export function nextFireTime(rule: FireRule, after: Date, tz: string, horizonDays = 400): Date | null {
  if (!fireMinutes(rule).length) return null;
  let day = localTime(after, tz).day;
  if (rule.startDate && day < rule.startDate) day = addDays(rule.startDate, -1);
  for (let i = 0; i <= horizonDays + 1; i++, day = addDays(day, 1)) {
    if (rule.endDate && day > rule.endDate) return null;
    const t = fireTimesOn(rule, day, tz).find((x) => x.getTime() > after.getTime());
    if (t) return t;
  }
  return null;
}

/** The latest fire time in (at − lookbackMs, at], or null: what a scheduler ticking at `at` still owes. */
export function latestFireTime(rule: FireRule, at: Date, tz: string, lookbackMs: number): Date | null {
  const since = at.getTime() - lookbackMs;
  const first = localTime(new Date(since), tz).day;
  for (let day = localTime(at, tz).day; day >= first; day = addDays(day, -1)) {
    const due = fireTimesOn(rule, day, tz).filter((t) => t.getTime() <= at.getTime() && t.getTime() > since);
    if (due.length) return due[due.length - 1];
  }
  return null;
}

const WEEKDAYS = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"];

/** The rule in words, for lists: "ежедневно в 08:00 (пн, ср, пт), с 2026-12-01". */
export function describeRule(rule: FireRule): string {
  const days =
    rule.daysOfWeek === "1,2,3,4,5,6,7"
      ? "ежедневно"
      : rule.daysOfWeek
          .split(",")
          .map((d) => WEEKDAYS[Number(d) - 1])
          .join(", ");
  const when = rule.mode === "once" ? `в ${rule.timeOfDay}` : `каждые ${rule.everyMinutes} мин с ${rule.windowStart} до ${rule.windowEnd}`;
  const dates = [rule.startDate ? `с ${rule.startDate}` : "", rule.endDate ? `по ${rule.endDate}` : ""].filter(Boolean).join(" ");
  return `${days} ${when}${dates ? `, ${dates}` : ""}`;
}

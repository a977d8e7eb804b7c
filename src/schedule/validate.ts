/**
 * Checking a schedule before it is stored: every problem is reported at once, each naming the
 * field the way the schedule screen labels it, so an accountant can fix the form in one go.
 */
import { STANDS } from "../../entities/gis-operation";
import { parseDay } from "../importer/convert";
import { UserError } from "../util/errors";
import { JOB_TYPE_IDS, jobTypeOf } from "./job-types";
import type { FireRule } from "./fire-times";

/** What a user (CLI, API) gives; strings as typed. */
export interface ScheduleInput {
  name?: string | null;
  jobType: string;
  stand: string;
  enabled?: boolean;
  /** "1,2,3" (1 = Monday … 7 = Sunday) or a list; absent = every day. */
  daysOfWeek?: string | number[] | null;
  /** Absent: "once" when timeOfDay is given, else "interval". */
  mode?: string | null;
  timeOfDay?: string | null;
  everyMinutes?: number | string | null;
  windowStart?: string | null;
  windowEnd?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  /** {"organizationId":1,"houseIds":[…]} as an object or JSON text; empty = our organization, everything. */
  scope?: string | Record<string, unknown> | null;
}

/** The checked, normalized values of a stored schedule. */
export interface ScheduleFields extends FireRule {
  name: string;
  jobType: string;
  enabled: boolean;
  stand: string;
  scope: string | null;
}

export interface ScheduleProblem {
  field: keyof ScheduleInput;
  text: string;
}

const LABELS: Record<keyof ScheduleInput, string> = {
  name: "Название",
  jobType: "Задание",
  stand: "Стенд",
  enabled: "Включено",
  daysOfWeek: "Дни недели",
  mode: "Частота",
  timeOfDay: "Время запуска",
  everyMinutes: "Каждые (мин)",
  windowStart: "Начиная с",
  windowEnd: "Завершить в",
  startDate: "Дата начала",
  endDate: "Дата окончания",
  scope: "Область",
};

export class ScheduleValidationError extends UserError {
  constructor(readonly problems: ScheduleProblem[]) {
    super(`Расписание не сохранено: ${problems.map((p) => `поле «${LABELS[p.field]}» (${p.field}): ${p.text}`).join("; ")}`);
    this.name = "ScheduleValidationError";
  }
}

/** "HH:MM" → minutes since midnight, or null when it is not a time of day. */
export function parseTimeOfDay(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? h * 60 + min : null;
}

export const formatTimeOfDay = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

export function validateSchedule(input: ScheduleInput): ScheduleFields {
  const problems: ScheduleProblem[] = [];
  const bad = (field: keyof ScheduleInput, text: string) => problems.push({ field, text });
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

  const job = jobTypeOf(String(input.jobType ?? "").trim());
  if (!job) bad("jobType", `неизвестное задание «${input.jobType ?? ""}»; допустимо: ${JOB_TYPE_IDS.join(", ")}`);
  const stand = String(input.stand ?? "").trim();
  if (!(STANDS as readonly string[]).includes(stand)) bad("stand", `неизвестный стенд «${stand}»; допустимо: ${STANDS.join(", ")}`);

  const name = (input.name ?? "").trim() || job?.label || String(input.jobType ?? "");
  if (name.length > 200) bad("name", `не длиннее 200 символов (сейчас ${name.length})`);

  const days = parseDays(input.daysOfWeek);
  if ("problem" in days) bad("daysOfWeek", days.problem);

  const mode = blank(input.mode) ? (blank(input.timeOfDay) ? "interval" : "once") : String(input.mode);
  let timeOfDay: string | null = null;
  let everyMinutes: number | null = null;
  let windowStart: string | null = null;
  let windowEnd: string | null = null;
  const time = (field: "timeOfDay" | "windowStart" | "windowEnd"): number | null => {
    const v = input[field];
    if (blank(v)) {
      bad(field, "не заполнено (ЧЧ:ММ)");
      return null;
    }
    const t = parseTimeOfDay(String(v));
    if (t === null) bad(field, `«${v}» — не время ЧЧ:ММ от 00:00 до 23:59`);
    return t;
  };
  if (mode === "once") {
    const t = time("timeOfDay");
    if (t !== null) timeOfDay = formatTimeOfDay(t);
  } else if (mode === "interval") {
    const every = blank(input.everyMinutes) ? NaN : Number(input.everyMinutes);
    if (!Number.isInteger(every) || every < 1 || every > 1440) bad("everyMinutes", `«${input.everyMinutes ?? ""}» — нужно целое число минут от 1 до 1440`);
    else everyMinutes = every;
    const from = time("windowStart");
    const to = time("windowEnd");
    if (from !== null && to !== null && from >= to)
      bad("windowEnd", `время окончания ${formatTimeOfDay(to)} должно быть позже начала ${formatTimeOfDay(from)}`);
    if (from !== null) windowStart = formatTimeOfDay(from);
    if (to !== null) windowEnd = formatTimeOfDay(to);
  } else {
    bad("mode", `«${input.mode}» — нужно once (один раз в день) или interval (каждые N минут)`);
  }

  const date = (field: "startDate" | "endDate"): string | null => {
    const v = input[field];
    if (blank(v)) return null;
    const d = parseDay(String(v).trim());
    if (!d) bad(field, `«${v}» — не дата (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)`);
    return d;
  };
  const startDate = date("startDate");
  const endDate = date("endDate");
  if (startDate && endDate && endDate < startDate) bad("endDate", `дата окончания ${endDate} раньше даты начала ${startDate}`);

  const scope = parseScope(input.scope);
  if (typeof scope === "object" && scope && "problem" in scope) bad("scope", scope.problem);

  if (problems.length) throw new ScheduleValidationError(problems);
  return {
    name,
    jobType: job!.id,
    enabled: input.enabled ?? true,
    stand,
    daysOfWeek: "value" in days ? days.value : "",
    mode: mode as "once" | "interval",
    timeOfDay,
    everyMinutes,
    windowStart,
    windowEnd,
    startDate,
    endDate,
    scope: scope as string | null,
  };
}

/** Normalized "1,3,5", or the problem in words. */
function parseDays(v: ScheduleInput["daysOfWeek"]): { value: string } | { problem: string } {
  if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) return { value: "1,2,3,4,5,6,7" };
  const parts = Array.isArray(v) ? v.map(String) : v.split(",").map((x) => x.trim());
  const wrong = parts.filter((p) => !/^[1-7]$/.test(p));
  if (wrong.length || !parts.length) return { problem: `«${wrong.join(", ")}» — дни недели числами от 1 (понедельник) до 7 (воскресенье) через запятую` };
  return { value: [...new Set(parts.map(Number))].sort((a, b) => a - b).join(",") };
}

/** Scope JSON text (null = everything), or the problem. */
function parseScope(v: ScheduleInput["scope"]): string | null | { problem: string } {
  if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) return null;
  let o: unknown;
  try {
    o = typeof v === "string" ? JSON.parse(v) : v;
  } catch {
    return { problem: 'не JSON вида {"organizationId":1,"houseIds":[1,2]}' };
  }
  if (!o || typeof o !== "object" || Array.isArray(o)) return { problem: 'ожидается объект {"organizationId":…,"houseIds":[…]}' };
  const rec = o as Record<string, unknown>;
  const known = ["organizationId", "organizationIds", "houseIds", "contractId"];
  const extra = Object.keys(rec).filter((k) => !known.includes(k));
  if (extra.length) return { problem: `неизвестные ключи ${extra.join(", ")}; допустимо: ${known.join(", ")}` };
  const id = (x: unknown) => Number.isInteger(x) && (x as number) > 0;
  if (rec.organizationId !== undefined && !id(rec.organizationId)) return { problem: "organizationId — номер организации в базе" };
  if (rec.contractId !== undefined && !id(rec.contractId)) return { problem: "contractId — номер договора в базе" };
  if (
    rec.organizationIds !== undefined &&
    rec.organizationIds !== "all" &&
    (!Array.isArray(rec.organizationIds) || rec.organizationIds.length === 0 || !rec.organizationIds.every(id))
  )
    return { problem: 'organizationIds — список номеров организаций или "all" (все наши)' };
  if (rec.organizationIds !== undefined && rec.organizationId !== undefined) return { problem: "укажите organizationId или organizationIds, не оба" };
  if (rec.houseIds !== undefined && (!Array.isArray(rec.houseIds) || !rec.houseIds.every(id))) return { problem: "houseIds — список номеров домов" };
  return Object.keys(rec).length ? JSON.stringify(rec) : null;
}

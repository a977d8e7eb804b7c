/**
 * The manual's dialogs that start a run with parameters of their own: «Проверить платежи» (period,
 * kvitirovanie statuses, organization), «Квитирование» for a month, and «Загрузить недостающие
 * квитанции» (what GIS holds for our payment documents of a month). Each answers with the run, whose
 * progress the UI watches like any other (GET /api/runs/{id}).
 */
import { Organization } from "../../../entities";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { resolveOrganization } from "../../runtime/pipeline-runtime";
import { Scope, StageName } from "../../stages/descriptor";
import { audit } from "../audit";
import { ApiError, Body, badRequest } from "../http";
import { Ctx, ROLE_RANK, Route } from "../router";
import { runProgress } from "./runs";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 1100;

function day(b: Body, name: string): string {
  const v = b.str(name, { required: true, pattern: DAY, hint: "ожидается дата ГГГГ-ММ-ДД" })!;
  if (Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v)
    throw badRequest(`Поле ${name}: такой даты нет («${v}»)`);
  return v;
}

function monthOf(b: Body, what: string): { year: number; month: number } {
  const year = b.int("year", { required: true, min: 2000, max: 2100 })!;
  const month = b.int("month", { required: true, min: 1, max: 12 })!;
  if (!year || !month) throw badRequest(`${what}: укажите год и месяц`);
  return { year, month };
}

async function start(
  ctx: Ctx,
  b: Body,
  what: string,
  defaultStand: Stand,
  run: { stages: StageName[]; mode: "pull" | "push"; scope: Omit<Scope, "organizationId"> },
) {
  const stand = (b.str("stand", { values: STANDS }) ?? defaultStand) as Stand;
  if (stand === "prod" && (!ctx.user || ROLE_RANK[ctx.user.role] < ROLE_RANK.operator))
    throw new ApiError(403, "forbidden", `${what}, поле stand: обмен с рабочим стендом ГИС ЖКХ (prod) запускает только оператор или администратор`);
  const orgId = b.int("organizationId", { min: 1 });
  const org = orgId
    ? await ctx.ds.getRepository(Organization).findOneBy({ id: orgId })
    : await resolveOrganization(ctx.ds).catch((e: Error) => {
        throw badRequest(`${what}, поле organizationId: ${e.message}`);
      });
  if (!org) throw badRequest(`${what}, поле organizationId: организация ${orgId} не найдена`);
  const rt = await ctx.services.runtime(stand);
  const started = await rt.pipeline.startRun({ stand, organizationId: org.id, ...run, author: ctx.actor, trigger: "api" });
  await audit(ctx.ds, ctx.actor, "run.start", `run:${started.id}`, {
    stand,
    mode: run.mode,
    stages: run.stages,
    scope: run.scope,
    organizationId: org.id,
    dialog: what,
  });
  return { ...started, progress: await runProgress(ctx.services, started) };
}

const COMMON = {
  organizationId: { type: "integer", description: "Организация (по умолчанию наша)" },
  stand: { type: "string", enum: STANDS, description: "Стенд" },
} as const;

export function paymentDialogRoutes(defaultStand: Stand): Route[] {
  return [
    {
      method: "POST",
      path: "/api/payments/check",
      access: "accountant",
      tag: "Запуски",
      summary: "«Проверить платежи»: извещения об оплате из ГИС ЖКХ за выбранный период и со статусами квитирования (exportNotificationsOfOrderExecution)",
      body: {
        from: { type: "string", required: true, description: "С даты ГГГГ-ММ-ДД" },
        to: { type: "string", required: true, description: "По дату ГГГГ-ММ-ДД (включительно)" },
        statuses: { type: "array", items: "integer", description: "Статусы квитирования 0–5 (по умолчанию все)" },
        ...COMMON,
      },
      handler: async (ctx) => {
        const what = "Проверить платежи";
        const b = ctx.json(what);
        const from = day(b, "from");
        const to = day(b, "to");
        const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
        if (span < 1) throw badRequest(`${what}, поле to: дата «по» раньше даты «с»`);
        if (span > MAX_DAYS) throw badRequest(`${what}, поле to: период не длиннее ${MAX_DAYS} дней`);
        // Status 0 (не сквитировано) is a status too: Body.intList takes only positive numbers.
        const raw = b.obj.statuses;
        if (raw !== undefined && raw !== null && (!Array.isArray(raw) || raw.length > 6 || raw.some((x) => !Number.isInteger(x) || x < 0 || x > 5)))
          throw badRequest(`${what}, поле statuses: список статусов квитирования от 0 до 5`);
        const statuses = raw as number[] | undefined;
        return start(ctx, b, what, defaultStand, {
          stages: ["payments"],
          mode: "pull",
          scope: { period: { from, to }, ...(statuses?.length ? { ackStatuses: [...new Set(statuses)] } : {}) },
        });
      },
    },
    {
      method: "POST",
      path: "/api/kvitirovanie/run",
      access: "accountant",
      tag: "Запуски",
      summary: "«Квитирование» за месяц: сопоставить оплату с начислениями платёжных документов этого месяца и отправить в ГИС ЖКХ",
      body: {
        year: { type: "integer", required: true, description: "Год платёжных документов" },
        month: { type: "integer", required: true, description: "Месяц 1–12" },
        houseIds: { type: "array", items: "integer", description: "Только эти дома" },
        ...COMMON,
      },
      handler: async (ctx) => {
        const what = "Квитирование";
        const b = ctx.json(what);
        const houseIds = b.intList("houseIds", { max: 10000 });
        return start(ctx, b, what, defaultStand, {
          stages: ["kvitirovanie"],
          mode: "push",
          scope: { month: monthOf(b, what), ...(houseIds?.length ? { houseIds } : {}) },
        });
      },
    },
    {
      method: "POST",
      path: "/api/payment-documents/load-missing",
      access: "accountant",
      tag: "Запуски",
      summary: "«Загрузить недостающие квитанции»: запросить из ГИС ЖКХ платёжные документы месяца (exportPaymentDocumentData) — ИПД и состояние",
      body: {
        year: { type: "integer", required: true, description: "Год" },
        month: { type: "integer", required: true, description: "Месяц 1–12" },
        houseIds: { type: "array", items: "integer", description: "Только эти дома" },
        ...COMMON,
      },
      handler: async (ctx) => {
        const what = "Загрузить недостающие квитанции";
        const b = ctx.json(what);
        const houseIds = b.intList("houseIds", { max: 10000 });
        return start(ctx, b, what, defaultStand, {
          stages: ["bills"],
          mode: "pull",
          scope: { month: monthOf(b, what), ...(houseIds?.length ? { houseIds } : {}) },
        });
      },
    },
  ];
}

/** Administration: schedules, settings (secrets write-only), the signer's certificate, users, the audit log. */
import fs from "node:fs";
import { DataSource } from "typeorm";
import { AuditLog, Organization, Schedule, User } from "../../../entities";
import { USER_ROLES } from "../../../entities/user";
import { hashPassword } from "../../auth/password";
import { JOB_TYPES } from "../../schedule/job-types";
import { addSchedule, removeSchedule } from "../../schedule/store";
import { ScheduleInput, validateSchedule } from "../../schedule/validate";
import { SettingError, SettingView, changeSetting, findSetting, settingView } from "../../settings/change";
import { SETTINGS } from "../../settings/definitions";
import { checkSettingValue, getSetting } from "../../settings/settings";
import { setVerboseLog } from "../../settings/verbose-log";
import { expiryCheck } from "../../signing/certificate";
import { audit } from "../audit";
import { ApiError, badRequest, conflict, notFound } from "../http";
import {
  assertMayAct,
  limitText,
  organizationIdsInput,
  organizationVisible,
  parseOrganizationIds,
  parseStands,
  standsInput,
  userOrganizations,
  userStands,
} from "../org-scope";
import { PAGED_QUERY, paged } from "../paging";
import { Ctx, ParamSpec, Route } from "../router";
import { readCertificateFile } from "../signer-check";
import { issueSession } from "./auth";
import { idParam } from "./houses";

const SCHEDULE_BODY: Record<string, ParamSpec> = {
  name: { type: "string", description: "Название" },
  jobType: { type: "string", required: true, enum: JOB_TYPES.map((j) => j.id), description: "Задание" },
  stand: { type: "string", required: true, description: "Стенд" },
  enabled: { type: "boolean", description: "Включено" },
  daysOfWeek: { type: "string", description: "Дни недели: 1,2,3 (1 — понедельник)" },
  mode: { type: "string", enum: ["once", "interval"], description: "Один раз в день или каждые N минут" },
  timeOfDay: { type: "string", description: "Время запуска ЧЧ:ММ" },
  everyMinutes: { type: "integer", description: "Каждые N минут" },
  windowStart: { type: "string", description: "Начиная с ЧЧ:ММ" },
  windowEnd: { type: "string", description: "Завершить в ЧЧ:ММ" },
  startDate: { type: "string", description: "Дата начала" },
  endDate: { type: "string", description: "Дата окончания" },
  scope: { type: "object", description: "Область: {organizationId, houseIds, contractId}" },
};

const FIELDS = Object.keys(SCHEDULE_BODY) as Array<keyof ScheduleInput>;

function scheduleInput(ctx: Ctx, base: Partial<ScheduleInput> = {}): ScheduleInput {
  const b = ctx.json("Расписание").obj;
  const unknown = Object.keys(b).filter((k) => !(FIELDS as string[]).includes(k));
  if (unknown.length) throw badRequest(`Расписание: неизвестные поля ${unknown.join(", ")}`);
  return { ...base, ...b } as ScheduleInput;
}

/** A schedule's organization (null: every organization) from its scope JSON. */
export function scheduleOrganization(scope: string | Record<string, unknown> | null | undefined): number | null {
  try {
    const o = typeof scope === "string" ? (JSON.parse(scope) as Record<string, unknown>) : scope;
    return typeof o?.organizationId === "number" ? o.organizationId : null;
  } catch {
    return null;
  }
}

/** An administrator limited to organizations or stands sees and sets only their schedules. */
const scheduleVisible = (ctx: Ctx, s: Pick<Schedule, "scope" | "stand">) =>
  organizationVisible(userOrganizations(ctx), scheduleOrganization(s.scope)) && (userStands(ctx) === null || userStands(ctx)!.includes(s.stand as never));

export async function scheduleOrFail(ctx: Ctx, id: string): Promise<Schedule> {
  const s = await ctx.ds.getRepository(Schedule).findOneBy({ id: idParam(id, "Расписание") });
  if (!s || !scheduleVisible(ctx, s)) throw notFound(`Расписание ${id}`);
  return s;
}

const userView = (u: User) => ({
  id: u.id,
  login: u.login,
  displayName: u.displayName,
  role: u.role,
  active: u.active,
  createdAt: u.createdAt,
  lastLoginAt: u.lastLoginAt,
  organizationIds: parseOrganizationIds(u.organizationIds),
  stands: parseStands(u.stands),
});

const LIMIT_BODY: Record<string, ParamSpec> = {
  organizationIds: { type: "array", items: "integer", description: "Организации пользователя (null — все организации)" },
  stands: { type: "array", items: "string", description: "Стенды пользователя: prod, sit01, sit02, local (null — все стенды)" },
};

/** The organization and stand limits of a user's body, each checked; undefined: not given. */
async function limitsOf(ctx: Ctx, what: string): Promise<Partial<Pick<User, "organizationIds" | "stands">>> {
  const b = ctx.json(what);
  const out: Partial<Pick<User, "organizationIds" | "stands">> = {};
  if (b.has("organizationIds")) {
    const ids = organizationIdsInput(b.obj.organizationIds, what);
    if (ids?.length) {
      const found = new Set((await ctx.ds.getRepository(Organization).find({ where: ids.map((id) => ({ id })), select: { id: true } })).map((o) => o.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) throw badRequest(`${what}, поле organizationIds: нет организаций ${missing.join(", ")}`);
    }
    out.organizationIds = limitText(ids);
  }
  if (b.has("stands")) out.stands = limitText(standsInput(b.obj.stands, what));
  return out;
}

async function otherActiveAdmins(ds: DataSource, id: number): Promise<number> {
  return ds.getRepository(User).createQueryBuilder("u").where("u.role = 'admin' AND u.active = :t AND u.id <> :id", { t: true, id }).getCount();
}

/** One setting changed from the web screen; «Подробное логирование» takes effect in this process at once. */
async function changeSettingOverWeb(ctx: Ctx, key: string, value: unknown): Promise<SettingView> {
  try {
    const view = await changeSetting(ctx.ds, key, value, { actor: ctx.actor, via: "web", details: { ip: ctx.ip } });
    if (key === "exchange.verboseLog") setVerboseLog(view.value === true);
    return view;
  } catch (e) {
    if (!(e instanceof SettingError)) throw e;
    throw e.problem === "server_only"
      ? new ApiError(403, "server_only", e.message)
      : e.problem === "unknown"
        ? notFound(`Настройка «${key}»`)
        : badRequest(e.message);
  }
}

export const adminRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/schedules",
    access: "admin",
    tag: "Расписание",
    summary: "Расписания заданий",
    handler: async (ctx) => ({
      items: (await ctx.ds.getRepository(Schedule).find({ order: { id: "ASC" } })).filter((s) => scheduleVisible(ctx, s)),
      jobTypes: JOB_TYPES.map((j) => ({ id: j.id, label: j.label })),
    }),
  },
  {
    method: "POST",
    path: "/api/schedules",
    access: "admin",
    tag: "Расписание",
    summary: "Добавить расписание",
    body: SCHEDULE_BODY,
    handler: async (ctx) => {
      const input = scheduleInput(ctx);
      assertMayAct(ctx, scheduleOrganization(input.scope), input.stand ?? null, "Расписание");
      const s = await addSchedule(ctx.ds, input);
      await audit(ctx.ds, ctx.actor, "schedule.add", `schedule:${s.id}`, { name: s.name, jobType: s.jobType });
      return s;
    },
  },
  {
    method: "PUT",
    path: "/api/schedules/{id}",
    access: "admin",
    tag: "Расписание",
    summary: "Изменить расписание (передаются изменённые поля)",
    body: SCHEDULE_BODY,
    handler: async (ctx) => {
      const s = await scheduleOrFail(ctx, ctx.params.id);
      const current: ScheduleInput = { ...s, scope: s.scope } as ScheduleInput;
      const input = scheduleInput(ctx, current);
      assertMayAct(ctx, scheduleOrganization(input.scope), input.stand ?? null, "Расписание");
      const fields = validateSchedule(input);
      await ctx.ds.getRepository(Schedule).update({ id: s.id }, fields);
      await audit(ctx.ds, ctx.actor, "schedule.change", `schedule:${s.id}`, ctx.json("Расписание").obj);
      return ctx.ds.getRepository(Schedule).findOneByOrFail({ id: s.id });
    },
  },
  {
    method: "DELETE",
    path: "/api/schedules/{id}",
    access: "admin",
    tag: "Расписание",
    summary: "Удалить расписание",
    handler: async (ctx) => {
      const s = await scheduleOrFail(ctx, ctx.params.id);
      await removeSchedule(ctx.ds, s.id);
      await audit(ctx.ds, ctx.actor, "schedule.remove", `schedule:${s.id}`, { name: s.name });
      return { deleted: s.id };
    },
  },
  {
    method: "GET",
    path: "/api/settings",
    access: "admin",
    tag: "Настройки",
    summary: "Настройки с допустимыми диапазонами; значения секретов не возвращаются (только признак «задано»)",
    handler: async ({ ds }) => Promise.all(SETTINGS.map(async (d) => ({ ...(await settingView(ds, d.key)), help: d.help ?? null }))),
  },
  {
    method: "PUT",
    path: "/api/settings",
    access: "admin",
    tag: "Настройки",
    summary: "Сохранить группу настроек за один раз: все значения проверяются до записи; при ошибке не меняется ни одно",
    body: { values: { type: "object", required: true, description: "{ключ: значение}; null — вернуть значение по умолчанию" } },
    handler: async (ctx) => {
      const b = ctx.json("Настройки").obj;
      const values = b.values;
      if (!values || typeof values !== "object" || Array.isArray(values)) throw badRequest("Настройки, поле values: ожидается объект {ключ: значение}");
      const entries = Object.entries(values as Record<string, unknown>);
      if (!entries.length) throw badRequest("Настройки, поле values: нет ни одной настройки");
      for (const [key, value] of entries) {
        let d;
        try {
          d = findSetting(key);
        } catch {
          throw notFound(`Настройка «${key}»`);
        }
        if (d.serverOnly)
          throw new ApiError(403, "server_only", `Настройка «${d.label}» (${d.key}): задаётся только на сервере — gis-sync settings set ${d.key} ЗНАЧЕНИЕ`);
        try {
          checkSettingValue(d.key, value);
        } catch (e) {
          throw badRequest((e as Error).message);
        }
      }
      const saved = [];
      for (const [key, value] of entries) saved.push(await changeSettingOverWeb(ctx, key, value));
      return saved;
    },
  },
  {
    method: "PUT",
    path: "/api/settings/{key}",
    access: "admin",
    tag: "Настройки",
    summary: "Изменить настройку (значение проверяется по её диапазону); null — вернуть значение по умолчанию",
    body: { value: { type: "string", description: "Новое значение (строка, число или true/false по типу настройки)" } },
    handler: async (ctx) => {
      let d;
      try {
        d = findSetting(ctx.params.key);
      } catch {
        throw notFound(`Настройка «${ctx.params.key}»`);
      }
      const b = ctx.json(`Настройка «${d.label}»`).obj;
      if (!("value" in b)) throw badRequest(`Настройка «${d.label}» (${d.key}), поле value: обязательное поле`);
      return changeSettingOverWeb(ctx, d.key, b.value);
    },
  },
  {
    method: "GET",
    path: "/api/signer",
    access: "admin",
    tag: "Настройки",
    summary: "Сертификат подписи: владелец, издатель, срок действия",
    handler: async ({ ds }) => {
      const kind = await getSetting<string>(ds, "signer.kind");
      const certFile = await getSetting<string | null>(ds, "signer.certFile");
      if (!certFile) return { kind, certificate: null, problem: "Файл сертификата не указан (signer.certFile)" };
      try {
        const c = readCertificateFile(fs.readFileSync(certFile));
        const expiry = expiryCheck(c);
        return {
          kind,
          certificate: {
            subject: c.subjectName,
            issuer: c.issuerName,
            serial: c.serialDecimal,
            notBefore: c.notBefore,
            notAfter: c.notAfter,
            expiry: expiry.level,
            message: expiry.message,
          },
        };
      } catch (e) {
        return { kind, certificate: null, problem: `Сертификат не читается (${certFile}): ${(e as Error).message}` };
      }
    },
  },
  {
    method: "GET",
    path: "/api/users",
    access: "admin",
    tag: "Пользователи",
    summary: "Пользователи и их роли",
    handler: async ({ ds }) => (await ds.getRepository(User).find({ order: { login: "ASC" } })).map(userView),
  },
  {
    method: "POST",
    path: "/api/users",
    access: "admin",
    tag: "Пользователи",
    summary: "Добавить пользователя",
    body: {
      login: { type: "string", required: true, description: "Логин" },
      password: { type: "string", required: true, description: "Пароль (не короче 8 символов)" },
      role: { type: "string", enum: USER_ROLES, description: "Роль (по умолчанию accountant)" },
      displayName: { type: "string", description: "Имя" },
      ...LIMIT_BODY,
    },
    handler: async (ctx) => {
      const b = ctx.json("Пользователь");
      const limits = await limitsOf(ctx, "Пользователь");
      const login = b.str("login", { required: true, max: 100, pattern: /^[A-Za-z0-9._@-]+$/, hint: "латинские буквы, цифры и . _ @ -" })!;
      const password = b.str("password", { required: true, max: 200 })!;
      if (password.length < 8) throw badRequest("Пользователь, поле password: не короче 8 символов");
      const role = (b.str("role", { values: USER_ROLES }) ?? "accountant") as User["role"];
      if (await ctx.ds.getRepository(User).findOneBy({ login })) throw conflict(`Пользователь «${login}» уже есть`);
      const u = await ctx.ds.getRepository(User).save({
        login,
        role,
        displayName: b.str("displayName", { max: 200 }) ?? null,
        passwordHash: await hashPassword(password),
        active: true,
        createdAt: new Date(),
        lastLoginAt: null,
        organizationIds: limits.organizationIds ?? null,
        stands: limits.stands ?? null,
      });
      await audit(ctx.ds, ctx.actor, "user.add", `user:${login}`, { role, ...limits });
      return userView(u);
    },
  },
  {
    method: "PATCH",
    path: "/api/users/{id}",
    access: "admin",
    tag: "Пользователи",
    summary: "Изменить роль, имя, пароль, организации и стенды пользователя (null — без ограничения) или отключить его",
    body: {
      role: { type: "string", enum: USER_ROLES, description: "Роль" },
      active: { type: "boolean", description: "Активен" },
      displayName: { type: "string", description: "Имя" },
      password: { type: "string", description: "Новый пароль" },
      ...LIMIT_BODY,
    },
    handler: async (ctx) => {
      const u = await ctx.ds.getRepository(User).findOneBy({ id: idParam(ctx.params.id, "Пользователь") });
      if (!u) throw notFound(`Пользователь ${ctx.params.id}`);
      const b = ctx.json(`Пользователь «${u.login}»`);
      const role = b.str("role", { values: USER_ROLES }) as User["role"] | undefined;
      const active = b.bool("active");
      const password = b.str("password", { max: 200 });
      if (password !== undefined && password.length < 8) throw badRequest(`Пользователь «${u.login}», поле password: не короче 8 символов`);
      const losesAdmin = u.role === "admin" && u.active && ((role && role !== "admin") || active === false);
      if (losesAdmin && (await otherActiveAdmins(ctx.ds, u.id)) === 0) throw conflict("Нельзя лишить прав последнего активного администратора");
      const patch: Partial<User> = await limitsOf(ctx, `Пользователь «${u.login}»`);
      if (role) patch.role = role;
      if (active !== undefined) patch.active = active;
      if (b.has("displayName")) patch.displayName = b.str("displayName", { max: 200 }) ?? null;
      if (password) patch.passwordHash = await hashPassword(password);
      if (Object.keys(patch).length) await ctx.ds.getRepository(User).update({ id: u.id }, patch);
      // A new password ends the user's sessions (their stamp no longer matches); an admin who changed their own gets this one re-issued.
      let csrfToken: string | undefined;
      if (patch.passwordHash && ctx.user?.id === u.id) {
        if (ctx.token) await ctx.services.sessions.destroy(ctx.token);
        csrfToken = (await issueSession(ctx, { ...u, ...patch } as User)).csrf;
      }
      await audit(ctx.ds, ctx.actor, "user.change", `user:${u.login}`, { ...patch, passwordHash: patch.passwordHash ? "(изменён)" : undefined });
      return { ...userView(await ctx.ds.getRepository(User).findOneByOrFail({ id: u.id })), ...(csrfToken ? { csrfToken } : {}) };
    },
  },
  {
    method: "GET",
    path: "/api/audit",
    access: "admin",
    tag: "Аудит",
    paged: true,
    summary: "Журнал аудита: кто что запускал, отменял, повторял, менял и выгружал",
    query: {
      ...PAGED_QUERY,
      actor: { type: "string", description: "Пользователь" },
      action: { type: "string", description: "Действие (run.start, operation.retry, archive.export…)" },
      from: { type: "string", description: "Не раньше" },
      to: { type: "string", description: "Не позже" },
    },
    handler: async ({ ds, query }) => {
      const qb = ds.getRepository(AuditLog).createQueryBuilder("a").orderBy("a.createdAt", "DESC").addOrderBy("a.id", "DESC");
      const actor = query.str("actor", { max: 100 });
      if (actor) qb.andWhere("a.actor = :actor", { actor });
      const action = query.str("action", { max: 60 });
      if (action) qb.andWhere("a.action = :action", { action });
      const from = query.date("from");
      if (from) qb.andWhere("a.createdAt >= :from", { from });
      const to = query.date("to");
      if (to) qb.andWhere("a.createdAt <= :to", { to });
      return paged(qb, query);
    },
  },
];

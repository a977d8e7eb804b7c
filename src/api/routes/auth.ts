/** Login, logout, who am I, health — the routes around the session. */
import { User } from "../../../entities";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { verifyPassword } from "../../auth/password";
import { JOB_TYPES } from "../../schedule/job-types";
import { STAGES } from "../../stages/descriptor";
import { audit } from "../audit";
import { ApiError, badRequest } from "../http";
import { Ctx, Route } from "../router";

export const SESSION_COOKIE = "gis_sync_session";

/** A hash of no one's password: unknown logins take as long to refuse as wrong passwords. */
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Secure when the browser reached us over https (directly or through a proxy that says so). */
export function isHttps(ctx: Pick<Ctx, "req">): boolean {
  return !!(ctx.req.socket as { encrypted?: boolean }).encrypted || String(ctx.req.headers["x-forwarded-proto"] ?? "").split(",")[0].trim() === "https";
}

export function sessionCookie(ctx: Pick<Ctx, "req">, token: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${isHttps(ctx) ? "; Secure" : ""}`;
}

async function login(ctx: Ctx) {
  const b = ctx.json("Вход");
  const loginName = b.str("login", { required: true, max: 100 })!;
  const password = b.str("password", { required: true, max: 200 })!;
  const wait = await ctx.services.limiter.blockedFor(ctx.ip, loginName);
  if (wait > 0) {
    ctx.res.setHeader("Retry-After", String(wait));
    throw new ApiError(429, "too_many_attempts", `Слишком много неудачных попыток входа: повторите через ${Math.ceil(wait / 60)} мин.`);
  }
  const user = await ctx.ds.getRepository(User).findOneBy({ login: loginName });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH).catch(() => false);
  if (!user || !ok || !user.active) {
    await ctx.services.limiter.failed(ctx.ip, loginName);
    await audit(ctx.ds, loginName, "login.failed", null, { ip: ctx.ip });
    throw new ApiError(401, "bad_credentials", user && ok && !user.active ? "Пользователь отключён администратором" : "Неверный логин или пароль");
  }
  await ctx.services.limiter.succeeded(ctx.ip, loginName);
  const { token, session } = await ctx.services.sessions.create(user.id, user.login);
  await ctx.ds.getRepository(User).update({ id: user.id }, { lastLoginAt: new Date() });
  await audit(ctx.ds, user.login, "login", null, { ip: ctx.ip });
  ctx.res.setHeader("Set-Cookie", sessionCookie(ctx, token, ctx.services.sessions.options.maxSeconds));
  return { user: { login: user.login, displayName: user.displayName, role: user.role }, csrfToken: session.csrf };
}

export function authRoutes(defaultStand: Stand): Route[] {
  return [
    {
      method: "GET", path: "/api/health", access: "public", tag: "Служебные", summary: "Жив ли сервер: база данных и Redis (без данных)",
      handler: async ({ ds, services, res }) => {
        const database = await ds.query("SELECT 1").then(() => true, () => false);
        const redis = await services.redis.ping().then((p) => p === "PONG", () => false);
        if (!database || !redis) res.statusCode = 503;
        return { status: database && redis ? "ok" : "degraded", database, redis };
      },
    },
    {
      method: "POST", path: "/api/login", access: "public", tag: "Вход",
      summary: "Вход по логину и паролю: сессия в cookie (HttpOnly, SameSite=Strict) и CSRF-токен для изменяющих запросов",
      body: { login: { type: "string", required: true, description: "Логин" }, password: { type: "string", required: true, description: "Пароль" } },
      handler: login,
    },
    {
      method: "POST", path: "/api/logout", access: "accountant", tag: "Вход", summary: "Выход: сессия удаляется на сервере",
      handler: async (ctx) => {
        if (ctx.token) await ctx.services.sessions.destroy(ctx.token);
        ctx.res.setHeader("Set-Cookie", sessionCookie(ctx, "", 0));
        await audit(ctx.ds, ctx.actor, "logout", null);
        return { ok: true };
      },
    },
    {
      method: "GET", path: "/api/me", access: "accountant", tag: "Вход", summary: "Текущий пользователь, его роль и CSRF-токен сессии",
      handler: async ({ user, session }) => {
        if (!user || !session) throw badRequest("Нет сессии");
        return { user: { login: user.login, displayName: user.displayName, role: user.role }, csrfToken: session.csrf };
      },
    },
    {
      method: "GET", path: "/api/meta", access: "accountant", tag: "Служебные", summary: "Справочные значения для интерфейса: стенды, этапы, стенд по умолчанию, именованные действия",
      handler: async () => ({
        stands: STANDS, defaultStand, stages: STAGES,
        // The manual's named jobs (Обработать квитанции, Отправить показания…) as ready-made runs.
        actions: [
          ...JOB_TYPES.flatMap((j) => (j.action.kind === "pipeline" ? [{ id: j.id, label: j.label, stages: j.action.stages, mode: j.action.mode, unused: false }] : [])),
          { id: "close-unused-accounts", label: "Закрыть неиспользуемые лицевые счета", stages: ["accounts"], mode: "push", unused: true },
          { id: "archive-unused-meters", label: "Архивировать неиспользуемые приборы учёта", stages: ["meters"], mode: "push", unused: true },
        ],
      }),
    },
  ];
}

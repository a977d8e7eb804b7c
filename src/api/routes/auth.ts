/** Login, logout, who am I, health — the routes around the session. */
import { User } from "../../../entities";
import { STANDS, Stand } from "../../../entities/gis-operation";
import { hashPassword, verifyPassword } from "../../auth/password";
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
  return (
    !!(ctx.req.socket as { encrypted?: boolean }).encrypted ||
    String(ctx.req.headers["x-forwarded-proto"] ?? "")
      .split(",")[0]
      .trim() === "https"
  );
}

export function sessionCookie(ctx: Pick<Ctx, "req">, token: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${isHttps(ctx) ? "; Secure" : ""}`;
}

/** A password check under the login limiter: locked pairs refused (429), guessers slowed, failures counted. */
async function checkPassword(ctx: Ctx, loginName: string, password: string): Promise<{ user: User | null; ok: boolean }> {
  const admission = await ctx.services.limiter.admit(ctx.ip, loginName);
  if (!admission.allowed) {
    ctx.res.setHeader("Retry-After", String(admission.retryAfterSeconds));
    throw new ApiError(
      429,
      "too_many_attempts",
      `Слишком много неудачных попыток входа с этого адреса: повторите через ${Math.ceil(admission.retryAfterSeconds / 60)} мин.`,
    );
  }
  if (admission.delayMs) await new Promise((r) => setTimeout(r, admission.delayMs));
  const user = await ctx.ds.getRepository(User).findOneBy({ login: loginName });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH).catch(() => false);
  if (ok && user) await ctx.services.limiter.succeeded(ctx.ip, loginName);
  else await ctx.services.limiter.failed(ctx.ip, loginName);
  return { user, ok: ok && !!user };
}

/** A new session for the user (its cookie set): after login, and after the user changed their own password. */
export async function issueSession(ctx: Ctx, user: User) {
  const { token, session } = await ctx.services.sessions.create(user.id, user.login, user.passwordHash);
  ctx.res.setHeader("Set-Cookie", sessionCookie(ctx, token, ctx.services.sessions.options.maxSeconds));
  return session;
}

async function login(ctx: Ctx) {
  const b = ctx.json("Вход");
  const loginName = b.str("login", { required: true, max: 100 })!;
  const password = b.str("password", { required: true, max: 200 })!;
  const { user, ok } = await checkPassword(ctx, loginName, password);
  if (!user || !ok || !user.active) {
    await audit(ctx.ds, loginName, "login.failed", null, { ip: ctx.ip });
    throw new ApiError(401, "bad_credentials", user && ok && !user.active ? "Пользователь отключён администратором" : "Неверный логин или пароль");
  }
  const session = await issueSession(ctx, user);
  await ctx.ds.getRepository(User).update({ id: user.id }, { lastLoginAt: new Date() });
  await audit(ctx.ds, user.login, "login", null, { ip: ctx.ip });
  return { user: { login: user.login, displayName: user.displayName, role: user.role }, csrfToken: session.csrf };
}

export function authRoutes(defaultStand: Stand): Route[] {
  return [
    {
      method: "GET",
      path: "/api/health",
      access: "public",
      tag: "Служебные",
      summary: "Жив ли сервер: база данных и Redis (без данных)",
      handler: async ({ ds, services, res }) => {
        const database = await ds.query("SELECT 1").then(
          () => true,
          () => false,
        );
        const redis = await services.redis.ping().then(
          (p) => p === "PONG",
          () => false,
        );
        if (!database || !redis) res.statusCode = 503;
        return { status: database && redis ? "ok" : "degraded", database, redis };
      },
    },
    {
      method: "POST",
      path: "/api/login",
      access: "public",
      tag: "Вход",
      summary: "Вход по логину и паролю: сессия в cookie (HttpOnly, SameSite=Strict) и CSRF-токен для изменяющих запросов",
      body: { login: { type: "string", required: true, description: "Логин" }, password: { type: "string", required: true, description: "Пароль" } },
      handler: login,
    },
    {
      method: "POST",
      path: "/api/logout",
      access: "accountant",
      tag: "Вход",
      summary: "Выход: сессия удаляется на сервере",
      handler: async (ctx) => {
        if (ctx.token) await ctx.services.sessions.destroy(ctx.token);
        ctx.res.setHeader("Set-Cookie", sessionCookie(ctx, "", 0));
        await audit(ctx.ds, ctx.actor, "logout", null);
        return { ok: true };
      },
    },
    {
      method: "GET",
      path: "/api/me",
      access: "accountant",
      tag: "Вход",
      summary: "Текущий пользователь, его роль и CSRF-токен сессии",
      handler: async ({ user, session }) => {
        if (!user || !session) throw badRequest("Нет сессии");
        return { user: { login: user.login, displayName: user.displayName, role: user.role }, csrfToken: session.csrf };
      },
    },
    {
      method: "POST",
      path: "/api/me/password",
      access: "accountant",
      tag: "Вход",
      summary: "Сменить свой пароль: все сессии пользователя завершаются, текущая выдаётся заново (новый CSRF-токен)",
      body: {
        currentPassword: { type: "string", required: true, description: "Текущий пароль" },
        newPassword: { type: "string", required: true, description: "Новый пароль (не короче 8 символов)" },
      },
      handler: async (ctx) => {
        const b = ctx.json("Смена пароля");
        const current = b.str("currentPassword", { required: true, max: 200 })!;
        const next = b.str("newPassword", { required: true, max: 200 })!;
        if (next.length < 8) throw badRequest("Смена пароля, поле newPassword: не короче 8 символов");
        const { ok } = await checkPassword(ctx, ctx.user!.login, current);
        if (!ok) throw new ApiError(403, "bad_credentials", "Смена пароля, поле currentPassword: неверный текущий пароль");
        const passwordHash = await hashPassword(next);
        await ctx.ds.getRepository(User).update({ id: ctx.user!.id }, { passwordHash });
        // Every session made with the old password is refused from now on (their stamp no longer matches); this one is re-issued.
        if (ctx.token) await ctx.services.sessions.destroy(ctx.token);
        const session = await issueSession(ctx, { ...ctx.user!, passwordHash });
        await audit(ctx.ds, ctx.actor, "password.change", `user:${ctx.actor}`, { ip: ctx.ip });
        return { ok: true, csrfToken: session.csrf };
      },
    },
    {
      method: "GET",
      path: "/api/meta",
      access: "accountant",
      tag: "Служебные",
      summary: "Справочные значения для интерфейса: стенды, этапы, стенд по умолчанию, именованные действия",
      handler: async () => ({
        stands: STANDS,
        defaultStand,
        stages: STAGES,
        // The manual's named jobs (Обработать квитанции, Отправить показания…) as ready-made runs.
        actions: [
          ...JOB_TYPES.flatMap((j) =>
            j.action.kind === "pipeline" ? [{ id: j.id, label: j.label, stages: j.action.stages, mode: j.action.mode, unused: false }] : [],
          ),
          // Closing and archiving in GIS what we no longer have: operators and admins only (POST /api/runs refuses accountants).
          { id: "close-unused-accounts", label: "Закрыть неиспользуемые лицевые счета", stages: ["accounts"], mode: "push", unused: true, role: "operator" },
          { id: "archive-unused-meters", label: "Архивировать неиспользуемые приборы учёта", stages: ["meters"], mode: "push", unused: true, role: "operator" },
        ],
      }),
    },
  ];
}

/**
 * The HTTP server of the API and the web UI (node:http, no framework): security headers on every
 * answer, sessions from an HttpOnly cookie, roles and CSRF checked from the route table, static UI
 * files from src/ui. `startServer` is what `gis-sync server` and the demo call.
 */
import fs from "node:fs";
import http, { IncomingMessage, ServerResponse } from "node:http";
import { AddressInfo } from "node:net";
import path from "node:path";
import { DataSource } from "typeorm";
import { User } from "../../entities/user";
import { Stand } from "../../entities/gis-operation";
import { clientAddress } from "../auth/addresses";
import { LoginLimitOptions } from "../auth/login-limiter";
import { log } from "../log";
import { PipelineRuntime } from "../runtime/pipeline-runtime";
import { UserError } from "../util/errors";
import { ApiError, Body, Query, RawResponse, readJsonBody, readRawBody, sendError, sendJson } from "./http";
import { serveMetrics } from "./metrics";
import { openApiDocument } from "./openapi";
import { canSeePersonalData, withoutPersonalData } from "./personal-data";
import { ROLE_RANK, Route, Router } from "./router";
import { accountRoutes } from "./routes/accounts";
import { adminRoutes } from "./routes/admin";
import { scheduleRunRoutes } from "./routes/schedule-run";
import { SESSION_COOKIE, authRoutes } from "./routes/auth";
import { contractEditRoutes } from "./routes/contract-edit";
import { objectEditRoutes } from "./routes/object-edit";
import { fieldPolicyRoutes } from "./routes/field-policies";
import { fieldTemplateRoutes } from "./routes/field-templates";
import { cardRoutes } from "./routes/cards";
import { dashboardRoutes } from "./routes/dashboard";
import { exchangeRoutes } from "./routes/exchange";
import { houseRoutes } from "./routes/houses";
import { processRoutes } from "./routes/processes";
import { referenceRoutes } from "./routes/reference";
import { organizationSignerRoutes } from "./routes/organization-signers";
import { opsRoutes } from "./routes/ops";
import { runRoutes } from "./routes/runs";
import { reminderRoutes } from "./routes/reminders";
import { objectRoutes } from "./routes/objects";
import { scopeRoutes } from "./routes/scope";
import { fileRoutes } from "./routes/files";
import { Services } from "./services";
import { SessionOptions, matchesPassword } from "./sessions";

export interface ServerOptions {
  ds: DataSource;
  port: number;
  host?: string;
  redisUrl: string;
  /** Pipelines already open in this process (demo, tests); other stands are opened on demand without workers. */
  runtimes?: Partial<Record<Stand, PipelineRuntime>>;
  /** The stand a sync started from the UI goes to when the request does not say. */
  defaultStand?: Stand;
  session?: SessionOptions;
  loginLimit?: Partial<LoginLimitOptions>;
  /** Trusted reverse proxies (addresses/subnets), instead of the setting server.trustedProxies. */
  trustedProxies?: string;
  /** The /metrics bearer token, instead of the setting server.metricsTokenSource. */
  metricsToken?: string;
}

export interface RunningServer {
  url: string;
  routes: Route[];
  services: Services;
  close(): Promise<void>;
}

const VERSION = (() => {
  try {
    return (JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0";
  }
})();

/** The UI's files: src/ui next to the sources (the compiled server runs from dist/src/api). */
function uiDir(): string {
  for (const d of [path.resolve(__dirname, "../../../src/ui"), path.resolve(__dirname, "../ui")]) if (fs.existsSync(path.join(d, "index.html"))) return d;
  throw new Error("UI files not found (src/ui)");
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

function securityHeaders(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("Content-Security-Policy", CSP);
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if ((req.socket as { encrypted?: boolean }).encrypted || req.headers["x-forwarded-proto"] === "https")
    res.setHeader("Strict-Transport-Security", "max-age=31536000");
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of String(req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

const STATIC_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
};

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Every API route, in the order the OpenAPI description lists them. */
export function apiRoutes(defaultStand: Stand): Route[] {
  const routes: Route[] = [
    ...authRoutes(defaultStand),
    ...scopeRoutes,
    ...opsRoutes,
    {
      method: "GET",
      path: "/api/openapi.json",
      access: "public",
      tag: "Служебные",
      summary: "Описание API в формате OpenAPI 3 (все маршруты)",
      handler: async () => openApiDocument(routes, VERSION),
    },
    ...dashboardRoutes,
    ...houseRoutes,
    ...accountRoutes,
    ...runRoutes(defaultStand),
    ...referenceRoutes,
    ...organizationSignerRoutes,
    ...contractEditRoutes,
    ...objectEditRoutes,
    ...fieldPolicyRoutes,
    ...fieldTemplateRoutes,
    ...cardRoutes(defaultStand),
    ...exchangeRoutes,
    ...processRoutes,
    ...adminRoutes,
    ...scheduleRunRoutes,
    ...reminderRoutes,
    ...objectRoutes,
    ...fileRoutes(defaultStand),
  ];
  return routes;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const services = new Services(o.ds, o.redisUrl, o.runtimes, {
    session: o.session,
    loginLimit: o.loginLimit,
    settings: { trustedProxies: o.trustedProxies, metricsToken: o.metricsToken },
  });
  const defaultStand: Stand = o.defaultStand ?? (o.runtimes ? (Object.keys(o.runtimes)[0] as Stand) : "prod");
  const routes = apiRoutes(defaultStand);
  const router = new Router(routes);
  const ui = uiDir();

  /** Who is asking: the session's user, still active, with the role it has now and the password the session was made with. */
  async function identify(req: IncomingMessage) {
    const token = cookie(req, SESSION_COOKIE);
    if (!token) return { token: null, session: null, user: null };
    const session = await services.sessions.get(token);
    const user = session ? await o.ds.getRepository(User).findOneBy({ id: session.userId }) : null;
    if (session && user && !matchesPassword(session, user.passwordHash))
      await services.sessions.destroy(token); // the password changed since
    else if (session && user?.active) return { token, session, user };
    return { token, session: null, user: null };
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const m = router.match(req.method ?? "GET", url.pathname);
    if (!m) throw new ApiError(404, "not_found", `Маршрут ${url.pathname} не найден (список: /api/openapi.json)`);
    if ("allowed" in m) {
      res.setHeader("Allow", m.allowed.join(", "));
      throw new ApiError(405, "method_not_allowed", `${req.method} ${url.pathname}: допустимо ${m.allowed.join(", ")}`);
    }
    const { route, params } = m;
    const who = route.access === "public" && route.path !== "/api/logout" ? { token: null, session: null, user: null } : await identify(req);
    if (route.access !== "public") {
      if (!who.user || !who.session) throw new ApiError(401, "unauthorized", "Нужно войти в систему");
      if (ROLE_RANK[who.user.role] < ROLE_RANK[route.access])
        throw new ApiError(403, "forbidden", `Недостаточно прав: нужна роль ${route.access}, у пользователя ${who.user.login} — ${who.user.role}`);
    }
    if (STATE_CHANGING.has(route.method)) {
      // Cross-site writes are refused twice over: the Origin must be ours, and the session's CSRF token must come in a header.
      const origin = req.headers.origin;
      if (origin && hostOf(origin) !== req.headers.host) throw new ApiError(403, "csrf", "Запрос с чужого сайта отклонён");
      if (who.session && req.headers["x-csrf-token"] !== who.session.csrf)
        throw new ApiError(403, "csrf", "Нет или неверный CSRF-токен (заголовок X-CSRF-Token): обновите страницу");
    }
    const body = !STATE_CHANGING.has(route.method)
      ? {}
      : route.rawBody?.stream
        ? {}
        : route.rawBody
          ? await readRawBody(req, route.rawBody.maxBytes)
          : await readJsonBody(req);
    const ip = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], await services.settings.trustedProxies());
    const result = await route.handler({
      req,
      res,
      ds: o.ds,
      services,
      params,
      query: new Query(url.searchParams),
      body,
      json: (what) => new Body(body, what),
      user: who.user,
      session: who.session,
      token: who.token,
      actor: who.user?.login ?? "anonymous",
      ip,
      defaultStand,
    });
    if (res.headersSent) return; // the handler streamed its answer (a file download) itself
    if (result && typeof result === "object" && (result as RawResponse).raw === true) {
      const r = result as RawResponse;
      const buf = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, "utf8");
      res.writeHead(r.status ?? 200, { ...r.headers, "Content-Length": buf.length, "Cache-Control": "no-store" });
      res.end(buf);
      return;
    }
    // SNILS and identity documents leave only through the routes made for them, and only to a role that may see them.
    const mayRead = canSeePersonalData(who.user);
    const answer = route.personalData && mayRead ? result : withoutPersonalData(result, !mayRead);
    sendJson(res, res.statusCode && res.statusCode !== 200 ? res.statusCode : 200, answer ?? {});
  }

  function sendFile(res: ServerResponse, file: string): void {
    const data = fs.readFileSync(file);
    res.writeHead(200, {
      "Content-Type": STATIC_TYPES[path.extname(file)] ?? "application/octet-stream",
      "Content-Length": data.length,
      "Cache-Control": "no-cache",
    });
    res.end(data);
  }

  async function servePage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET" }).end();
      return;
    }
    if (url.pathname.startsWith("/assets/")) {
      const rel = path.normalize(decodeURIComponent(url.pathname.slice("/assets/".length)));
      const file = path.join(ui, rel);
      if (rel.startsWith("..") || path.isAbsolute(rel) || !file.startsWith(ui + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Не найдено");
        return;
      }
      return sendFile(res, file);
    }
    if (url.pathname === "/login") return sendFile(res, path.join(ui, "login.html"));
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === "/" || url.pathname === "/index.html") {
      const who = await identify(req);
      if (!who.user) {
        res.writeHead(302, { Location: `/login` }).end();
        return;
      }
      return sendFile(res, path.join(ui, "index.html"));
    }
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Страница не найдена");
  }

  const server = http.createServer((req, res) => {
    securityHeaders(req, res);
    const url = new URL(req.url ?? "/", "http://localhost");
    const isApi = url.pathname === "/api" || url.pathname.startsWith("/api/");
    const serve =
      url.pathname === "/metrics" ? serveMetrics(req, res, o.ds, services, defaultStand) : isApi ? serveApi(req, res, url) : servePage(req, res, url);
    serve.catch((e: unknown) => {
      if (res.headersSent) return void res.end();
      if (e instanceof ApiError) return sendError(res, e);
      if (e instanceof UserError) return sendError(res, new ApiError(400, "invalid", e.message));
      log.error(`API ${req.method} ${url.pathname}: ${(e as Error).stack ?? String(e)}`);
      sendError(res, new ApiError(500, "internal", "Внутренняя ошибка сервера; подробности в журнале сервера"));
    });
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${addr.port}`,
    routes,
    services,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await services.close();
    },
  };
}

/**
 * The route table: every API route with its method, path, minimum role, parameters and handler.
 * The router matches requests against it and src/api/openapi.ts describes it, so the description
 * cannot drift from what is served.
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { DataSource } from "typeorm";
import { Stand } from "../../entities/gis-operation";
import { User, UserRole } from "../../entities/user";
import { Body, Query, RawResponse } from "./http";
import { Services } from "./services";
import { Session } from "./sessions";

export type Access = "public" | UserRole;
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export const ROLE_RANK: Record<UserRole, number> = { accountant: 1, operator: 2, admin: 3 };

export interface ParamSpec {
  type: "string" | "integer" | "boolean" | "array" | "object";
  description: string;
  enum?: readonly string[];
  required?: boolean;
  /** For arrays: the item type. */
  items?: "string" | "integer";
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  ds: DataSource;
  services: Services;
  params: Record<string, string>;
  query: Query;
  /** The request body: parsed JSON (an empty object when there is none), or a Buffer for `rawBody` routes. */
  body: unknown;
  json(what: string): Body;
  user: User | null;
  session: Session | null;
  /** The session cookie's token (logout destroys it). */
  token: string | null;
  /** Who did it, for audit rows and operations: the login. */
  actor: string;
  ip: string;
  /** The server's stand: what a request that names none reads (src/api/stand.ts requestStand). */
  defaultStand: Stand;
}

export interface Route {
  method: HttpMethod;
  /** OpenAPI-style path: /api/houses/{id}. */
  path: string;
  access: Access;
  tag: string;
  summary: string;
  query?: Record<string, ParamSpec>;
  body?: Record<string, ParamSpec>;
  /** The body is a file (application/octet-stream) up to this many bytes, given to the handler as ctx.body (a Buffer). */
  rawBody?: {
    maxBytes: number;
    headers?: Record<string, ParamSpec> /** The handler streams ctx.req itself (to a file, bounded): nothing is read before it. */;
    stream?: boolean;
  };
  /** What a successful answer is: JSON (default), a zip or XML file. */
  produces?: "application/json" | "application/zip" | "application/xml" | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" | "text/csv";
  /**
   * The answer may carry payers' SNILS and identity documents — to operators and admins only (the
   * handler audits the read); every other route's answer has them removed for everyone.
   */
  personalData?: boolean;
  /** Paged lists answer {items, limit, offset, hasMore}. */
  paged?: boolean;
  handler(ctx: Ctx): Promise<unknown | RawResponse>;
}

interface Compiled {
  route: Route;
  re: RegExp;
  names: string[];
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(readonly routes: Route[]) {
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) throw new Error(`Duplicate route ${key}`);
      seen.add(key);
    }
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const re = new RegExp(
        `^${route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => {
          names.push(name);
          return "([^/]+)";
        })}$`,
      );
      return { route, re, names };
    });
  }

  /** The route for a method and path; `allowed` lists methods the path has when the method is wrong. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const c of this.compiled) {
      const m = c.re.exec(path);
      if (!m) continue;
      if (c.route.method !== method) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { route: c.route, params };
    }
    return allowed.length ? { allowed } : null;
  }
}

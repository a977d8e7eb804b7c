/**
 * HTTP plumbing of the API: errors as {code, message}, JSON bodies with a size limit, and typed
 * reading of query parameters that names the parameter when it is wrong.
 */
import { IncomingMessage, ServerResponse } from "node:http";

/** An error the client caused (or may see): its HTTP status, a stable code and a Russian message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, "bad_request", message);

/** A refused entry: the message names every bad field; `errors` lets a form mark each one. */
export class ValidationError extends ApiError {
  constructor(
    message: string,
    readonly errors: Array<{ field: string; label: string; message: string }>,
  ) {
    super(400, "invalid", message);
  }
}
export const notFound = (what: string) => new ApiError(404, "not_found", `${what} не найден(а)`);
export const conflict = (message: string) => new ApiError(409, "conflict", message);

const MAX_BODY = 1 << 20;

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, "too_large", "Тело запроса больше 1 МБ");
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("application/json")) throw new ApiError(415, "unsupported_media_type", "Тело запроса должно быть JSON (Content-Type: application/json)");
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw badRequest("Тело запроса: некорректный JSON");
  }
}

/**
 * A file sent as the raw request body (application/octet-stream): read up to `maxBytes`, refused
 * with 413 from the declared length before reading, or as soon as the stream passes the limit.
 */
export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("application/octet-stream"))
    throw new ApiError(415, "unsupported_media_type", "Файл передаётся телом запроса с Content-Type: application/octet-stream");
  const tooLarge = () => new ApiError(413, "too_large", `Файл больше ${Math.round(maxBytes / (1 << 20))} МБ`);
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), "utf8");
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": body.length, "Cache-Control": "no-store" });
  res.end(body);
}

export function sendError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, { code: e.code, message: e.message, ...(e instanceof ValidationError ? { errors: e.errors } : {}) });
}

/** A response that is not JSON (a zip, an XML file). */
export interface RawResponse {
  raw: true;
  status?: number;
  headers: Record<string, string | number>;
  body: Buffer | string;
}

export const raw = (headers: Record<string, string | number>, body: Buffer | string, status = 200): RawResponse => ({ raw: true, status, headers, body });

/** Query parameters with checks: every complaint names the parameter. */
export class Query {
  constructor(private readonly p: URLSearchParams) {}

  str(name: string, o: { max?: number; values?: readonly string[] } = {}): string | undefined {
    const v = this.p.get(name);
    if (v === null || v === "") return undefined;
    if (v.length > (o.max ?? 200)) throw badRequest(`Параметр ${name}: не длиннее ${o.max ?? 200} символов`);
    if (o.values && !o.values.includes(v)) throw badRequest(`Параметр ${name}: допустимые значения ${o.values.join(", ")}; получено «${v}»`);
    return v;
  }

  int(name: string, o: { min?: number; max?: number } = {}): number | undefined {
    const v = this.p.get(name);
    if (v === null || v === "") return undefined;
    if (!/^-?\d+$/.test(v)) throw badRequest(`Параметр ${name}: ожидается целое число, получено «${v}»`);
    const n = Number(v);
    if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max))
      throw badRequest(`Параметр ${name}: допустимо от ${o.min ?? "…"} до ${o.max ?? "…"}, получено ${n}`);
    return n;
  }

  bool(name: string): boolean | undefined {
    const v = this.p.get(name);
    if (v === null || v === "") return undefined;
    if (v === "true" || v === "1") return true;
    if (v === "false" || v === "0") return false;
    throw badRequest(`Параметр ${name}: ожидается true или false, получено «${v}»`);
  }

  date(name: string): Date | undefined {
    const v = this.p.get(name);
    if (v === null || v === "") return undefined;
    const d = new Date(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime()))
      throw badRequest(`Параметр ${name}: ожидается дата ГГГГ-ММ-ДД или момент ISO 8601, получено «${v}»`);
    return d;
  }

  ids(name: string): string[] {
    return this.p
      .getAll(name)
      .flatMap((v) => v.split(","))
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

/** Fields of a JSON body with checks that name the object and the field. */
export class Body {
  readonly obj: Record<string, unknown>;
  constructor(
    value: unknown,
    private readonly what: string,
  ) {
    if (!value || typeof value !== "object" || Array.isArray(value)) throw badRequest(`${what}: ожидается объект JSON`);
    this.obj = value as Record<string, unknown>;
  }

  has(name: string): boolean {
    return this.obj[name] !== undefined;
  }

  private bad(name: string, why: string): ApiError {
    return badRequest(`${this.what}, поле ${name}: ${why}`);
  }

  str(name: string, o: { required?: boolean; max?: number; values?: readonly string[]; pattern?: RegExp; hint?: string } = {}): string | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null || v === "") {
      if (o.required) throw this.bad(name, "обязательное поле");
      return undefined;
    }
    if (typeof v !== "string") throw this.bad(name, "ожидается строка");
    if (v.length > (o.max ?? 500)) throw this.bad(name, `не длиннее ${o.max ?? 500} символов`);
    if (o.values && !o.values.includes(v)) throw this.bad(name, `допустимые значения ${o.values.join(", ")}; получено «${v}»`);
    if (o.pattern && !o.pattern.test(v)) throw this.bad(name, `${o.hint ?? "неверный формат"}; получено «${v}»`);
    return v;
  }

  int(name: string, o: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null || v === "") {
      if (o.required) throw this.bad(name, "обязательное поле");
      return undefined;
    }
    if (typeof v !== "number" || !Number.isInteger(v)) throw this.bad(name, "ожидается целое число");
    if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max)) throw this.bad(name, `допустимо от ${o.min ?? "…"} до ${o.max ?? "…"}`);
    return v;
  }

  bool(name: string): boolean | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") throw this.bad(name, "ожидается true или false");
    return v;
  }

  intList(name: string, o: { required?: boolean; max?: number } = {}): number[] | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null) {
      if (o.required) throw this.bad(name, "обязательное поле");
      return undefined;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isInteger(x) || x < 1))
      throw this.bad(name, "ожидается список положительных целых чисел");
    if (v.length > (o.max ?? 10000)) throw this.bad(name, `не более ${o.max ?? 10000} элементов`);
    return v as number[];
  }

  strList(name: string, o: { required?: boolean; max?: number; values?: readonly string[] } = {}): string[] | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null) {
      if (o.required) throw this.bad(name, "обязательное поле");
      return undefined;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) throw this.bad(name, "ожидается список строк");
    if (v.length > (o.max ?? 10000)) throw this.bad(name, `не более ${o.max ?? 10000} элементов`);
    const bad = o.values ? (v as string[]).find((x) => !o.values!.includes(x)) : undefined;
    if (bad !== undefined) throw this.bad(name, `допустимые значения ${o.values!.join(", ")}; получено «${bad}»`);
    return v as string[];
  }
}

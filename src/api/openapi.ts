/** The OpenAPI 3 description, generated from the router's own table (so it lists exactly what is served). */
import { ParamSpec, Route } from "./router";

function schemaOf(p: ParamSpec): Record<string, unknown> {
  if (p.type === "array") return { type: "array", items: { type: p.items ?? "string" } };
  return { type: p.type, ...(p.enum ? { enum: p.enum } : {}) };
}

const ERROR = { $ref: "#/components/schemas/Error" };

export function openApiDocument(routes: Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    const queryParams = Object.entries(r.query ?? {}).map(([name, p]) => ({
      name,
      in: "query",
      required: !!p.required,
      description: p.description,
      schema: schemaOf(p),
    }));
    const produces = r.produces ?? "application/json";
    const ok =
      produces === "application/json"
        ? { description: "Успешно", content: { "application/json": { schema: r.paged ? { $ref: "#/components/schemas/Page" } : { type: "object" } } } }
        : { description: "Файл", content: { [produces]: { schema: { type: "string", format: "binary" } } } };
    const responses: Record<string, unknown> = { 200: ok, 400: { description: "Неверный запрос", content: { "application/json": { schema: ERROR } } } };
    if (r.access !== "public") {
      responses[401] = { description: "Нужен вход", content: { "application/json": { schema: ERROR } } };
      responses[403] = { description: "Недостаточно прав (или нет CSRF-токена)", content: { "application/json": { schema: ERROR } } };
    }
    if (r.path.includes("{")) responses[404] = { description: "Не найдено", content: { "application/json": { schema: ERROR } } };
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${r.path
        .replace(/^\/api/, "")
        .replace(/\{(\w+)\}/g, "By_$1")
        .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      tags: [r.tag],
      summary: r.summary,
      "x-role": r.access,
      parameters: [
        ...pathParams,
        ...queryParams,
        ...Object.entries(r.rawBody?.headers ?? {}).map(([name, p]) => ({
          name,
          in: "header",
          required: !!p.required,
          description: p.description,
          schema: schemaOf(p),
        })),
      ],
      security: r.access === "public" ? [] : r.method === "GET" ? [{ session: [] }] : [{ session: [], csrf: [] }],
      responses,
    };
    if (r.rawBody) {
      op.requestBody = {
        required: true,
        content: { "application/octet-stream": { schema: { type: "string", format: "binary", maxLength: r.rawBody.maxBytes } } },
      };
      responses[413] = { description: "Файл слишком большой", content: { "application/json": { schema: ERROR } } };
    } else if (r.body) {
      const required = Object.entries(r.body)
        .filter(([, p]) => p.required)
        .map(([n]) => n);
      op.requestBody = {
        required: required.length > 0,
        content: {
          "application/json": {
            schema: {
              type: "object",
              ...(required.length ? { required } : {}),
              properties: Object.fromEntries(Object.entries(r.body).map(([n, p]) => [n, { ...schemaOf(p), description: p.description }])),
            },
          },
        },
      };
    }
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "gis-sync API",
      version,
      description:
        "REST API gis-sync: всё, что делает веб-интерфейс. Вход: POST /api/login; дальше cookie сессии и заголовок X-CSRF-Token на изменяющих запросах. Роли: accountant < operator < admin (x-role у каждой операции).",
    },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "gis_sync_session" },
        csrf: { type: "apiKey", in: "header", name: "X-CSRF-Token" },
      },
      schemas: {
        Error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } },
        Page: {
          type: "object",
          required: ["items", "limit", "offset", "hasMore"],
          properties: {
            items: { type: "array", items: { type: "object" } },
            limit: { type: "integer" },
            offset: { type: "integer" },
            hasMore: { type: "boolean" },
            total: { type: "integer" },
          },
        },
      },
    },
  };
}

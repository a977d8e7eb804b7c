/**
 * GET /api/ready: may this server take work — database (reachable, migrations applied), Redis,
 * the GIS schema package, the signer (its settings and one real signature). 200 when all pass,
 * 503 otherwise, with each check's verdict; messages name settings, never file paths or values.
 */
import { DataSource } from "typeorm";
import { getSetting } from "../../settings/settings";
import { resolveSchemaDir } from "../../transport/schema/validate";
import { Route } from "../router";
import { Services } from "../services";

interface Check {
  ok: boolean;
  message: string;
}

const timeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`${what}: нет ответа за ${ms / 1000} с`)), ms).unref())]);

async function database(ds: DataSource): Promise<Check> {
  try {
    await timeout(ds.query("SELECT 1"), 5000, "база данных");
    const pending = await ds.showMigrations();
    return pending ? { ok: false, message: "есть непримененные миграции: gis-sync migrate" } : { ok: true, message: "доступна, миграции применены" };
  } catch (e) {
    return { ok: false, message: `недоступна: ${(e as Error).message.split("\n")[0].slice(0, 200)}` };
  }
}

async function redis(services: Services): Promise<Check> {
  try {
    const pong = await timeout(services.redis.ping(), 3000, "Redis");
    return pong === "PONG" ? { ok: true, message: "доступен" } : { ok: false, message: `ответил «${pong}»` };
  } catch (e) {
    return { ok: false, message: `недоступен: ${(e as Error).message.slice(0, 200)}` };
  }
}

async function schema(ds: DataSource): Promise<Check> {
  try {
    resolveSchemaDir(await getSetting<string | null>(ds, "gis.schemaDir"));
    return { ok: true, message: "пакет WSDL/XSD найден" };
  } catch {
    return { ok: false, message: "пакет WSDL/XSD ГИС ЖКХ не найден (настройка gis.schemaDir или GIS_SCHEMA_DIR): нет lib/hcs-base.xsd" };
  }
}

async function signer(services: Services): Promise<Check> {
  const p = await services.signerProbe.probe().catch((e: Error) => ({ ok: false, message: e.message }));
  // Settings are named; the paths and values in them are not told to an anonymous caller.
  return { ok: p.ok, message: p.message.replace(/\/[^\s:;,)]+/g, "…") };
}

export const opsRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/ready",
    access: "public",
    tag: "Служебные",
    summary: "Готовность к работе: база данных, Redis, пакет схем ГИС, подпись — 200 или 503 с итогом каждой проверки",
    handler: async ({ ds, services, res }) => {
      const checks = { database: await database(ds), redis: await redis(services), schema: await schema(ds), signer: await signer(services) };
      const ready = Object.values(checks).every((c) => c.ok);
      if (!ready) res.statusCode = 503;
      return { status: ready ? "ready" : "not_ready", checks };
    },
  },
];

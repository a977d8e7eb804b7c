/**
 * Сводка: objects by kind and status, per organization; operations in flight; running syncs with
 * progress; throughput; errors by code with GIS's text; rejection rate per stage and month;
 * deadlines. Whole-table counts are cached for a few seconds: the page polls.
 */
import { DataSource, In, Not } from "typeorm";
import { Account, GisOperation, GisOperationItem, MessageLog, Meter, Organization, PipelineRun } from "../../../entities";
import { FINAL_STATES, RECONCILE_TRIGGER } from "../../exchange/operation-store";
import { listDeadlines } from "../../reminders/deadlines";
import { databaseSummary } from "../../status/database-summary";
import { whereRecordsOfOrganizations } from "../org-records";
import { listOrganizations, userStands, whereOrganizations, whereStands } from "../org-scope";
import { organizationsSummary } from "../org-summary";
import { Ctx, Route } from "../router";
import { STAND_QUERY, requestStand } from "../stand";
import { statusExpr } from "../../storage/identity/store";
import { runProgress } from "./runs";

const FRESH_MS = 15_000;
const caches = new WeakMap<DataSource, Map<string, { at: number; value: Promise<unknown>; refreshing?: boolean }>>();

/**
 * Whole-table counts (tens of millions of readings at 1,000,000 accounts) are slow: a value is
 * reused while fresh, and once stale it is still answered at once while one refresh runs behind it.
 */
function cached<T>(ds: DataSource, key: string, fn: () => Promise<T>): Promise<T> {
  let cache = caches.get(ds);
  if (!cache) caches.set(ds, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.value as Promise<T>;
  if (hit && !hit.refreshing) {
    hit.refreshing = true;
    fn().then(
      (v) => cache!.set(key, { at: Date.now(), value: Promise.resolve(v) }),
      () => (hit.refreshing = false),
    );
  }
  if (hit) return hit.value as Promise<T>;
  const value = fn();
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache!.delete(key));
  return value;
}

async function byOrganization(ds: DataSource, stand: string) {
  const orgs = await ds.getRepository(Organization).find({ select: { id: true, shortName: true, fullName: true, isOurs: true } });
  const count = async (entity: typeof Account | typeof Meter) => {
    const qb = ds.getRepository(entity as typeof Account).createQueryBuilder("t");
    const status = statusExpr(qb, "t", stand);
    return qb
      .select("t.organizationId", "org")
      .addSelect(status, "status")
      .addSelect("COUNT(*)", "n")
      .groupBy("t.organizationId")
      .addGroupBy(status)
      .getRawMany<{ org: number; status: string; n: string }>();
  };
  const [accounts, meters] = [await count(Account), await count(Meter)];
  return orgs
    .map((o) => ({
      organizationId: o.id,
      name: o.shortName ?? o.fullName,
      isOurs: o.isOurs,
      accounts: Object.fromEntries(accounts.filter((r) => Number(r.org) === o.id).map((r) => [r.status, Number(r.n)])),
      meters: Object.fromEntries(meters.filter((r) => Number(r.org) === o.id).map((r) => [r.status, Number(r.n)])),
    }))
    .filter((o) => Object.keys(o.accounts).length || Object.keys(o.meters).length || o.isOurs);
}

async function throughput(ds: DataSource, now: Date, orgs: number[] | null = null) {
  const since = new Date(now.getTime() - 24 * 3600_000);
  const rows = await whereOrganizations(
    ds.getRepository(GisOperation).createQueryBuilder("o").select(["o.id", "o.finishedAt", "o.itemCount"]).where("o.createdAt >= :since", { since }),
    "o.organizationId",
    orgs,
  )
    .take(200_000)
    .getMany();
  const hours = Array.from({ length: 24 }, (_, i) => ({
    hour: new Date(since.getTime() + (i + 1) * 3600_000).toISOString().slice(0, 13) + ":00Z",
    operations: 0,
    objects: 0,
  }));
  for (const r of rows) {
    if (!r.finishedAt) continue;
    const i = Math.floor((r.finishedAt.getTime() - since.getTime()) / 3600_000);
    if (i >= 0 && i < 24) {
      hours[i].operations++;
      hours[i].objects += r.itemCount;
    }
  }
  return hours;
}

async function errorsByCode(ds: DataSource, now: Date, orgs: number[] | null = null) {
  const since = new Date(now.getTime() - 30 * 86400_000);
  const rows = await ds
    .getRepository(GisOperationItem)
    .createQueryBuilder("i")
    .innerJoin(GisOperation, "o", "o.id = i.operationId")
    .select("o.stage", "stage")
    .addSelect("i.errorCode", "code")
    .addSelect("i.objectType", "kind")
    .addSelect("MIN(i.errorText)", "text")
    .addSelect("COUNT(*)", "n")
    .where("i.outcome = 'error' AND o.createdAt >= :since", { since })
    .andWhere(orgs === null ? "1 = 1" : orgs.length ? "o.organizationId IN (:...orgs)" : "1 = 0", { orgs })
    .groupBy("o.stage")
    .addGroupBy("i.errorCode")
    .addGroupBy("i.objectType")
    .orderBy("COUNT(*)", "DESC")
    .limit(50)
    .getRawMany<{ stage: string; code: string | null; kind: string | null; text: string | null; n: string }>();
  // Refusals of the pre-flight check never reached GIS: they are in the message log, with no operation.
  const refused = await whereRecordsOfOrganizations(ds.getRepository(MessageLog).createQueryBuilder("m"), "m", orgs, null)
    .select("m.group", "stage")
    .addSelect("m.code", "code")
    .addSelect("MIN(m.objectType)", "kind")
    .addSelect("MIN(m.text)", "text")
    .addSelect("COUNT(*)", "n")
    .andWhere("m.level = 'error' AND m.operationId IS NULL AND m.objectType IS NOT NULL AND m.createdAt >= :since", { since })
    .groupBy("m.group")
    .addGroupBy("m.code")
    .orderBy("COUNT(*)", "DESC")
    .limit(50)
    .getRawMany<{ stage: string; code: string | null; kind: string | null; text: string | null; n: string }>();
  return [
    // kind: the objects' table, for the list behind the count (UI: #/objects/KIND/error/CODE).
    ...rows.map((r) => ({ source: "gis" as const, stage: r.stage, code: r.code ?? "—", kind: r.kind, text: r.text, count: Number(r.n) })),
    ...refused.map((r) => ({ source: "preflight" as const, stage: r.stage, code: r.code ?? "—", kind: r.kind, text: r.text, count: Number(r.n) })),
  ].sort((a, b) => b.count - a.count);
}

/** Share of objects GIS refused, per stage, for each of the last six months. */
async function rejectionRate(ds: DataSource, now: Date, orgs: number[] | null = null) {
  const out: Array<{ month: string; stage: string; objects: number; rejected: number; rate: number }> = [];
  for (let k = 5; k >= 0; k--) {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k + 1, 1));
    const rows = await ds
      .getRepository(GisOperationItem)
      .createQueryBuilder("i")
      .innerJoin(GisOperation, "o", "o.id = i.operationId")
      .select("o.stage", "stage")
      .addSelect("i.outcome", "outcome")
      .addSelect("COUNT(*)", "n")
      .where("o.createdAt >= :from AND o.createdAt < :to", { from, to })
      .andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER })
      .andWhere(orgs === null ? "1 = 1" : orgs.length ? "o.organizationId IN (:...orgs)" : "1 = 0", { orgs })
      .groupBy("o.stage")
      .addGroupBy("i.outcome")
      .getRawMany<{ stage: string; outcome: string; n: string }>();
    const stages = new Map<string, { objects: number; rejected: number }>();
    for (const r of rows) {
      const s = stages.get(r.stage) ?? { objects: 0, rejected: 0 };
      s.objects += Number(r.n);
      if (r.outcome === "error") s.rejected += Number(r.n);
      stages.set(r.stage, s);
    }
    for (const [stage, s] of stages) out.push({ month: from.toISOString().slice(0, 7), stage, ...s, rate: s.objects ? s.rejected / s.objects : 0 });
  }
  return out;
}

/** Readings windows, placement days, certificate expiry, failed schedules: src/reminders/deadlines.ts (also e-mailed). */
const deadlines = (ds: DataSource, now: Date, orgs: number[] | null = null) => listDeadlines(ds, now, orgs);

/**
 * The dashboard for the organizations a user is given, narrowed by the picker (`?org=`): with no
 * limit and no pick, the whole installation; else every figure counts those organizations only.
 */
async function dashboard(ctx: Ctx) {
  const { ds, services } = ctx;
  const orgs = listOrganizations(ctx);
  const stands = userStands(ctx);
  const stand = requestStand(ctx);
  const key = orgs === null ? "" : `:${orgs.join(",")}`;
  const now = new Date();
  const running = await whereStands(
    whereOrganizations(ds.getRepository(PipelineRun).createQueryBuilder("r").where("r.state = 'running'"), "r.organizationId", orgs),
    "r.stand",
    stands,
  )
    .orderBy("r.startedAt", "DESC")
    .take(20)
    .getMany();
  const inFlight = await whereStands(whereOrganizations(ds.getRepository(GisOperation).createQueryBuilder("o"), "o.organizationId", orgs), "o.stand", stands)
    .select("o.stand", "stand")
    .addSelect("o.stage", "stage")
    .addSelect("COUNT(*)", "n")
    .andWhere({ state: Not(In(FINAL_STATES)) })
    .groupBy("o.stand")
    .addGroupBy("o.stage")
    .getRawMany<{ stand: string; stage: string | null; n: string }>();
  return {
    generatedAt: now.toISOString(),
    stand,
    kinds: await cached(ds, `kinds@${stand}${key}`, () => (orgs === null ? databaseSummary(ds, stand) : organizationsSummary(ds, orgs, stand))),
    organizations: (await cached(ds, `orgs@${stand}`, () => byOrganization(ds, stand))).filter((o) => orgs === null || orgs.includes(o.organizationId)),
    inFlight: inFlight.map((r) => ({ stand: r.stand, stage: r.stage, operations: Number(r.n) })),
    running: await Promise.all(running.map(async (r) => ({ ...r, progress: await runProgress(services, r) }))),
    throughput: await cached(ds, `throughput${key}`, () => throughput(ds, now, orgs)),
    errorsByCode: await cached(ds, `errors${key}`, () => errorsByCode(ds, now, orgs)),
    rejectionRate: await cached(ds, `rejections${key}`, () => rejectionRate(ds, now, orgs)),
    deadlines: await cached(ds, `deadlines${key}`, () => deadlines(ds, now, orgs)),
  };
}

export const dashboardRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/dashboard",
    access: "accountant",
    tag: "Сводка",
    summary: "Сводка: объекты по видам и статусам, по организациям; операции в работе; запуски с прогрессом; ошибки по кодам; доля отказов; сроки",
    query: { ...STAND_QUERY, org: { type: "integer", description: "Только эта организация (выбор в шапке); пересекается с организациями пользователя" } },
    handler: dashboard,
  },
];

/** Starts the slow whole-table counts in the background, so the first visitor of Сводка does not wait for them. */
export function warmDashboard(ds: DataSource, stand: string): void {
  void cached(ds, `kinds@${stand}`, () => databaseSummary(ds, stand)).catch(() => undefined);
  void cached(ds, `orgs@${stand}`, () => byOrganization(ds, stand)).catch(() => undefined);
}

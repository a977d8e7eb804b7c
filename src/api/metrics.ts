/**
 * GET /metrics in the Prometheus text format, computed from what the database and BullMQ already
 * hold (no counters inside the workers): queue depths, requests in flight per service, operations
 * by state and error code, how long GIS took to give a result, one timed signature, objects by
 * status. Open to 127.0.0.1 (asked directly, not through a proxy) and to the bearer token of
 * server.metricsTokenSource; refused otherwise. Computed at most every few seconds.
 */
import { IncomingMessage, ServerResponse } from "node:http";
import { DataSource, In } from "typeorm";
import { GisOperation } from "../../entities";
import { STANDS } from "../../entities/gis-operation";
import { isLoopback } from "../auth/addresses";
import { databaseSummary } from "../status/database-summary";
import { Services } from "./services";

const CACHE_MS = 5000;
const IN_FLIGHT = ["sent", "processing", "reconciling"] as const;
const QUANTILES = [0.5, 0.9, 0.99];

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

class Text {
  private readonly lines: string[] = [];
  metric(name: string, type: "gauge" | "summary", help: string, samples: Array<[Record<string, string>, number]>, suffix = ""): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    this.add(name, samples, suffix);
  }
  add(name: string, samples: Array<[Record<string, string>, number]>, suffix = ""): void {
    for (const [labels, v] of samples) {
      const l = Object.entries(labels)
        .map(([k, x]) => `${k}="${esc(x)}"`)
        .join(",");
      this.lines.push(`${name}${suffix}${l ? `{${l}}` : ""} ${Number.isFinite(v) ? v : "NaN"}`);
    }
  }
  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

const toMs = (d: Date | string | null) => (d ? new Date(d).getTime() : NaN);

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function render(ds: DataSource, services: Services, stand: string): Promise<string> {
  const started = Date.now();
  const t = new Text();
  const queues: Array<[Record<string, string>, number]> = [];
  for (const stand of STANDS) {
    const counts = await services.standQueues(stand).counts();
    for (const [queue, byState] of Object.entries(counts)) for (const [state, n] of Object.entries(byState)) queues.push([{ stand, queue, state }, n]);
  }
  t.metric("gis_sync_queue_jobs", "gauge", "BullMQ jobs per stand, queue and state", queues);

  const ops = ds.getRepository(GisOperation);
  const inFlight = await ops
    .createQueryBuilder("o")
    .select("o.stand", "stand")
    .addSelect("o.service", "service")
    .addSelect("COUNT(*)", "n")
    .where({ state: In([...IN_FLIGHT]) })
    .groupBy("o.stand")
    .addGroupBy("o.service")
    .getRawMany<{ stand: string; service: string; n: string }>();
  t.metric(
    "gis_sync_requests_in_flight",
    "gauge",
    "Operations sent to GIS and waiting for its result, per stand and service",
    inFlight.map((r) => [{ stand: r.stand, service: r.service }, Number(r.n)]),
  );

  const byState = await ops
    .createQueryBuilder("o")
    .select("o.stand", "stand")
    .addSelect("o.state", "state")
    .addSelect("o.errorCode", "code")
    .addSelect("COUNT(*)", "n")
    .groupBy("o.stand")
    .addGroupBy("o.state")
    .addGroupBy("o.errorCode")
    .getRawMany<{ stand: string; state: string; code: string | null; n: string }>();
  t.metric(
    "gis_sync_operations",
    "gauge",
    "Operations in the database by stand, state (outcome) and error code",
    byState.map((r) => [{ stand: r.stand, state: r.state, error_code: r.code ?? "" }, Number(r.n)]),
  );

  // getState latency: from the Ack to GIS's final answer, for operations answered in the last 24 hours.
  const since = new Date(Date.now() - 24 * 3600_000);
  const answered = await ops
    .createQueryBuilder("o")
    .select(["o.id", "o.service", "o.sentAt", "o.answeredAt", "o.polls"])
    .where("o.answeredAt >= :since AND o.sentAt IS NOT NULL", { since })
    .orderBy("o.answeredAt", "DESC")
    .limit(20_000)
    .getMany();
  const waits = new Map<string, number[]>();
  const polls = new Map<string, number>();
  for (const o of answered) {
    const s = (toMs(o.answeredAt) - toMs(o.sentAt)) / 1000;
    if (!Number.isFinite(s) || s < 0) continue;
    (waits.get(o.service) ?? waits.set(o.service, []).get(o.service)!).push(s);
    polls.set(o.service, (polls.get(o.service) ?? 0) + o.polls);
  }
  const wait: Array<[Record<string, string>, number]> = [];
  for (const [service, list] of waits) {
    list.sort((a, b) => a - b);
    for (const q of QUANTILES) wait.push([{ service, quantile: String(q) }, quantile(list, q)]);
  }
  t.metric("gis_sync_result_wait_seconds", "summary", "Seconds from GIS's Ack to its final getState answer, operations answered in the last 24 h", wait);
  t.add(
    "gis_sync_result_wait_seconds",
    [...waits].map(([service, l]) => [{ service }, l.reduce((a, b) => a + b, 0)]),
    "_sum",
  );
  t.add(
    "gis_sync_result_wait_seconds",
    [...waits].map(([service, l]) => [{ service }, l.length]),
    "_count",
  );
  t.metric(
    "gis_sync_get_state_polls",
    "gauge",
    "getState requests of the operations answered in the last 24 h, per service",
    [...polls].map(([service, n]) => [{ service }, n]),
  );

  const probe = await services.signerProbe.probe();
  t.metric("gis_sync_signer_ok", "gauge", "1 when the configured signer signs", [[{}, probe.ok ? 1 : 0]]);
  t.metric(
    "gis_sync_signing_seconds",
    "gauge",
    "Seconds one signature by the configured signer takes (timed probe)",
    probe.seconds === null ? [] : [[{}, probe.seconds]],
  );

  const objects: Array<[Record<string, string>, number]> = [];
  for (const k of await databaseSummary(ds, stand)) for (const [status, n] of Object.entries(k.byStatus)) objects.push([{ kind: k.table, status }, n]);
  t.metric("gis_sync_objects", "gauge", `Objects the pipeline sends, by kind and sync status on the server's stand (${stand})`, objects);
  t.metric("gis_sync_metrics_seconds", "gauge", "Seconds it took to compute these metrics", [[{}, (Date.now() - started) / 1000]]);
  return t.toString();
}

const cache = new WeakMap<Services, { at: number; text: Promise<string> }>();

export function metricsText(ds: DataSource, services: Services, stand: string): Promise<string> {
  const c = cache.get(services);
  if (c && Date.now() - c.at < CACHE_MS) return c.text;
  const text = render(ds, services, stand);
  cache.set(services, { at: Date.now(), text });
  text.catch(() => cache.delete(services));
  return text;
}

/** Who may read /metrics: this machine asking directly (no proxy in between), or the holder of the token. */
async function allowed(req: IncomingMessage, services: Services): Promise<"yes" | "no-token" | "wrong-token"> {
  if (isLoopback(req.socket.remoteAddress ?? "") && !req.headers["x-forwarded-for"] && !req.headers.forwarded) return "yes";
  if (!req.headers.authorization) return "no-token";
  return (await services.settings.metricsTokenMatches(req.headers.authorization)) ? "yes" : "wrong-token";
}

/** /metrics; object counts are those of the server's stand. */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, ds: DataSource, services: Services, stand: string): Promise<void> {
  const plain = (status: number, text: string, headers: Record<string, string> = {}) => {
    const body = Buffer.from(text, "utf8");
    res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": body.length, "Cache-Control": "no-store", ...headers }).end(body);
  };
  if (req.method !== "GET" && req.method !== "HEAD") return plain(405, "Метод не разрешён: GET /metrics\n", { Allow: "GET" });
  const who = await allowed(req, services);
  if (who === "no-token")
    return plain(401, "Метрики доступны с 127.0.0.1 или с токеном: Authorization: Bearer <server.metricsTokenSource>\n", { "WWW-Authenticate": "Bearer" });
  if (who === "wrong-token") return plain(403, "Неверный токен метрик\n");
  const text = await metricsText(ds, services, stand);
  const body = Buffer.from(text, "utf8");
  res
    .writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Content-Length": body.length, "Cache-Control": "no-store" })
    .end(req.method === "HEAD" ? undefined : body);
}

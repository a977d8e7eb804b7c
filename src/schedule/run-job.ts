/**
 * The default RunJob: a pipeline job type starts a pipeline run for the schedule's stand, scope
 * and organization and waits for its end; a maintenance job type runs its function. The server
 * and `gis-sync scheduler` pass this to the Scheduler; tests pass their own.
 */
import { Redis } from "ioredis";
import { DataSource } from "typeorm";
import { Organization } from "../../entities/organization";
import { PipelineRun } from "../../entities/pipeline-run";
import { STANDS, Stand } from "../../entities/gis-operation";
import { connectRedis } from "../queue/connection";
import { RunSummary } from "../queue/summary";
import { PipelineRuntime, RuntimeOptions, openPipeline, resolveOrganization } from "../runtime/pipeline-runtime";
import { UserError } from "../util/errors";
import { anchorArchive, anchorDir } from "../archive/anchor";
import { signerFromSettings } from "../runtime/exchange-context";
import { jobTypeOf } from "./job-types";
import { loadConfig } from "../config";
import { dbUrlOf } from "../backup/database-dump";
import { describeBackup, scheduledBackup } from "../backup/scheduled";
import { sendReminders } from "../reminders/send";
import { runScheduledImport } from "./import-job";
import { describeRetention, pruneMessageLog, runRetention } from "./maintenance";
import { JobResult, RunJob } from "./scheduler";

export interface DefaultRunJobOptions {
  ds: DataSource;
  redisUrl: string;
  /** Redis for pruning finished queue jobs; default: a connection to redisUrl for the job's duration. */
  redis?: Redis;
  /** More runtime options per stand: its address, a signer, workers in this process (`--inline`). */
  runtime?: (stand: Stand) => Partial<RuntimeOptions>;
  /** Opens a stand's pipeline; default openPipeline. */
  open?: (ds: DataSource, o: RuntimeOptions) => Promise<PipelineRuntime>;
  /** How long a pipeline run may take; default 24 h. */
  timeoutMs?: number;
  /** The clock retention measures ages against; tests inject one. */
  now?: () => Date;
  /** GIS_SYNC_HOME of the scheduled backup's folders; default from the environment. */
  home?: string;
}

interface ScheduleScope {
  organizationId?: number;
  /** Several organizations, or "all" of ours: one run each, the job's result sums them. */
  organizationIds?: number[] | "all";
  houseIds?: number[];
  contractId?: number;
}

export function defaultRunJob(o: DefaultRunJobOptions): RunJob {
  return async (s, ctx) => {
    const job = jobTypeOf(s.jobType);
    if (!job) throw new UserError(`неизвестное задание «${s.jobType}»`);
    if (job.action.kind === "maintenance") {
      const now = o.now?.() ?? new Date();
      if (job.action.task === "import") return runScheduledImport(o.ds);
      if (job.action.task === "clear-journal") return { text: `удалено сообщений журнала: ${await pruneMessageLog(o.ds, now)}` };
      if (job.action.task === "anchor-archive") {
        const a = await anchorArchive(o.ds, await signerFromSettings(o.ds), anchorDir(), now);
        return { text: `архив заверен: запись №${a.headId}, отметка ${a.id}` };
      }
      if (job.action.task === "backup")
        return { text: describeBackup(await scheduledBackup(o.ds, { dbUrl: dbUrlOf(o.ds), home: o.home ?? loadConfig().home, now })) };
      if (job.action.task === "reminders") {
        const r = await sendReminders(o.ds, { now });
        return { outcome: r.failed ? "warning" : "ok", text: r.text };
      }
      const redis = o.redis ?? connectRedis(o.redisUrl);
      try {
        return { text: describeRetention(await runRetention(o.ds, redis, now)) };
      } finally {
        if (!o.redis) redis.disconnect();
      }
    }
    if (!(STANDS as readonly string[]).includes(s.stand)) throw new UserError(`неизвестный стенд «${s.stand}»`);
    const stand = s.stand as Stand;
    const scope: ScheduleScope = s.scope ? JSON.parse(s.scope) : {};
    const orgIds = scope.organizationIds ? null : [(await organizationOf(o.ds, scope.organizationId)).id];
    const rt = await (o.open ?? openPipeline)(o.ds, { stand, redisUrl: o.redisUrl, ...o.runtime?.(stand) });
    try {
      const ids = orgIds ?? (await rt.pipeline.organizations(scope.organizationIds!)).map((org) => org.id);
      const runs = await rt.pipeline.startRuns(
        {
          stand,
          stages: job.action.stages,
          mode: job.action.mode,
          scope: { houseIds: scope.houseIds, contractId: scope.contractId },
          author: "scheduler",
          trigger: ctx.trigger,
        },
        ids,
      );
      const results: JobResult[] = [];
      for (const run of runs) results.push(await resultOf(o.ds, await rt.waitForRun(run.id, undefined, o.timeoutMs)));
      return results.length === 1 ? results[0] : combined(results);
    } finally {
      await rt.close();
    }
  };
}

/** One result for the runs of several organizations: the worst outcome, every run's text. */
function combined(results: JobResult[]): JobResult {
  const rank = { ok: 0, warning: 1, error: 2 } as const;
  const outcome = results.reduce<"ok" | "warning" | "error">((w, r) => (rank[r.outcome ?? "ok"] > rank[w] ? (r.outcome ?? "ok") : w), "ok");
  return { outcome, text: results.map((r) => r.text).join("; "), runId: results[0]?.runId ?? null };
}

async function organizationOf(ds: DataSource, id: number | undefined): Promise<Organization> {
  if (id === undefined) return resolveOrganization(ds);
  const org = await ds.getRepository(Organization).findOneBy({ id });
  if (!org) throw new UserError(`организация ${id} из области расписания не найдена в базе`);
  return org;
}

export async function resultOf(ds: DataSource, s: RunSummary): Promise<JobResult> {
  const sum = (k: "operations" | "objectsOk" | "objectsWithErrors") => s.stages.reduce((n, st) => n + st[k], 0);
  const counts = `операций ${sum("operations")}, объектов успешно ${sum("objectsOk")}, с ошибками ${sum("objectsWithErrors")}`;
  if (s.state === "done") return { outcome: "ok", text: `запуск ${s.runId} завершён: ${counts}`, runId: s.runId };
  if (s.state === "done_with_errors") return { outcome: "warning", text: `запуск ${s.runId} завершён с ошибками: ${counts}`, runId: s.runId };
  const run = await ds.getRepository(PipelineRun).findOneBy({ id: s.runId });
  return { outcome: "error", text: `запуск ${s.runId}: ${s.state}${run?.errorText ? ` — ${run.errorText}` : ""}; ${counts}`, runId: s.runId };
}

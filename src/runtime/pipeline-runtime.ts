/**
 * The pipeline assembled for one stand: descriptors, exchange, BullMQ queues, and (for `worker`,
 * `sync --inline` and the demo) a worker pool in this process.
 */
import { DataSource } from "typeorm";
import { Redis } from "ioredis";
import { Organization } from "../../entities/organization";
import { PipelineRun } from "../../entities/pipeline-run";
import { Stand } from "../../entities/gis-operation";
import { connectRedis } from "../queue/connection";
import { Pipeline } from "../queue/pipeline";
import { DescriptorSource } from "../queue/plan";
import { RunSummary, runSummary } from "../queue/summary";
import { PoolSizes, StandQueues, WorkerPool } from "../queue/workers";
import { applyVerboseLog } from "../settings/verbose-log";
import { getSetting } from "../settings/settings";
import { UserError } from "../util/errors";
import { STAGE_DESCRIPTORS } from "./descriptors";
import { ExchangeOptions, exchangeFactory } from "./exchange-context";

export interface RuntimeOptions extends ExchangeOptions {
  redisUrl: string;
  /** Run workers in this process. */
  workers?: boolean;
  pools?: Partial<PoolSizes>;
  descriptors?: DescriptorSource;
}

export interface PipelineRuntime {
  pipeline: Pipeline;
  queues: StandQueues;
  pool: WorkerPool | null;
  redis: Redis;
  waitForRun(runId: string, onProgress?: (run: PipelineRun) => void, timeoutMs?: number): Promise<RunSummary>;
  close(): Promise<void>;
}

export async function poolSizes(ds: DataSource, overrides: Partial<PoolSizes> = {}): Promise<PoolSizes> {
  return {
    prepare: overrides.prepare ?? (await getSetting<number>(ds, "workers.prepare")),
    send: overrides.send ?? (await getSetting<number>(ds, "workers.send")),
    poll: overrides.poll ?? (await getSetting<number>(ds, "workers.poll")),
    apply: overrides.apply ?? (await getSetting<number>(ds, "workers.apply")),
  };
}

export async function openPipeline(ds: DataSource, o: RuntimeOptions): Promise<PipelineRuntime> {
  await applyVerboseLog(ds);
  const redis = connectRedis(o.redisUrl);
  const exchange = await exchangeFactory(ds, o);
  const queues = new StandQueues(o.stand, redis);
  const pipeline = new Pipeline(ds, o.descriptors ?? STAGE_DESCRIPTORS, (id) => exchange.forOrganization(id), queues);
  const timing = { jobLockMs: (await getSetting<number>(ds, "workers.jobLockSeconds")) * 1000, sweepMs: (await getSetting<number>(ds, "workers.sweepSeconds")) * 1000 };
  const pool = o.workers ? new WorkerPool(ds, pipeline, queues, redis, await poolSizes(ds, o.pools), timing) : null;
  await pool?.start();
  return {
    pipeline, queues, pool, redis,
    async waitForRun(runId, onProgress, timeoutMs = 24 * 3600_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const run = await ds.getRepository(PipelineRun).findOneByOrFail({ id: runId });
        onProgress?.(run);
        if (run.state !== "running") return runSummary(ds, runId);
        if (Date.now() > until) throw new UserError(`Запуск ${runId} не завершился за отведённое время`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async close() {
      await pool?.close();
      await queues.close();
      exchange.close();
      redis.disconnect();
    },
  };
}

/** The organization a run is for: --org OGRN, else the setting «Наша организация», else the only one marked ours. */
export async function resolveOrganization(ds: DataSource, ogrn?: string): Promise<Organization> {
  const repo = ds.getRepository(Organization);
  if (ogrn) {
    const o = await repo.findOneBy({ ogrn });
    if (!o) throw new UserError(`Организация с ОГРН ${ogrn} не найдена в базе`);
    return o;
  }
  const id = await getSetting<number | null>(ds, "gis.ourOrganizationId");
  if (id) {
    const o = await repo.findOneBy({ id });
    if (o) return o;
  }
  const ours = await repo.findBy({ isOurs: true });
  if (ours.length === 1) return ours[0];
  throw new UserError(ours.length === 0 ? "Не указана наша организация: --org ОГРН или настройка gis.ourOrganizationId" : "Наших организаций несколько: укажите --org ОГРН");
}

export type { Stand };

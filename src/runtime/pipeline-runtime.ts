/**
 * The pipeline assembled for one stand: descriptors, exchange, BullMQ queues, and (for `worker`,
 * `sync --inline` and the demo) a worker pool in this process.
 */
import { DataSource } from "typeorm";
import { Redis } from "ioredis";
import { Organization } from "../../entities/organization";
import { PipelineRun } from "../../entities/pipeline-run";
import { Stand } from "../../entities/gis-operation";
import { connectRedis, redisReachable } from "../queue/connection";
import { redact } from "../log";
import { redisPrefixOf } from "../queue/installation";
import { RunProgress } from "../queue/progress";
import { StandHealth } from "../queue/stand-health";
import { Pipeline } from "../queue/pipeline";
import { DescriptorSource } from "../queue/plan";
import { RunSummary, runSummary } from "../queue/summary";
import { PoolSizes, StandQueues, WorkerPool, listWorkers } from "../queue/workers";
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
  /** The installation's Redis key prefix the queues live under. */
  prefix: string;
  /** The stand's address and its health as every process of the installation records it. */
  standUrl: string;
  health: StandHealth;
  /** A run with no answer from its stand for this long is ended (exchange.unreachableSeconds). */
  unreachableMs: number;
  waitForRun(runId: string, onProgress?: (run: PipelineRun) => void, timeoutMs?: number): Promise<RunSummary>;
  /** Where a run is: step, operations in flight, the next poll, the stand's failures. */
  progress(runId: string): Promise<RunProgress>;
  /**
   * Starts this process's worker pools again after «Остановить все» stopped them; false when the
   * runtime runs no workers here (they are `gis-sync worker` processes) or they still run.
   */
  restartWorkers(): Promise<boolean>;
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

/**
 * Opens the pipeline of a stand. Everything that can fail on configuration (the signer's key file,
 * the transport settings, the pools) is read before any connection is made, and whatever was
 * opened is closed again when a later part fails: a failed open leaks nothing.
 */
export async function openPipeline(ds: DataSource, o: RuntimeOptions): Promise<PipelineRuntime> {
  await applyVerboseLog(ds);
  // Queue commands wait for Redis for ever: a wrong REDIS_URL must be an error now, not a silent hang.
  if (!(await redisReachable(o.redisUrl, 3000))) {
    throw new UserError(`Redis не отвечает по адресу ${redact(o.redisUrl)}: очереди недоступны. Запустите Redis или укажите REDIS_URL`);
  }
  const prefix = await redisPrefixOf(ds);
  const timing = {
    jobLockMs: (await getSetting<number>(ds, "workers.jobLockSeconds")) * 1000,
    sweepMs: (await getSetting<number>(ds, "workers.sweepSeconds")) * 1000,
    unreachableMs: (await getSetting<number>(ds, "exchange.unreachableSeconds")) * 1000,
  };
  const sizes = o.workers ? await poolSizes(ds, o.pools) : null;
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const c of closers.reverse())
      await Promise.resolve()
        .then(c)
        .catch(() => undefined);
    closers.length = 0;
  };
  try {
    const redis = connectRedis(o.redisUrl);
    closers.push(() => redis.disconnect());
    const health = new StandHealth(redis, prefix, o.stand);
    const exchange = await exchangeFactory(ds, o, health);
    closers.push(() => exchange.close());
    const queues = new StandQueues(o.stand, redis, prefix);
    closers.push(() => queues.close());
    const pipeline = new Pipeline(ds, o.descriptors ?? STAGE_DESCRIPTORS, (id) => exchange.forOrganization(id), queues);
    let pool = sizes ? new WorkerPool(ds, pipeline, queues, redis, sizes, timing, health) : null;
    if (pool) {
      closers.push(() => pool?.close());
      await pool.start();
    }
    return {
      pipeline,
      queues,
      get pool() {
        return pool;
      },
      redis,
      prefix,
      standUrl: exchange.url,
      health,
      unreachableMs: timing.unreachableMs,
      async waitForRun(runId, onProgress, timeoutMs = 24 * 3600_000) {
        const until = Date.now() + timeoutMs;
        let checked = 0;
        for (;;) {
          const run = await ds.getRepository(PipelineRun).findOneBy({ id: runId });
          if (!run) throw new UserError(`Запуск ${runId} не найден в базе данных`);
          onProgress?.(run);
          if (run.state !== "running") return runSummary(ds, runId);
          // The waiter ends a run whose stand does not answer, whether or not workers run in this process.
          if (timing.unreachableMs > 0 && Date.now() - checked >= 1000) {
            checked = Date.now();
            if (await pipeline.endIfUnreachable(runId, health, timing.unreachableMs)) continue;
          }
          if (Date.now() > until) throw new UserError(`Запуск ${runId} не завершился за отведённое время`);
          await new Promise((r) => setTimeout(r, 250));
        }
      },
      async progress(runId) {
        const p = await pipeline.progress(runId, health);
        const workers = (await listWorkers(redis, prefix)).filter((w) => w.stand === o.stand && w.state === "running").length;
        return { ...p, workers };
      },
      async restartWorkers() {
        if (!sizes || (pool && !pool.stopped)) return false;
        await pool?.close();
        pool = new WorkerPool(ds, pipeline, queues, redis, sizes, timing, health);
        await pool.start();
        return true;
      },
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
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
  throw new UserError(
    ours.length === 0 ? "Не указана наша организация: --org ОГРН или настройка gis.ourOrganizationId" : "Наших организаций несколько: укажите --org ОГРН",
  );
}

export type { Stand };

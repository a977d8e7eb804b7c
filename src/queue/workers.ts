/**
 * BullMQ on Redis: the queues of one stand and the worker pools that run the pipeline's steps.
 * Jobs carry only ids; the database says what to do. Polls are delayed jobs on the backoff table.
 * A worker killed mid-job leaves a stalled job that BullMQ hands to another worker, which resumes
 * the operation from its record (exchange.ts decides what an interrupted send means).
 *
 * Pool sizes are the manual's settings: how many processes send, how many receive answers, how many
 * prepare requests and apply results.
 */
import os from "node:os";
import { Job, Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { DataSource, In, IsNull, LessThan, Not } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { PipelineRun } from "../../entities/pipeline-run";
import { FINAL_STATES, RECONCILE_TRIGGER } from "../exchange/operation-store";
import { log } from "../log";
import { reportErrors } from "./connection";
import { QUEUE_KINDS, QueueKind, REDIS_PREFIX, queueName } from "./names";
import { NotInDatabase } from "./job-errors";
import { Enqueuer, Pipeline } from "./pipeline";
import { StandHealth } from "./stand-health";

export interface PoolSizes {
  prepare: number;
  send: number;
  poll: number;
  apply: number;
}

export const DEFAULT_POOLS: PoolSizes = { prepare: 1, send: 4, poll: 8, apply: 2 };

/** How fast a dead process's work is taken over: its job locks expire, and the sweep re-queues operations. */
export interface PoolTiming {
  jobLockMs: number;
  sweepMs: number;
  /** A run whose stand answered nothing for this long is ended (exchange.unreachableSeconds); 0 = never. */
  unreachableMs?: number;
}

export const DEFAULT_TIMING: PoolTiming = { jobLockMs: 30_000, sweepMs: 15_000 };

const KEEP = { removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 7 * 86400, count: 10000 } };

/** Tries per job before the worker gives up on it (then the operation or run gets a named error, see WorkerPool). */
const ATTEMPTS: Record<QueueKind, number> = { prepare: 3, send: 3, poll: 3, apply: 5 };

export class StandQueues implements Enqueuer {
  readonly queues: Record<QueueKind, Queue>;

  /** `prefix`: the installation's Redis prefix (src/queue/installation.ts); default the process's. */
  constructor(
    readonly stand: string,
    connection: Redis,
    readonly prefix: string = REDIS_PREFIX,
  ) {
    this.queues = Object.fromEntries(
      QUEUE_KINDS.map((k) => [k, reportErrors(new Queue(queueName(stand, k), { connection, prefix }), `очередь ${k}`)]),
    ) as Record<QueueKind, Queue>;
  }

  private async add(kind: QueueKind, jobId: string, data: object, delay = 0): Promise<void> {
    // BullMQ keeps one job per id: the same step queued twice (by a retry, the sweep, two workers) runs once.
    const id = jobId.replace(/:/g, ".");
    // …and a failed job with that id would swallow the new one: the sweep's re-queue retries it instead.
    const existing = await this.queues[kind].getJob(id);
    if (existing && (await existing.isFailed())) {
      await existing.retry("failed");
      return;
    }
    await this.queues[kind].add(kind, data, { jobId: id, delay, attempts: ATTEMPTS[kind], backoff: { type: "exponential", delay: 1000 }, ...KEEP });
  }

  prepare(runId: string, step: number, lane?: number) {
    return lane === undefined
      ? this.add("prepare", `${runId}.${step}`, { runId, step })
      : this.add("prepare", `${runId}.${step}.l${lane}`, { runId, step, lane });
  }
  send(opId: string, delayMs: number, key: string) {
    return this.add("send", key, { opId }, delayMs);
  }
  poll(opId: string, delayMs: number, key: string) {
    return this.add("poll", key, { opId }, delayMs);
  }
  apply(opId: string) {
    return this.add("apply", `${opId}.apply`, { opId });
  }

  /** The manual's "clear the queue": deletes waiting and delayed jobs (operations stay; the sweep re-queues them). */
  async clear(kind: QueueKind): Promise<void> {
    await this.queues[kind].drain(true);
  }

  async counts(): Promise<Record<QueueKind, Record<string, number>>> {
    const out = {} as Record<QueueKind, Record<string, number>>;
    for (const k of QUEUE_KINDS) out[k] = await this.queues[k].getJobCounts("waiting", "active", "delayed", "failed", "completed");
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}

export interface WorkerInfo {
  id: string;
  host: string;
  pid: number;
  stand: string;
  startedAt: string;
  jobsDone: number;
  state: "running" | "stopping";
}

const workerKey = (prefix: string, id: string) => `${prefix}:workers:${id}`;
const stopKey = (prefix: string) => `${prefix}:stop-all`;

/** Whether this try of a job is its last one (a job retried by the sweep after it failed is always on its last). */
const lastAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** A worker process: pools for every queue of a stand, a heartbeat in Redis, and the recovery sweep. */
export class WorkerPool {
  private workers: Worker[] = [];
  private connections: Redis[] = [];
  private heartbeat?: NodeJS.Timeout;
  private sweeper?: NodeJS.Timeout;
  private jobsDone = 0;
  readonly id = `${os.hostname()}:${process.pid}:${Date.now().toString(36)}`;
  private readonly startedAt = new Date().toISOString();
  private stopping = false;

  constructor(
    private readonly ds: DataSource,
    private readonly pipeline: Pipeline,
    private readonly queues: StandQueues,
    private readonly connection: Redis,
    private readonly sizes: PoolSizes = DEFAULT_POOLS,
    private readonly timing: PoolTiming = DEFAULT_TIMING,
    /** The stand's health record, for ending runs whose stand does not answer. */
    private readonly health?: StandHealth,
  ) {}

  async start(): Promise<void> {
    /** `giveUp`: what the job's last failed try leaves behind instead of a job retried for ever. */
    const run = (kind: QueueKind, fn: (job: Job) => Promise<unknown>, giveUp: (job: Job, e: unknown) => Promise<unknown>) => {
      // BullMQ does not close a connection it was given: each worker's own one is closed in close().
      const connection = reportErrors(this.connection.duplicate(), "Redis");
      this.connections.push(connection);
      const w = new Worker(
        queueName(this.queues.stand, kind),
        async (job) => {
          try {
            await fn(job);
          } catch (e) {
            if (e instanceof NotInDatabase) {
              // Another installation's job, or one left by a database that is gone: failed, loudly, never "completed".
              log.error(`очередь ${kind}: задание ${job.id}: ${e.message}`);
              throw new UnrecoverableError(e.message);
            }
            if (!lastAttempt(job)) throw e;
            log.error(`очередь ${kind}: задание ${job.id} не выполнено и после ${job.attemptsMade + 1} попыток: ${(e as Error).message}`);
            await giveUp(job, e);
          }
          this.jobsDone++;
        },
        {
          connection,
          prefix: this.queues.prefix,
          concurrency: this.sizes[kind],
          lockDuration: this.timing.jobLockMs,
          stalledInterval: Math.max(500, Math.floor(this.timing.jobLockMs / 2)),
          // Every step is safe to run again (the database says what is left to do): a job whose
          // workers died again and again is taken over again, never parked as failed.
          maxStalledCount: 1000,
        },
      );
      reportErrors(w, `обработчик очереди ${kind}`);
      w.on("failed", (job, err) => log.warn(`очередь ${kind}: задание ${job?.id} не выполнено: ${err.message}`));
      this.workers.push(w);
    };
    const p = this.pipeline;
    const stepFailed = (job: Job, e: unknown) => p.failRun(job.data.runId, `Шаг ${job.data.step + 1} запуска не подготовлен: ${(e as Error).message}`);
    run("prepare", (job) => p.prepareStep(job.data.runId, job.data.step, job.data.lane), stepFailed);
    run(
      "send",
      (job) => p.advanceOperation(job.data.opId),
      (job, e) => p.advanceFailed(job.data.opId, e),
    );
    run(
      "poll",
      (job) => p.advanceOperation(job.data.opId),
      (job, e) => p.advanceFailed(job.data.opId, e),
    );
    run(
      "apply",
      (job) => p.applyOperation(job.data.opId),
      (job, e) => p.applyFailed(job.data.opId, e),
    );
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), Math.min(5000, this.timing.sweepMs));
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep().catch((e) => log.warn(`восстановление очередей: ${(e as Error).message}`)), this.timing.sweepMs);
  }

  private async beat(): Promise<void> {
    if (!this.stopping && (await this.connection.get(stopKey(this.queues.prefix)))) void this.close();
    const info: WorkerInfo = {
      id: this.id,
      host: os.hostname(),
      pid: process.pid,
      stand: this.queues.stand,
      startedAt: this.startedAt,
      jobsDone: this.jobsDone,
      state: this.stopping ? "stopping" : "running",
    };
    await this.connection.set(workerKey(this.queues.prefix, this.id), JSON.stringify(info), "EX", 20);
  }

  /**
   * Recovery after crashes: every operation that is not final gets the job its state calls for
   * (deduplicated by job id, so live jobs are not doubled); final ones not yet applied are applied;
   * running runs whose step has nothing left open move on.
   */
  async sweep(): Promise<void> {
    const stale = new Date(Date.now() - Math.min(10_000, this.timing.sweepMs));
    const ops = await this.ds.getRepository(GisOperation).find({
      where: [
        { stand: this.queues.stand as GisOperation["stand"], state: Not(In(FINAL_STATES)), nextPollAt: LessThan(stale) },
        { stand: this.queues.stand as GisOperation["stand"], state: Not(In(FINAL_STATES)), nextPollAt: IsNull(), createdAt: LessThan(stale) },
        { stand: this.queues.stand as GisOperation["stand"], state: In(FINAL_STATES), appliedAt: IsNull(), trigger: IsNull(), finishedAt: LessThan(stale) },
        {
          stand: this.queues.stand as GisOperation["stand"],
          state: In(FINAL_STATES),
          appliedAt: IsNull(),
          trigger: Not(RECONCILE_TRIGGER),
          finishedAt: LessThan(stale),
        },
      ],
      select: { id: true },
      take: 1000,
    });
    for (const op of ops) await this.pipeline.schedule(op.id);
    const runs = await this.ds.getRepository(PipelineRun).find({ where: { stand: this.queues.stand, state: "running" }, select: { id: true, step: true } });
    for (const r of runs) {
      // A run no process waits for (a schedule's, or its waiter died) still ends when its stand is unreachable.
      if (this.health && this.timing.unreachableMs && (await this.pipeline.endIfUnreachable(r.id, this.health, this.timing.unreachableMs))) continue;
      await this.pipeline.checkStep(r.id, r.step);
      await this.queues.prepare(r.id, r.step);
    }
  }

  /** Stopped (by close or by the operator's «Остановить все»): a new pool takes over. */
  get stopped(): boolean {
    return this.stopping;
  }

  async close(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearInterval(this.heartbeat);
    clearInterval(this.sweeper);
    await Promise.all(this.workers.map((w) => w.close()));
    for (const c of this.connections) c.disconnect();
    await this.connection.del(workerKey(this.queues.prefix, this.id)).catch(() => undefined);
  }
}

export async function listWorkers(connection: Redis, prefix = REDIS_PREFIX): Promise<WorkerInfo[]> {
  const keys = await connection.keys(`${prefix}:workers:*`);
  const values = keys.length ? await connection.mget(keys) : [];
  return values.filter((v): v is string => !!v).map((v) => JSON.parse(v) as WorkerInfo);
}

/** «Запустить» after «Остановить все»: the stop is withdrawn, so processes started again keep running. */
export async function allowWorkers(connection: Redis, prefix = REDIS_PREFIX): Promise<void> {
  await connection.del(stopKey(prefix));
}

/** The operator's "stop all": every worker process sees it on its next heartbeat and finishes its current jobs. */
export async function stopAllWorkers(connection: Redis, ttlSeconds = 30, prefix = REDIS_PREFIX): Promise<void> {
  await connection.set(stopKey(prefix), "1", "EX", ttlSeconds);
}

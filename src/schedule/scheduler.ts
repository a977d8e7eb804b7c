/**
 * The scheduler: every server process may run one. It keeps the enabled schedules in memory
 * (reload() and a periodic refresh, the manual's «Проверять изменения в расписании каждые N мин»),
 * ticks every minute (node-cron, in the organization's time zone) and starts what is due. Among
 * several processes exactly one starts a given fire: the Redis fire lock decides (locks.ts). A job
 * still running is not started again (the Redis running lock, refreshed while it runs). Every
 * start and end is recorded on the schedule (lastStartedAt, lastDurationMs, outcome) and in the
 * message log (group "schedule", subgroup = the schedule's name), as the manual's journal shows.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import cron, { ScheduledTask } from "node-cron";
import { Redis } from "ioredis";
import { DataSource, In } from "typeorm";
import { MessageLog } from "../../entities/message-log";
import { Schedule } from "../../entities/schedule";
import { log } from "../log";
import { REDIS_PREFIX } from "../queue/names";
import { getSetting } from "../settings/settings";
import { UserError } from "../util/errors";
import { latestFireTime, localTime } from "./fire-times";
import { jobTypeOf } from "./job-types";
import { ScheduleLocks } from "./locks";

export interface JobResult {
  /** ok by default; warning = done, some objects with errors; error = the job failed. */
  outcome?: "ok" | "warning" | "error";
  /** What it did, in Russian (written to the message log and the schedule). */
  text: string;
  runId?: string | null;
}

/** Runs one schedule's job to its end. Throwing = the job failed with that message. */
export type RunJob = (schedule: Schedule, ctx: { trigger: string; firedAt: Date }) => Promise<JobResult>;

export interface SchedulerOptions {
  ds: DataSource;
  redis: Redis;
  runJob: RunJob;
  /** IANA time zone of the schedules; default: setting gis.timeZone. */
  timeZone?: string;
  /** Only schedules of these stands (the manual's «Для промышленного стенда / Для тестового стенда»); default all. */
  stands?: string[];
  /** Redis key prefix; default REDIS_PREFIX. */
  prefix?: string;
  /** Reload schedules this often (ms); 0 = only on reload(). Default 60 s. */
  refreshMs?: number;
  /** A fire is still started this long after its time (a late tick, a restart). Default 2 min. */
  graceMs?: number;
  /** Tick every minute with node-cron; tests turn it off and call tick(now). Default true. */
  ticker?: boolean;
  /** The clock; tests inject one. */
  now?: () => Date;
  /** How long a running lock lives without a refresh. Default 60 s. */
  runningTtlMs?: number;
  /** Identifies this process in locks and the log. */
  owner?: string;
}

export interface Fired {
  scheduleId: number;
  fireTime: Date;
}

export type StartOutcome = { started: true; result: Promise<JobResult> } | { started: false; reason: string };

const SUBGROUP_MAX = 100;

export class Scheduler {
  readonly owner: string;
  private schedules: Schedule[] = [];
  private readonly running = new Map<number, Promise<JobResult>>();
  private readonly locks: ScheduleLocks;
  private readonly now: () => Date;
  private readonly graceMs: number;
  private readonly runningTtlMs: number;
  private task?: ScheduledTask;
  private refresher?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly o: SchedulerOptions,
    readonly timeZone: string,
  ) {
    this.owner = o.owner ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
    this.locks = new ScheduleLocks(o.redis, o.prefix ?? REDIS_PREFIX);
    this.now = o.now ?? (() => new Date());
    this.graceMs = o.graceMs ?? 120_000;
    this.runningTtlMs = o.runningTtlMs ?? 60_000;
  }

  /** The enabled schedules this scheduler watches (a copy). */
  get loaded(): Schedule[] {
    return [...this.schedules];
  }

  async reload(): Promise<void> {
    const where = this.o.stands?.length ? { enabled: true, stand: In(this.o.stands) } : { enabled: true };
    this.schedules = await this.o.ds.getRepository(Schedule).find({ where, order: { id: "ASC" } });
    await this.recoverInterrupted();
  }

  /**
   * A schedule left "running" whose running lock is gone was interrupted (its process died): it is
   * marked as failed. The holder records its outcome before releasing the lock, and the update is
   * conditional on the start we saw, so a job that just ended normally is never overwritten.
   */
  async recoverInterrupted(): Promise<number> {
    const repo = this.o.ds.getRepository(Schedule);
    let n = 0;
    for (const s of await repo.find({ where: { lastOutcome: "running" } })) {
      if (this.running.has(s.id) || (await this.locks.runningBy(s.id)) || !s.lastStartedAt) continue;
      const text = "прервано: процесс, выполнявший задание, остановлен";
      const r = await repo.update({ id: s.id, lastOutcome: "running", lastStartedAt: s.lastStartedAt }, { lastOutcome: "error", lastResult: text });
      if (!r.affected) continue;
      n++;
      await this.journal(s, "error", `Ошибка: ${text}.`);
    }
    return n;
  }

  async start(): Promise<void> {
    localTime(new Date(), this.timeZone); // an unknown time zone fails here, not at the first tick
    await this.reload();
    const refreshMs = this.o.refreshMs ?? 60_000;
    if (refreshMs > 0)
      this.refresher = setInterval(() => void this.reload().catch((e) => log.warn(`расписание: не удалось перечитать: ${(e as Error).message}`)), refreshMs);
    if (this.o.ticker ?? true) {
      this.task = cron.schedule(
        "* * * * *",
        () =>
          this.tick().then(
            () => undefined,
            (e) => log.warn(`расписание: ${(e as Error).message}`),
          ),
        { timezone: this.timeZone, name: `gis-sync-scheduler-${this.owner}`, noOverlap: true },
      );
    }
  }

  /**
   * Starts every schedule that is due at `now` and not yet started by anyone; returns what this
   * process started (the jobs run on; idle() waits for them).
   */
  async tick(now = this.now()): Promise<Fired[]> {
    if (this.stopped) return [];
    const fired: Fired[] = [];
    for (const s of this.schedules) {
      const fireTime = latestFireTime(s, now, this.timeZone, this.graceMs);
      if (!fireTime) continue;
      // Already started for this fire (the database remembers even if Redis was flushed).
      if (s.lastStartedAt && new Date(s.lastStartedAt).getTime() >= fireTime.getTime()) continue;
      if (!(await this.locks.claimFire(s.id, fireTime, this.owner, this.graceMs + 600_000))) continue;
      const r = await this.startJob(s, `schedule:${s.id}`, fireTime);
      if (r.started) fired.push({ scheduleId: s.id, fireTime });
    }
    return fired;
  }

  /** «Запустить сейчас»: runs a schedule at once (even a disabled one) and waits for it. */
  async runNow(scheduleId: number, author = "manual"): Promise<JobResult> {
    const s = await this.o.ds.getRepository(Schedule).findOneBy({ id: scheduleId });
    if (!s) throw new UserError(`Расписание ${scheduleId} не найдено`);
    const r = await this.startJob(s, author, this.now());
    if (!r.started) throw new UserError(`Расписание ${scheduleId} «${s.name}»: ${r.reason}`);
    return r.result;
  }

  /** Waits until every job this process started has ended. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running.values()]);
  }

  /** Stops ticking and refreshing; jobs already running are waited for. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refresher);
    if (this.task) await this.task.destroy();
    await this.idle();
  }

  private async startJob(s: Schedule, trigger: string, firedAt: Date): Promise<StartOutcome> {
    const skip = async (reason: string): Promise<StartOutcome> => {
      await this.journal(s, "warning", `Не запущено: ${reason}.`);
      return { started: false, reason };
    };
    if (!jobTypeOf(s.jobType)) return skip(`неизвестное задание «${s.jobType}»`);
    if (this.running.has(s.id) || !(await this.locks.acquireRunning(s.id, this.owner, this.runningTtlMs))) {
      const by = this.running.has(s.id) ? this.owner : await this.locks.runningBy(s.id);
      return skip(`предыдущий запуск ещё выполняется${by ? ` (${by})` : ""}`);
    }
    // Never rejects: a failure to record is logged, the job's own failure is its result.
    const result = this.execute(s, trigger, firedAt)
      .catch((e): JobResult => {
        log.error(`расписание ${s.id} «${s.name}»: ${(e as Error).message}`);
        return { outcome: "error", text: (e as Error).message };
      })
      .finally(() => this.running.delete(s.id));
    this.running.set(s.id, result);
    return { started: true, result };
  }

  private async execute(s: Schedule, trigger: string, firedAt: Date): Promise<JobResult> {
    const repo = this.o.ds.getRepository(Schedule);
    const keep = setInterval(
      () => void this.locks.refreshRunning(s.id, this.owner, this.runningTtlMs).catch(() => undefined),
      Math.max(1000, this.runningTtlMs / 3),
    );
    let result: JobResult;
    const t0 = performance.now();
    try {
      const startedAt = this.now();
      s.lastStartedAt = startedAt;
      await repo.update({ id: s.id }, { lastStartedAt: startedAt, lastOutcome: "running", lastResult: null, lastRunId: null });
      await this.journal(s, "info", `Запущено (${trigger === `schedule:${s.id}` ? "по расписанию" : trigger}).`);
      try {
        result = await this.o.runJob(s, { trigger, firedAt });
      } catch (e) {
        result = { outcome: "error", text: e instanceof Error ? e.message : String(e) };
      }
      const durationMs = Math.round(performance.now() - t0);
      const outcome = result.outcome ?? "ok";
      await repo.update({ id: s.id }, { lastDurationMs: durationMs, lastOutcome: outcome, lastResult: result.text, lastRunId: result.runId ?? null });
      const seconds = (durationMs / 1000).toFixed(1);
      await this.journal(
        s,
        outcome === "ok" ? "info" : outcome,
        outcome === "error" ? `Ошибка через ${seconds} с: ${result.text}` : `Выполнено за ${seconds} с: ${result.text}`,
        result.runId ?? null,
      );
      return { ...result, outcome };
    } finally {
      clearInterval(keep);
      await this.locks.releaseRunning(s.id, this.owner).catch(() => undefined);
    }
  }

  private async journal(s: Schedule, level: MessageLog["level"], text: string, runId: string | null = null): Promise<void> {
    await this.o.ds.getRepository(MessageLog).insert({
      createdAt: this.now(),
      level,
      group: "schedule",
      subgroup: s.name.slice(0, SUBGROUP_MAX),
      author: "scheduler",
      text,
      objectType: "schedule",
      objectId: s.id,
      operationId: null,
      runId,
    });
  }
}

export async function startScheduler(o: SchedulerOptions): Promise<Scheduler> {
  const tz = o.timeZone ?? (await getSetting<string>(o.ds, "gis.timeZone"));
  const s = new Scheduler(o, tz);
  await s.start();
  return s;
}

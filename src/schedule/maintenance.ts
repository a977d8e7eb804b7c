/**
 * The maintenance job types: «Очистить журнал БД» and «Очистка архивных данных и истории».
 * Limits come from the retention settings (the manual's 30 days / 10,000 records by default):
 *   message log       retention.messagesDays / retention.messagesRecords
 *   action history    retention.historyDays (the audit log)
 *   exchange archive  retention.archiveDays / retention.archiveRecords (src/archive/prune.ts)
 *   finished jobs     retention.queueDays / retention.queueRecords, per BullMQ queue of every stand
 */
import { Redis } from "ioredis";
import { DataSource, LessThan, Repository } from "typeorm";
import { AuditLog } from "../../entities/audit-log";
import { STANDS } from "../../entities/gis-operation";
import { MessageLog } from "../../entities/message-log";
import { pruneArchive } from "../archive/prune";
import { QUEUE_KINDS } from "../queue/names";
import { StandQueues } from "../queue/workers";
import { getSetting } from "../settings/settings";

/** Deletes rows older than `days` and, beyond that, all but the newest `maxRecords` (by id). */
async function pruneById<T extends { id: number; createdAt: Date }>(repo: Repository<T>, days: number, maxRecords: number | null, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  let deleted = (await repo.delete({ createdAt: LessThan(cutoff) } as never)).affected ?? 0;
  if (maxRecords !== null) {
    const [nth] = await repo.find({ order: { id: "DESC" } as never, skip: maxRecords, take: 1, select: { id: true } as never });
    if (nth) deleted += (await repo.delete({ id: LessThan(nth.id + 1) } as never)).affected ?? 0;
  }
  return deleted;
}

export async function pruneMessageLog(ds: DataSource, now = new Date()): Promise<number> {
  return pruneById(
    ds.getRepository(MessageLog),
    await getSetting<number>(ds, "retention.messagesDays"),
    await getSetting<number>(ds, "retention.messagesRecords"),
    now,
  );
}

export async function pruneActionHistory(ds: DataSource, now = new Date()): Promise<number> {
  return pruneById(ds.getRepository(AuditLog), await getSetting<number>(ds, "retention.historyDays"), null, now);
}

/** Completed and failed BullMQ jobs of every stand's queues: older than the limit in days, then beyond the count. */
export async function pruneFinishedJobs(ds: DataSource, redis: Redis): Promise<number> {
  const days = await getSetting<number>(ds, "retention.queueDays");
  const max = await getSetting<number>(ds, "retention.queueRecords");
  let deleted = 0;
  for (const stand of STANDS) {
    const queues = new StandQueues(stand, redis);
    try {
      for (const kind of QUEUE_KINDS) {
        const q = queues.queues[kind];
        for (const state of ["completed", "failed"] as const) {
          deleted += (await q.clean(days * 86_400_000, 100_000, state)).length;
          const left = (await q.getJobCounts(state))[state] ?? 0;
          // clean() removes the oldest first, so the newest `max` stay.
          if (left > max) deleted += (await q.clean(0, left - max, state)).length;
        }
      }
    } finally {
      await queues.close();
    }
  }
  return deleted;
}

export interface RetentionReport {
  archive: number;
  messages: number;
  history: number;
  jobs: number;
}

export async function runRetention(ds: DataSource, redis: Redis | null, now = new Date()): Promise<RetentionReport> {
  const archive = await pruneArchive(ds, {
    days: await getSetting<number>(ds, "retention.archiveDays"),
    maxRecords: await getSetting<number>(ds, "retention.archiveRecords"),
    now,
  });
  return {
    archive: archive.deleted,
    messages: await pruneMessageLog(ds, now),
    history: await pruneActionHistory(ds, now),
    jobs: redis ? await pruneFinishedJobs(ds, redis) : 0,
  };
}

export const describeRetention = (r: RetentionReport) =>
  `удалено: архив запросов и ответов — ${r.archive}, сообщения — ${r.messages}, история действий — ${r.history}, завершённые задания очередей — ${r.jobs}`;

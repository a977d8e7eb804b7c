/**
 * Queue names. Every stand has its own queues, so a run against a test stand never touches
 * production work: gis-sync.<stand>.<kind>.
 *   prepare — select, check and batch the objects of one plan step into operations
 *   send    — validate, sign, archive and send an operation (and rebuilt resends)
 *   poll    — getState on the backoff table (delayed jobs, not sleeping workers); reconciling
 *   apply   — write a final answer onto the model, then move the run on
 */
export const QUEUE_KINDS = ["prepare", "send", "poll", "apply"] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export const queueName = (stand: string, kind: QueueKind) => `gis-sync.${stand}.${kind}`;

/**
 * Redis key prefix of everything gis-sync keeps in Redis (BullMQ's own keys included).
 * GIS_SYNC_REDIS_PREFIX separates installations (or test runs) sharing one Redis.
 */
export const REDIS_PREFIX = process.env.GIS_SYNC_REDIS_PREFIX || "gis-sync";

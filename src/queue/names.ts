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

const DEFAULT_PREFIX = "gis-sync";

/**
 * The Redis key prefix of an installation: everything gis-sync keeps in Redis (BullMQ's queues,
 * worker heartbeats, schedule locks, sessions) lives under it, so installations with different
 * databases on one Redis never take each other's jobs. GIS_SYNC_REDIS_PREFIX overrides it.
 */
export function installationPrefix(installationId: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.GIS_SYNC_REDIS_PREFIX || `${DEFAULT_PREFIX}:${installationId}`;
}

/**
 * The prefix of this process's installation, once its database is open (src/queue/installation.ts
 * binds it); before that, GIS_SYNC_REDIS_PREFIX or the bare default. Read it where it is used, not
 * at import time: it is a live binding.
 */
export let REDIS_PREFIX = process.env.GIS_SYNC_REDIS_PREFIX || DEFAULT_PREFIX;

export function useRedisPrefix(prefix: string): void {
  REDIS_PREFIX = prefix;
}

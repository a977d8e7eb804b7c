/** Redis connections for queues and workers (BullMQ needs maxRetriesPerRequest: null on worker connections). */
import { EventEmitter } from "node:events";
import IORedis, { Redis } from "ioredis";
import { log } from "../log";

export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL || "redis://127.0.0.1:6379";
}

export function connectRedis(url = redisUrl()): Redis {
  return reportErrors(new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false }), "Redis");
}

let lastReport = 0;

/**
 * Connection errors of Redis clients, BullMQ queues and workers, in words and at most every 30 s:
 * while Redis restarts every connection retries many times a second, and without a listener each
 * try would print a stack trace (or, for an EventEmitter, end the process).
 */
export function reportErrors<T extends EventEmitter>(emitter: T, what: string): T {
  emitter.on("error", (e: Error) => {
    if (Date.now() - lastReport < 30_000) return;
    lastReport = Date.now();
    log.warn(`${what}: ${e.message}; соединение восстанавливается`);
  });
  return emitter;
}

/** Whether a Redis answers at `url` within `timeoutMs`. */
export async function redisReachable(url = redisUrl(), timeoutMs = 1500): Promise<boolean> {
  const r = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  r.on("error", () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

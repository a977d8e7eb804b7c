/** Redis connections for queues and workers (BullMQ needs maxRetriesPerRequest: null on worker connections). */
import IORedis, { Redis } from "ioredis";

export function redisUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.REDIS_URL || "redis://127.0.0.1:6379";
}

export function connectRedis(url = redisUrl()): Redis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
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

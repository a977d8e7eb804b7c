/**
 * Whether a stand answers, as every process of the installation sees it: the HTTP client records
 * each request's outcome in one Redis hash per stand. An answer (HTTP 200 or a SOAP fault) clears
 * the failure streak; a failure (no connection, no answer in time, an HTTP error page from a proxy)
 * extends it. A run whose stand has answered nothing for `exchange.unreachableSeconds` is ended
 * with a message naming the stand, its address and what was tried (src/queue/unreachable.ts).
 */
import { Redis } from "ioredis";

export interface StandFailure {
  url: string;
  /** When the first request of the streak was started (a timeout counts from its start). */
  firstFailureAt: number;
  lastFailureAt: number;
  failures: number;
  lastError: string;
  lastRequest: string;
  lastAnswerAt: number | null;
}

// HSETNX keeps the streak's start — never before the last answer (a slow request that failed after
// another one was answered does not reach back past it); the rest describes the latest failure.
const FAILED = `
local last = redis.call("HGET", KEYS[1], "lastAnswerAt")
local start = ARGV[1]
if last and tonumber(last) > tonumber(start) then start = last end
redis.call("HSETNX", KEYS[1], "firstFailureAt", start)
redis.call("HINCRBY", KEYS[1], "failures", 1)
redis.call("HSET", KEYS[1], "lastFailureAt", ARGV[2], "lastError", ARGV[3], "lastRequest", ARGV[4], "url", ARGV[5])
redis.call("EXPIRE", KEYS[1], 604800)
return 1`;

export class StandHealth {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly stand: string,
  ) {}

  private get key(): string {
    return `${this.prefix}:stand-health:${this.stand}`;
  }

  async answered(at = Date.now()): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key, "lastAnswerAt", String(at))
      .hdel(this.key, "firstFailureAt", "failures", "lastFailureAt", "lastError", "lastRequest")
      .expire(this.key, 604800)
      .exec();
  }

  async failed(f: { startedAt: number; error: string; request: string; url: string }, at = Date.now()): Promise<void> {
    await this.redis.eval(FAILED, 1, this.key, String(f.startedAt), String(at), f.error.slice(0, 500), f.request.slice(0, 300), f.url);
  }

  /** The current failure streak, if the stand has not answered since its start. */
  async streak(): Promise<StandFailure | null> {
    const h = await this.redis.hgetall(this.key);
    if (!h.firstFailureAt) return null;
    return {
      url: h.url ?? "",
      firstFailureAt: Number(h.firstFailureAt),
      lastFailureAt: Number(h.lastFailureAt ?? h.firstFailureAt),
      failures: Number(h.failures ?? 0),
      lastError: h.lastError ?? "",
      lastRequest: h.lastRequest ?? "",
      lastAnswerAt: h.lastAnswerAt ? Number(h.lastAnswerAt) : null,
    };
  }
}

/**
 * The streak as seen by one run: only failures since the run started count (an old streak of a
 * stand nobody asked since says nothing about today). Null while the stand may still answer.
 * One request that hung until its timeout is not a verdict (the timeout may be as long as the
 * limit): its retry must have failed too.
 */
export function unreachableSince(s: StandFailure | null, runStartedAt: number, limitMs: number, now = Date.now()): number | null {
  if (!s || s.lastFailureAt < runStartedAt || s.failures < 2) return null;
  const since = Math.max(s.firstFailureAt, runStartedAt);
  return now - since >= limitMs ? since : null;
}

/**
 * The login limiter: it slows and locks a password guesser without locking the real user out.
 *   - A login from one client address: after `max` wrong passwords that pair is locked for the
 *     window (429). The same login from another address is not: the user at their own desk still
 *     gets in while someone elsewhere guesses. The attempt is counted *before* the password is
 *     checked, so a burst of parallel guesses cannot slip past the limit.
 *   - A login from any address, and an address against any login (an office behind NAT, a proxy
 *     we were not told to trust): never a lock, only a growing delay before the answer, capped at
 *     `maxDelayMs` — guessing gets slow, the right password still works.
 * Counters live in Redis under the installation's prefix and expire with the window.
 */
import { Redis } from "ioredis";
import { REDIS_PREFIX } from "../queue/names";

export interface LoginLimitOptions {
  /** Wrong passwords for one login from one address before that pair is locked. */
  max: number;
  windowSeconds: number;
  /** The longest delay before answering a login (from its failures anywhere, or its address's). */
  maxDelayMs?: number;
}

export const DEFAULT_LOGIN_LIMIT: Required<LoginLimitOptions> = { max: 5, windowSeconds: 300, maxDelayMs: 4000 };

export type Admission = { allowed: true; delayMs: number } | { allowed: false; retryAfterSeconds: number };

export class LoginLimiter {
  private readonly o: Required<LoginLimitOptions>;

  constructor(
    private readonly redis: Redis,
    options: Partial<LoginLimitOptions> = {},
  ) {
    this.o = { ...DEFAULT_LOGIN_LIMIT, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  private keys(ip: string, login: string) {
    const l = encodeURIComponent(login.toLowerCase());
    const a = encodeURIComponent(ip);
    return { pair: `${REDIS_PREFIX}:login-fail:pair:${l}:${a}`, login: `${REDIS_PREFIX}:login-fail:user:${l}`, ip: `${REDIS_PREFIX}:login-fail:ip:${a}` };
  }

  /** Slowing down from failures beyond a threshold: 250 ms, doubling, capped. */
  private delay(failures: number, threshold: number): number {
    if (failures < threshold) return 0;
    return Math.min(this.o.maxDelayMs, 250 * 2 ** Math.min(failures - threshold, 16));
  }

  /**
   * Before checking a password: a locked pair is refused; otherwise the attempt is reserved
   * against the pair's limit and the delay to wait before answering is returned.
   */
  async admit(ip: string, login: string): Promise<Admission> {
    const k = this.keys(ip, login);
    const n = await this.redis.incr(k.pair);
    if (n === 1) await this.redis.expire(k.pair, this.o.windowSeconds);
    if (n > this.o.max) {
      await this.redis.decr(k.pair); // a refused attempt is not a guess
      return { allowed: false, retryAfterSeconds: Math.max(1, await this.redis.ttl(k.pair)) };
    }
    const [byLogin, byIp] = (await this.redis.mget(k.login, k.ip)).map(Number);
    return { allowed: true, delayMs: Math.max(this.delay(byLogin, this.o.max), this.delay(byIp, this.o.max * 4)) };
  }

  /** A wrong password: the reserved attempt stays counted; the login's and the address's counters grow. */
  async failed(ip: string, login: string): Promise<void> {
    const k = this.keys(ip, login);
    for (const key of [k.login, k.ip]) {
      const n = await this.redis.incr(key);
      if (n === 1) await this.redis.expire(key, this.o.windowSeconds);
    }
  }

  /** The right password: this pair starts afresh (the login's counter stays — others may still be guessing). */
  async succeeded(ip: string, login: string): Promise<void> {
    await this.redis.del(this.keys(ip, login).pair);
  }
}

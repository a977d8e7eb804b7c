/**
 * Server-side sessions in Redis: the browser holds only a random token (HttpOnly cookie); Redis
 * holds who it is and the CSRF token, under the hash of the token, and forgets it when it expires.
 * Idle sessions expire after `idleSeconds`; every session ends after `maxSeconds` whatever happens.
 */
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { REDIS_PREFIX } from "../queue/names";

export interface Session {
  userId: number;
  login: string;
  csrf: string;
  createdAt: number;
}

export interface SessionOptions {
  idleSeconds: number;
  maxSeconds: number;
}

export const DEFAULT_SESSION: SessionOptions = { idleSeconds: 30 * 60, maxSeconds: 12 * 3600 };

const key = (token: string) => `${REDIS_PREFIX}:session:${crypto.createHash("sha256").update(token).digest("hex")}`;

export class SessionStore {
  constructor(private readonly redis: Redis, readonly options: SessionOptions = DEFAULT_SESSION) {}

  async create(userId: number, login: string): Promise<{ token: string; session: Session }> {
    const token = crypto.randomBytes(32).toString("base64url");
    const session: Session = { userId, login, csrf: crypto.randomBytes(24).toString("base64url"), createdAt: Date.now() };
    await this.redis.set(key(token), JSON.stringify(session), "EX", this.options.idleSeconds);
    return { token, session };
  }

  /** The session of a token, its idle timer renewed; null when unknown or expired. */
  async get(token: string): Promise<Session | null> {
    if (!token || token.length > 100) return null;
    const k = key(token);
    const v = await this.redis.get(k);
    if (!v) return null;
    const s = JSON.parse(v) as Session;
    const left = Math.floor((s.createdAt + this.options.maxSeconds * 1000 - Date.now()) / 1000);
    if (left <= 0) {
      await this.redis.del(k);
      return null;
    }
    await this.redis.expire(k, Math.min(this.options.idleSeconds, left));
    return s;
  }

  async destroy(token: string): Promise<void> {
    await this.redis.del(key(token));
  }
}

/**
 * Failed logins per login name and per client address within a window: after `max` failures for
 * one login (or four times as many from one address, which may be a whole office behind NAT) the
 * login answers 429 until the window passes.
 */
export class LoginLimiter {
  constructor(private readonly redis: Redis, private readonly max = 5, private readonly windowSeconds = 300) {}

  private keys(ip: string, login: string): string[] {
    return [`${REDIS_PREFIX}:login-fail:ip:${ip}`, `${REDIS_PREFIX}:login-fail:user:${login.toLowerCase()}`];
  }

  /** Seconds until the next attempt is allowed, or 0. */
  async blockedFor(ip: string, login: string): Promise<number> {
    const [byIp, byLogin] = this.keys(ip, login);
    for (const [k, limit] of [[byLogin, this.max], [byIp, this.max * 4]] as const) {
      const n = Number(await this.redis.get(k));
      if (n >= limit) return Math.max(1, await this.redis.ttl(k));
    }
    return 0;
  }

  async failed(ip: string, login: string): Promise<void> {
    for (const k of this.keys(ip, login)) {
      const n = await this.redis.incr(k);
      if (n === 1) await this.redis.expire(k, this.windowSeconds);
    }
  }

  async succeeded(_ip: string, login: string): Promise<void> {
    await this.redis.del(this.keys("", login)[1]);
  }
}

/**
 * Server-side sessions in Redis: the browser holds only a random token (HttpOnly cookie); Redis
 * holds who it is and the CSRF token, under the hash of the token, and forgets it when it expires.
 * Idle sessions expire after `idleSeconds`; every session ends after `maxSeconds` whatever happens.
 * A session carries a stamp of the user's password hash: once the password changes (web, API or
 * `gis-sync user add`), every session made with the old one is refused (`matchesPassword`).
 */
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { REDIS_PREFIX } from "../queue/names";

export interface Session {
  userId: number;
  login: string;
  csrf: string;
  createdAt: number;
  /** A short hash of the password hash the session was made with. */
  stamp?: string;
}

/** The stamp of a password hash: changes whenever the password does (a new salt every time). */
export const passwordStamp = (passwordHash: string): string => crypto.createHash("sha256").update(`session:${passwordHash}`).digest("base64url").slice(0, 16);

/** Was the session made with the user's current password? */
export function matchesPassword(session: Session, passwordHash: string): boolean {
  const want = passwordStamp(passwordHash);
  return !!session.stamp && session.stamp.length === want.length && crypto.timingSafeEqual(Buffer.from(session.stamp), Buffer.from(want));
}

export interface SessionOptions {
  idleSeconds: number;
  maxSeconds: number;
}

export const DEFAULT_SESSION: SessionOptions = { idleSeconds: 30 * 60, maxSeconds: 12 * 3600 };

const key = (token: string) => `${REDIS_PREFIX}:session:${crypto.createHash("sha256").update(token).digest("hex")}`;

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    readonly options: SessionOptions = DEFAULT_SESSION,
  ) {}

  async create(userId: number, login: string, passwordHash = ""): Promise<{ token: string; session: Session }> {
    const token = crypto.randomBytes(32).toString("base64url");
    const session: Session = { userId, login, csrf: crypto.randomBytes(24).toString("base64url"), createdAt: Date.now(), stamp: passwordStamp(passwordHash) };
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

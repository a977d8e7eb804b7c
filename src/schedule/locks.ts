/**
 * Redis locks that let several server processes share the schedules:
 *  - a fire lock per schedule and fire time (SET NX PX): the one process that sets it starts that
 *    fire; it outlives the time a late scheduler could still consider the fire owed;
 *  - a running lock per schedule, held (and refreshed) while its job runs, so a job that outlasts
 *    its interval is not started again; it expires by itself if the holder dies.
 */
import { Redis } from "ioredis";

// Compare-and-act: only the holder refreshes or releases its lock.
const REFRESH = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;

export class ScheduleLocks {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  fireKey(scheduleId: number, fireTime: Date): string {
    return `${this.prefix}:schedule:${scheduleId}:fire:${fireTime.toISOString()}`;
  }

  runningKey(scheduleId: number): string {
    return `${this.prefix}:schedule:${scheduleId}:running`;
  }

  /** True for exactly one caller per schedule and fire time. */
  async claimFire(scheduleId: number, fireTime: Date, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.fireKey(scheduleId, fireTime), owner, "PX", ttlMs, "NX")) === "OK";
  }

  async acquireRunning(scheduleId: number, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.runningKey(scheduleId), owner, "PX", ttlMs, "NX")) === "OK";
  }

  async refreshRunning(scheduleId: number, owner: string, ttlMs: number): Promise<boolean> {
    return Number(await this.redis.eval(REFRESH, 1, this.runningKey(scheduleId), owner, String(ttlMs))) === 1;
  }

  async releaseRunning(scheduleId: number, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.runningKey(scheduleId), owner);
  }

  /** Who runs the schedule now (owner id), if anyone. */
  async runningBy(scheduleId: number): Promise<string | null> {
    return this.redis.get(this.runningKey(scheduleId));
  }
}

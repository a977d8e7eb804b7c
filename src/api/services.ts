/**
 * What the routes need besides the database: Redis (sessions, workers, queues) and the pipeline of
 * each stand. Pipelines the caller passed in (the demo, tests) are used as they are; others are
 * opened on first use without workers — the server only queues work, worker processes do it.
 */
import { DataSource } from "typeorm";
import { Redis } from "ioredis";
import { STANDS, Stand } from "../../entities/gis-operation";
import { connectRedis } from "../queue/connection";
import { StandQueues } from "../queue/workers";
import { PipelineRuntime, openPipeline } from "../runtime/pipeline-runtime";
import { LoginLimiter, SessionOptions, SessionStore } from "./sessions";

export class Services {
  readonly redis: Redis;
  readonly sessions: SessionStore;
  readonly limiter: LoginLimiter;
  private readonly opened = new Map<Stand, Promise<PipelineRuntime>>();
  private readonly queues = new Map<string, StandQueues>();

  constructor(
    private readonly ds: DataSource,
    private readonly redisUrl: string,
    private readonly given: Partial<Record<Stand, PipelineRuntime>> = {},
    sessionOptions?: SessionOptions,
    loginLimit?: { max: number; windowSeconds: number },
  ) {
    this.redis = connectRedis(redisUrl);
    this.sessions = new SessionStore(this.redis, sessionOptions);
    this.limiter = new LoginLimiter(this.redis, loginLimit?.max, loginLimit?.windowSeconds);
  }

  /** The pipeline of a stand (to start runs, retry operations). */
  runtime(stand: Stand): Promise<PipelineRuntime> {
    const mine = this.given[stand];
    if (mine) return Promise.resolve(mine);
    let p = this.opened.get(stand);
    if (!p) {
      p = openPipeline(this.ds, { stand, redisUrl: this.redisUrl, workers: false });
      p.catch(() => this.opened.delete(stand));
      this.opened.set(stand, p);
    }
    return p;
  }

  /** A stand's queues, for counts and clearing, without opening its exchange. */
  standQueues(stand: Stand): StandQueues {
    const mine = this.given[stand];
    if (mine) return mine.queues;
    let q = this.queues.get(stand);
    if (!q) {
      q = new StandQueues(stand, this.redis);
      this.queues.set(stand, q);
    }
    return q;
  }

  readonly stands = STANDS;

  async close(): Promise<void> {
    for (const p of this.opened.values()) await (await p.catch(() => null))?.close();
    for (const q of this.queues.values()) await q.close();
    this.redis.disconnect();
  }
}

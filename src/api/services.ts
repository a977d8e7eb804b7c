/**
 * What the routes need besides the database: Redis (sessions, workers, queues) and the pipeline of
 * each stand. Pipelines the caller passed in (the demo, tests) are used as they are; others are
 * opened on first use without workers — the server only queues work, worker processes do it.
 * A pipeline that cannot open because of its configuration is answered as 422 naming the setting.
 */
import { DataSource } from "typeorm";
import { Redis } from "ioredis";
import { STANDS, Stand } from "../../entities/gis-operation";
import { LoginLimitOptions, LoginLimiter } from "../auth/login-limiter";
import { redact } from "../log";
import { connectRedis } from "../queue/connection";
import { StandQueues } from "../queue/workers";
import { PipelineRuntime, openPipeline } from "../runtime/pipeline-runtime";
import { ApiError } from "./http";
import { ServerSettings, ServerSettingsOverrides } from "./server-settings";
import { SessionOptions, SessionStore } from "./sessions";
import { describeProblems, signerProblems } from "./signer-check";
import { SignerProbe } from "./signer-probe";

const SETTING_NAME = /\b(signer|transport|exchange|gis|workers|batch)\.[A-Za-z]+\b/;

/** Why a stand's pipeline did not open, for the person who can fix it: the setting, not a stack trace. */
export async function openFailure(ds: DataSource, stand: Stand, e: unknown): Promise<ApiError> {
  if (e instanceof ApiError) return e;
  const err = e as NodeJS.ErrnoException;
  const message = String(redact(err?.message ?? String(e)));
  if (err?.code === "ECONNREFUSED" || /redis/i.test(message))
    return new ApiError(503, "unavailable", `Обмен со стендом ${stand} не открывается: нет связи с Redis (${message})`);
  const problems = SETTING_NAME.test(message) ? [] : await signerProblems(ds).catch(() => []);
  const detail = SETTING_NAME.test(message)
    ? message
    : problems.length
      ? describeProblems(problems)
      : `${message} (проверьте настройки подписи signer.* и соединения transport.*)`;
  return new ApiError(422, "configuration", `Обмен со стендом ${stand} не открывается из-за настройки: ${detail}`);
}

export interface ServicesOptions {
  session?: SessionOptions;
  loginLimit?: Partial<LoginLimitOptions>;
  settings?: ServerSettingsOverrides;
}

export class Services {
  readonly redis: Redis;
  readonly sessions: SessionStore;
  readonly limiter: LoginLimiter;
  readonly settings: ServerSettings;
  readonly signerProbe: SignerProbe;
  private readonly opened = new Map<Stand, Promise<PipelineRuntime>>();
  private readonly queues = new Map<string, StandQueues>();

  constructor(
    readonly ds: DataSource,
    readonly redisUrl: string,
    private readonly given: Partial<Record<Stand, PipelineRuntime>> = {},
    o: ServicesOptions = {},
  ) {
    this.redis = connectRedis(redisUrl);
    this.sessions = new SessionStore(this.redis, o.session);
    this.limiter = new LoginLimiter(this.redis, o.loginLimit);
    this.settings = new ServerSettings(ds, o.settings);
    this.signerProbe = new SignerProbe(ds);
  }

  /** The pipeline of a stand (to start runs, retry operations). */
  runtime(stand: Stand): Promise<PipelineRuntime> {
    const mine = this.given[stand];
    if (mine) return Promise.resolve(mine);
    let p = this.opened.get(stand);
    if (!p) {
      p = openPipeline(this.ds, { stand, redisUrl: this.redisUrl, workers: false }).catch(async (e: unknown) => {
        this.opened.delete(stand);
        throw await openFailure(this.ds, stand, e);
      });
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

  /** The stands whose pipelines this server holds (the demo's in-process workers among them). */
  heldRuntimes(): Array<[Stand, PipelineRuntime]> {
    return Object.entries(this.given).filter((e): e is [Stand, PipelineRuntime] => !!e[1]);
  }

  async close(): Promise<void> {
    for (const p of this.opened.values()) await (await p.catch(() => null))?.close();
    for (const q of this.queues.values()) await q.close();
    this.redis.disconnect();
  }
}

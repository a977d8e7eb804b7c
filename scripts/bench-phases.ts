/**
 * Time spent in each phase of the exchange, per stage, for the pipeline benchmark: build, validate,
 * sign, send (HTTP), parse, apply. Installed by wrapping the module functions the exchange calls
 * (CommonJS exports are looked up at call time), the stage carried by AsyncLocalStorage from the
 * recipe of the operation being advanced. Synchronous phases (build, parse) are CPU time; the
 * others are wall time inside the phase, which with concurrent workers includes waiting.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export const PHASES = ["build", "validate", "sign", "send", "parse", "apply"] as const;
export type Phase = (typeof PHASES)[number];

const als = new AsyncLocalStorage<{ stage: string }>();
const spent = new Map<string, Record<Phase, number>>();

function add(phase: Phase, ms: number): void {
  const stage = als.getStore()?.stage ?? "?";
  const row = spent.get(stage) ?? (Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>);
  row[phase] += ms;
  spent.set(stage, row);
}

function timed<F extends (...a: never[]) => unknown>(phase: Phase, fn: F): F {
  return function (this: unknown, ...args: never[]) {
    const t0 = performance.now();
    const out = fn.apply(this, args);
    if (out instanceof Promise) return out.finally(() => add(phase, performance.now() - t0));
    add(phase, performance.now() - t0);
    return out;
  } as F;
}

type Mod = Record<string, unknown>;
const wrap = (mod: Mod, name: string, phase: Phase) => {
  mod[name] = timed(phase, mod[name] as (...a: never[]) => unknown);
};

export function installPhaseTimers(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const exchange = require("../src/exchange/exchange") as Mod;
  const original = exchange.advance as (
    ctx: unknown,
    opId: string,
    recipeFor: (op: { stage: string | null }) => unknown,
    ...rest: unknown[]
  ) => Promise<unknown>;
  // The arguments after the recipe (the record just read) go through as they are.
  exchange.advance = (ctx: unknown, opId: string, recipeFor: (op: { stage: string | null }) => unknown, ...rest: unknown[]) => {
    const store = { stage: "?" };
    return als.run(store, () =>
      original(
        ctx,
        opId,
        (op) => {
          store.stage = op.stage ?? "?";
          return recipeFor(op);
        },
        ...rest,
      ),
    );
  };
  wrap(require("../src/transport/messages") as Mod, "buildRequest", "build");
  wrap(require("../src/transport/schema/validate") as Mod, "validateRequest", "validate");
  wrap(require("../src/signing/xades") as Mod, "signRequest", "sign");
  wrap(require("../src/transport/results/results") as Mod, "parseResponse", "parse");
  const http = require("../src/transport/http/client") as { GisHttpClient: { prototype: Mod } };
  wrap(http.GisHttpClient.prototype, "post", "send");
  const applying = require("../src/queue/applying") as Mod;
  const apply = applying.applyOperation as (deps: { ds: import("typeorm").DataSource }, opId: string) => Promise<void>;
  applying.applyOperation = async (deps: { ds: import("typeorm").DataSource }, opId: string) => {
    const { GisOperation } = require("../entities") as typeof import("../entities");
    const op = await deps.ds.getRepository(GisOperation).findOne({ where: { id: opId }, select: { id: true, stage: true } });
    const store = { stage: op?.stage ?? "?" };
    return als.run(store, () => timed("apply", apply)(deps as never, opId as never));
  };
}

/** Milliseconds per phase spent for each stage so far (and resets). */
export function takePhaseTimes(): Map<string, Record<Phase, number>> {
  const out = new Map(spent);
  spent.clear();
  return out;
}

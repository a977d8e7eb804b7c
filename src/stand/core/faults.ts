/**
 * Faults on demand, for tests and training: a fraction of requests answered with HTTP 500/502/503,
 * held without an answer (timeout), cut off (connection reset), answered with broken XML or with
 * the SOAP fault EXP001000, or accepted and processed with the Ack lost on the way back (the client
 * must reconcile, not resend). Plus throttling: more requests of one organization in flight than
 * the cap → EXP001000, the answer GIS gives under overload (the client's policy rebuilds and
 * resends later; HTTP 429 would be treated the same way but GIS is not known to send it).
 *
 * Deterministic: one draw of a seeded PRNG per request that is in scope, so the same seed and the
 * same sequence of requests give the same faults.
 */
import { Prng } from "../../generator/prng";

export const FAULT_KINDS = ["http500", "http502", "http503", "timeout", "reset", "malformed", "exp001000", "lostAck"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  /** Fraction of in-scope requests for each fault, 0..1; their sum must not exceed 1. */
  rates?: Partial<Record<FaultKind, number>>;
  /** Which requests may be hit: sends (every operation but getState), getState, or both (default). */
  scope?: "send" | "getState" | "all";
  /** Only these operations (WSDL names; "getState" included) when given. */
  operations?: string[];
  /** At most this many accepted, unfinished requests per organization; more → EXP001000. */
  maxInFlightPerOrg?: number;
  seed?: number;
}

export class FaultPlan {
  private prng: Prng;
  readonly config: Required<Pick<FaultConfig, "rates" | "scope">> & FaultConfig;
  /** How many of each fault were dealt; shared by successive plans so the totals survive a change. */
  constructor(
    config: FaultConfig = {},
    readonly counts: Partial<Record<FaultKind | "throttled", number>> = {},
  ) {
    checkConfig(config);
    this.config = { ...config, rates: { ...(config.rates ?? {}) }, scope: config.scope ?? "all" };
    this.prng = new Prng(config.seed ?? 1);
  }

  /** The fault for this request, if any. lostAck applies to sends only. */
  draw(operation: string): FaultKind | null {
    const isState = operation === "getState";
    const { scope, operations, rates } = this.config;
    if ((scope === "send" && isState) || (scope === "getState" && !isState)) return null;
    if (operations && operations.length > 0 && !operations.includes(operation)) return null;
    if (Object.keys(rates).length === 0) return null;
    let r = this.prng.next();
    for (const kind of FAULT_KINDS) {
      const p = rates[kind] ?? 0;
      if (r < p) {
        if (kind === "lostAck" && isState) return null;
        this.count(kind);
        return kind;
      }
      r -= p;
    }
    return null;
  }

  count(kind: FaultKind | "throttled"): void {
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
}

function checkConfig(c: FaultConfig): void {
  let sum = 0;
  for (const [k, v] of Object.entries(c.rates ?? {})) {
    if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new Error(`сбои стенда: неизвестный вид «${k}» (допустимо: ${FAULT_KINDS.join(", ")})`);
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new Error(`сбои стенда: доля ${k} — число от 0 до 1`);
    sum += v;
  }
  if (sum > 1 + 1e-9) throw new Error(`сбои стенда: сумма долей ${sum} больше 1`);
  if (c.scope && !["send", "getState", "all"].includes(c.scope)) throw new Error("сбои стенда: scope — send, getState или all");
  if (c.maxInFlightPerOrg !== undefined && !(Number.isInteger(c.maxInFlightPerOrg) && c.maxInFlightPerOrg >= 1)) {
    throw new Error("сбои стенда: throttle — целое число ≥ 1");
  }
}

/**
 * The CLI form: comma-separated `kind=rate` pairs plus `scope=send|getState|all`,
 * `ops=op1+op2`, `throttle=N`, e.g. `reset=0.05,http503=0.1,scope=send,throttle=3`.
 */
export function parseFaultSpec(spec: string, seed?: number): FaultConfig {
  const c: FaultConfig = { rates: {}, seed };
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [k, v] = part.split("=").map((s) => s.trim());
    if (v === undefined) throw new Error(`сбои стенда: «${part}» — ожидается вид=доля`);
    if (k === "scope") c.scope = v as FaultConfig["scope"];
    else if (k === "ops") c.operations = v.split("+").filter(Boolean);
    else if (k === "throttle") c.maxInFlightPerOrg = Number(v);
    else c.rates![k as FaultKind] = Number(v);
  }
  checkConfig(c);
  return c;
}

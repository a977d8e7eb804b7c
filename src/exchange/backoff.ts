/**
 * When to ask getState next. GIS's own advice (first poll after 10 s, then 60, 300, 900 s, then
 * every 1800 s) is written for clients that know nothing about a request; most answers of a
 * small request are ready within a second or two. So the default table starts short and backs
 * off to GIS's long tail (1s, 2s, 5s, 10s, 30s, 1m, 5m, 15m, 30m), and once the archive shows how
 * long a method usually takes for a batch of that size (processing-times.ts), the first polls are
 * moved near that expected finish instead of asking again and again before it. An operation waits
 * at most `maxWaitMs` in all; an export that runs out may be started again, an import is reconciled
 * (see error-policy.ts).
 */
export interface PollSchedule {
  /** Delay before poll n (0-based); the last value repeats. */
  delaysMs: number[];
  /** Used instead while RequestState is 2, if set. */
  processingDelayMs: number | null;
  /** Total waiting budget from the Ack. */
  maxWaitMs: number;
  /** Poll near the expected finish learned from earlier operations of the method (setting exchange.learnPollTimes). */
  learn?: boolean;
  /** getState requests per second and service this process sends at most (setting exchange.maxPollsPerSecond); 0: no cap. */
  maxPollsPerSecond?: number;
}

/** GIS's published advice, kept for installations that want it (set exchange.pollDelays to 10s,60s,5m,15m,30m). */
export const GIS_ADVISED_SCHEDULE: PollSchedule = {
  delaysMs: [10_000, 60_000, 300_000, 900_000, 1_800_000],
  processingDelayMs: null,
  maxWaitMs: 24 * 3_600_000,
};

/** The default: short first polls for small requests, GIS's long tail for what is really slow. */
export const DEFAULT_POLL_DELAYS = "1s,2s,5s,10s,30s,1m,5m,15m,30m";

/** The share of the expected processing time at which the first poll goes: early enough that the estimate can shrink when GIS speeds up. */
const EXPECTED_SHARE = 0.8;

/** A learned estimate never puts a poll off by more than this: beyond it GIS's long tail (the table) is as good a guess. */
const MAX_LEARNED_DELAY_MS = 5 * 60_000;

/** When the table alone (from the Ack, no estimate) would poll first at or after `ms`. */
function tableTimeAfter(delaysMs: number[], ms: number): number {
  let at = 0;
  for (let i = 0; at < ms; i++) at += delaysMs[Math.min(i, delaysMs.length - 1)];
  return at;
}

/**
 * Milliseconds until the next poll, or null when the waiting budget is spent. `expectedMs` is the
 * learned processing time of this method and batch size (null: unknown): while the operation has
 * waited less than that, the poll is put off until near it (never beyond what the table gives for
 * the first poll after it, so a wrong estimate costs at most one table step).
 */
export function nextPollDelay(s: PollSchedule, polls: number, lastState: 1 | 2 | 3 | null, waitedMs: number, expectedMs: number | null = null): number | null {
  let base = lastState === 2 && s.processingDelayMs !== null ? s.processingDelayMs : s.delaysMs[Math.min(polls, s.delaysMs.length - 1)];
  if (expectedMs !== null && s.learn !== false) {
    const target = Math.min(expectedMs * EXPECTED_SHARE - waitedMs, tableTimeAfter(s.delaysMs, expectedMs) - waitedMs, MAX_LEARNED_DELAY_MS);
    if (target > base) base = Math.round(target);
  }
  if (waitedMs + base > s.maxWaitMs) return null;
  return base;
}

/** Parses "10s,60s,5m,15m,30m" (the settings form) into milliseconds. */
export function parseDelays(text: string): number[] {
  const out = text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = /^(\d+)(ms|s|m|h)$/.exec(t);
      if (!m) throw new Error(`«${t}»: ожидается число с единицей ms, s, m или h`);
      return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
    });
  if (out.length === 0) throw new Error("пустой список задержек");
  return out;
}

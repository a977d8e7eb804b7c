/**
 * When to ask getState next. GIS's advice: the first poll no sooner than 10 s after the Ack, then
 * 60, 300, 900 s, then every 1800 s. While GIS says "in processing" (RequestState 2) a short fixed
 * delay may be used for small requests. An operation waits at most `maxWaitMs` in all; an export
 * that runs out may be started again, an import is reconciled (see error-policy.ts).
 */
export interface PollSchedule {
  /** Delay before poll n (0-based); the last value repeats. */
  delaysMs: number[];
  /** Used instead while RequestState is 2, if set. */
  processingDelayMs: number | null;
  /** Total waiting budget from the Ack. */
  maxWaitMs: number;
}

export const GIS_ADVISED_SCHEDULE: PollSchedule = {
  delaysMs: [10_000, 60_000, 300_000, 900_000, 1_800_000],
  processingDelayMs: null,
  maxWaitMs: 24 * 3_600_000,
};

/** Milliseconds until the next poll, or null when the waiting budget is spent. */
export function nextPollDelay(s: PollSchedule, polls: number, lastState: 1 | 2 | 3 | null, waitedMs: number): number | null {
  const base = lastState === 2 && s.processingDelayMs !== null ? s.processingDelayMs : s.delaysMs[Math.min(polls, s.delaysMs.length - 1)];
  if (waitedMs + base > s.maxWaitMs) return null;
  return base;
}

/** Parses "10s,60s,5m,15m,30m" (the settings form) into milliseconds. */
export function parseDelays(text: string): number[] {
  const out = text.split(",").map((t) => t.trim()).filter(Boolean).map((t) => {
    const m = /^(\d+)(ms|s|m|h)$/.exec(t);
    if (!m) throw new Error(`«${t}»: ожидается число с единицей ms, s, m или h`);
    return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  });
  if (out.length === 0) throw new Error("пустой список задержек");
  return out;
}

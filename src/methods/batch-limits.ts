/**
 * The largest value a batch setting (batch.accounts, batch.paymentNotices…) may take: the smallest
 * XSD maxOccurs of the methods that read it — the settings screen and `settings set` show and
 * enforce the real maximum instead of clamping silently at send time. Computed from the method
 * modules on first use.
 */
import { allMethods } from "./registry";

let maxima: Map<string, number> | null = null;

export function batchMaximum(settingKey: string): number | null {
  if (!maxima) {
    maxima = new Map();
    for (const m of allMethods()) {
      const key = m.descriptor?.batchSetting;
      const max = m.batch?.max;
      if (!key || max === undefined) continue;
      maxima.set(key, Math.min(maxima.get(key) ?? Infinity, max));
    }
  }
  return maxima.get(settingKey) ?? null;
}

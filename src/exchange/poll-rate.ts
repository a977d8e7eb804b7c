/**
 * A cap on getState requests per second and service, for this process: a token bucket per
 * service, so a burst of due polls (a restart after an outage, thousands of small operations)
 * does not hammer GIS — which refuses clients that poll too often. Several worker processes
 * each keep their own cap; set it per process accordingly.
 */
const buckets = new Map<string, { tokens: number; at: number }>();

/** Waits until a getState to `service` may go under a cap of `perSecond` (0 or less: no cap). */
export async function takePollSlot(service: string, perSecond: number): Promise<void> {
  if (!(perSecond > 0)) return;
  for (;;) {
    const now = Date.now();
    const b = buckets.get(service) ?? { tokens: perSecond, at: now };
    b.tokens = Math.min(perSecond, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      buckets.set(service, b);
      return;
    }
    buckets.set(service, b);
    await new Promise((r) => setTimeout(r, Math.ceil(((1 - b.tokens) / perSecond) * 1000)));
  }
}

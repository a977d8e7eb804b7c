/**
 * How long GIS takes to process a method's request of a given size, learned from the operations
 * it answered before (gis_operation: sentAt = the Ack, answeredAt = the final answer). Our own
 * polling makes each figure an upper bound; polling at a share of it (backoff.ts) lets the
 * estimate shrink when GIS is faster. Figures are read per process at most once a minute per
 * method, so the poll path costs one small query now and then.
 */
import { DataSource, EntityManager, In, IsNull, Not } from "typeorm";
import { GisOperation } from "../../entities";

interface Sample {
  items: number;
  ms: number;
}

const REFRESH_MS = 60_000;
const SAMPLES = 30;

const caches = new WeakMap<object, Map<string, { at: number; samples: Sample[] }>>();

async function samples(db: DataSource | EntityManager, method: string, stand: string): Promise<Sample[]> {
  const key = `${stand}:${method}`;
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < REFRESH_MS) return hit.samples;
  const rows = await db.getRepository(GisOperation).find({
    select: { itemCount: true, sentAt: true, answeredAt: true },
    where: { method, stand: stand as GisOperation["stand"], state: In(["done", "done_with_errors"]), sentAt: Not(IsNull()), answeredAt: Not(IsNull()) },
    order: { answeredAt: "DESC" },
    take: SAMPLES,
  });
  const list = rows.map((r) => ({ items: Math.max(1, r.itemCount), ms: r.answeredAt!.getTime() - r.sentAt!.getTime() })).filter((s) => s.ms >= 0);
  cache.set(key, { at: Date.now(), samples: list });
  return list;
}

/**
 * The expected processing time of `method` for a batch of `items` objects, or null when the
 * archive has no answer of it yet: the lower quartile of batches of a similar size (half to
 * double), else the lower quartile of the time per object scaled to this batch. Not the mean: an
 * operation whose answer was held up by faults, resends or a client that was down (answeredAt
 * then measures our trouble, not GIS's work) would move every later first poll out by minutes;
 * and an estimate on the early side costs a poll, one on the late side costs the wait.
 */
export async function expectedProcessingMs(db: DataSource | EntityManager, method: string, stand: string, items: number): Promise<number | null> {
  const list = await samples(db, method, stand);
  if (list.length === 0) return null;
  const n = Math.max(1, items);
  const similar = list.filter((s) => s.items >= n / 2 && s.items <= n * 2);
  if (similar.length > 0) return lowerQuartile(similar.map((s) => s.ms));
  return lowerQuartile(list.map((s) => s.ms / s.items)) * n;
}

/** The value a quarter of the way up the sorted list (the only value of a list of one). */
function lowerQuartile(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 4)];
}

/** Forgets what was learned (tests; a changed stand). */
export function forgetProcessingTimes(db: DataSource | EntityManager): void {
  caches.delete(db);
}

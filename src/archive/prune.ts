/**
 * Retention: the archive keeps messages for N days and at most M entries (the manual's 30 days /
 * 10,000 records by default). Whole operations go together, oldest first; the checkpoint records
 * where the surviving chain starts so `verify` still proves everything that is left.
 */
import { DataSource, LessThan } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { writeCheckpoint } from "./checkpoint";

export interface PruneResult {
  deleted: number;
  keptFromId: number | null;
}

export async function pruneArchive(ds: DataSource, opts: { days: number; maxRecords: number; now?: Date }): Promise<PruneResult> {
  const now = opts.now ?? new Date();
  const repo = ds.getRepository(ArchiveEntry);
  const cutoff = new Date(now.getTime() - opts.days * 86_400_000);
  // The first id to keep: the later of "newer than the cutoff" and "within the last maxRecords".
  const [firstRecent] = await repo.find({ where: { createdAt: LessThan(cutoff) }, order: { id: "DESC" }, take: 1, select: { id: true } });
  const total = await repo.count();
  let keepFrom = firstRecent ? firstRecent.id + 1 : 0;
  if (total > opts.maxRecords) {
    const [nth] = await repo.find({ order: { id: "DESC" }, skip: opts.maxRecords - 1, take: 1, select: { id: true } });
    if (nth) keepFrom = Math.max(keepFrom, nth.id);
  }
  if (keepFrom === 0) return { deleted: 0, keptFromId: null };
  return ds.transaction(async (em) => {
    const r = em.getRepository(ArchiveEntry);
    // An operation is kept whole: move the boundary back to the start of a straddling operation.
    const [boundary] = await r.find({ where: { id: LessThan(keepFrom) }, order: { id: "DESC" }, take: 1 });
    let from = keepFrom;
    if (boundary) {
      const [firstOfOp] = await r.find({ where: { operationId: boundary.operationId }, order: { id: "ASC" }, take: 1, select: { id: true } });
      const [next] = await r.find({ where: { id: keepFrom }, select: { id: true, operationId: true } });
      if (next && next.operationId === boundary.operationId) from = firstOfOp.id;
    }
    const [lastDeleted] = await r.find({ where: { id: LessThan(from) }, order: { id: "DESC" }, take: 1, select: { id: true, hash: true } });
    if (!lastDeleted) return { deleted: 0, keptFromId: null };
    // The surviving chain starts from the last deleted entry's hash, whether or not anything survives.
    await writeCheckpoint(em, { fromId: lastDeleted.id + 1, prevHash: lastDeleted.hash, prunedAt: now.toISOString() });
    const res = await r.delete({ id: LessThan(from) });
    return { deleted: res.affected ?? 0, keptFromId: from };
  });
}

/**
 * The per-run cap on requests in flight (setting pipeline.maxInFlight): an operation of a run is
 * sent only while fewer than the cap of the run's other operations are on their way (being sent,
 * waiting for GIS, or answered and not yet applied). One over the cap waits: its nextPollAt is
 * stamped (so its next send job has a new id) and it is released when an operation of the run is
 * applied — or by the recovery sweep, which re-queues every open operation. With one send worker
 * and a cap of 1 the run is strictly sequential: one request, its answer applied, then the next.
 */
import { GisOperation } from "../../entities/gis-operation";
import { PipelineRun } from "../../entities/pipeline-run";
import { FINAL_STATES, RECONCILE_TRIGGER } from "../exchange/operation-store";
import { PipelineDeps } from "./deps";
import { jobKey } from "./scheduling";
import { getSetting } from "../settings/settings";

const MOVING = ["validated", "signed", "sent", "processing", "reconciling"];

async function capOf(deps: PipelineDeps, organizationId: number | null): Promise<number> {
  if (organizationId === null) return 0;
  const v = Number((await getSetting<number>(deps.ds, "pipeline.maxInFlight")) ?? 0);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/** The run's operations on their way, besides `except`. */
export async function inFlight(deps: PipelineDeps, runId: string, except?: string): Promise<number> {
  const qb = deps.ds
    .getRepository(GisOperation)
    .createQueryBuilder("o")
    .where("o.runId = :runId", { runId })
    .andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER })
    .andWhere("(o.state IN (:...moving) OR (o.state IN (:...final) AND o.appliedAt IS NULL))", { moving: MOVING, final: FINAL_STATES });
  if (except) qb.andWhere("o.id <> :except", { except });
  return qb.getCount();
}

/**
 * Whether an operation about to be sent must wait for the run's cap; if so it is stamped as waiting.
 * Only a fresh operation waits (one already validated or signed is finished first).
 */
export async function mustWait(deps: PipelineDeps, op: GisOperation): Promise<boolean> {
  if (!op.runId || op.state !== "created") return false;
  const cap = await capOf(deps, op.organizationId);
  if (cap === 0 || (await inFlight(deps, op.runId, op.id)) < cap) return false;
  await deps.ds
    .getRepository(GisOperation)
    .createQueryBuilder()
    .update()
    .set({ nextPollAt: new Date() })
    .where("id = :id AND state = 'created'", { id: op.id })
    .execute();
  // The last one on its way may have been applied meanwhile (its release missed this one): go now.
  return (await inFlight(deps, op.runId, op.id)) >= cap;
}

/** Operations of the run waiting for the cap are queued again, as many as there is room for (oldest first). */
export async function releaseWaiting(deps: PipelineDeps, run: PipelineRun): Promise<void> {
  const { ds } = deps;
  const cap = await capOf(deps, run.organizationId);
  if (cap === 0) return;
  const waiting = await ds
    .getRepository(GisOperation)
    .createQueryBuilder("o")
    .where("o.runId = :runId AND o.state = 'created' AND o.nextPollAt IS NOT NULL AND o.nextPollAt <= :now", { runId: run.id, now: new Date() })
    .orderBy("o.createdAt", "ASC")
    .addOrderBy("o.id", "ASC")
    .take(cap)
    .getMany();
  if (waiting.length === 0) return;
  const room = cap - (await inFlight(deps, run.id));
  for (const op of waiting.slice(0, Math.max(0, room))) await deps.queue.send(op.id, 0, jobKey(op));
}

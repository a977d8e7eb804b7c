/**
 * Moving operations along: the next due step of an operation (exchange.ts does it), then the job
 * its new state calls for — a send, a delayed poll on the backoff table, or the apply of a final
 * answer. The recovery sweep uses the same `schedule` for every operation it finds open.
 */
import { GisOperation, OperationState } from "../../entities/gis-operation";
import { advance } from "../exchange/exchange";
import { FINAL_STATES, RECONCILE_TRIGGER, transition } from "../exchange/operation-store";
import { PipelineDeps } from "./deps";
import { NotInDatabase } from "./job-errors";
import { recipeOf } from "./recipe";
import { stageContext } from "./stage-context";
import { mustWait } from "./in-flight";

/** The next due step of an operation, then the job that follows from its new state. */
export async function advanceOperation(deps: PipelineDeps, opId: string): Promise<OperationState> {
  const op = await deps.ds.getRepository(GisOperation).findOneBy({ id: opId });
  if (!op) throw new NotInDatabase(`Операция ${opId}`);
  // A reconciling export is driven by its import (it has the export's recipe); never on its own.
  if (isReconcileChild(op)) return advanceOperation(deps, op.parentId);
  if (FINAL_STATES.includes(op.state)) return schedule(deps, opId);
  // Over the run's cap on requests in flight: it waits to be released (in-flight.ts).
  const created = op.state === "created";
  if (await mustWait(deps, op)) return op.state;
  const ctx = await deps.exchangeFor(op.organizationId);
  const read = () => stageContext(deps.ds, op.organizationId!, op.stand);
  // A getState builds nothing: the stage context (organization, settings) is read only if a step needs it.
  // The record just read goes on to the step, unless mustWait stamped it (a created one: read again).
  await advance(
    ctx,
    op.id,
    async (o) => recipeOf(deps.ds, deps.source, o.method, o.state === "sent" || o.state === "processing" ? read : await read()),
    created ? undefined : op,
  );
  return schedule(deps, opId);
}

/**
 * A step of an operation that kept throwing (not a GIS or network failure: those the exchange
 * handles) after its job's attempts: the operation fails with a named error instead of being
 * retried for ever, and its apply moves the run on.
 */
export async function advanceFailed(deps: PipelineDeps, opId: string, error: unknown): Promise<void> {
  const op = await deps.ds.getRepository(GisOperation).findOneBy({ id: opId });
  if (!op) throw new NotInDatabase(`Операция ${opId}`);
  const target = isReconcileChild(op) ? op.parentId : op.id;
  const current = target === op.id ? op : await deps.ds.getRepository(GisOperation).findOneByOrFail({ id: target });
  if (!FINAL_STATES.includes(current.state)) {
    const text = `Шаг операции не выполнен после нескольких попыток: ${(error as Error).message ?? String(error)}`.slice(0, 2000);
    await transition(deps.ds, current.id, [current.state], "failed", { errorCode: "INTERNAL", errorText: text });
  }
  await schedule(deps, current.id);
}

/** Queues the job an operation's state calls for (also what the recovery sweep uses). */
export async function schedule(deps: PipelineDeps, opId: string): Promise<OperationState> {
  const { ds, queue } = deps;
  const op = await ds.getRepository(GisOperation).findOneByOrFail({ id: opId });
  if (isReconcileChild(op)) return scheduleReconcileChild(deps, op);
  const due = (at: Date | null) => Math.max(0, (at?.getTime() ?? 0) - Date.now());
  if (FINAL_STATES.includes(op.state)) {
    if (!op.appliedAt && op.trigger !== RECONCILE_TRIGGER) await queue.apply(opId);
  } else if (op.state === "created" || op.state === "validated" || op.state === "signed") {
    await queue.send(opId, due(op.nextPollAt), jobKey(op));
  } else if (op.state === "sent" || op.state === "processing") {
    await queue.poll(opId, due(op.nextPollAt), jobKey(op));
  } else if (op.state === "reconciling") {
    const child = await ds.getRepository(GisOperation).findOne({ where: { parentId: opId, trigger: RECONCILE_TRIGGER }, order: { createdAt: "DESC" } });
    await queue.poll(opId, due(child?.nextPollAt ?? null), `${jobKey(op)}.${child ? jobKey(child) : "none"}`);
  }
  return op.state;
}

/** The job for a reconciling export is its import's; an export left open by an import that ended is cancelled. */
async function scheduleReconcileChild(deps: PipelineDeps, child: GisOperation & { parentId: string }): Promise<OperationState> {
  const { ds } = deps;
  const parent = await ds.getRepository(GisOperation).findOneBy({ id: child.parentId });
  if (parent && !FINAL_STATES.includes(parent.state)) return schedule(deps, parent.id);
  if (!FINAL_STATES.includes(child.state)) {
    await transition(ds, child.id, [child.state], "cancelled", { errorText: "Проверочная выгрузка не нужна: основная операция завершена" });
  }
  return (await ds.getRepository(GisOperation).findOneByOrFail({ id: child.id })).state;
}

export function isReconcileChild(op: GisOperation): op is GisOperation & { parentId: string } {
  return op.trigger === RECONCILE_TRIGGER && !!op.parentId;
}

/** Changes whenever the operation moves or is rescheduled, so a job re-queued from inside itself is not lost to deduplication. */
export function jobKey(op: GisOperation): string {
  return `${op.id}.${op.state}.a${op.attempts}.p${op.polls}.t${op.nextPollAt?.getTime() ?? 0}`;
}

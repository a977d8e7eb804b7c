/**
 * A run's life: started with its first step queued; moved to its next step (by a conditional
 * update of pipeline_run.step, so exactly once) when every operation of its step is final and
 * applied — the house-level steps lane by lane (lanes.ts); finished with a state that says
 * whether any object ended in error.
 */
import crypto from "node:crypto";
import { In, IsNull, Not } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { MessageLog } from "../../entities/message-log";
import { PipelineRun } from "../../entities/pipeline-run";
import { FINAL_STATES, RECONCILE_TRIGGER } from "../exchange/operation-store";
import { log } from "../log";
import { MethodDescriptor, Mode, OBJECT_ACTIONS, ObjectAction, Scope, StageName } from "../stages/descriptor";
import { Stand } from "../../entities/gis-operation";
import { PipelineDeps } from "./deps";
import { PlanStep, planOf } from "./plan";
import { checkLanes, hasLanes, laneRange } from "./lanes";
import { releaseWaiting } from "./in-flight";

export interface RunRequest {
  stand: Stand;
  organizationId: number;
  stages: StageName[];
  mode: Mode;
  scope?: Omit<Scope, "organizationId">;
  author?: string | null;
  trigger?: string | null;
}

export function runPlan(deps: PipelineDeps, run: Pick<PipelineRun, "stages" | "mode"> & Partial<Pick<PipelineRun, "scope">>): PlanStep[] {
  return planOf(deps.source, run.stages.split(",") as StageName[], run.mode, runAction(run));
}

/** The object action a run was started for (a card's or a list's menu), if any. */
export function runAction(run: Partial<Pick<PipelineRun, "scope">>): ObjectAction | undefined {
  if (!run.scope) return undefined;
  const a = (JSON.parse(run.scope) as { action?: string }).action;
  return a && (OBJECT_ACTIONS as readonly string[]).includes(a) ? (a as ObjectAction) : undefined;
}

export async function startRun(deps: PipelineDeps, r: RunRequest): Promise<PipelineRun> {
  const run = deps.ds.getRepository(PipelineRun).create({
    id: crypto.randomUUID(),
    stand: r.stand,
    organizationId: r.organizationId,
    stages: r.stages.join(","),
    mode: r.mode,
    scope: r.scope && Object.keys(r.scope).length ? JSON.stringify(r.scope) : null,
    state: "running",
    step: 0,
    preparedStep: -1,
    author: r.author ?? null,
    trigger: r.trigger ?? null,
    startedAt: new Date(),
    finishedAt: null,
    errorText: null,
  });
  await deps.ds.getRepository(PipelineRun).insert(run);
  await deps.queue.prepare(run.id, 0);
  return run;
}

/**
 * When every operation of the run's current step is final and applied, the run moves on (once).
 * While the run's houses go in lanes, the lanes are checked instead (`lane`: the one that moved).
 * `justRead`: the run's record, when the caller has just read it (not read again).
 */
export async function checkStep(deps: PipelineDeps, runId: string, step: number, lane?: number | null, justRead?: PipelineRun): Promise<void> {
  const { ds } = deps;
  const run = justRead?.id === runId ? justRead : await ds.getRepository(PipelineRun).findOneBy({ id: runId });
  if (run?.state !== "running" || run.step !== step) return;
  await releaseWaiting(deps, run);
  const plan = runPlan(deps, run);
  const range = laneRange(plan, run);
  if (range && step === range.start && (await hasLanes(deps, runId))) return checkLanes(deps, run, plan, range, lane);
  const planned = plan[step];
  if (planned) {
    if (run.preparedStep < step) return;
    const open = await ds.getRepository(GisOperation).count({
      where: [
        { runId, method: planned.method, state: Not(In(FINAL_STATES)) },
        // Final but not applied yet (reconciling exports are applied through their parent).
        { runId, method: planned.method, appliedAt: IsNull(), trigger: IsNull() },
        { runId, method: planned.method, appliedAt: IsNull(), trigger: Not(RECONCILE_TRIGGER) },
      ],
    });
    if (open > 0) return;
  }
  const moved = await ds
    .getRepository(PipelineRun)
    .createQueryBuilder()
    .update()
    .set({ step: step + 1 })
    .where({ id: runId, step, state: "running" })
    .execute();
  if ((moved.affected ?? 0) !== 1) return;
  if (step + 1 < plan.length) await deps.queue.prepare(runId, step + 1);
  else await finishRun(deps, { ...run, step: step + 1 });
}

/** A run that cannot go on: it ends failed with the reason (operations already made finish on their own). */
export async function failRun(deps: PipelineDeps, run: Pick<PipelineRun, "id">, text: string): Promise<boolean> {
  const res = await deps.ds.getRepository(PipelineRun).update({ id: run.id, state: "running" }, { state: "failed", finishedAt: new Date(), errorText: text });
  if ((res.affected ?? 0) !== 1) return false;
  log.error(`запуск ${run.id}: ${text}`);
  await deps.queue.finished?.(run.id);
  return true;
}

/** One journal line about a whole step of a run (counted as an error in its summary). */
export async function journalRun(
  deps: PipelineDeps,
  run: PipelineRun,
  d: Pick<MethodDescriptor, "stage" | "method">,
  code: string,
  text: string,
): Promise<void> {
  await deps.ds.getRepository(MessageLog).insert({
    createdAt: new Date(),
    level: "error",
    group: d.stage,
    subgroup: d.method,
    author: run.author,
    text,
    objectType: null,
    objectId: null,
    operationId: null,
    runId: run.id,
    code: code.slice(0, 20),
  });
}

export async function finishRun(deps: PipelineDeps, run: PipelineRun): Promise<void> {
  const { ds } = deps;
  const errors = await ds
    .getRepository(GisOperationItem)
    .createQueryBuilder("i")
    .innerJoin(GisOperation, "o", "o.id = i.operationId")
    .where("o.runId = :id", { id: run.id })
    .andWhere("i.outcome IN (:...bad)", { bad: ["error", "pending"] })
    .andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER })
    .getCount();
  const rejected = await ds.getRepository(MessageLog).countBy({ runId: run.id, level: "error" });
  const state = errors + rejected > 0 ? "done_with_errors" : "done";
  await ds.getRepository(PipelineRun).update({ id: run.id, state: "running" }, { state, finishedAt: new Date() });
  await deps.queue.finished?.(run.id);
}

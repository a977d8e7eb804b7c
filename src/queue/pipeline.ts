/**
 * The pipeline's steps, free of any queue library: start a run, prepare one plan step into
 * operations, advance an operation, apply a final answer, move the run on. Each step reads what it
 * needs from the database and leaves everything there, so any worker can run any of them, again if
 * it was interrupted, without sending or applying anything twice:
 *  - objects already carried by an operation of the same run and method are not batched again (batching.ts);
 *  - operations move by conditional updates (exchange/operation-store.ts, scheduling.ts);
 *  - an answer is applied once (gis_operation.appliedAt is claimed in the applying transaction, applying.ts);
 *  - a run moves to its next step by a conditional update of pipeline_run.step (run-lifecycle.ts).
 * This class only holds what they share.
 */
import { DataSource } from "typeorm";
import { OperationState } from "../../entities/gis-operation";
import { PipelineRun } from "../../entities/pipeline-run";
import { ExchangeContext, RequestRecipe } from "../exchange/exchange";
import { StageContext } from "../stages/descriptor";
import { applyFailed, applyOperation } from "./applying";
import { prepareStep } from "./batching";
import { Enqueuer, PipelineDeps } from "./deps";
import { DescriptorSource, PlanStep } from "./plan";
import { recipeOf } from "./recipe";
import { RunRequest, checkStep, failRun, runPlan, startRun } from "./run-lifecycle";
import { advanceFailed, advanceOperation, schedule } from "./scheduling";
import { RunProgress, runProgress } from "./progress";
import { OrganizationChoice, chosenOrganizations, startRuns } from "./run-group";
import { StandHealth } from "./stand-health";
import { endIfUnreachable } from "./unreachable";

export type { Enqueuer } from "./deps";
export type { RunRequest } from "./run-lifecycle";
export type { OrganizationChoice } from "./run-group";
export { serviceOf } from "./recipe";

export class Pipeline {
  private readonly deps: PipelineDeps;

  constructor(
    ds: DataSource,
    source: DescriptorSource,
    /** The exchange for an organization (its orgPPAGUID in the header). */
    exchangeFor: (organizationId: number | null) => Promise<ExchangeContext>,
    queue: Enqueuer,
  ) {
    this.deps = { ds, source, exchangeFor, queue };
  }

  plan(run: Pick<PipelineRun, "stages" | "mode">): PlanStep[] {
    return runPlan(this.deps, run);
  }

  startRun(r: RunRequest): Promise<PipelineRun> {
    return startRun(this.deps, r);
  }

  /** One run per organization (a list, or all of ours); one whose signer cannot be opened ends failed at once, the others go on. */
  startRuns(r: Omit<RunRequest, "organizationId">, organizationIds: number[]): Promise<PipelineRun[]> {
    return startRuns(this.deps, r, organizationIds);
  }

  /** The organizations a choice names (ids, or "all" of ours), each checked to exist. */
  organizations(choice: OrganizationChoice) {
    return chosenOrganizations(this.deps, choice);
  }

  /** Selects, checks and batches the objects of one plan step into operations, and queues them for sending. */
  prepareStep(runId: string, step: number): Promise<void> {
    return prepareStep(this.deps, runId, step);
  }

  /** The next due step of an operation, then the job that follows from its new state. */
  advanceOperation(opId: string): Promise<OperationState> {
    return advanceOperation(this.deps, opId);
  }

  /** Queues the job an operation's state calls for (also what the recovery sweep uses). */
  schedule(opId: string): Promise<OperationState> {
    return schedule(this.deps, opId);
  }

  /** Writes a final operation's outcome onto the model, once; then checks whether the run's step is complete. */
  applyOperation(opId: string): Promise<void> {
    return applyOperation(this.deps, opId);
  }

  /** Applying kept failing: the operation's objects get the named error APPLY and the step moves on. */
  applyFailed(opId: string, error: unknown): Promise<void> {
    return applyFailed(this.deps, opId, error);
  }

  /** A send or poll kept throwing: the operation fails with the named error INTERNAL. */
  advanceFailed(opId: string, error: unknown): Promise<void> {
    return advanceFailed(this.deps, opId, error);
  }

  /** A run that cannot go on ends failed with the reason. */
  failRun(runId: string, text: string): Promise<boolean> {
    return failRun(this.deps, { id: runId }, text);
  }

  /** Ends the run if its stand has answered nothing for `limitMs` (see unreachable.ts). */
  endIfUnreachable(runId: string, health: StandHealth, limitMs: number): Promise<boolean> {
    return endIfUnreachable(this.deps, runId, health, limitMs);
  }

  /** Where a run is: step, operations in flight, next poll, the stand's failures. */
  progress(runId: string, health?: StandHealth): Promise<RunProgress> {
    return runProgress(this.deps, runId, health);
  }

  /** When every operation of the run's current step is final and applied, the run moves on (once). */
  checkStep(runId: string, step: number): Promise<void> {
    return checkStep(this.deps, runId, step);
  }

  /** The exchange recipe of a method: rebuilt from the model on every (re)send. */
  recipe(method: string, sctx: StageContext): RequestRecipe {
    return recipeOf(this.deps.ds, this.deps.source, method, sctx);
  }
}

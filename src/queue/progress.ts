/** Where a run is while it waits on GIS: its step, its operations in flight, the next poll, the stand's failures. */
import { In, Not } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { PipelineRun } from "../../entities/pipeline-run";
import { FINAL_STATES, RECONCILE_TRIGGER } from "../exchange/operation-store";
import { PipelineDeps } from "./deps";
import { runPlan } from "./run-lifecycle";
import { laneProgress } from "./lanes";
import { StandFailure, StandHealth } from "./stand-health";

export interface RunProgress {
  runId: string;
  state: string;
  step: number;
  steps: number;
  stage: string | null;
  method: string | null;
  /** Operations of the run not final yet, by state. */
  inFlight: Record<string, number>;
  /** Milliseconds to the earliest due poll or resend, if one is waiting. */
  nextInMs: number | null;
  streak: StandFailure | null;
  /** Live worker processes of the run's stand, when counted (none: nothing will move). */
  workers?: number;
  /** While the run's houses go in lanes: how many lanes, how many passed the house-level steps, how many are at each step. */
  lanes?: { total: number; done: number; atStep: Record<string, number> } | null;
}

export async function runProgress(deps: PipelineDeps, runId: string, health?: StandHealth, now = Date.now()): Promise<RunProgress> {
  const run = await deps.ds.getRepository(PipelineRun).findOneByOrFail({ id: runId });
  const plan = runPlan(deps, run);
  const ops = await deps.ds.getRepository(GisOperation).find({
    where: { runId, state: Not(In(FINAL_STATES)) },
    select: { id: true, state: true, trigger: true, nextPollAt: true },
  });
  const inFlight: Record<string, number> = {};
  let next: number | null = null;
  for (const o of ops) {
    const key = o.trigger === RECONCILE_TRIGGER ? "reconcile" : o.state;
    inFlight[key] = (inFlight[key] ?? 0) + 1;
    const at = o.nextPollAt?.getTime();
    if (at !== undefined && at > now && (next === null || at - now < next)) next = at - now;
  }
  return {
    runId,
    state: run.state,
    step: run.step,
    steps: plan.length,
    stage: plan[run.step]?.stage ?? null,
    method: plan[run.step]?.method ?? null,
    inFlight,
    nextInMs: next,
    streak: health ? await health.streak() : null,
    lanes: await laneProgress(deps, runId, plan),
  };
}

const STATE_WORDS: Record<string, string> = {
  created: "готовятся",
  validated: "проверены",
  signed: "к отправке",
  sent: "отправлены",
  processing: "обрабатываются ГИС",
  reconciling: "сверяются",
  reconcile: "проверочных выгрузок",
};

/** One line for the operator: "шаг 3/20 accounts / importAccountData: в работе 4 (отправлены 1, обрабатываются ГИС 3); следующий опрос через 8 с". */
export function formatProgress(p: RunProgress, now = Date.now()): string {
  const total = Object.values(p.inFlight).reduce((a, b) => a + b, 0);
  const parts = Object.entries(p.inFlight)
    .map(([s, n]) => `${STATE_WORDS[s] ?? s} ${n}`)
    .join(", ");
  let line = `  шаг ${Math.min(p.step + 1, p.steps)}/${p.steps} ${p.stage ?? ""} / ${p.method ?? "завершение"}: в работе операций ${total}${parts ? ` (${parts})` : ""}`;
  if (p.lanes && p.lanes.done < p.lanes.total) {
    const at = Object.entries(p.lanes.atStep)
      .map(([s, n]) => `${s} ${n}`)
      .join(", ");
    line += `; группы домов: ${p.lanes.done} из ${p.lanes.total} прошли этапы домов${at ? ` (${at})` : ""}`;
  }
  if (p.nextInMs !== null) line += `; следующий запрос через ${Math.ceil(p.nextInMs / 1000)} с`;
  if (p.workers === 0) line += `; обработчиков стенда нет — запустите gis-sync worker (или sync --inline)`;
  if (p.streak && p.streak.lastFailureAt >= now - 10 * 60_000) {
    line += `; стенд не отвечает ${Math.round((now - p.streak.firstFailureAt) / 1000)} с (${p.streak.failures} попыток, ${p.streak.lastError.slice(0, 120)})`;
  }
  return line;
}

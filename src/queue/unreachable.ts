/**
 * A run whose stand answers nothing ends instead of waiting in silence: once the stand's failure
 * streak (stand-health.ts) has lasted `exchange.unreachableSeconds` during the run, the run fails
 * with a message naming the stand, its address and what was tried. Operations that never reached
 * GIS fail with UNREACHABLE (their objects say so); operations GIS has already accepted are left to
 * finish when it answers again — failing them would lose GIS's result.
 */
import { In } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { PipelineRun } from "../../entities/pipeline-run";
import { FINAL_STATES, transition } from "../exchange/operation-store";
import { log } from "../log";
import { applyOperation } from "./applying";
import { PipelineDeps } from "./deps";
import { failRun } from "./run-lifecycle";
import { isReconcileChild } from "./scheduling";
import { StandFailure, StandHealth, unreachableSince } from "./stand-health";

const NOT_SENT = ["created", "validated", "signed"] as const;

export function unreachableText(stand: string, s: StandFailure, since: number, now = Date.now()): string {
  const secs = Math.round((now - since) / 1000);
  const last = new Date(s.lastFailureAt).toISOString().replace("T", " ").slice(0, 19);
  return (
    `Стенд ГИС ЖКХ «${stand}» (${s.url}) не отвечает ${secs} с: запросов без ответа ${s.failures}, последний — ${s.lastRequest} в ${last} UTC: ${s.lastError}. ` +
    "Проверьте адрес стенда (GIS_*_URL или --url), сеть и ГОСТ TLS-прокси."
  );
}

/** Ends the run if its stand has been unreachable long enough; true when it did. */
export async function endIfUnreachable(deps: PipelineDeps, runId: string, health: StandHealth, limitMs: number): Promise<boolean> {
  const { ds } = deps;
  const run = await ds.getRepository(PipelineRun).findOneBy({ id: runId });
  if (run?.state !== "running") return false;
  const streak = await health.streak();
  const since = unreachableSince(streak, run.startedAt.getTime(), limitMs);
  if (since === null || !streak) return false;
  const open = (await ds.getRepository(GisOperation).findBy({ runId, state: In(NOT_SENT.concat()) })).filter((o) => !isReconcileChild(o));
  const accepted = await ds
    .createQueryBuilder(GisOperation, "o")
    .where("o.runId = :runId", { runId })
    .andWhere("o.state NOT IN (:...final)", { final: [...FINAL_STATES, ...NOT_SENT] })
    .getCount();
  const text =
    unreachableText(run.stand, streak, since) +
    (accepted ? ` Операций, уже принятых ГИС ЖКХ: ${accepted} — их результат будет получен, когда стенд ответит (gis-sync worker).` : "");
  // One process ends the run (a conditional update); the others see it ended.
  if (!(await failRun(deps, run, text))) return false;
  for (const op of open) {
    const ok = await transition(ds, op.id, [op.state], "failed", { errorCode: "UNREACHABLE", errorText: `Не отправлено: ${text}` });
    // Applied here, not through the queue: the workers of `sync --inline` and the demo stop right after.
    if (ok) await applyOperation(deps, op.id).catch((e) => log.warn(`операция ${op.id}: ${(e as Error).message}`));
  }
  return true;
}

/**
 * What a run did, per stage: operations, objects ok, objects with errors by code (GIS's codes and
 * our pre-flight ones), and how long the stage took. Printed by `sync` and `demo --once`, served by the API.
 */
import { DataSource } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { MessageLog } from "../../entities/message-log";
import { PipelineRun } from "../../entities/pipeline-run";
import { RECONCILE_TRIGGER } from "../exchange/operation-store";
import { STAGES } from "../stages/descriptor";

export interface StageSummary {
  stage: string;
  operations: number;
  objectsOk: number;
  objectsWithErrors: number;
  errorsByCode: Record<string, number>;
  durationMs: number;
}

export interface RunSummary {
  runId: string;
  state: string;
  stand: string;
  mode: string;
  durationMs: number | null;
  /** Why the run ended early, when it did (unreachable stand, missing prerequisite). */
  errorText?: string | null;
  stages: StageSummary[];
}

export async function runSummary(ds: DataSource, runId: string): Promise<RunSummary> {
  const run = await ds.getRepository(PipelineRun).findOneByOrFail({ id: runId });
  const ops = await ds
    .getRepository(GisOperation)
    .createQueryBuilder("o")
    .select(["o.id", "o.stage", "o.createdAt", "o.finishedAt"])
    .where("o.runId = :runId", { runId })
    .andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER })
    .getMany();
  const items = await ds
    .getRepository(GisOperationItem)
    .createQueryBuilder("i")
    .select("o.stage", "stage")
    .addSelect("o.method", "method")
    .addSelect("i.outcome", "outcome")
    .addSelect("i.errorCode", "code")
    .addSelect("COUNT(*)", "n")
    .innerJoin(GisOperation, "o", "o.id = i.operationId")
    .where("o.runId = :runId", { runId })
    .andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER })
    .groupBy("o.stage")
    .addGroupBy("o.method")
    .addGroupBy("i.outcome")
    .addGroupBy("i.errorCode")
    .getRawMany<{ stage: string; method: string; outcome: string; code: string | null; n: string }>();
  const rejected = await ds
    .getRepository(MessageLog)
    .createQueryBuilder("m")
    .select("m.group", "stage")
    .addSelect("m.code", "code")
    .addSelect("COUNT(*)", "n")
    .where("m.runId = :runId AND m.level = 'error'", { runId })
    .groupBy("m.group")
    .addGroupBy("m.code")
    .getRawMany<{ stage: string; code: string | null; n: string }>();
  const stages: StageSummary[] = [];
  for (const stage of STAGES) {
    const mine = ops.filter((o) => o.stage === stage);
    const its = items.filter((i) => i.stage === stage);
    const rejections = rejected.filter((r) => r.stage === stage);
    const rej = rejections.reduce((sum, r) => sum + Number(r.n), 0);
    if (mine.length === 0 && rej === 0) continue;
    const errorsByCode: Record<string, number> = {};
    let ok = 0;
    let bad = 0;
    for (const i of its) {
      const n = Number(i.n);
      // A sync's pull asking GIS for objects it does not hold yet ("not found") is an answer, not an object's error: the push places them next.
      if (i.code === "INT002000" && i.method.startsWith("export")) continue;
      if (i.outcome === "ok" || i.outcome === "reconciled") ok += n;
      else {
        bad += n;
        const code = i.code ?? (i.outcome === "pending" ? "NOT_ANSWERED" : "ERROR");
        errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
      }
    }
    for (const r of rejections) errorsByCode[r.code ?? "PRE"] = (errorsByCode[r.code ?? "PRE"] ?? 0) + Number(r.n);
    const start = Math.min(...mine.map((o) => o.createdAt.getTime()));
    const end = Math.max(...mine.map((o) => (o.finishedAt ?? new Date()).getTime()));
    stages.push({ stage, operations: mine.length, objectsOk: ok, objectsWithErrors: bad + rej, errorsByCode, durationMs: mine.length ? end - start : 0 });
  }
  return {
    runId,
    state: run.state,
    stand: run.stand,
    mode: run.mode,
    durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    errorText: run.errorText ?? null,
    stages,
  };
}

/** Runs one after another as one summary (the demo runs services first, then the rest). */
export function mergeSummaries(...runs: RunSummary[]): RunSummary {
  const rank = ["done", "done_with_errors", "cancelled", "failed", "running"];
  const worst = runs.map((r) => r.state).sort((a, b) => rank.indexOf(b) - rank.indexOf(a))[0];
  return {
    runId: runs.map((r) => r.runId).join(","),
    state: worst,
    stand: runs[0].stand,
    mode: runs[0].mode,
    durationMs: runs.some((r) => r.durationMs === null) ? null : runs.reduce((s, r) => s + r.durationMs!, 0),
    errorText:
      runs
        .map((r) => r.errorText)
        .filter(Boolean)
        .join(" ") || null,
    stages: runs.flatMap((r) => r.stages),
  };
}

/** The summary as the command line prints it (one line per stage, errors by code). */
export function formatRunSummary(s: RunSummary): string {
  const lines = [`Запуск ${s.runId}: ${s.state} (${s.stand}, режим ${s.mode}${s.durationMs !== null ? `, ${(s.durationMs / 1000).toFixed(1)} с` : ""})`];
  for (const st of s.stages) {
    const codes = Object.entries(st.errorsByCode)
      .map(([c, n]) => `${c}×${n}`)
      .join(", ");
    lines.push(
      `  ${st.stage.padEnd(13)} операций ${String(st.operations).padStart(4)}  успешно ${String(st.objectsOk).padStart(6)}  с ошибками ${String(st.objectsWithErrors).padStart(5)}${codes ? ` (${codes})` : ""}  ${(st.durationMs / 1000).toFixed(1)} с`,
    );
  }
  if (s.errorText) lines.push(`  ${s.errorText}`);
  return lines.join("\n");
}

/**
 * What `sync` and `demo` print while a run waits: each step as it starts, then every few seconds
 * the operations in flight, the next poll and, when the stand does not answer, how long and why.
 */
import { PipelineRun } from "../../entities/pipeline-run";
import { formatProgress } from "../queue/progress";
import { PipelineRuntime } from "./pipeline-runtime";

export function progressPrinter(rt: PipelineRuntime, say: (line: string) => void, everyMs = 5000): (run: PipelineRun) => void {
  let lastStep = -1;
  let lastLine = 0;
  let busy = false;
  return (run) => {
    if (run.state !== "running") return;
    if (run.step !== lastStep) {
      lastStep = run.step;
      lastLine = Date.now();
      const plan = rt.pipeline.plan(run);
      const step = plan[run.step];
      if (step) say(`  шаг ${run.step + 1}/${plan.length}: ${step.stage} / ${step.method}`);
      return;
    }
    if (busy || Date.now() - lastLine < everyMs) return;
    busy = true;
    lastLine = Date.now();
    void rt
      .progress(run.id)
      .then((p) => {
        if (p.state === "running" && (Object.keys(p.inFlight).length > 0 || p.workers === 0)) say(formatProgress(p));
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  };
}

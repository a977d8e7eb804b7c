/**
 * A run's plan: its stages in pipeline order, each expanded into the methods that run in the run's
 * mode — in sync mode a stage first pulls (exports), then pushes (imports) what GIS lacks.
 */
import { Mode, MethodDescriptor, ObjectAction, STAGES, StageContext, StageName } from "../stages/descriptor";

/** Where the pipeline finds its descriptors (src/stages/registry.ts in production, fakes in tests). */
export interface DescriptorSource {
  forStage(stage: StageName): MethodDescriptor[];
  byMethod(method: string): MethodDescriptor | undefined;
  /** The batch size in force: the setting, clamped to the schema's maxOccurs. */
  batchLimit(d: MethodDescriptor, ctx: StageContext): number;
}

export interface PlanStep {
  stage: StageName;
  method: string;
}

export function parseStages(list: string): StageName[] {
  if (list === "all") return [...STAGES];
  const wanted = list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of wanted) {
    if (!(STAGES as readonly string[]).includes(s)) throw new Error(`неизвестный этап «${s}»: ${STAGES.join(", ")} или all`);
  }
  return STAGES.filter((s) => wanted.includes(s));
}

/**
 * The run's steps. With an object action (a card's or a list's menu), only the descriptors that
 * perform it run, whatever the mode; without one, the descriptors of the mode that are not
 * action-only.
 */
export function planOf(source: DescriptorSource, stages: StageName[], mode: Mode, action?: ObjectAction): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const stage of stages) {
    const ds = source.forStage(stage).filter((d) => (action ? d.actions?.includes(action) === true : d.modes.includes(mode) && !d.actionOnly));
    const ordered = mode === "sync" ? [...ds.filter((d) => d.kind === "export"), ...ds.filter((d) => d.kind === "import")] : ds;
    for (const d of ordered) steps.push({ stage, method: d.method });
  }
  return steps;
}

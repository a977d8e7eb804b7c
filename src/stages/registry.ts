/**
 * Every method descriptor, by stage in pipeline order, derived from the method modules
 * (src/methods/): within a stage they are ordered by their `after` dependencies (a method runs
 * after the methods it names), ties in registry order.
 */
import { allMethods } from "../methods/registry";
import { OPERATIONS } from "../transport/messages";
import { MethodDescriptor, STAGES, StageContext, StageName } from "./descriptor";

/**
 * Orders one stage's descriptors so every method comes after the ones its `after` names (those of
 * the same stage; earlier stages are done by then). A cycle is a programming error, named.
 */
export function orderByDependencies(list: MethodDescriptor[]): MethodDescriptor[] {
  const byName = new Map(list.map((d) => [d.method, d]));
  const out: MethodDescriptor[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (d: MethodDescriptor, path: string[]) => {
    const s = state.get(d.method);
    if (s === "done") return;
    if (s === "visiting") throw new Error(`Зависимости методов ГИС ЖКХ образуют цикл: ${[...path, d.method].join(" → ")}`);
    state.set(d.method, "visiting");
    for (const dep of d.after ?? []) {
      const before = byName.get(dep);
      if (before) visit(before, [...path, d.method]);
    }
    state.set(d.method, "done");
    out.push(d);
  };
  for (const d of list) visit(d, []);
  return out;
}

function byStage(): Record<StageName, MethodDescriptor[]> {
  const fromModules: MethodDescriptor[] = [];
  for (const m of allMethods()) if (m.descriptor) fromModules.push(m.descriptor as unknown as MethodDescriptor);
  return Object.fromEntries(STAGES.map((s) => [s, orderByDependencies(fromModules.filter((d) => d.stage === s))])) as Record<StageName, MethodDescriptor[]>;
}

/** Every descriptor of a stage, in the order the planner runs them. */
export const DESCRIPTORS_BY_STAGE: Record<StageName, MethodDescriptor[]> = byStage();

/** All descriptors in pipeline order. */
export const DESCRIPTORS: MethodDescriptor[] = STAGES.flatMap((s) => DESCRIPTORS_BY_STAGE[s]);

/**
 * The stage whose imports place objects of a kind (house: fund, account: accounts…). Only that
 * stage's operations set such an object's status: an accounts export asked per house says nothing
 * of whether the house itself is in GIS.
 */
export function owningStage(objectType: string): StageName | undefined {
  return DESCRIPTORS.find((x) => x.kind === "import" && x.objectType === objectType)?.stage;
}

/** Whether a method's operations set the status of the objects they carry (an export asked per object of another stage's kind does not). */
export function setsStatusOf(d: MethodDescriptor | undefined, objectType: string): boolean {
  if (!d || d.kind === "import") return true;
  const owner = owningStage(objectType);
  return owner === undefined || owner === d.stage;
}

export function descriptorFor(method: string): MethodDescriptor {
  const found = DESCRIPTORS.find((x) => x.method === method);
  if (!found) throw new Error(`Нет описания метода ГИС ЖКХ «${method}» в конвейере`);
  return found;
}

/** Objects per request: the batch setting (or the descriptor's default), never above the schema's maxOccurs. */
export function batchLimit(descriptor: MethodDescriptor, ctx: StageContext): number {
  const configured = descriptor.batchSetting ? Number(ctx.setting(descriptor.batchSetting) ?? descriptor.defaultBatch) : descriptor.defaultBatch;
  const schemaMax = OPERATIONS[descriptor.method]?.batch?.max ?? descriptor.defaultBatch;
  return Math.max(1, Math.min(Number.isFinite(configured) ? configured : descriptor.defaultBatch, schemaMax));
}

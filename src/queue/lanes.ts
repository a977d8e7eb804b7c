/**
 * Lanes: GIS's prerequisites are per object (a house's accounts may go once that house is placed,
 * its meters once its accounts are…), so after the organization-level stages a run splits its
 * houses into lanes, and each lane advances through the house-level steps on its own: a lane's
 * step is prepared as soon as that lane's previous step is applied, whatever the other lanes do.
 *
 * Lane 0 carries the run's whole scope minus what the house lanes carried: objects without a house
 * (an account without premises…). Its step k is prepared only once every house lane has prepared
 * step k, so it finds exactly what they left. When every lane has passed the last house-level
 * step, the run moves on to its next organization-level step (payments…), as before.
 *
 * Everything is in the database (pipeline_lane, gis_operation.lane); every move is a conditional
 * update, so any worker may run any check again after a crash without preparing anything twice.
 */
import { In, IsNull, LessThan, Not } from "typeorm";
import { Account, AccountAccommodation, GisOperation, Premise, Room } from "../../entities";
import { PipelineLane } from "../../entities/pipeline-lane";
import { PipelineRun } from "../../entities/pipeline-run";
import { FINAL_STATES, RECONCILE_TRIGGER } from "../exchange/operation-store";
import { Scope, StageName } from "../stages/descriptor";
import { housesInScope } from "../stages/select";
import { PipelineDeps } from "./deps";
import { PlanStep } from "./plan";
import { finishRun } from "./run-lifecycle";
import { stageContext } from "./stage-context";

/**
 * Methods whose select narrows to scope.houseIds (test/pipeline-overlap.test.ts checks each one):
 * only these run in lanes. The period-wide payment exports and what follows them stay whole-run steps.
 */
export const LANE_METHODS: ReadonlySet<string> = new Set([
  "exportHouseData",
  "importHouseUOData",
  "exportAccountData",
  "importAccountData",
  "exportMeteringDeviceData",
  "importMeteringDeviceData",
  "exportMeteringDeviceHistory",
  "importMeteringDeviceValues",
  "exportPaymentDocumentData",
  "importPaymentDocumentData",
]);

/** Stages about the organization as a whole: they run before any lane opens. */
const ORGANIZATION_STAGES: readonly StageName[] = ["services", "contracts"];

/** Plan steps [start, end) that run in lanes. */
export interface LaneRange {
  start: number;
  end: number;
}

/** The lane steps of a run's plan, or null when the run is one chain (single objects, an action, nothing house-level). */
export function laneRange(plan: PlanStep[], run: Pick<PipelineRun, "scope">): LaneRange | null {
  const scope = (run.scope ? JSON.parse(run.scope) : {}) as Partial<Scope>;
  if (scope.objectIds || scope.action || scope.unused) return null;
  const start = plan.findIndex((p) => !ORGANIZATION_STAGES.includes(p.stage));
  if (start < 0) return null;
  let end = start;
  while (end < plan.length && LANE_METHODS.has(plan[end].method)) end++;
  return end > start ? { start, end } : null;
}

export async function hasLanes(deps: PipelineDeps, runId: string): Promise<boolean> {
  return deps.ds.getRepository(PipelineLane).existsBy({ runId });
}

/** Lanes are used when the run already has them (a resumed run) or the setting pipeline.overlap is on. */
export async function useLanes(deps: PipelineDeps, run: PipelineRun): Promise<boolean> {
  if (await hasLanes(deps, run.id)) return true;
  const ctx = await stageContext(deps.ds, run.organizationId, run.stand);
  return ctx.setting("pipeline.overlap") !== false;
}

/** The scope a lane prepares in: its houses (lane 0: the run's whole scope). */
export function laneScope(run: PipelineRun, lane: PipelineLane): Scope {
  const scope: Scope = { ...(run.scope ? JSON.parse(run.scope) : {}), organizationId: run.organizationId };
  if (lane.houseIds !== null) scope.houseIds = JSON.parse(lane.houseIds) as number[];
  return scope;
}

/**
 * The run's houses in lanes: houses that share an account stay together (the account needs both
 * placed), and a lane holds about one request of accounts (the batch limit of importAccountData).
 */
export async function groupHouses(deps: PipelineDeps, run: PipelineRun): Promise<number[][]> {
  const { ds } = deps;
  const scope: Scope = { ...(run.scope ? JSON.parse(run.scope) : {}), organizationId: run.organizationId };
  const houses = await housesInScope(ds, scope);
  if (houses.length === 0) return [];
  const d = deps.source.byMethod("importAccountData");
  const limit = d ? Math.max(1, deps.source.batchLimit(d, await stageContext(ds, run.organizationId, run.stand))) : 100;
  const rows: Array<{ accountId: number | string; houseId: number | string | null }> = await ds
    .getRepository(AccountAccommodation)
    .createQueryBuilder("x")
    .innerJoin(Account, "a", "a.id = x.accountId")
    .leftJoin(Premise, "p", "p.id = x.premiseId")
    .leftJoin(Room, "r", "r.id = x.roomId")
    .select("x.accountId", "accountId")
    .addSelect("COALESCE(x.houseId, p.houseId, r.houseId)", "houseId")
    .where("a.organizationId = :org", { org: run.organizationId })
    .getRawMany();
  const inScope = new Set(houses);
  // Union-find over houses joined by an account.
  const parent = new Map<number, number>(houses.map((h) => [h, h]));
  const root = (h: number): number => {
    let r = h;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(h, r);
    return r;
  };
  const accountHouse = new Map<number, number>();
  const accounts = new Map<number, Set<number>>();
  for (const row of rows) {
    if (row.houseId === null) continue;
    const h = Number(row.houseId);
    const a = Number(row.accountId);
    if (!inScope.has(h)) continue;
    const first = accountHouse.get(a);
    if (first === undefined) accountHouse.set(a, h);
    else if (root(first) !== root(h)) parent.set(root(h), root(first));
  }
  for (const [a, h] of accountHouse) {
    const r = root(h);
    const set = accounts.get(r) ?? new Set<number>();
    set.add(a);
    accounts.set(r, set);
  }
  const components = new Map<number, number[]>();
  for (const h of houses) {
    const r = root(h);
    const list = components.get(r) ?? [];
    list.push(h);
    components.set(r, list);
  }
  const lanes: number[][] = [];
  let current: number[] = [];
  let load = 0;
  for (const [r, list] of [...components.entries()].sort((x, y) => x[1][0] - y[1][0])) {
    const n = accounts.get(r)?.size ?? 0;
    if (current.length > 0 && (load + n > limit || current.length + list.length > limit)) {
      lanes.push(current);
      current = [];
      load = 0;
    }
    current.push(...list);
    load += n;
  }
  if (current.length) lanes.push(current);
  return lanes;
}

/**
 * Opens the run's lanes (once: a worker that finds them made resumes them) and queues the prepare
 * of every house lane's current step.
 */
export async function openLanes(deps: PipelineDeps, run: PipelineRun, plan: PlanStep[], range: LaneRange): Promise<void> {
  const { ds } = deps;
  const repo = ds.getRepository(PipelineLane);
  if (!(await repo.existsBy({ runId: run.id }))) {
    const groups = await groupHouses(deps, run);
    const rows: PipelineLane[] = [
      // Lane 0 starts "done" with the step before the lanes: it moves once the house lanes have prepared theirs.
      { runId: run.id, lane: 0, houseIds: null, step: range.start - 1, preparedStep: range.start - 1 },
      ...groups.map((houses, i) => ({ runId: run.id, lane: i + 1, houseIds: JSON.stringify(houses), step: range.start, preparedStep: range.start - 1 })),
    ];
    try {
      await ds.transaction(async (em) => {
        for (let i = 0; i < rows.length; i += 200) await em.getRepository(PipelineLane).insert(rows.slice(i, i + 200));
      });
    } catch (e) {
      // Another worker opened them at the same moment: theirs stand.
      if (!(await repo.existsBy({ runId: run.id }))) throw e;
    }
  }
  for (const lane of await repo.find({ where: { runId: run.id }, order: { lane: "ASC" } })) {
    if (lane.lane !== 0 && lane.step < range.end && lane.preparedStep < lane.step) await deps.queue.prepare(run.id, lane.step, lane.lane);
  }
  await checkLanes(deps, run, plan, range);
}

/** A lane's step is prepared: it may be complete already, and lane 0 may now be able to follow. */
export async function markLanePrepared(deps: PipelineDeps, run: PipelineRun, plan: PlanStep[], range: LaneRange, lane: number, step: number): Promise<void> {
  await deps.ds
    .getRepository(PipelineLane)
    .createQueryBuilder()
    .update()
    .set({ preparedStep: step })
    .where("runId = :runId AND lane = :lane AND step = :step AND preparedStep < :step", { runId: run.id, lane, step })
    .execute();
  await checkLane(deps, run, plan, range, lane);
  if (lane !== 0) await checkLane(deps, run, plan, range, 0);
}

/** Checks every lane (`lane` given: that one, and lane 0). */
export async function checkLanes(deps: PipelineDeps, run: PipelineRun, plan: PlanStep[], range: LaneRange, lane?: number | null): Promise<void> {
  if (lane !== undefined && lane !== null) {
    await checkLane(deps, run, plan, range, lane);
    if (lane !== 0) await checkLane(deps, run, plan, range, 0);
    return;
  }
  const lanes = await deps.ds.getRepository(PipelineLane).find({ where: { runId: run.id, step: LessThan(range.end) }, select: { lane: true } });
  for (const l of lanes) await checkLane(deps, run, plan, range, l.lane);
  await finishLanes(deps, run, plan, range);
}

/** Operations of a lane and method not final or not applied yet (reconciling exports are applied through their import). */
function openOperations(deps: PipelineDeps, runId: string, method: string, lane: number): Promise<number> {
  return deps.ds.getRepository(GisOperation).count({
    where: [
      { runId, lane, method, state: Not(In(FINAL_STATES)) },
      { runId, lane, method, appliedAt: IsNull(), trigger: IsNull() },
      { runId, lane, method, appliedAt: IsNull(), trigger: Not(RECONCILE_TRIGGER) },
    ],
  });
}

/** Moves a lane past its step when the step is prepared and every operation of it applied (by a conditional update: once). */
async function checkLane(deps: PipelineDeps, run: PipelineRun, plan: PlanStep[], range: LaneRange, laneNo: number): Promise<void> {
  const repo = deps.ds.getRepository(PipelineLane);
  const lane = await repo.findOneBy({ runId: run.id, lane: laneNo });
  if (!lane || lane.step >= range.end) return;
  const k = lane.step;
  if (lane.preparedStep < k) {
    // Moved but not prepared yet (a crash between the two): its prepare is queued again (deduplicated).
    if (k >= range.start) await deps.queue.prepare(run.id, k, laneNo);
    return;
  }
  const method = plan[k]?.method;
  if (method && k >= range.start && (await openOperations(deps, run.id, method, laneNo)) > 0) return;
  // Lane 0 takes what the house lanes left, so it prepares a step only after all of them did.
  if (laneNo === 0 && k + 1 < range.end && (await repo.countBy({ runId: run.id, lane: Not(0), preparedStep: LessThan(k + 1) })) > 0) return;
  const moved = await repo
    .createQueryBuilder()
    .update()
    .set({ step: k + 1 })
    .where("runId = :runId AND lane = :lane AND step = :k", { runId: run.id, lane: laneNo, k })
    .execute();
  if ((moved.affected ?? 0) !== 1) return;
  if (k + 1 < range.end) await deps.queue.prepare(run.id, k + 1, laneNo);
  else await finishLanes(deps, run, plan, range);
}

/** Every lane is past the house-level steps: the run moves on to its next step (once). */
async function finishLanes(deps: PipelineDeps, run: PipelineRun, plan: PlanStep[], range: LaneRange): Promise<void> {
  const { ds } = deps;
  if ((await ds.getRepository(PipelineLane).countBy({ runId: run.id, step: LessThan(range.end) })) > 0) return;
  const moved = await ds
    .getRepository(PipelineRun)
    .createQueryBuilder()
    .update()
    .set({ step: range.end })
    .where({ id: run.id, step: range.start, state: "running" })
    .execute();
  if ((moved.affected ?? 0) !== 1) return;
  if (range.end < plan.length) await deps.queue.prepare(run.id, range.end);
  else await finishRun(deps, { ...run, step: range.end });
}

/** Where the lanes are, for the progress line: lanes per step not yet passed. */
export async function laneProgress(
  deps: PipelineDeps,
  runId: string,
  plan: PlanStep[],
): Promise<{ total: number; done: number; atStep: Record<string, number> } | null> {
  const lanes = await deps.ds.getRepository(PipelineLane).find({ where: { runId }, select: { lane: true, step: true } });
  if (lanes.length === 0) return null;
  const range = laneRange(plan, { scope: null });
  const end = range?.end ?? plan.length;
  const atStep: Record<string, number> = {};
  let done = 0;
  for (const l of lanes) {
    if (l.step >= end) done++;
    else if (plan[l.step]) atStep[`${plan[l.step].stage}/${plan[l.step].method}`] = (atStep[`${plan[l.step].stage}/${plan[l.step].method}`] ?? 0) + 1;
  }
  return { total: lanes.length, done, atStep };
}

/**
 * Preparing one plan step: select the objects in scope, check them (pre-flight rejections get their
 * error and a journal line), group them so objects that differ in a request-level field never share
 * a request, cut the groups to the batch limit, and make and queue one operation per batch.
 * Objects already carried by an operation of the same run and method are not batched again, so a
 * prepare job retried after a crash makes nothing twice.
 */
import { GisOperation, Stand } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { MessageLog } from "../../entities/message-log";
import { PipelineRun } from "../../entities/pipeline-run";
import { uploadPendingAttachments } from "../exchange/attachments";
import { createOperation } from "../exchange/operation-store";
import { loadConfig } from "../config";
import { MethodDescriptor, Rejection, Scope } from "../stages/descriptor";
import { PipelineDeps } from "./deps";
import { IdentityWrite, markAt, writeIdentities } from "../storage/identity/store";
import { setsStatusOf } from "../stages/registry";
import { serviceOf } from "./recipe";
import { NotInDatabase } from "./job-errors";
import { failedPrerequisite, missingOrgGuid } from "./prerequisites";
import { checkStep, failRun, finishRun, journalRun, runPlan } from "./run-lifecycle";
import { jobKey } from "./scheduling";
import { stageContext } from "./stage-context";
import { laneRange, laneScope, markLanePrepared, openLanes, useLanes } from "./lanes";
import { PipelineLane } from "../../entities/pipeline-lane";
import { IsNull } from "typeorm";

/** Objects prepared per read: bounds memory on a 100,000-account organization. */
const PREPARE_CHUNK = 2000;

/**
 * Selects, checks and batches the objects of one plan step into operations, and queues them for
 * sending. With `lane`, the step of one lane of the run (lanes.ts): the lane's houses only.
 */
export async function prepareStep(deps: PipelineDeps, runId: string, step: number, lane?: number): Promise<void> {
  const { ds } = deps;
  const run = await ds.getRepository(PipelineRun).findOneBy({ id: runId });
  if (!run) throw new NotInDatabase(`Запуск ${runId}`);
  if (run.state !== "running") return;
  const plan = runPlan(deps, run);
  const range = laneRange(plan, run);
  if (lane === undefined) {
    if (run.step !== step) return;
    if (range && step === range.start && (await useLanes(deps, run))) return openLanes(deps, run, plan, range);
    if (!plan[step]) return finishRun(deps, run);
    const scope: Scope = { ...(run.scope ? JSON.parse(run.scope) : {}), organizationId: run.organizationId };
    if (await prepareObjects(deps, run, step, scope, null)) await markPrepared(deps, run, step);
    return;
  }
  const row = await ds.getRepository(PipelineLane).findOneBy({ runId, lane });
  if (!range || run.step !== range.start || !row || row.step !== step || row.preparedStep >= step || !plan[step]) return;
  if (await prepareObjects(deps, run, step, laneScope(run, row), lane)) await markLanePrepared(deps, run, plan, range, lane, step);
}

/** The objects of one step (of one lane) into operations; false when the run had to end instead. */
async function prepareObjects(deps: PipelineDeps, run: PipelineRun, step: number, scope: Scope, lane: number | null): Promise<boolean> {
  const { ds, source, queue } = deps;
  const planned = runPlan(deps, run)[step];
  const d = source.byMethod(planned.method)!;
  const ctx = await stageContext(ds, run.organizationId, run.stand);
  const skipped = await failedPrerequisite(deps, run, step, d, lane);
  if (skipped) {
    // Without orgPPAGUID no later step could send either: the run ends here, with that one reason.
    const fatal = await missingOrgGuid(deps, run, d, ctx);
    await journalRun(deps, run, d, "PREREQUISITE", fatal ?? skipped);
    if (fatal) {
      await failRun(deps, run, fatal);
      return false;
    }
    return true;
  }
  const selected = await d.select(ds, scope, run.mode, ctx);
  const carried = await carriedObjects(deps, run.id, d, selected);
  // Lane 0 takes what the house lanes left: not what they refused before sending either.
  if (lane === 0) for (const id of await rejectedObjects(deps, run.id, d)) carried.add(id);
  const ids = selected.filter((id) => !carried.has(id));
  if (d.files && ids.length > 0) {
    const exchange = await deps.exchangeFor(run.organizationId);
    await uploadPendingAttachments(ds, exchange.client, {
      home: loadConfig().home,
      stand: run.stand,
      orgPPAGUID: ctx.orgPPAGUID,
      ownerType: d.objectType,
      ownerIds: ids,
      runId: run.id,
    });
  }
  const limit = Math.max(1, source.batchLimit(d, ctx));
  for (let i = 0; i < ids.length; i += PREPARE_CHUNK) {
    const prepared = await d.prepare(ds, ids.slice(i, i + PREPARE_CHUNK), ctx);
    await reject(deps, run, d, prepared.rejected);
    const noOrgGuid = prepared.ready.length > 0 ? await missingOrgGuid(deps, run, d, ctx) : null;
    if (noOrgGuid) {
      // Nothing of this run can be sent: one error for the run, not one per operation.
      await journalRun(deps, run, d, "PREREQUISITE", noOrgGuid);
      await failRun(deps, run, noOrgGuid);
      return false;
    }
    // Objects that differ in a request-level field (the house, the month…) never share a request.
    const groups = new Map<string, typeof prepared.ready>();
    for (const o of prepared.ready) {
      const k = d.batchKey ? d.batchKey(o.data) : "";
      const g = groups.get(k);
      if (g) g.push(o);
      else groups.set(k, [o]);
    }
    for (const batch of [...groups.values()].flatMap((g) => chunks(g, limit))) {
      const op = await createOperation(ds, {
        stand: run.stand as Stand,
        service: serviceOf(d.method),
        method: d.method,
        stage: d.stage,
        organizationId: run.organizationId,
        runId: run.id,
        author: run.author,
        trigger: run.trigger,
        lane,
        items: batch.map((o) => ({ objectType: d.objectType, objectId: o.objectId })),
      });
      // An export asked per object of another stage's kind (meters' history for readings) leaves their status alone.
      if (setsStatusOf(d, d.objectType))
        await markAt(
          ds,
          run.stand,
          d.objectType,
          batch.map((o) => o.objectId),
          { status: "in_progress", lastOperationId: op.id, errorCode: null, errorText: null },
        );
      await queue.send(op.id, 0, jobKey(op));
    }
  }
  // A prepare job retried after a crash re-queues what its first attempt created but may not have queued.
  const unsent = await ds.getRepository(GisOperation).find({ where: { runId: run.id, method: d.method, state: "created", lane: lane ?? IsNull() } });
  for (const op of unsent) await queue.send(op.id, 0, jobKey(op));
  return true;
}

/** Only now may the step be declared complete (an early answer cannot move the run past unmade operations). */
async function markPrepared(deps: PipelineDeps, run: PipelineRun, step: number): Promise<void> {
  await deps.ds
    .getRepository(PipelineRun)
    .createQueryBuilder()
    .update()
    .set({ preparedStep: step })
    .where("id = :id AND step = :step AND preparedStep < :step", { id: run.id, step })
    .execute();
  await checkStep(deps, run.id, step);
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Which of `ids` an operation of this run and method carries already (asked in chunks: a lane asks about its own objects only). */
async function carriedObjects(deps: PipelineDeps, runId: string, d: MethodDescriptor, ids: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await deps.ds
      .getRepository(GisOperationItem)
      .createQueryBuilder("i")
      .select("i.objectId", "objectId")
      .innerJoin(GisOperation, "o", "o.id = i.operationId")
      .where("o.runId = :runId AND o.method = :method", { runId, method: d.method })
      .andWhere("i.objectType = :type AND i.objectId IN (:...chunk)", { type: d.objectType, chunk: ids.slice(i, i + 500) })
      .getRawMany<{ objectId: number }>();
    for (const r of rows) out.add(Number(r.objectId));
  }
  return out;
}

/** Objects this run's step refused before sending (their journal lines), so lane 0 does not refuse them twice. */
async function rejectedObjects(deps: PipelineDeps, runId: string, d: MethodDescriptor): Promise<number[]> {
  const rows = await deps.ds
    .getRepository(MessageLog)
    .createQueryBuilder("m")
    .select("m.objectId", "objectId")
    .where("m.runId = :runId AND m.subgroup = :method AND m.objectType = :type AND m.objectId IS NOT NULL", { runId, method: d.method, type: d.objectType })
    .getRawMany<{ objectId: number }>();
  return rows.map((r) => Number(r.objectId));
}

/** Pre-flight rejections: the object gets the error, the journal gets a line, nothing is sent. */
async function reject(deps: PipelineDeps, run: PipelineRun, d: MethodDescriptor, rejected: Rejection[]): Promise<void> {
  if (rejected.length === 0) return;
  const { ds } = deps;
  const now = new Date();
  await ds.transaction(async (em) => {
    await writeIdentities(
      em,
      run.stand,
      rejected.map(
        (r) => ({ kind: d.objectType, objectId: r.objectId, sync: { status: "error", errorCode: r.code.slice(0, 20), errorText: r.text } }) as IdentityWrite,
      ),
    );
    const rows = rejected.map((r) => ({
      createdAt: now,
      level: "error" as const,
      group: d.stage,
      subgroup: d.method,
      author: run.author,
      text: r.text,
      objectType: d.objectType,
      objectId: r.objectId,
      operationId: null,
      runId: run.id,
      code: r.code.slice(0, 20),
    }));
    for (let i = 0; i < rows.length; i += 200) await em.getRepository(MessageLog).insert(rows.slice(i, i + 200));
  });
}

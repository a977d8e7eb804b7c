/**
 * The pipeline's steps, free of any queue library: start a run, prepare one plan step into
 * operations, advance an operation, apply a final answer, move the run on. Each function reads what
 * it needs from the database and leaves everything there, so any worker can run any of them, again
 * if it was interrupted, without sending or applying anything twice:
 *  - objects already carried by an operation of the same run and method are not batched again;
 *  - operations move by conditional updates (exchange/operation-store.ts);
 *  - an answer is applied once (gis_operation.appliedAt is claimed in the applying transaction);
 *  - a run moves to its next step by a conditional update of pipeline_run.step.
 */
import crypto from "node:crypto";
import { DataSource, EntityManager, In, IsNull, Not } from "typeorm";
import { GisOperation, OperationState } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { ArchiveEntry } from "../../entities/archive-entry";
import { MessageLog } from "../../entities/message-log";
import { PipelineRun } from "../../entities/pipeline-run";
import { ExchangeContext, RequestRecipe, advance } from "../exchange/exchange";
import { uploadPendingAttachments } from "../exchange/attachments";
import { loadConfig } from "../config";
import { FINAL_STATES, RECONCILE_TRIGGER, createOperation, transition } from "../exchange/operation-store";
import { Stand } from "../../entities/gis-operation";
import { MethodDescriptor, Mode, Scope, StageContext, StageName } from "../stages/descriptor";
import { OPERATIONS, OperationName, buildRequest } from "../transport/messages";
import { DOMParser } from "@xmldom/xmldom";
import { GisResponse, parseResponse } from "../transport/results/results";
import { DescriptorSource, PlanStep, planOf } from "./plan";
import { stageContext } from "./stage-context";

/** What the pipeline asks of its queues (BullMQ in production; the same interface inline). */
export interface Enqueuer {
  prepare(runId: string, step: number): Promise<void>;
  /** `key` names the job: the same operation at the same point of its life is queued once. */
  send(opId: string, delayMs: number, key: string): Promise<void>;
  poll(opId: string, delayMs: number, key: string): Promise<void>;
  apply(opId: string): Promise<void>;
  /** A run reached its end (waiting callers are told). */
  finished?(runId: string): Promise<void>;
}

export interface RunRequest {
  stand: Stand;
  organizationId: number;
  stages: StageName[];
  mode: Mode;
  scope?: Omit<Scope, "organizationId">;
  author?: string | null;
  trigger?: string | null;
}

/** Objects prepared per read: bounds memory on a 100,000-account organization. */
const PREPARE_CHUNK = 2000;

export class Pipeline {
  constructor(
    private readonly ds: DataSource,
    private readonly source: DescriptorSource,
    /** The exchange for an organization (its orgPPAGUID in the header). */
    private readonly exchangeFor: (organizationId: number | null) => Promise<ExchangeContext>,
    private readonly queue: Enqueuer,
  ) {}

  plan(run: Pick<PipelineRun, "stages" | "mode">): PlanStep[] {
    return planOf(this.source, run.stages.split(",") as StageName[], run.mode);
  }

  async startRun(r: RunRequest): Promise<PipelineRun> {
    const run = this.ds.getRepository(PipelineRun).create({
      id: crypto.randomUUID(), stand: r.stand, organizationId: r.organizationId, stages: r.stages.join(","), mode: r.mode,
      scope: r.scope && Object.keys(r.scope).length ? JSON.stringify(r.scope) : null, state: "running", step: 0, preparedStep: -1,
      author: r.author ?? null, trigger: r.trigger ?? null, startedAt: new Date(), finishedAt: null, errorText: null,
    });
    await this.ds.getRepository(PipelineRun).insert(run);
    await this.queue.prepare(run.id, 0);
    return run;
  }

  /** Selects, checks and batches the objects of one plan step into operations, and queues them for sending. */
  async prepareStep(runId: string, step: number): Promise<void> {
    const run = await this.ds.getRepository(PipelineRun).findOneBy({ id: runId });
    if (!run || run.state !== "running" || run.step !== step) return;
    const planned = this.plan(run)[step];
    if (!planned) return this.finishRun(run);
    const d = this.source.byMethod(planned.method)!;
    const ctx = await stageContext(this.ds, run.organizationId);
    const scope: Scope = { ...(run.scope ? JSON.parse(run.scope) : {}), organizationId: run.organizationId };
    const carried = await this.carriedObjects(run.id, d.method);
    const ids = (await d.select(this.ds, scope, run.mode, ctx)).filter((id) => !carried.has(id));
    if (d.files && ids.length > 0) {
      const exchange = await this.exchangeFor(run.organizationId);
      await uploadPendingAttachments(this.ds, exchange.client, { home: loadConfig().home, orgPPAGUID: ctx.orgPPAGUID, ownerType: d.objectType, ownerIds: ids, runId: run.id });
    }
    const limit = Math.max(1, this.source.batchLimit(d, ctx));
    for (let i = 0; i < ids.length; i += PREPARE_CHUNK) {
      const prepared = await d.prepare(this.ds, ids.slice(i, i + PREPARE_CHUNK), ctx);
      await this.reject(run, d, prepared.rejected);
      // Objects that differ in a request-level field (the house, the month…) never share a request.
      const groups = new Map<string, typeof prepared.ready>();
      for (const o of prepared.ready) {
        const k = d.batchKey ? d.batchKey(o.data) : "";
        const g = groups.get(k);
        if (g) g.push(o);
        else groups.set(k, [o]);
      }
      for (const batch of [...groups.values()].flatMap((g) => chunks(g, limit))) {
        const op = await createOperation(this.ds, {
          stand: run.stand as Stand, service: serviceOf(d.method), method: d.method, stage: d.stage, organizationId: run.organizationId,
          runId: run.id, author: run.author, trigger: run.trigger, items: batch.map((o) => ({ objectType: d.objectType, objectId: o.objectId })),
        });
        await this.markObjects(d.objectType, batch.map((o) => o.objectId), { status: "in_progress", lastOperationId: op.id, errorCode: null, errorText: null });
        await this.queue.send(op.id, 0, jobKey(op));
      }
    }
    // Only now may the step be declared complete (an early answer cannot move the run past unmade operations).
    await this.ds.getRepository(PipelineRun).createQueryBuilder().update().set({ preparedStep: step })
      .where("id = :id AND step = :step AND preparedStep < :step", { id: run.id, step }).execute();
    // A prepare job retried after a crash re-queues what its first attempt created but may not have queued.
    const unsent = await this.ds.getRepository(GisOperation).find({ where: { runId: run.id, method: d.method, state: "created" } });
    for (const op of unsent) await this.queue.send(op.id, 0, jobKey(op));
    await this.checkStep(run.id, step);
  }

  /** The next due step of an operation, then the job that follows from its new state. */
  async advanceOperation(opId: string): Promise<OperationState> {
    const op = await this.ds.getRepository(GisOperation).findOneBy({ id: opId });
    if (!op) return "cancelled";
    // A reconciling export is driven by its import (it has the export's recipe); never on its own.
    if (isReconcileChild(op)) return this.advanceOperation(op.parentId);
    if (FINAL_STATES.includes(op.state)) return this.schedule(opId);
    const ctx = await this.exchangeFor(op.organizationId);
    const sctx = await stageContext(this.ds, op.organizationId!);
    await advance(ctx, op.id, (o) => this.recipe(o.method, sctx));
    return this.schedule(opId);
  }

  /** Queues the job an operation's state calls for (also what the recovery sweep uses). */
  async schedule(opId: string): Promise<OperationState> {
    const op = await this.ds.getRepository(GisOperation).findOneByOrFail({ id: opId });
    if (isReconcileChild(op)) return this.scheduleReconcileChild(op);
    const due = (at: Date | null) => Math.max(0, (at?.getTime() ?? 0) - Date.now());
    if (FINAL_STATES.includes(op.state)) {
      if (!op.appliedAt && op.trigger !== RECONCILE_TRIGGER) await this.queue.apply(opId);
    } else if (op.state === "created" || op.state === "validated" || op.state === "signed") {
      await this.queue.send(opId, due(op.nextPollAt), jobKey(op));
    } else if (op.state === "sent" || op.state === "processing") {
      await this.queue.poll(opId, due(op.nextPollAt), jobKey(op));
    } else if (op.state === "reconciling") {
      const child = await this.ds.getRepository(GisOperation).findOne({ where: { parentId: opId, trigger: RECONCILE_TRIGGER }, order: { createdAt: "DESC" } });
      await this.queue.poll(opId, due(child?.nextPollAt ?? null), `${jobKey(op)}.${child ? jobKey(child) : "none"}`);
    }
    return op.state;
  }

  /** The job for a reconciling export is its import's; an export left open by an import that ended is cancelled. */
  private async scheduleReconcileChild(child: GisOperation & { parentId: string }): Promise<OperationState> {
    const parent = await this.ds.getRepository(GisOperation).findOneBy({ id: child.parentId });
    if (parent && !FINAL_STATES.includes(parent.state)) return this.schedule(parent.id);
    if (!FINAL_STATES.includes(child.state)) {
      await transition(this.ds, child.id, [child.state], "cancelled", { errorText: "Проверочная выгрузка не нужна: основная операция завершена" });
    }
    return (await this.ds.getRepository(GisOperation).findOneByOrFail({ id: child.id })).state;
  }

  /** Writes a final operation's outcome onto the model, once; then checks whether the run's step is complete. */
  async applyOperation(opId: string): Promise<void> {
    const op = await this.ds.getRepository(GisOperation).findOneBy({ id: opId });
    if (!op || !FINAL_STATES.includes(op.state) || op.appliedAt || op.trigger === RECONCILE_TRIGGER) return;
    const d = this.source.byMethod(op.method);
    const sctx = await stageContext(this.ds, op.organizationId!);
    let pages: GisOperation[] = [];
    await this.ds.transaction(async (em) => {
      const claimed = await em.getRepository(GisOperation).createQueryBuilder().update().set({ appliedAt: new Date() })
        .where({ id: op.id, appliedAt: IsNull() }).execute();
      if ((claimed.affected ?? 0) !== 1) return;
      const items = await em.getRepository(GisOperationItem).findBy({ operationId: op.id });
      const entry = await em.getRepository(ArchiveEntry).findOne({ where: { operationId: op.id, kind: "result" }, order: { seq: "DESC" } });
      const parsed = entry ? parseResponse(entry.body) : null;
      // Objects a reconciling export found in GIS are applied like placed ones: they get their GUIDs.
      const reconciled = items.filter((i) => i.outcome === "reconciled" && i.gisGuid).map((i) => ({
        objectId: i.objectId, transportGuid: i.transportGuid,
        result: { transportGuid: i.transportGuid, guid: i.gisGuid, uniqueNumber: null, updateDate: null, errors: [], values: {}, ...d?.reconcile?.result?.(i.gisGuid!) },
      }));
      const answer = parsed?.kind === "state" ? parsed : reconciled.length ? emptyAnswer() : null;
      if (d && answer) {
        const byTransport = new Map(answer.items.map((r) => [r.transportGuid, r]));
        const matched = items.filter((i) => byTransport.has(i.transportGuid.toLowerCase()))
          .map((i) => ({ objectId: i.objectId, transportGuid: i.transportGuid, result: byTransport.get(i.transportGuid.toLowerCase())! }));
        const seen = new Set(matched.map((m) => m.objectId));
        await d.apply(em, answer, [...matched, ...reconciled.filter((r) => !seen.has(r.objectId))], sctx);
        if (d.nextPages && parsed?.kind === "state") pages = await this.nextPages(em, op, d, d.nextPages(parsed, items.map((i) => i.objectId), sctx));
      }
      // Every object of the operation ends ok or with a named error — its item too, so the run's
      // summary, the object card and the status agree: an export that answered (even "no objects")
      // settled what it carried; a failed or cancelled operation names its reason on each item.
      // An import item GIS said nothing about, in an answer that had errors, is not taken as placed.
      // An export of the objects' own identity answered "not found" (INT002000): GIS does not have them.
      const notInGis = d?.kind === "export" && op.errorCode === "INT002000";
      const settled = !notInGis && (op.state === "done" || (op.state === "done_with_errors" && d?.kind === "export"));
      const silent = op.state === "done_with_errors"
        ? { errorCode: "NOT_ANSWERED", errorText: "ГИС ЖКХ не вернула результат по объекту" }
        : { errorCode: (op.errorCode ?? "FAILED").slice(0, 20), errorText: op.errorText ?? "Операция не выполнена" };
      await em.getRepository(GisOperationItem).update({ operationId: op.id, outcome: "pending" }, settled ? { outcome: "ok" } : { outcome: "error", ...silent });
      for (const i of items) if (i.outcome === "pending" && !settled) Object.assign(i, { outcome: "error", ...silent });
      const now = new Date();
      for (const i of items) {
        const ok = i.outcome === "ok" || i.outcome === "reconciled" || (i.outcome === "pending" && settled);
        const patch = ok
          ? { status: "ok", errorCode: null, errorText: null, syncedAt: now }
          : i.outcome === "error"
            ? { status: "error", errorCode: i.errorCode, errorText: i.errorText }
            : { status: "error", errorCode: op.errorCode ?? "FAILED", errorText: op.errorText ?? "Операция не выполнена" };
        // A status the descriptor wrote (e.g. ok with errors in nested objects) is not overwritten by a plain "ok".
        await this.markObjects(i.objectType, [i.objectId], patch, em, ok);
      }
    });
    for (const page of pages) await this.queue.send(page.id, 0, jobKey(page));
    if (op.runId) {
      const run = await this.ds.getRepository(PipelineRun).findOneBy({ id: op.runId });
      if (run) await this.checkStep(run.id, run.step);
    }
  }

  /** A paged export's further pages: one operation each, in the applying transaction (so a crash loses none), of the run's step. */
  private async nextPages(em: EntityManager, op: GisOperation, d: MethodDescriptor, objectIds: number[]): Promise<GisOperation[]> {
    if (!op.runId || objectIds.length === 0) return [];
    const carried = await em.getRepository(GisOperationItem).createQueryBuilder("i").select("i.objectId", "objectId")
      .innerJoin(GisOperation, "o", "o.id = i.operationId").where("o.runId = :runId AND o.method = :method", { runId: op.runId, method: d.method }).getRawMany<{ objectId: number }>();
    const asked = new Set(carried.map((r) => Number(r.objectId)));
    const out: GisOperation[] = [];
    for (const objectId of objectIds.filter((id) => !asked.has(id))) {
      out.push(await createOperation(em, {
        stand: op.stand as Stand, service: op.service, method: d.method, stage: d.stage, organizationId: op.organizationId,
        runId: op.runId, author: op.author, trigger: op.trigger, items: [{ objectType: d.objectType, objectId }],
      }));
    }
    return out;
  }

  /** When every operation of the run's current step is final and applied, the run moves on (once). */
  async checkStep(runId: string, step: number): Promise<void> {
    const run = await this.ds.getRepository(PipelineRun).findOneBy({ id: runId });
    if (!run || run.state !== "running" || run.step !== step) return;
    const planned = this.plan(run)[step];
    if (planned) {
      if (run.preparedStep < step) return;
      const open = await this.ds.getRepository(GisOperation).count({
        where: [
          { runId, method: planned.method, state: Not(In(FINAL_STATES)) },
          // Final but not applied yet (reconciling exports are applied through their parent).
          { runId, method: planned.method, appliedAt: IsNull(), trigger: IsNull() },
          { runId, method: planned.method, appliedAt: IsNull(), trigger: Not(RECONCILE_TRIGGER) },
        ],
      });
      if (open > 0) return;
    }
    const moved = await this.ds.getRepository(PipelineRun).createQueryBuilder().update().set({ step: step + 1 })
      .where({ id: runId, step, state: "running" }).execute();
    if ((moved.affected ?? 0) !== 1) return;
    if (step + 1 < this.plan(run).length) await this.queue.prepare(runId, step + 1);
    else await this.finishRun({ ...run, step: step + 1 });
  }

  private async finishRun(run: PipelineRun): Promise<void> {
    const errors = await this.ds.getRepository(GisOperationItem).createQueryBuilder("i")
      .innerJoin(GisOperation, "o", "o.id = i.operationId").where("o.runId = :id", { id: run.id })
      .andWhere("i.outcome IN (:...bad)", { bad: ["error", "pending"] }).andWhere("(o.trigger IS NULL OR o.trigger <> :r)", { r: RECONCILE_TRIGGER }).getCount();
    const rejected = await this.ds.getRepository(MessageLog).countBy({ runId: run.id, level: "error" });
    const state = errors + rejected > 0 ? "done_with_errors" : "done";
    await this.ds.getRepository(PipelineRun).update({ id: run.id, state: "running" }, { state, finishedAt: new Date() });
    await this.queue.finished?.(run.id);
  }

  /** The exchange recipe of a method: rebuilt from the model on every (re)send. */
  recipe(method: string, sctx: StageContext): RequestRecipe {
    const d = this.source.byMethod(method);
    if (!d) throw new Error(`Нет описания метода ГИС ЖКХ ${method}`);
    const load = async (items: GisOperationItem[]) => {
      const prepared = await d.prepare(this.ds, items.map((i) => i.objectId), sctx);
      const tg = new Map(items.map((i) => [i.objectId, i.transportGuid]));
      return prepared.ready.filter((o) => tg.has(o.objectId)).map((o) => ({ ...o, transportGuid: tg.get(o.objectId)! }));
    };
    const spec = OPERATIONS[method as OperationName]!;
    const recipe: RequestRecipe = {
      service: serviceOf(method), methodKind: d.kind, safeToRepeat: d.kind === "import" && d.safeToRepeat, fixedVersion: spec.fixedVersion ?? undefined,
      build: async (items, header) => buildRequest(d.method as OperationName, header, d.payload(await load(items), sctx) as never),
    };
    const r = d.reconcile;
    if (r) {
      recipe.reconcile = {
        method: r.method,
        recipe: {
          service: serviceOf(r.method), methodKind: "export", fixedVersion: OPERATIONS[r.method]?.fixedVersion ?? undefined,
          build: async (items, header) => buildRequest(r.method, header, r.payload(await load(items), sctx) as never),
        },
        found: async (answer, items) => r.found(answer, await load(items), sctx),
      };
    }
    return recipe;
  }

  private async carriedObjects(runId: string, method: string): Promise<Set<number>> {
    const rows = await this.ds.getRepository(GisOperationItem).createQueryBuilder("i").select("i.objectId", "objectId")
      .innerJoin(GisOperation, "o", "o.id = i.operationId").where("o.runId = :runId AND o.method = :method", { runId, method }).getRawMany<{ objectId: number }>();
    return new Set(rows.map((r) => Number(r.objectId)));
  }

  /** Pre-flight rejections: the object gets the error, the journal gets a line, nothing is sent. */
  private async reject(run: PipelineRun, d: MethodDescriptor, rejected: Array<{ objectId: number; code: string; field: string; text: string }>): Promise<void> {
    if (rejected.length === 0) return;
    const now = new Date();
    await this.ds.transaction(async (em) => {
      for (const r of rejected) await this.markObjects(d.objectType, [r.objectId], { status: "error", errorCode: r.code.slice(0, 20), errorText: r.text }, em);
      const rows = rejected.map((r) => ({
        createdAt: now, level: "error" as const, group: d.stage, subgroup: d.method, author: run.author, text: r.text,
        objectType: d.objectType, objectId: r.objectId, operationId: null, runId: run.id, code: r.code.slice(0, 20),
      }));
      for (let i = 0; i < rows.length; i += 200) await em.getRepository(MessageLog).insert(rows.slice(i, i + 200));
    });
  }

  /** Sets the embedded sync state of objects of one type, when the type keeps one. */
  private async markObjects(objectType: string, ids: number[], patch: Record<string, unknown>, em = this.ds.manager, onlyInProgress = false): Promise<void> {
    const meta = this.ds.entityMetadatas.find((m) => m.tableName === objectType);
    if (!meta || !meta.embeddeds.some((e) => e.propertyName === "sync") || ids.length === 0) return;
    for (let i = 0; i < ids.length; i += 500) {
      const where = { id: In(ids.slice(i, i + 500)), ...(onlyInProgress ? { sync: { status: "in_progress" } } : {}) };
      await em.getRepository(meta.target).update(where, { sync: patch });
    }
  }
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

function isReconcileChild(op: GisOperation): op is GisOperation & { parentId: string } {
  return op.trigger === RECONCILE_TRIGGER && !!op.parentId;
}

/** Changes whenever the operation moves or is rescheduled, so a job re-queued from inside itself is not lost to deduplication. */
function jobKey(op: GisOperation): string {
  return `${op.id}.${op.state}.a${op.attempts}.p${op.polls}.t${op.nextPollAt?.getTime() ?? 0}`;
}

export function serviceOf(method: string) {
  const s = OPERATIONS[method as OperationName]?.service;
  if (!s) throw new Error(`Метод ${method}: служба ГИС ЖКХ неизвестна`);
  return s;
}

/** The answer a descriptor applies when every object was found by reconciling (no import answer of its own). */
function emptyAnswer(): Extract<GisResponse, { kind: "state" }> {
  const result = new DOMParser().parseFromString("<reconciled/>", "text/xml").documentElement as unknown as Element;
  return { kind: "state", requestState: 3, messageGuid: "", error: null, items: [], lastPage: null, nextPage: null, nsiPage: null, resultKind: null, result };
}

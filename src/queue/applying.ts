/**
 * Applying a final answer onto the model, once: gis_operation.appliedAt is claimed in the applying
 * transaction. Every object of the operation ends ok or with a named error, on its item too, so the
 * run's summary, the object card and the status agree. Then the run's step may be complete.
 */
import { DOMParser } from "@xmldom/xmldom";
import { EntityManager, IsNull, Not } from "typeorm";
import { GisOperation, Stand } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { ArchiveEntry } from "../../entities/archive-entry";
import { PipelineRun } from "../../entities/pipeline-run";
import { FINAL_STATES, RECONCILE_TRIGGER, createOperation } from "../exchange/operation-store";
import { MethodDescriptor } from "../stages/descriptor";
import { setsStatusOf } from "../stages/registry";
import { GisResponse, parseResponse } from "../transport/results/results";
import { log } from "../log";
import { PipelineDeps } from "./deps";
import { NotInDatabase } from "./job-errors";
import { IdentityWrite, StandSync, identitiesAt, writeIdentities } from "../storage/identity/store";
import { DEFAULTS, FIELDS, isKind } from "../storage/identity/fields";
import { groupBy } from "../stages/load";
import { checkStep } from "./run-lifecycle";
import { jobKey } from "./scheduling";
import { stageContext } from "./stage-context";

/** Writes a final operation's outcome onto the model, once; then checks whether the run's step is complete. */
export async function applyOperation(deps: PipelineDeps, opId: string): Promise<void> {
  const { ds, source } = deps;
  const op = await ds.getRepository(GisOperation).findOneBy({ id: opId });
  if (!op) throw new NotInDatabase(`Операция ${opId}`);
  if (!FINAL_STATES.includes(op.state) || op.appliedAt || op.trigger === RECONCILE_TRIGGER) return;
  const d = source.byMethod(op.method);
  const sctx = await stageContext(ds, op.organizationId!, op.stand);
  let pages: GisOperation[] = [];
  await ds.transaction(async (em) => {
    const claimed = await em
      .getRepository(GisOperation)
      .createQueryBuilder()
      .update()
      .set({ appliedAt: new Date() })
      .where({ id: op.id, appliedAt: IsNull() })
      .execute();
    if ((claimed.affected ?? 0) !== 1) return;
    const items = await em.getRepository(GisOperationItem).findBy({ operationId: op.id });
    const entry = await em.getRepository(ArchiveEntry).findOne({ where: { operationId: op.id, kind: "result" }, order: { seq: "DESC" } });
    const parsed = entry ? parseResponse(entry.body) : null;
    // Objects a reconciling export found in GIS are applied like placed ones: they get their GUIDs.
    const reconciled = items
      .filter((i) => i.outcome === "reconciled" && i.gisGuid)
      .map((i) => ({
        objectId: i.objectId,
        transportGuid: i.transportGuid,
        result: {
          transportGuid: i.transportGuid,
          guid: i.gisGuid,
          uniqueNumber: null,
          updateDate: null,
          errors: [],
          values: {},
          ...d?.reconcile?.result?.(i.gisGuid!),
        },
      }));
    const answer = parsed?.kind === "state" ? parsed : reconciled.length ? emptyAnswer() : null;
    if (d && answer) {
      const byTransport = new Map(answer.items.map((r) => [r.transportGuid, r]));
      const matched = items
        .filter((i) => byTransport.has(i.transportGuid.toLowerCase()))
        .map((i) => ({ objectId: i.objectId, transportGuid: i.transportGuid, result: byTransport.get(i.transportGuid.toLowerCase())! }));
      const seen = new Set(matched.map((m) => m.objectId));
      await d.apply(em, answer, [...matched, ...reconciled.filter((r) => !seen.has(r.objectId))], sctx);
      if (d.nextPages && parsed?.kind === "state")
        pages = await nextPages(
          em,
          op,
          d,
          d.nextPages(
            parsed,
            items.map((i) => i.objectId),
            sctx,
          ),
        );
    }
    // Every object of the operation ends ok or with a named error — its item too, so the run's
    // summary, the object card and the status agree: an export that answered (even "no objects")
    // settled what it carried; a failed or cancelled operation names its reason on each item.
    // An import item GIS said nothing about, in an answer that had errors, is not taken as placed.
    // An export of the objects' own identity answered "not found" (INT002000): GIS does not have them.
    const notInGis = d?.kind === "export" && op.errorCode === "INT002000";
    const settled = !notInGis && (op.state === "done" || (op.state === "done_with_errors" && d?.kind === "export"));
    const silent =
      op.state === "done_with_errors"
        ? { errorCode: "NOT_ANSWERED", errorText: "ГИС ЖКХ не вернула результат по объекту" }
        : { errorCode: (op.errorCode ?? "FAILED").slice(0, 20), errorText: op.errorText ?? "Операция не выполнена" };
    await em.getRepository(GisOperationItem).update({ operationId: op.id, outcome: "pending" }, settled ? { outcome: "ok" } : { outcome: "error", ...silent });
    for (const i of items) if (i.outcome === "pending" && !settled) Object.assign(i, { outcome: "error", ...silent });
    const now = new Date();
    // "No objects" (INT002012) to an export of the objects themselves: those the stand has no identity
    // of are simply not in GIS — not ok, not an error: not sent yet (their import places them).
    const absent = settled && d?.kind === "export" && op.errorCode === "INT002012" ? await withoutIdentity(em, op.stand, items) : new Set<string>();
    const writes: IdentityWrite[] = [];
    for (const i of items) {
      const ok = i.outcome === "ok" || i.outcome === "reconciled" || (i.outcome === "pending" && settled);
      const patch: Partial<StandSync> = absent.has(`${i.objectType}:${i.objectId}`)
        ? { status: "not_sent", errorCode: null, errorText: null }
        : ok
          ? { status: "ok", errorCode: null, errorText: null, syncedAt: now }
          : i.outcome === "error"
            ? { status: "error", errorCode: i.errorCode, errorText: i.errorText }
            : { status: "error", errorCode: op.errorCode ?? "FAILED", errorText: op.errorText ?? "Операция не выполнена" };
      // An export asked per object of another stage's kind (accounts by house) leaves that object's status alone.
      if (!setsStatusOf(d, i.objectType)) continue;
      // A status the descriptor wrote (e.g. ok with errors in nested objects) is not overwritten by a plain "ok".
      writes.push({ kind: i.objectType, objectId: i.objectId, sync: patch, onlyInProgress: ok } as IdentityWrite);
    }
    await writeIdentities(em, op.stand, writes);
  });
  for (const page of pages) await deps.queue.send(page.id, 0, jobKey(page));
  await afterApply(deps, op);
}

/** Items whose object has no identity (no GUID, number or ИПД) on the stand: "type:id". */
async function withoutIdentity(em: EntityManager, stand: string, items: GisOperationItem[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const [kind, group] of groupBy(items, (i) => i.objectType)) {
    if (!isKind(kind)) continue;
    const found = await identitiesAt(
      em,
      kind,
      group.map((i) => i.objectId),
      stand,
    );
    const fields = Object.keys(FIELDS[kind]);
    for (const [id, identity] of found) {
      const values = identity as unknown as Record<string, unknown>;
      if (
        !fields.some(
          (f) =>
            values[f] !== null && values[f] !== undefined && values[f] !== false && values[f] !== (DEFAULTS[kind] as Record<string, unknown> | undefined)?.[f],
        )
      )
        out.add(`${kind}:${id}`);
    }
  }
  return out;
}

/** A paged export's further pages: one operation each, made in the applying transaction (so a crash loses none), in the run's step. */
async function nextPages(em: EntityManager, op: GisOperation, d: MethodDescriptor, objectIds: number[]): Promise<GisOperation[]> {
  if (!op.runId || objectIds.length === 0) return [];
  const carried = await em
    .getRepository(GisOperationItem)
    .createQueryBuilder("i")
    .select("i.objectId", "objectId")
    .innerJoin(GisOperation, "o", "o.id = i.operationId")
    .where("o.runId = :runId AND o.method = :method", { runId: op.runId, method: d.method })
    .getRawMany<{ objectId: number }>();
  const asked = new Set(carried.map((r) => Number(r.objectId)));
  const out: GisOperation[] = [];
  for (const objectId of objectIds.filter((id) => !asked.has(id))) {
    out.push(
      await createOperation(em, {
        stand: op.stand as Stand,
        service: op.service,
        method: d.method,
        stage: d.stage,
        organizationId: op.organizationId,
        runId: op.runId,
        author: op.author,
        trigger: op.trigger,
        lane: op.lane,
        items: [{ objectType: d.objectType, objectId }],
      }),
    );
  }
  return out;
}

/**
 * Applying kept failing (an archived answer that no longer parses, a value longer than its column…):
 * the operation is marked applied with the named error APPLY on every object GIS did not refuse
 * itself, so the step moves on instead of re-queueing the apply for ever. Nothing of the failed
 * attempts was written (each ran in its own rolled-back transaction).
 */
export async function applyFailed(deps: PipelineDeps, opId: string, error: unknown): Promise<void> {
  const { ds } = deps;
  const op = await ds.getRepository(GisOperation).findOneBy({ id: opId });
  if (!op) throw new NotInDatabase(`Операция ${opId}`);
  if (!FINAL_STATES.includes(op.state) || op.appliedAt || op.trigger === RECONCILE_TRIGGER) return;
  const reason = ((error as Error)?.message ?? String(error)).replace(/\s+/g, " ").slice(0, 1000);
  const text = `Ответ ГИС ЖКХ не удалось применить к данным: ${reason}`;
  log.error(`операция ${op.id} (${op.method}): ${text}`);
  await ds.transaction(async (em) => {
    const claimed = await em
      .getRepository(GisOperation)
      .createQueryBuilder()
      .update()
      .set({ appliedAt: new Date(), errorCode: "APPLY", errorText: text })
      .where({ id: op.id, appliedAt: IsNull() })
      .execute();
    if ((claimed.affected ?? 0) !== 1) return;
    const items = await em.getRepository(GisOperationItem).findBy({ operationId: op.id });
    await em.getRepository(GisOperationItem).update({ operationId: op.id, outcome: Not("error") }, { outcome: "error", errorCode: "APPLY", errorText: text });
    const d = deps.source.byMethod(op.method);
    const writes: IdentityWrite[] = [];
    for (const i of items) {
      if (!setsStatusOf(d, i.objectType)) continue;
      const sync: Partial<StandSync> =
        i.outcome === "error" ? { status: "error", errorCode: i.errorCode, errorText: i.errorText } : { status: "error", errorCode: "APPLY", errorText: text };
      writes.push({ kind: i.objectType, objectId: i.objectId, sync } as IdentityWrite);
    }
    await writeIdentities(em, op.stand, writes);
  });
  await afterApply(deps, op);
}

/** The run's step may be complete once an operation of it is applied. */
async function afterApply(deps: PipelineDeps, op: GisOperation): Promise<void> {
  if (!op.runId) return;
  const run = await deps.ds.getRepository(PipelineRun).findOneBy({ id: op.runId });
  if (run) await checkStep(deps, run.id, run.step, op.lane, run);
}

/** The answer a descriptor applies when every object was found by reconciling (no import answer of its own). */
function emptyAnswer(): Extract<GisResponse, { kind: "state" }> {
  const result = new DOMParser().parseFromString("<reconciled/>", "text/xml").documentElement as unknown as Element;
  return { kind: "state", requestState: 3, messageGuid: "", error: null, items: [], lastPage: null, nextPage: null, nsiPage: null, resultKind: null, result };
}

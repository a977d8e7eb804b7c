/**
 * Reconciling an import whose outcome is unknown (a lost Ack, a timeout after the request may have
 * arrived): an export child asks GIS what it already has; found objects keep GIS's identity, the
 * rest go out again in a rebuilt request — never a blind resend.
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { GisOperation, UNKNOWN_OUTCOME } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { parseResponse } from "../transport/results/results";
import { ExchangeContext, RequestRecipe, fail, now, reload } from "./context";
import { FINAL_STATES, RECONCILE_TRIGGER, createOperation, rebuildForResend, transition } from "./operation-store";

/**
 * An import whose outcome is unknown: the operation waits in reconciling while an export child
 * (trigger "reconcile") asks GIS what it already has. Only one child is ever made: the parent's move
 * to reconciling and the child's creation are one transaction, and the move is conditional.
 */
export async function startReconcile(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, text: string): Promise<GisOperation["state"]> {
  const r = recipe.reconcile;
  if (!r) {
    await fail(
      ctx,
      op,
      UNKNOWN_OUTCOME,
      `${text}. Проверить результат выгрузкой для этого метода нельзя: объекты не отправлены повторно, чтобы не создать дубликаты — проверьте в ГИС ЖКХ вручную и отправьте их снова с карточки или из списка`,
    );
    return "failed";
  }
  const made = await ctx.ds.transaction(async (em) => {
    if (!(await transition(em, op.id, [op.state], "reconciling", { errorCode: "RECONCILE", errorText: text, nextPollAt: null }))) return false;
    const pending = await em.getRepository(GisOperationItem).find({ where: { operationId: op.id, outcome: "pending" }, order: { id: "ASC" } });
    await createOperation(em, {
      stand: op.stand,
      service: r.recipe.service,
      method: r.method,
      stage: op.stage,
      organizationId: op.organizationId,
      parentId: op.id,
      runId: op.runId,
      author: op.author,
      trigger: RECONCILE_TRIGGER,
      items: pending.map((i) => ({ objectType: i.objectType, objectId: i.objectId })),
    });
    return true;
  });
  return made ? "reconciling" : (await reload(ctx.ds, op.id)).state;
}

/**
 * What a reconciling export found as an object's identity, checked (GIS's answer is untrusted): a
 * GUID, or a GIS number for objects that have none in the export (a bill's ИПД, 18 characters).
 */
function gisIdentifier(value: string | null | undefined): string | null {
  if (!value) return null;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return value.toLowerCase();
  return /^[\p{L}\p{N}-]{1,36}$/u.test(value) ? value : null;
}

/** Sends of one import in all (first and after reconciling) before its missing objects are left to an operator. */
export const MAX_SENDS_AFTER_RECONCILE = 5;

/** The reconciling export child of an operation, if any. */
export function reconcileChild(ds: DataSource, parentId: string): Promise<GisOperation | null> {
  return ds.getRepository(GisOperation).findOne({ where: { parentId, trigger: RECONCILE_TRIGGER }, order: { createdAt: "DESC" } });
}

/**
 * When the reconciling export is final: objects GIS has become "reconciled" with their GUIDs; the
 * rest go out again in a rebuilt request (new MessageGUID); if GIS has them all, the import is done.
 */
export async function finishReconcile(ctx: ExchangeContext, parentId: string, recipe: RequestRecipe): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  const parent = await reload(ds, parentId);
  if (parent.state !== "reconciling") return parent.state;
  const child = await reconcileChild(ds, parentId);
  if (!child || !FINAL_STATES.includes(child.state)) return parent.state;
  if (child.state === "failed" || child.state === "cancelled") {
    await fail(
      ctx,
      parent,
      "RECONCILE",
      `Не удалось проверить в ГИС ЖКХ результат отправки (${child.errorText ?? child.state}); объекты не отправлены повторно, чтобы не создать дубликаты`,
    );
    return "failed";
  }
  const entries = await ds.getRepository(ArchiveEntry).find({ where: { operationId: child.id, kind: "result" }, order: { seq: "DESC" }, take: 1 });
  const answer = entries[0] ? parseResponse(entries[0].body) : null;
  const pending = await ds.getRepository(GisOperationItem).find({ where: { operationId: parentId, outcome: "pending" } });
  // "No objects" (INT002012) is an empty export: GIS has none of them.
  const found =
    answer && answer.kind === "state" && !answer.error && recipe.reconcile ? await recipe.reconcile.found(answer, pending) : new Map<number, string | null>();
  const missing = pending.filter((i) => !found.has(i.objectId));
  await ds.transaction(async (em) => {
    for (const i of pending) {
      if (!found.has(i.objectId)) continue;
      const g = found.get(i.objectId);
      await em.getRepository(GisOperationItem).update({ id: i.id }, { outcome: "reconciled", gisGuid: gisIdentifier(g) });
    }
  });
  if (missing.length === 0) {
    const errors = await ds.getRepository(GisOperationItem).countBy({ operationId: parentId, outcome: "error" });
    const final = errors > 0 ? "done_with_errors" : "done";
    await transition(ds, parentId, ["reconciling"], final, {
      answeredAt: now(ctx),
      errorText: `Сверка: все ${pending.length} объект(ов) уже в ГИС ЖКХ, повторная отправка не нужна`,
    });
    return final;
  }
  if (parent.attempts >= MAX_SENDS_AFTER_RECONCILE) {
    // GIS keeps taking the message without naming the objects: stop, say so, and leave them to an operator.
    await fail(
      ctx,
      parent,
      UNKNOWN_OUTCOME,
      `Сверка: ${missing.length} объект(ов) нет в ГИС ЖКХ после ${parent.attempts} отправок; дальше не отправляются — проверьте в ГИС ЖКХ вручную и отправьте их снова с карточки или из списка`,
    );
    return "failed";
  }
  await rebuildForResend(ds, parent, crypto.randomUUID());
  await ds.getRepository(GisOperation).update(
    { id: parentId },
    {
      errorText: `Сверка: в ГИС ЖКХ уже ${found.size}, повторно отправляются ${missing.length} недостающих`,
    },
  );
  return "signed";
}

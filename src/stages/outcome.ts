/**
 * Writing GIS's verdict on objects: accepted (its identifiers, status ok, syncedAt) or refused
 * (status error with GIS's code and text), on the run's stand. One place, so every stage records
 * outcomes alike; the identity part of a batch is one set-based write (src/storage/identity/).
 */
import { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
import { updateManyAt } from "../storage/identity/update";
import { GisError, ItemResult } from "../transport/results/results";
import { MatchedResult, StageContext } from "./descriptor";

/** GIS errors of one item as one text (GIS may send several). */
export function errorText(errors: GisError[]): string {
  return errors.map((e) => e.description || e.code).join("; ");
}

export function acceptedState(ctx: StageContext): { status: "ok"; errorCode: null; errorText: null; syncedAt: Date } {
  return { status: "ok", errorCode: null, errorText: null, syncedAt: ctx.now };
}

export function refusedState(errors: GisError[]): { status: "error"; errorCode: string; errorText: string } {
  return { status: "error", errorCode: errors[0].code.slice(0, 20), errorText: errorText(errors) };
}

/** The patch one matched item makes: `accepted(result)` next to the ok state, or the refusal. */
function outcomePatch<E>(
  m: MatchedResult,
  ctx: StageContext,
  accepted: (r: ItemResult, m: MatchedResult) => QueryDeepPartialEntity<E>,
): Record<string, unknown> {
  return m.result.errors.length > 0 ? { sync: refusedState(m.result.errors) } : { ...(accepted(m.result, m) as object), sync: acceptedState(ctx) };
}

/** Applies one matched item (see writeOutcomes). */
export async function writeOutcome<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  m: MatchedResult,
  ctx: StageContext,
  accepted: (r: ItemResult, m: MatchedResult) => QueryDeepPartialEntity<E>,
): Promise<void> {
  await writeOutcomes(em, entity, [m], ctx, accepted);
}

/**
 * Applies every matched item of an answer the same way: on success `accepted(result)` gives the
 * identifiers to store next to the ok state; on GIS errors the object gets status error with GIS's
 * code and text.
 */
export async function writeOutcomes<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  matched: MatchedResult[],
  ctx: StageContext,
  accepted: (r: ItemResult, m: MatchedResult) => QueryDeepPartialEntity<E>,
): Promise<void> {
  await updateManyAt(
    em,
    ctx.stand,
    entity,
    matched.map((m) => ({ id: m.objectId, patch: outcomePatch(m, ctx, accepted) })),
  );
}

/**
 * Writing GIS's verdict on one object: accepted (its identifiers, status ok, syncedAt) or refused
 * (status error with GIS's code and text). One place, so every stage records outcomes alike.
 */
import { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity";
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

/**
 * Applies one matched item: on success `accepted(result)` gives the identifiers to store next to
 * the ok state; on GIS errors the object gets status error with GIS's code and text.
 */
export async function writeOutcome<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  m: MatchedResult,
  ctx: StageContext,
  accepted: (r: ItemResult) => QueryDeepPartialEntity<E>,
): Promise<void> {
  const patch = m.result.errors.length > 0 ? { sync: refusedState(m.result.errors) } : { ...accepted(m.result), sync: acceptedState(ctx) };
  await em.update(entity, m.objectId, patch as unknown as QueryDeepPartialEntity<E>);
}

/** Applies every matched item of an answer the same way. */
export async function writeOutcomes<E extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<E>,
  matched: MatchedResult[],
  ctx: StageContext,
  accepted: (r: ItemResult) => QueryDeepPartialEntity<E>,
): Promise<void> {
  for (const m of matched) await writeOutcome(em, entity, m, ctx, accepted);
}

/**
 * One getState of a sent operation: poll on the schedule (learned processing times, a rate cap per
 * service), archive every answer, check it before believing it (answer-checks.ts), record GIS's
 * outcome per item on RequestState 3. A broken answer is a poll that failed: asked again on the
 * backoff table, at most MAX_BROKEN_ANSWERS times in a row.
 */
import { DataSource } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { appendArchive } from "../archive";
import { getState } from "../methods/base/get-state";
import { GisResponse, parseResponse } from "../transport/results/results";
import { ResponseError } from "../transport/results/safe-xml";
import { checkStateAnswer } from "./answer-checks";
import { nextPollDelay } from "./backoff";
import { ExchangeContext, RequestRecipe, StateAnswer, now, reload } from "./context";
import { ItemOutcome, recordItemOutcomes, transition } from "./operation-store";
import { applyDecision, brokenAnswer, httpStatusError, onFailure, onGisError, repeatExport } from "./outcome";
import { takePollSlot } from "./poll-rate";
import { expectedProcessingMs } from "./processing-times";

/** Whole-message codes that mean "nothing there": for an export an empty result, for an import no word on its items. */
const NOTHING_CODES = new Set(["INT002012", "INT002000"]);
/** getState for a MessageGUID GIS does not know (a fault): the outcome of the send is unknown. */
const UNKNOWN_MESSAGE = "INT002000";

/**
 * One getState. Returns the state afterwards; on RequestState 3 the items carry GIS's outcome.
 * `opOrId`: the record just read by the caller (advance), or its id to read it here.
 */
export async function pollOperation(ctx: ExchangeContext, opOrId: string | GisOperation, recipe: RequestRecipe): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  const op = typeof opOrId === "string" ? await reload(ds, opOrId) : opOrId;
  if (op.state !== "sent" && op.state !== "processing") return op.state;
  await takePollSlot(recipe.service, ctx.schedule.maxPollsPerSecond ?? 0);
  const req = getState(recipe.service, op.gisMessageGuid!, { ...ctx.header, date: now(ctx) });
  const items = await ds.getRepository(GisOperationItem).findBy({ operationId: op.id });
  let res: { status: number; body: string };
  try {
    res = await ctx.client.post(req.path, req.soapAction, req.xml);
  } catch (e) {
    return onFailure(ctx, op, recipe, e);
  }
  const isFault = /<(\w+:)?Fault[\s>]/.test(res.body);
  let answer: GisResponse | null = null;
  let refused: string | null = null;
  if (res.status === 200 || isFault) {
    try {
      answer = parseResponse(res.body);
      checkStateAnswer(answer, op.gisMessageGuid!, items, await requestTransportGuids(ds, op.id, op.messageGuid));
    } catch (e) {
      if (!(e instanceof ResponseError)) throw e;
      refused = e.message;
    }
  }
  // Every answer is archived; a refused one as a fault, so nothing later reads it as the result.
  const kind = res.status !== 200 || refused || answer?.kind === "fault" ? "fault" : answer?.kind === "state" && answer.requestState === 3 ? "result" : "state";
  await appendArchive(ds, { operationId: op.id, kind, body: res.body, httpStatus: res.status, messageGuid: op.gisMessageGuid });
  if (refused) return brokenAnswer(ctx, op, recipe, refused);
  if (!answer) return onFailure(ctx, op, recipe, httpStatusError(res.status));
  const polls = op.polls + 1;
  const cleared = op.errorCode === "MALFORMED" ? { errorCode: null, errorText: null } : {};
  if (answer.kind === "fault") {
    const code = answer.errorCode!;
    if (code === UNKNOWN_MESSAGE) {
      // GIS does not know the message: nobody can say whether it was taken — an import is reconciled, an export sent again.
      const text = `ГИС ЖКХ не знает сообщение ${op.gisMessageGuid} (${code}): результат неизвестен`;
      return recipe.methodKind === "import" ? applyDecision(ctx, op, "reconcile", text, undefined, code, recipe) : repeatExport(ctx, op, text, code);
    }
    return onGisError(ctx, op, recipe, code, answer.errorMessage ?? "", "poll");
  }
  if (answer.kind !== "state") return brokenAnswer(ctx, op, recipe, "getState: ГИС ЖКХ ответила не результатом");
  if (answer.requestState !== 3) {
    const waited = now(ctx).getTime() - (op.sentAt ?? op.createdAt).getTime();
    const expected = ctx.schedule.learn === false ? null : await expectedProcessingMs(ds, op.method, op.stand, op.itemCount);
    const delay = nextPollDelay(ctx.schedule, polls, answer.requestState, waited, expected);
    if (delay === null) {
      const text = `Результат не получен за отведённое время (${Math.round(waited / 60000)} мин)`;
      // An export is simply asked again later; an import's outcome is now unknown: reconcile it.
      return applyDecision(ctx, op, recipe.methodKind === "import" ? "reconcile" : "abort", text, undefined, "TIMEOUT", recipe);
    }
    await transition(ds, op.id, ["sent", "processing"], "processing", { polls, nextPollAt: new Date(now(ctx).getTime() + delay), ...cleared });
    return "processing";
  }
  await ds.getRepository(GisOperation).update({ id: op.id }, { polls, ...cleared });
  if (answer.error) {
    const { code, description } = answer.error;
    if (recipe.methodKind === "import" && NOTHING_CODES.has(code)) {
      // "No objects" says nothing about an import's items: never "done" for them — ask GIS what it has.
      return applyDecision(ctx, op, "reconcile", `${code}: ${description}. ГИС ЖКХ не сообщила результат по объектам`, undefined, code, recipe);
    }
    return onGisError(ctx, { ...op, polls }, recipe, code, description, "poll", true);
  }
  return recordItems(ctx, { ...op, polls }, recipe, answer, items);
}

/** GIS's verdict per item; an import is done only when GIS named every item still pending. */
async function recordItems(
  ctx: ExchangeContext,
  op: GisOperation,
  recipe: RequestRecipe,
  answer: StateAnswer,
  items: GisOperationItem[],
): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  const byTransport = new Map(items.map((i) => [i.transportGuid.toLowerCase(), i]));
  const named = new Set<string>();
  let errors = 0;
  const outcomes: ItemOutcome[] = [];
  for (const r of answer.items) {
    // Checked: every result names a TransportGUID the request carried, once. Results of nested objects
    // (a house's entrances, premises, rooms) are no operation item: the descriptor's apply reads them.
    const item = byTransport.get(r.transportGuid);
    if (!item) continue;
    named.add(r.transportGuid);
    const e = r.errors[0];
    if (e) errors++;
    outcomes.push(
      e
        ? { id: item.id, outcome: "error", errorCode: e.code.slice(0, 20), errorText: e.description }
        : { id: item.id, outcome: "ok", gisGuid: r.guid ? r.guid.toLowerCase() : null },
    );
  }
  await recordItemOutcomes(ds, outcomes);
  const silent = items.filter((i) => i.outcome === "pending" && !named.has(i.transportGuid.toLowerCase()));
  if (recipe.methodKind === "import" && silent.length > 0) {
    // An item GIS said nothing about stays pending: its outcome is unknown, never ok without GIS's word.
    const text = `ГИС ЖКХ не сообщила результат по ${silent.length} из ${items.length} объект(ов)`;
    return applyDecision(ctx, op, "reconcile", text, undefined, "NO_ITEM_RESULT", recipe);
  }
  const final = errors > 0 ? "done_with_errors" : "done";
  await transition(ds, op.id, ["sent", "processing"], final, { answeredAt: now(ctx), nextPollAt: null });
  return final;
}

/**
 * Every TransportGUID of the request GIS is answering — the operation's objects and the nested
 * ones a request carries (a house's entrances, premises and rooms): results may name any of them,
 * nothing else. Read from the signed request as archived, the bytes GIS got.
 */
async function requestTransportGuids(ds: DataSource, operationId: string, messageGuid: string | null): Promise<Set<string>> {
  const entry = await ds.getRepository(ArchiveEntry).findOne({
    where: { operationId, kind: "signed_request", ...(messageGuid ? { messageGuid } : {}) },
    order: { seq: "DESC" },
  });
  const out = new Set<string>();
  for (const m of entry?.body.matchAll(/<base:TransportGUID>([^<]+)<\/base:TransportGUID>/g) ?? []) out.add(m[1].trim().toLowerCase());
  return out;
}

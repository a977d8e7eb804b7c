/** One getState of a sent operation: poll on the schedule (learned processing times, a rate cap per service), archive every answer, record GIS's outcome per item on RequestState 3. */
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { appendArchive } from "../archive";
import { getState } from "../transport/messages/get-state";
import { GisResponse, parseResponse } from "../transport/results/results";
import { nextPollDelay } from "./backoff";
import { ExchangeContext, RequestRecipe, now, reload } from "./context";
import { transition } from "./operation-store";
import { applyDecision, httpFailure, onFailure, onGisError } from "./outcome";
import { takePollSlot } from "./poll-rate";
import { expectedProcessingMs } from "./processing-times";

/** One getState. Returns the state afterwards; on RequestState 3 the items carry GIS's outcome. */
export async function pollOperation(ctx: ExchangeContext, opId: string, recipe: RequestRecipe): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  const op = await reload(ds, opId);
  if (op.state !== "sent" && op.state !== "processing") return op.state;
  await takePollSlot(recipe.service, ctx.schedule.maxPollsPerSecond ?? 0);
  const req = getState(recipe.service, op.gisMessageGuid!, { ...ctx.header, date: now(ctx) });
  let answer: GisResponse;
  try {
    const res = await ctx.client.post(req.path, req.soapAction, req.xml);
    const final = /RequestState>3</.test(res.body);
    await appendArchive(ds, { operationId: op.id, kind: res.status !== 200 ? "fault" : final ? "result" : "state", body: res.body, httpStatus: res.status, messageGuid: op.gisMessageGuid });
    answer = res.status === 200 || /<(\w+:)?Fault[\s>]/.test(res.body) ? parseResponse(res.body) : await httpFailure(res.status);
  } catch (e) {
    return onFailure(ctx, op, recipe, e);
  }
  const polls = op.polls + 1;
  if (answer.kind === "fault") return onGisError(ctx, op, recipe, answer.errorCode ?? "", answer.errorMessage ?? "", "poll");
  if (answer.kind !== "state") return applyDecision(ctx, op, "abort", "getState: ГИС ЖКХ ответила не результатом");
  if (answer.requestState !== 3) {
    const waited = now(ctx).getTime() - (op.sentAt ?? op.createdAt).getTime();
    const expected = ctx.schedule.learn === false ? null : await expectedProcessingMs(ds, op.method, op.stand, op.itemCount);
    const delay = nextPollDelay(ctx.schedule, polls, answer.requestState, waited, expected);
    if (delay === null) {
      const text = `Результат не получен за отведённое время (${Math.round(waited / 60000)} мин)`;
      // An export is simply asked again later; an import's outcome is now unknown: reconcile it.
      return applyDecision(ctx, op, recipe.methodKind === "import" ? "reconcile" : "abort", text, undefined, "TIMEOUT", recipe);
    }
    await transition(ds, op.id, ["sent", "processing"], "processing", { polls, nextPollAt: new Date(now(ctx).getTime() + delay) });
    return "processing";
  }
  if (answer.error) {
    await ds.getRepository(GisOperation).update({ id: op.id }, { polls });
    return onGisError(ctx, { ...op, polls }, recipe, answer.error.code, answer.error.description, "poll");
  }
  const items = await ds.getRepository(GisOperationItem).findBy({ operationId: op.id });
  const byTransport = new Map(items.map((i) => [i.transportGuid.toLowerCase(), i]));
  let errors = 0;
  for (const r of answer.items) {
    const item = byTransport.get(r.transportGuid);
    if (!item) continue; // GIS echoed a TransportGUID we did not send: ignore, the archive keeps it
    const e = r.errors[0];
    if (e) errors++;
    await ds.getRepository(GisOperationItem).update({ id: item.id }, e
      ? { outcome: "error", errorCode: e.code.slice(0, 20), errorText: e.description }
      : { outcome: "ok", gisGuid: r.guid && /^[0-9a-f-]{36}$/i.test(r.guid) ? r.guid : null });
  }
  const final = errors > 0 ? "done_with_errors" : "done";
  await transition(ds, op.id, ["sent", "processing"], final, { polls, answeredAt: now(ctx), nextPollAt: null });
  return final;
}


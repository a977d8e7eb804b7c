/**
 * What a failed step means, by the error policy: a transport failure, an HTTP status or GIS's
 * error code becomes a resend (rebuilt, new MessageGUID), a later poll, a reconcile, an empty
 * result, or a failure with the reason.
 */
import crypto from "node:crypto";
import { GisOperation } from "../../entities/gis-operation";
import { TransportError } from "../transport/http";
import { ResponseError } from "../transport/results/safe-xml";
import { ExchangeContext, RequestRecipe, fail, now } from "./context";
import { rebuildForResend, transition } from "./operation-store";
import { startReconcile } from "./reconcile";

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export async function httpFailure(status: number): Promise<never> {
  throw new HttpStatusError(status);
}

export async function onFailure(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, e: unknown): Promise<GisOperation["state"]> {
  // A poll's failure never makes an import's outcome unknown: GIS has the request (it Acked it).
  const phase = op.state === "signed" ? "send" : "poll";
  const d = e instanceof TransportError
    ? ctx.policy.decide({ networkError: e.code, requestMayHaveArrived: e.requestMayHaveArrived, phase, methodKind: recipe.methodKind, safeToRepeat: recipe.safeToRepeat, attempt: op.attempts })
    : e instanceof HttpStatusError
      ? ctx.policy.decide({ httpStatus: e.status, phase, methodKind: recipe.methodKind, safeToRepeat: recipe.safeToRepeat, attempt: op.attempts })
      : e instanceof ResponseError
        ? { action: "abort" as const, text: e.message }
        : null;
  if (!d) throw e;
  return applyDecision(ctx, op, d.action, d.text, d.retryInMs, undefined, recipe);
}

export async function onGisError(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, code: string, text: string, phase: "send" | "poll") {
  const d = ctx.policy.decide({ code, phase, methodKind: recipe.methodKind, safeToRepeat: recipe.safeToRepeat, attempt: op.attempts });
  return applyDecision(ctx, op, d.action, `${code}: ${text}. ${d.text}`, d.retryInMs, code, recipe);
}

export async function applyDecision(
  ctx: ExchangeContext, op: GisOperation, action: string, text: string, retryInMs?: number, code = "TRANSPORT", recipe?: RequestRecipe,
): Promise<GisOperation["state"]> {
  if (action === "resend_rebuilt" || action === "retry_later") {
    // A poll that failed in transit is simply asked again later; a send is rebuilt with a new MessageGUID.
    if (op.state === "sent" || op.state === "processing") {
      await ctx.ds.getRepository(GisOperation).update({ id: op.id }, { nextPollAt: new Date(now(ctx).getTime() + (retryInMs ?? 0)), errorCode: code.slice(0, 20), errorText: text });
      return op.state;
    }
    await rebuildForResend(ctx.ds, op, crypto.randomUUID());
    await ctx.ds.getRepository(GisOperation).update({ id: op.id }, { nextPollAt: new Date(now(ctx).getTime() + (retryInMs ?? 0)), errorCode: code.slice(0, 20), errorText: text });
    return "signed";
  }
  if (action === "reconcile" && recipe?.safeToRepeat) {
    // GIS takes it twice without harm (a rule of the table or a result that never came): sent again, not checked first.
    await rebuildForResend(ctx.ds, op, crypto.randomUUID());
    await ctx.ds.getRepository(GisOperation).update({ id: op.id }, { nextPollAt: now(ctx), errorCode: code.slice(0, 20), errorText: text });
    return "signed";
  }
  if (action === "reconcile" && recipe) return startReconcile(ctx, op, recipe, text);
  if (action === "empty_result" || action === "empty_dictionary") {
    await transition(ctx.ds, op.id, ["sent", "processing"], "done", { answeredAt: now(ctx), errorCode: code.slice(0, 20), errorText: text });
    return "done";
  }
  await fail(ctx, op, code, text);
  return "failed";
}


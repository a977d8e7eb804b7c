/**
 * What a failed step means, by the error policy: a transport failure, an HTTP status or GIS's
 * error code becomes a resend (rebuilt, new MessageGUID), a later poll, a reconcile, an empty
 * result, or a failure with the reason.
 */
import crypto from "node:crypto";
import { GisOperation, UNKNOWN_OUTCOME } from "../../entities/gis-operation";
import { TransportError } from "../transport/http";
import { ResponseError } from "../transport/results/safe-xml";
import { ExchangeContext, RequestRecipe, fail, now } from "./context";
import { rebuildForResend, transition } from "./operation-store";
import { nextPollDelay } from "./backoff";
import { startReconcile } from "./reconcile";
import { hasUnansweredSend } from "./unanswered-sends";

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

export async function httpFailure(status: number): Promise<never> {
  throw new HttpStatusError(status);
}

export const httpStatusError = (status: number): Error => new HttpStatusError(status);

/** Broken answers to getState in a row before the operation stops polling (an import is then reconciled). */
export const MAX_BROKEN_ANSWERS = 5;
const BROKEN = "MALFORMED";

/** How many broken answers in a row this operation has had, as recorded on it by brokenAnswer. */
function brokenInARow(op: GisOperation): number {
  if (op.errorCode !== BROKEN) return 0;
  const m = /отклонён \((\d+) подряд/.exec(op.errorText ?? "");
  return m ? Number(m[1]) : 0;
}

/**
 * A getState answer that could not be believed (unparseable, another message's, foreign TransportGUIDs,
 * misshapen identifiers): a poll that failed. Asked again on the backoff table; after
 * MAX_BROKEN_ANSWERS in a row an import is reconciled and an export sent again, under a named error.
 */
export async function brokenAnswer(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, reason: string): Promise<GisOperation["state"]> {
  const count = brokenInARow(op) + 1;
  const polls = op.polls + 1;
  const waited = now(ctx).getTime() - (op.sentAt ?? op.createdAt).getTime();
  const delay = count < MAX_BROKEN_ANSWERS ? nextPollDelay(ctx.schedule, polls, null, waited) : null;
  const text = `Ответ ГИС ЖКХ отклонён (${count} подряд, предел ${MAX_BROKEN_ANSWERS}): ${reason}`;
  if (delay === null) {
    const given = `${BROKEN}: ${text}. Опрос прекращён`;
    if (recipe.methodKind === "import") return applyDecision(ctx, op, "reconcile", given, undefined, BROKEN, recipe);
    return repeatExport(ctx, op, given, BROKEN);
  }
  await transition(ctx.ds, op.id, ["sent", "processing"], "processing", {
    polls,
    nextPollAt: new Date(now(ctx).getTime() + delay),
    errorCode: BROKEN,
    errorText: text,
  });
  return "processing";
}

/** An export whose answer is lost for good is sent again as a new message, as often as the policy allows for transport failures. */
export async function repeatExport(ctx: ExchangeContext, op: GisOperation, text: string, code: string): Promise<GisOperation["state"]> {
  const d = ctx.policy.decide({ networkError: code, phase: "send", methodKind: "export", attempt: op.attempts });
  if (d.action !== "resend_rebuilt") {
    await fail(ctx, op, code, `${text}. Попытки исчерпаны (${op.attempts})`);
    return "failed";
  }
  return applyDecision(ctx, op, "resend_rebuilt", `${text}. Выгрузка будет запрошена заново`, d.retryInMs, code, undefined, true);
}

export async function onFailure(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, e: unknown): Promise<GisOperation["state"]> {
  // A poll's failure never makes an import's outcome unknown: GIS has the request (it Acked it).
  const phase = op.state === "signed" ? "send" : "poll";
  const d =
    e instanceof TransportError
      ? ctx.policy.decide({
          networkError: e.code,
          requestMayHaveArrived: e.requestMayHaveArrived,
          phase,
          methodKind: recipe.methodKind,
          safeToRepeat: recipe.safeToRepeat,
          attempt: op.attempts,
        })
      : e instanceof HttpStatusError
        ? ctx.policy.decide({ httpStatus: e.status, phase, methodKind: recipe.methodKind, safeToRepeat: recipe.safeToRepeat, attempt: op.attempts })
        : null;
  if (e instanceof ResponseError) {
    if (phase === "poll") return brokenAnswer(ctx, op, recipe, e.message);
    // A broken answer to a send: GIS may have taken the request — its outcome is unknown.
    const t = ctx.policy.decide({
      networkError: BROKEN,
      requestMayHaveArrived: true,
      phase,
      methodKind: recipe.methodKind,
      safeToRepeat: recipe.safeToRepeat,
      attempt: op.attempts,
    });
    const text = `Ответ ГИС ЖКХ на отправку отклонён (${e.message}): результат отправки неизвестен`;
    return applyDecision(ctx, op, t.action, t.action === "abort" ? `${text}; попытки исчерпаны (${op.attempts})` : text, t.retryInMs, BROKEN, recipe);
  }
  if (!d) throw e;
  if (d.action === "abort" && phase === "poll" && recipe.methodKind === "import") {
    // GIS Acked the message and holds it; only our polls failed: ask GIS what it took (or, when safe, send again).
    return applyDecision(ctx, op, "reconcile", `${d.text}: результат отправки неизвестен`, undefined, "TRANSPORT", recipe);
  }
  if (d.action === "abort" && phase === "send" && recipe.methodKind === "import" && recipe.safeToRepeat) {
    // Resent after failures that may have reached GIS: when the attempts run out, GIS may hold one of them.
    const mayHaveArrived = (e instanceof TransportError && e.requestMayHaveArrived !== false) || (await hasUnansweredSend(ctx.ds, op.id));
    if (mayHaveArrived) {
      await fail(
        ctx,
        op,
        UNKNOWN_OUTCOME,
        `${d.text}; ГИС ЖКХ могла принять одну из отправок без ответа — результат неизвестен: объекты не отправляются повторно автоматически, проверьте в ГИС ЖКХ и отправьте их снова с карточки или из списка`,
      );
      return "failed";
    }
  }
  return applyDecision(ctx, op, d.action, d.text, d.retryInMs, undefined, recipe);
}

/** GIS's error code; `verdict`: it is GIS's final word on the message (RequestState 3), not a poll that failed in transit. */
export async function onGisError(
  ctx: ExchangeContext,
  op: GisOperation,
  recipe: RequestRecipe,
  code: string,
  text: string,
  phase: "send" | "poll",
  verdict = false,
) {
  const d = ctx.policy.decide({ code, phase, methodKind: recipe.methodKind, safeToRepeat: recipe.safeToRepeat, attempt: op.attempts });
  return applyDecision(ctx, op, d.action, `${code}: ${text}. ${d.text}`, d.retryInMs, code, recipe, verdict);
}

export async function applyDecision(
  ctx: ExchangeContext,
  op: GisOperation,
  action: string,
  text: string,
  retryInMs?: number,
  code = "TRANSPORT",
  recipe?: RequestRecipe,
  verdict = false,
): Promise<GisOperation["state"]> {
  if (action === "resend_rebuilt" || action === "retry_later") {
    // A poll that failed in transit is simply asked again later; a send — or a message GIS's final
    // answer refused (EXP001000 in RequestState 3) — is rebuilt with a new MessageGUID.
    if (!verdict && (op.state === "sent" || op.state === "processing")) {
      await ctx.ds
        .getRepository(GisOperation)
        .update({ id: op.id }, { nextPollAt: new Date(now(ctx).getTime() + (retryInMs ?? 0)), errorCode: code.slice(0, 20), errorText: text });
      return op.state;
    }
    await rebuildForResend(ctx.ds, op, crypto.randomUUID());
    await ctx.ds
      .getRepository(GisOperation)
      .update({ id: op.id }, { nextPollAt: new Date(now(ctx).getTime() + (retryInMs ?? 0)), errorCode: code.slice(0, 20), errorText: text });
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

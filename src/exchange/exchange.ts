/**
 * One GIS operation, end to end, resumable at every step because every step is recorded first:
 *   created → (validate against the XSD) validated → (sign; archive request and signed request) signed
 *   → (POST; archive the Ack) sent → (getState; archive every answer) processing → done | done_with_errors | failed.
 * Workers call `advance` with an operation id; it does the next step the record says is due and
 * returns. Nothing is kept in memory between calls.
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { ArchiveEntry } from "../../entities/archive-entry";
import { appendArchive } from "../archive";
import { Signer } from "../signing/signer";
import { signRequest } from "../signing/xades";
import { BuiltRequest, HeaderInput } from "../transport/envelope/envelope";
import { GisHttpClient, TransportError } from "../transport/http";
import { getState } from "../transport/messages/get-state";
import { GisResponse, parseResponse } from "../transport/results/results";
import { ResponseError } from "../transport/results/safe-xml";
import { validateRequest } from "../transport/schema/validate";
import { ServiceName } from "../transport/services";
import { nextPollDelay, PollSchedule } from "./backoff";
import { ErrorPolicy } from "./error-policy";
import { rebuildForResend, transition } from "./operation-store";

export interface ExchangeContext {
  ds: DataSource;
  client: GisHttpClient;
  signer: Signer;
  policy: ErrorPolicy;
  schedule: PollSchedule;
  header: HeaderInput;
  schemaDir?: string;
  now?: () => Date;
}

/** What the operation sends: rebuilt from the model on every (re)send, with the items' TransportGUIDs. */
export interface RequestRecipe {
  service: ServiceName;
  methodKind: "import" | "export";
  fixedVersion?: string;
  build(items: GisOperationItem[], header: HeaderInput): BuiltRequest;
}

const now = (ctx: ExchangeContext) => (ctx.now ? ctx.now() : new Date());

async function fail(ctx: ExchangeContext, op: GisOperation, code: string, text: string): Promise<void> {
  await transition(ctx.ds, op.id, ["created", "validated", "signed", "sent", "processing"], "failed", { errorCode: code.slice(0, 20), errorText: text });
}

/** Validate, sign, record, send. Returns the state the operation is in afterwards. */
export async function sendOperation(ctx: ExchangeContext, opId: string, recipe: RequestRecipe): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  let op = await ds.getRepository(GisOperation).findOneByOrFail({ id: opId });
  if (!["created", "validated", "signed"].includes(op.state)) return op.state;
  const items = await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id }, order: { id: "ASC" } });
  const messageGuid = op.state === "signed" && op.messageGuid ? op.messageGuid : crypto.randomUUID();
  const built = recipe.build(items, { ...ctx.header, messageGuid, date: now(ctx) });

  if (op.state === "created") {
    const problems = await validateRequest(built.xml, recipe.service, { schemaDir: ctx.schemaDir, fixedVersion: recipe.fixedVersion });
    if (problems.length > 0) {
      const text = problems.map((p) => `${p.element ?? "запрос"}: ${p.message}`).join("; ");
      await appendArchive(ds, { operationId: op.id, kind: "request", body: built.xml, messageGuid });
      await ds.getRepository(GisOperationItem).update({ operationId: op.id }, { outcome: "error", errorCode: "XSD", errorText: text.slice(0, 4000) });
      await fail(ctx, op, "XSD", `Запрос не соответствует схеме ГИС ЖКХ и не отправлен: ${text}`);
      return "failed";
    }
    await transition(ds, op.id, ["created"], "validated");
    op.state = "validated";
  }
  // Record before sending: the unsigned and the signed request are in the archive before any byte leaves.
  const signed = await signRequest(built.xml, ctx.signer, { now: now(ctx) });
  await appendArchive(ds, { operationId: op.id, kind: "request", body: built.xml, messageGuid });
  await appendArchive(ds, { operationId: op.id, kind: "signed_request", body: signed, messageGuid });
  if (op.state === "validated") {
    if (!(await transition(ds, op.id, ["validated"], "signed", { messageGuid, attempts: op.attempts + 1 }))) return (await reload(ds, op.id)).state;
  }
  op = await reload(ds, op.id);

  let answer: GisResponse;
  try {
    const res = await ctx.client.post(built.path, built.soapAction, signed);
    await appendArchive(ds, { operationId: op.id, kind: res.status === 200 ? "ack" : "fault", body: res.body, httpStatus: res.status, messageGuid });
    answer = res.status === 200 || /<(\w+:)?Fault[\s>]/.test(res.body) ? parseResponse(res.body) : await httpFailure(res.status);
  } catch (e) {
    return onFailure(ctx, op, recipe, e);
  }
  if (answer.kind === "ack") {
    const delay = nextPollDelay(ctx.schedule, 0, null, 0) ?? 0;
    await transition(ds, op.id, ["signed"], "sent", { gisMessageGuid: answer.messageGuid, sentAt: now(ctx), nextPollAt: new Date(now(ctx).getTime() + delay) });
    return "sent";
  }
  if (answer.kind === "fault") return onGisError(ctx, op, recipe, answer.errorCode ?? "", answer.errorMessage ?? answer.faultString ?? "", "send");
  return fail(ctx, op, "UNEXPECTED", "ГИС ЖКХ ответила на отправку не квитанцией").then(() => "failed" as const);
}

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function httpFailure(status: number): Promise<never> {
  throw new HttpStatusError(status);
}

async function reload(ds: DataSource, id: string): Promise<GisOperation> {
  return ds.getRepository(GisOperation).findOneByOrFail({ id });
}

async function onFailure(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, e: unknown): Promise<GisOperation["state"]> {
  const phase = op.state === "signed" ? "send" : "poll";
  const d = e instanceof TransportError
    ? ctx.policy.decide({ networkError: e.code, requestMayHaveArrived: e.requestMayHaveArrived, phase, methodKind: recipe.methodKind, attempt: op.attempts })
    : e instanceof HttpStatusError
      ? ctx.policy.decide({ httpStatus: e.status, phase, methodKind: recipe.methodKind, attempt: op.attempts })
      : e instanceof ResponseError
        ? { action: "abort" as const, text: e.message }
        : null;
  if (!d) throw e;
  return apply(ctx, op, d.action, d.text, d.retryInMs);
}

async function onGisError(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, code: string, text: string, phase: "send" | "poll") {
  const d = ctx.policy.decide({ code, phase, methodKind: recipe.methodKind, attempt: op.attempts });
  return apply(ctx, op, d.action, `${code}: ${text}. ${d.text}`, d.retryInMs, code);
}

async function apply(ctx: ExchangeContext, op: GisOperation, action: string, text: string, retryInMs?: number, code = "TRANSPORT"): Promise<GisOperation["state"]> {
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
  if (action === "empty_result" || action === "empty_dictionary") {
    await transition(ctx.ds, op.id, ["sent", "processing"], "done", { answeredAt: now(ctx), errorCode: code.slice(0, 20), errorText: text });
    return "done";
  }
  await fail(ctx, op, code, text);
  return "failed";
}

/** One getState. Returns the state afterwards; on RequestState 3 the items carry GIS's outcome. */
export async function pollOperation(ctx: ExchangeContext, opId: string, recipe: RequestRecipe): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  const op = await reload(ds, opId);
  if (op.state !== "sent" && op.state !== "processing") return op.state;
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
  if (answer.kind !== "state") return apply(ctx, op, "abort", "getState: ГИС ЖКХ ответила не результатом");
  if (answer.requestState !== 3) {
    const waited = now(ctx).getTime() - (op.sentAt ?? op.createdAt).getTime();
    const delay = nextPollDelay(ctx.schedule, polls, answer.requestState, waited);
    if (delay === null) return apply(ctx, op, "abort", `Результат не получен за отведённое время (${Math.round(waited / 60000)} мин)`, undefined, "TIMEOUT");
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

/** Archive entries of an operation in order (for the exchange viewer and tests). */
export function operationArchive(ds: DataSource, opId: string): Promise<ArchiveEntry[]> {
  return ds.getRepository(ArchiveEntry).find({ where: { operationId: opId }, order: { seq: "ASC" } });
}

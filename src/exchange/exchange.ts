/**
 * One GIS operation, end to end, resumable at every step because every step is recorded first:
 *   created → (validate against the XSD) validated → (sign; archive request and signed request) signed
 *   → (POST; archive the Ack) sent → (getState; archive every answer) processing → done | done_with_errors | failed.
 * Workers call `advance` with an operation id; it does the next step the record says is due and
 * returns. Nothing is kept in memory between calls.
 */
import crypto from "node:crypto";
import { DataSource, IsNull } from "typeorm";
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
import { takePollSlot } from "./poll-rate";
import { expectedProcessingMs } from "./processing-times";
import { journalCertificateExpiry } from "./certificate-journal";
import { ErrorPolicy } from "./error-policy";
import { FINAL_STATES, RECONCILE_TRIGGER, createOperation, rebuildForResend, transition } from "./operation-store";

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
  /** An import GIS may take twice without harm: after an unknown outcome it is sent again, not reconciled. */
  safeToRepeat?: boolean;
  fixedVersion?: string;
  /** Builds the request for the items still pending (a resend after reconciling carries only those). */
  build(items: GisOperationItem[], header: HeaderInput): BuiltRequest | Promise<BuiltRequest>;
  /** How an import whose outcome is unknown finds out what GIS already has. Without it, such an import fails (never blindly resent). */
  reconcile?: ReconcileRecipe;
}

export type StateAnswer = Extract<GisResponse, { kind: "state" }>;

export interface ReconcileRecipe {
  /** WSDL method of the export (recorded on the child operation). */
  method: string;
  /** The export, built for the parent's pending items. */
  recipe: RequestRecipe;
  /** The GUIDs GIS holds for the items it already has, by objectId (absent = send again). */
  found(answer: StateAnswer, items: GisOperationItem[]): Map<number, string | null> | Promise<Map<number, string | null>>;
}

const now = (ctx: ExchangeContext) => (ctx.now ? ctx.now() : new Date());

async function fail(ctx: ExchangeContext, op: GisOperation, code: string, text: string): Promise<void> {
  // From any state that is not final — reconciling too (its export child failed).
  await transition(ctx.ds, op.id, ["created", "validated", "signed", "sent", "processing", "reconciling"], "failed", { errorCode: code.slice(0, 20), errorText: text });
}

/** Validate, sign, record, send. Returns the state the operation is in afterwards. */
export async function sendOperation(ctx: ExchangeContext, opId: string, recipe: RequestRecipe): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  let op = await ds.getRepository(GisOperation).findOneByOrFail({ id: opId });
  if (!["created", "validated", "signed"].includes(op.state)) return op.state;
  if (op.state === "signed" && op.messageGuid && (await ds.getRepository(ArchiveEntry).existsBy({ operationId: op.id, kind: "signed_request", messageGuid: op.messageGuid }))) {
    // A worker stopped after recording this message as signed: it may have reached GIS. An export is
    // rebuilt and sent again; an import is reconciled — the policy decides, as for a lost answer.
    return onFailure(ctx, op, recipe, new TransportError("работа прервана после подписи запроса", "INTERRUPTED", true));
  }
  // Every message gets a new MessageGUID. A signed operation (resumed, or rebuilt for a resend) claims
  // its new one by a conditional update, so two workers that picked it up at once never both send it.
  const messageGuid = crypto.randomUUID();
  if (op.state === "signed" && !(await claimMessage(ds, op, messageGuid))) return (await reload(ds, op.id)).state;
  const items = await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id, outcome: "pending" }, order: { id: "ASC" } });
  let built: BuiltRequest;
  try {
    built = await recipe.build(items, { ...ctx.header, messageGuid, date: now(ctx) });
  } catch (e) {
    // A builder refuses what the schema cannot carry (too many items, a missing header value): a clear error, nothing sent.
    const text = (e as Error).message;
    await ds.getRepository(GisOperationItem).update({ operationId: op.id, outcome: "pending" }, { outcome: "error", errorCode: "BUILD", errorText: text.slice(0, 4000) });
    await fail(ctx, op, "BUILD", `Запрос не сформирован и не отправлен: ${text}`);
    return "failed";
  }

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
  await journalCertificateExpiry(ds, ctx.signer.certificate, now(ctx));
  // Record before sending: the unsigned and the signed request are in the archive before any byte leaves.
  const signed = await signRequest(built.xml, ctx.signer, { now: now(ctx) });
  await appendArchive(ds, { operationId: op.id, kind: "request", body: built.xml, messageGuid });
  await appendArchive(ds, { operationId: op.id, kind: "signed_request", body: signed, messageGuid });
  if (op.state === "validated") {
    if (!(await transition(ds, op.id, ["validated"], "signed", { messageGuid, attempts: op.attempts + 1 }))) return (await reload(ds, op.id)).state;
  }
  op = await reload(ds, op.id);
  // Another worker took the operation over meanwhile (this one was too slow to keep its job): it sends, not this one.
  if (op.state !== "signed" || op.messageGuid !== messageGuid) return op.state;

  let answer: GisResponse;
  try {
    const res = await ctx.client.post(built.path, built.soapAction, signed);
    await appendArchive(ds, { operationId: op.id, kind: res.status === 200 ? "ack" : "fault", body: res.body, httpStatus: res.status, messageGuid });
    answer = res.status === 200 || /<(\w+:)?Fault[\s>]/.test(res.body) ? parseResponse(res.body) : await httpFailure(res.status);
  } catch (e) {
    return onFailure(ctx, op, recipe, e);
  }
  if (answer.kind === "ack") {
    const expected = ctx.schedule.learn === false ? null : await expectedProcessingMs(ds, op.method, op.stand, op.itemCount);
    const delay = nextPollDelay(ctx.schedule, 0, null, 0, expected) ?? 0;
    await transition(ds, op.id, ["signed"], "sent", { gisMessageGuid: answer.messageGuid, sentAt: now(ctx), nextPollAt: new Date(now(ctx).getTime() + delay) });
    return "sent";
  }
  if (answer.kind === "fault") return onGisError(ctx, op, recipe, answer.errorCode ?? "", answer.errorMessage ?? answer.faultString ?? "", "send");
  return fail(ctx, op, "UNEXPECTED", "ГИС ЖКХ ответила на отправку не квитанцией").then(() => "failed" as const);
}

/** Takes a signed operation's next send for this worker: only if nobody changed it since it was read. */
async function claimMessage(ds: DataSource, op: GisOperation, messageGuid: string): Promise<boolean> {
  const res = await ds.getRepository(GisOperation).createQueryBuilder().update().set({ messageGuid })
    .where({ id: op.id, state: "signed", attempts: op.attempts, messageGuid: op.messageGuid ?? IsNull() }).execute();
  return (res.affected ?? 0) === 1;
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
  return apply(ctx, op, d.action, d.text, d.retryInMs, undefined, recipe);
}

async function onGisError(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, code: string, text: string, phase: "send" | "poll") {
  const d = ctx.policy.decide({ code, phase, methodKind: recipe.methodKind, safeToRepeat: recipe.safeToRepeat, attempt: op.attempts });
  return apply(ctx, op, d.action, `${code}: ${text}. ${d.text}`, d.retryInMs, code, recipe);
}

async function apply(
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
  if (answer.kind !== "state") return apply(ctx, op, "abort", "getState: ГИС ЖКХ ответила не результатом");
  if (answer.requestState !== 3) {
    const waited = now(ctx).getTime() - (op.sentAt ?? op.createdAt).getTime();
    const expected = ctx.schedule.learn === false ? null : await expectedProcessingMs(ds, op.method, op.stand, op.itemCount);
    const delay = nextPollDelay(ctx.schedule, polls, answer.requestState, waited, expected);
    if (delay === null) {
      const text = `Результат не получен за отведённое время (${Math.round(waited / 60000)} мин)`;
      // An export is simply asked again later; an import's outcome is now unknown: reconcile it.
      return apply(ctx, op, recipe.methodKind === "import" ? "reconcile" : "abort", text, undefined, "TIMEOUT", recipe);
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

/** Archive entries of an operation in order (for the exchange viewer and tests). */
export function operationArchive(ds: DataSource, opId: string): Promise<ArchiveEntry[]> {
  return ds.getRepository(ArchiveEntry).find({ where: { operationId: opId }, order: { seq: "ASC" } });
}

/**
 * An import whose outcome is unknown: the operation waits in reconciling while an export child
 * (trigger "reconcile") asks GIS what it already has. Only one child is ever made: the parent's move
 * to reconciling and the child's creation are one transaction, and the move is conditional.
 */
async function startReconcile(ctx: ExchangeContext, op: GisOperation, recipe: RequestRecipe, text: string): Promise<GisOperation["state"]> {
  const r = recipe.reconcile;
  if (!r) {
    await fail(ctx, op, "UNKNOWN_OUTCOME", `${text}. Проверить результат выгрузкой для этого метода нельзя: объекты не отправлены повторно, чтобы не создать дубликаты — проверьте в ГИС ЖКХ вручную`);
    return "failed";
  }
  const made = await ctx.ds.transaction(async (em) => {
    if (!(await transition(em, op.id, [op.state], "reconciling", { errorCode: "RECONCILE", errorText: text, nextPollAt: null }))) return false;
    const pending = await em.getRepository(GisOperationItem).find({ where: { operationId: op.id, outcome: "pending" }, order: { id: "ASC" } });
    await createOperation(em, {
      stand: op.stand, service: r.recipe.service, method: r.method, stage: op.stage, organizationId: op.organizationId,
      parentId: op.id, runId: op.runId, author: op.author, trigger: RECONCILE_TRIGGER,
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
    await fail(ctx, parent, "RECONCILE", `Не удалось проверить в ГИС ЖКХ результат отправки (${child.errorText ?? child.state}); объекты не отправлены повторно, чтобы не создать дубликаты`);
    return "failed";
  }
  const entries = await ds.getRepository(ArchiveEntry).find({ where: { operationId: child.id, kind: "result" }, order: { seq: "DESC" }, take: 1 });
  const answer = entries[0] ? parseResponse(entries[0].body) : null;
  const pending = await ds.getRepository(GisOperationItem).find({ where: { operationId: parentId, outcome: "pending" } });
  // "No objects" (INT002012) is an empty export: GIS has none of them.
  const found = answer && answer.kind === "state" && !answer.error && recipe.reconcile ? await recipe.reconcile.found(answer, pending) : new Map<number, string | null>();
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
    await transition(ds, parentId, ["reconciling"], final, { answeredAt: now(ctx), errorText: `Сверка: все ${pending.length} объект(ов) уже в ГИС ЖКХ, повторная отправка не нужна` });
    return final;
  }
  await rebuildForResend(ds, parent, crypto.randomUUID());
  await ds.getRepository(GisOperation).update({ id: parentId }, {
    errorText: `Сверка: в ГИС ЖКХ уже ${found.size}, повторно отправляются ${missing.length} недостающих`,
  });
  return "signed";
}

/**
 * The next due step of an operation, whatever state it is in: what a worker calls. `recipeFor`
 * gives the recipe of any operation by its method (the reconciling child has its own).
 */
export async function advance(ctx: ExchangeContext, opId: string, recipeFor: (op: GisOperation) => RequestRecipe): Promise<GisOperation["state"]> {
  const op = await reload(ctx.ds, opId);
  const recipe = recipeFor(op);
  switch (op.state) {
    case "created":
    case "validated":
    case "signed":
      return sendOperation(ctx, op.id, recipe);
    case "sent":
    case "processing":
      return pollOperation(ctx, op.id, recipe);
    case "reconciling": {
      const child = await reconcileChild(ctx.ds, op.id);
      if (child && !FINAL_STATES.includes(child.state)) {
        if (!recipe.reconcile) throw new Error(`${op.method}: reconciling without a reconcile recipe`);
        const exportRecipe = recipe.reconcile.recipe;
        await advance(ctx, child.id, () => exportRecipe);
        return "reconciling";
      }
      return finishReconcile(ctx, op.id, recipe);
    }
    default:
      return op.state;
  }
}

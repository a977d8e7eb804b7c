/** Sending one operation: validate against the XSD, sign, archive request and signed request, claim a fresh MessageGUID, POST, record the Ack. */
import { DataSource, In, IsNull, Not } from "typeorm";
import { ArchiveEntry } from "../../entities/archive-entry";
import { GisOperation } from "../../entities/gis-operation";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { appendArchive, appendArchiveAll } from "../archive";
import { OrganizationSigning, SigningRefused } from "../signing/organization-signers";
import { signRequest } from "../signing/xades";
import { BuiltRequest } from "../transport/envelope/envelope";
import { TransportError } from "../transport/http";
import { SERVICES } from "../transport/services";
import { GisResponse, parseResponse } from "../transport/results/results";
import { ResponseError } from "../transport/results/safe-xml";
import { validateRequest } from "../transport/schema/validate";
import { nextPollDelay } from "./backoff";
import { journalCertificateExpiry } from "./certificate-journal";
import { ExchangeContext, RequestRecipe, fail, now, reload } from "./context";
import { RECONCILE_TRIGGER, transition } from "./operation-store";
import { httpStatusError, onFailure, onGisError } from "./outcome";
import { checkAck } from "./answer-checks";
import { expectedProcessingMs } from "./processing-times";

/**
 * Validate, sign, record, send. Returns the state the operation is in afterwards. `opOrId`: the
 * record just read by the caller (advance), or its id to read it here.
 */
export async function sendOperation(ctx: ExchangeContext, opOrId: string | GisOperation, recipe: RequestRecipe): Promise<GisOperation["state"]> {
  const ds = ctx.ds;
  let op = typeof opOrId === "string" ? await reload(ds, opOrId) : opOrId;
  if (!["created", "validated", "signed"].includes(op.state)) return op.state;
  if (
    op.state === "signed" &&
    op.messageGuid &&
    (await ds.getRepository(ArchiveEntry).existsBy({ operationId: op.id, kind: "signed_request", messageGuid: op.messageGuid }))
  ) {
    // A worker stopped after recording this message as signed: it may have reached GIS. An export is
    // rebuilt and sent again; an import is reconciled — the policy decides, as for a lost answer.
    return onFailure(ctx, op, recipe, new TransportError("работа прервана после подписи запроса", "INTERRUPTED", true));
  }
  if (op.state !== "signed" && (await atInFlightCap(ctx, op))) return op.state;
  // Every message gets a new MessageGUID. A signed operation (resumed, or rebuilt for a resend) claims
  // its new one by a conditional update, so two workers that picked it up at once never both send it.
  const messageGuid = crypto.randomUUID();
  if (op.state === "signed" && !(await claimMessage(ds, op, messageGuid))) return (await reload(ds, op.id)).state;
  // Who signs decides the header (IsOperatorSignature): known before the request is built.
  let signing: OrganizationSigning;
  try {
    signing = ctx.signing ? await ctx.signing(SERVICES[recipe.service].isHeader, op.stand) : { signer: ctx.signer, isOperatorSignature: false };
  } catch (e) {
    if (!(e instanceof SigningRefused)) throw e;
    await ds
      .getRepository(GisOperationItem)
      .update({ operationId: op.id, outcome: "pending" }, { outcome: "error", errorCode: e.code, errorText: e.message.slice(0, 4000) });
    await fail(ctx, op, e.code, `Запрос не подписан и не отправлен: ${e.message}`);
    return "failed";
  }
  const items = await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id, outcome: "pending" }, order: { id: "ASC" } });
  let built: BuiltRequest;
  try {
    built = await recipe.build(items, { ...ctx.header, isOperatorSignature: signing.isOperatorSignature || undefined, messageGuid, date: now(ctx) });
  } catch (e) {
    // A builder refuses what the schema cannot carry (too many items, a missing header value): a clear error, nothing sent.
    const text = (e as Error).message;
    await ds
      .getRepository(GisOperationItem)
      .update({ operationId: op.id, outcome: "pending" }, { outcome: "error", errorCode: "BUILD", errorText: text.slice(0, 4000) });
    await fail(ctx, op, "BUILD", `Запрос не сформирован и не отправлен: ${text}`);
    return "failed";
  }

  if (op.state === "created") {
    const problems = await validateRequest(built.xml, recipe.service, {
      schemaDir: ctx.schemaDir,
      formatPackage: ctx.header.formatPackage,
      fixedVersion: recipe.fixedVersion,
    });
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
  await journalCertificateExpiry(ds, signing.signer.certificate, now(ctx));
  // Record before sending: the unsigned and the signed request are in the archive before any byte leaves.
  const signed = await signRequest(built.xml, signing.signer, { now: now(ctx) });
  await appendArchiveAll(ds, [
    { operationId: op.id, kind: "request", body: built.xml, messageGuid },
    { operationId: op.id, kind: "signed_request", body: signed, messageGuid },
  ]);
  if (op.state === "validated") {
    if (!(await transition(ds, op.id, ["validated"], "signed", { messageGuid, attempts: op.attempts + 1 }))) return (await reload(ds, op.id)).state;
  }
  op = await reload(ds, op.id);
  // Another worker took the operation over meanwhile (this one was too slow to keep its job): it sends, not this one.
  if (op.state !== "signed" || op.messageGuid !== messageGuid) return op.state;

  let res: { status: number; body: string };
  try {
    res = await ctx.client.post(built.path, built.soapAction, signed);
  } catch (e) {
    return onFailure(ctx, op, recipe, e);
  }
  await appendArchive(ds, { operationId: op.id, kind: res.status === 200 ? "ack" : "fault", body: res.body, httpStatus: res.status, messageGuid });
  if (res.status !== 200 && !/<(\w+:)?Fault[\s>]/.test(res.body)) return onFailure(ctx, op, recipe, httpStatusError(res.status));
  let answer: GisResponse;
  try {
    answer = parseResponse(res.body);
    // Anything but an Ack for this message or GIS's coded fault is a broken answer: the send's outcome is unknown.
    if (answer.kind === "ack") checkAck(answer, messageGuid);
    else if (answer.kind !== "fault") throw new ResponseError("ГИС ЖКХ ответила на отправку не квитанцией");
    else if (!answer.errorCode || !/^[A-Z]{3}\d{3,7}$/.test(answer.errorCode))
      throw new ResponseError("ГИС ЖКХ ответила на отправку SOAP Fault без кода ошибки");
  } catch (e) {
    return onFailure(ctx, op, recipe, e);
  }
  if (answer.kind === "ack") {
    const expected = ctx.schedule.learn === false ? null : await expectedProcessingMs(ds, op.method, op.stand, op.itemCount);
    const delay = nextPollDelay(ctx.schedule, 0, null, 0, expected) ?? 0;
    await transition(ds, op.id, ["signed"], "sent", { gisMessageGuid: answer.messageGuid, sentAt: now(ctx), nextPollAt: new Date(now(ctx).getTime() + delay) });
    return "sent";
  }
  return onGisError(ctx, op, recipe, answer.errorCode!, answer.errorMessage ?? answer.faultString ?? "", "send");
}

/**
 * The organization has as many operations waiting on GIS as it may (exchange.maxInFlightPerOrganization):
 * this one is put back for a second, so one large organization never takes every slot of the stand
 * from the others. A soft cap: two workers checking at once may both send.
 */
async function atInFlightCap(ctx: ExchangeContext, op: GisOperation): Promise<boolean> {
  const cap = ctx.maxInFlightPerOrganization ?? 0;
  // A reconciling export finishes what its import (counted in flight) started: never held back.
  if (cap <= 0 || op.organizationId === null || op.trigger === RECONCILE_TRIGGER) return false;
  const inFlight = await ctx.ds.getRepository(GisOperation).countBy({
    organizationId: op.organizationId,
    stand: op.stand,
    state: In(["signed", "sent", "processing", "reconciling"]),
    id: Not(op.id),
  });
  if (inFlight < cap) return false;
  await ctx.ds.getRepository(GisOperation).update({ id: op.id, state: op.state }, { nextPollAt: new Date(now(ctx).getTime() + 1000) });
  return true;
}

/** Takes a signed operation's next send for this worker: only if nobody changed it since it was read. */
async function claimMessage(ds: DataSource, op: GisOperation, messageGuid: string): Promise<boolean> {
  const res = await ds
    .getRepository(GisOperation)
    .createQueryBuilder()
    .update()
    .set({ messageGuid })
    .where({ id: op.id, state: "signed", attempts: op.attempts, messageGuid: op.messageGuid ?? IsNull() })
    .execute();
  return (res.affected ?? 0) === 1;
}

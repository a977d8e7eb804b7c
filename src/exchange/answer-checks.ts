/**
 * GIS's answers are untrusted input: before an answer is believed it must be the answer to what we
 * asked (its MessageGUID), name only our TransportGUIDs and each once, and carry identifiers of
 * their type's shape. A refused answer throws ResponseError: the caller polls again.
 */
import { GisOperationItem } from "../../entities/gis-operation-item";
import { GisResponse, ItemResult } from "../transport/results/results";
import { ResponseError, children, text } from "../transport/results/safe-xml";

/** GIS error codes: three letters and digits (SRV006001, INT002012). */
const GIS_CODE = /^[A-Z]{3}\d{3,7}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Identifier shapes by element, to the lengths GIS gives out and our columns hold (entities/):
 * ЕЛС 10, ИЖКУ 13, ИПД 18 characters; registry numbers up to 40 — letters, digits, hyphens.
 */
const SHAPES: Record<string, RegExp> = {
  UnifiedAccountNumber: /^[\p{L}\p{N}]{10}$/u,
  ServiceID: /^[\p{L}\p{N}-]{1,13}$/u,
  PaymentDocumentID: /^[\p{L}\p{N}-]{1,18}$/u,
  UniqueNumber: /^[\p{L}\p{N}-]{1,40}$/u,
  MeteringDeviceGISGKHNumber: /^[\p{L}\p{N}-]{1,40}$/u,
};

/** Null when the value has its element's shape (or the element is not an identifier), else why not. */
export function identifierProblem(element: string, value: string): string | null {
  if (/GUID$/.test(element)) return GUID.test(value) ? null : "не GUID";
  const shape = SHAPES[element];
  if (shape && !shape.test(value)) return "не похоже на идентификатор ГИС ЖКХ (буквы, цифры, дефис, допустимой длины)";
  return null;
}

const shown = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}… (${v.length} символов)` : v).replace(/[<>&"]/g, "?");

function checkItem(r: ItemResult): void {
  const all: Array<[string, string | null]> = [["GUID", r.guid], ["UniqueNumber", r.uniqueNumber], ...Object.entries(r.values)];
  for (const [name, value] of all) {
    if (value === null) continue;
    const p = identifierProblem(name, value);
    if (p) throw new ResponseError(`ответ ГИС ЖКХ: ${name} «${shown(value)}» для TransportGUID ${r.transportGuid} — ${p}`);
  }
}

/**
 * A getState answer checked against the operation it answers: the MessageGUID asked, results only
 * for this operation's TransportGUIDs (its objects' and the nested ones its request carried) and
 * each once, identifiers shaped.
 */
export function checkStateAnswer(answer: GisResponse, askedGuid: string, items: GisOperationItem[], nested: ReadonlySet<string> = new Set()): void {
  if (answer.kind === "ack") throw new ResponseError("ответ ГИС ЖКХ на getState — квитанция о приёме, а не результат");
  if (answer.kind === "fault") {
    if (!answer.errorCode || !GIS_CODE.test(answer.errorCode))
      throw new ResponseError(`ответ ГИС ЖКХ: SOAP Fault без кода ошибки ГИС («${shown(answer.faultString ?? "")}»)`);
    return;
  }
  if (answer.messageGuid !== askedGuid.toLowerCase()) {
    throw new ResponseError(`ответ ГИС ЖКХ относится к другому сообщению: MessageGUID ${answer.messageGuid}, запрошен ${askedGuid}`);
  }
  if (answer.error && !GIS_CODE.test(answer.error.code)) throw new ResponseError(`ответ ГИС ЖКХ: код ошибки «${shown(answer.error.code)}» — не код ГИС`);
  const ours = new Set([...items.map((i) => i.transportGuid.toLowerCase()), ...nested]);
  const named = new Set<string>();
  for (const r of answer.items) {
    if (!ours.has(r.transportGuid)) throw new ResponseError(`ответ ГИС ЖКХ: результат для TransportGUID ${r.transportGuid}, которого нет в этой операции`);
    if (named.has(r.transportGuid)) throw new ResponseError(`ответ ГИС ЖКХ: два результата для TransportGUID ${r.transportGuid}`);
    named.add(r.transportGuid);
    for (const e of r.errors)
      if (!GIS_CODE.test(e.code)) throw new ResponseError(`ответ ГИС ЖКХ: код ошибки «${shown(e.code)}» для TransportGUID ${r.transportGuid} — не код ГИС`);
    checkItem(r);
  }
  checkPayload(answer.result);
}

/** Every identifier anywhere in the result (export payloads too: what a reconcile or an export stage stores) has its shape. */
function checkPayload(el: Element): void {
  for (const c of children(el)) {
    const kids = children(c);
    if (kids.length > 0) {
      checkPayload(c);
      continue;
    }
    const value = text(c);
    if (value === null) continue;
    const p = identifierProblem(c.localName, value);
    if (p) throw new ResponseError(`ответ ГИС ЖКХ: ${c.localName} «${shown(value)}» — ${p}`);
  }
}

/** An Ack checked against the message sent: if GIS echoes our MessageGUID, it must be ours. */
export function checkAck(answer: Extract<GisResponse, { kind: "ack" }>, sentGuid: string): void {
  const echoed = answer.requesterMessageGuid;
  if (echoed && echoed.toLowerCase() !== sentGuid.toLowerCase()) {
    throw new ResponseError(`квитанция ГИС ЖКХ относится к другому сообщению: RequesterMessageGUID ${shown(echoed)}, отправлено ${sentGuid}`);
  }
}

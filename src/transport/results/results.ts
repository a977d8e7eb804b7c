/**
 * GIS answers as typed values, for every service of the pipeline: the Ack of a send, the SOAP
 * fault, and getStateResult with its RequestState, a whole-message ErrorMessage, per-item results
 * matched by TransportGUID (CommonResult, house-management's ImportResult wrapper) and paging marks
 * of exports. Export payloads stay as elements for the stage that asked for them.
 *
 * Both format packages (14.4.0.1, 16.3.0.0) are read the same way: 16.3.0.0 keeps getStateResult's
 * frame and base:version and only adds choices — house-management CommonResult payloads
 * (AbsenceDeviceImportResult, importVotingInformation) and result kinds, payment's
 * exportForPaymentAggregatorResult — so nothing here names a result kind. The whole-message error is
 * only a direct child ErrorMessage: 16.3.0.0 puts ErrorMessage inside aggregator requisites too.
 */
import { ResponseError, child, children, descendant, parseUntrusted, text } from "./safe-xml";

export interface GisError {
  code: string;
  description: string;
  /** Present only when GIS sent one. */
  stackTrace?: string;
}

/** NSI paged exports (NsiPagingItem): page numbers as GIS reports them. */
export interface NsiPage {
  totalItems: number | null;
  totalPages: number;
  currentPage: number;
}

export interface ParseOptions {
  /** Refuse answers larger than this many bytes (default 50 MB, DEFAULT_MAX_RESPONSE_BYTES). */
  maxBytes?: number;
}

export interface ItemResult {
  transportGuid: string;
  guid: string | null;
  uniqueNumber: string | null;
  updateDate: string | null;
  errors: GisError[];
  /** Service-specific values of the result (UnifiedAccountNumber, ServiceID, MeteringDeviceGUID, ContractGUID…). */
  values: Record<string, string>;
}

export type GisResponse =
  | { kind: "ack"; messageGuid: string; requesterMessageGuid: string | null }
  | { kind: "fault"; faultCode: string | null; faultString: string | null; errorCode: string | null; errorMessage: string | null }
  | {
      kind: "state";
      requestState: 1 | 2 | 3;
      messageGuid: string;
      /** Whole-message error (getStateResult/ErrorMessage, or inside a house-management ImportResult). */
      error: GisError | null;
      items: ItemResult[];
      /** For paged exports: true on the last page, false when more follow, null when not paged. */
      lastPage: boolean | null;
      /** The GUID to ask for the next page with, by its element name. */
      nextPage: { element: string; guid: string } | null;
      /** NSI paging numbers, when the result is an NsiPagingItem. */
      nsiPage: NsiPage | null;
      /** Local name of the result payload (ImportResult, exportAccountResult, NsiItem…), null while processing. */
      resultKind: string | null;
      /** The result element itself (exports read their payload from it). */
      result: Element;
    };

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const PAGE_GUIDS = ["ExportContractRootGUID", "ExportObjectGUID", "ExportMeteringDeviceRootGUID", "ExportNotificationsOfOrderExecutionGUID", "NextPageGUID"];

/** GIS writes 1900-01-01 and 5000-01-01 for "no value". */
export function gisDate(value: string | null): string | null {
  if (!value) return null;
  return /^(1900-01-01|5000-01-01)/.test(value) ? null : value;
}

function guid(value: string | null, where: string): string {
  if (!value || !GUID_RE.test(value)) throw new ResponseError(`ответ ГИС ЖКХ: ${where} — не GUID («${value ?? ""}»)`);
  return value.toLowerCase();
}

function errorOf(el: Element): GisError {
  const e: GisError = { code: text(child(el, "ErrorCode")) ?? "?", description: text(child(el, "Description")) ?? text(child(el, "ErrorMessage")) ?? "" };
  const st = text(child(el, "StackTrace"));
  if (st) e.stackTrace = st;
  return e;
}

const COMMON = new Set(["GUID", "TransportGUID", "UniqueNumber", "UpdateDate", "Error"]);

function itemOf(el: Element): ItemResult {
  const values: Record<string, string> = {};
  const collect = (e: Element) => {
    for (const c of children(e)) {
      if (COMMON.has(c.localName)) continue;
      if (children(c).length > 0) collect(c);
      else if (text(c) !== null) values[c.localName] = text(c)!;
    }
  };
  collect(el);
  return {
    transportGuid: guid(text(child(el, "TransportGUID")), "TransportGUID"),
    guid: text(child(el, "GUID")),
    uniqueNumber: text(child(el, "UniqueNumber")),
    updateDate: gisDate(text(child(el, "UpdateDate"))),
    errors: children(el, "Error").map(errorOf),
    values,
  };
}

/** Parses an answer of any pipeline service: Ack, SOAP fault, or getStateResult. Throws ResponseError on anything else. */
export function parseResponse(xml: string, opts?: number | ParseOptions): GisResponse {
  const doc = parseUntrusted(xml, typeof opts === "number" ? opts : opts?.maxBytes);
  const envelope = doc.documentElement;
  if (envelope.localName !== "Envelope") throw new ResponseError(`ответ ГИС ЖКХ: ожидался SOAP Envelope, получен ${envelope.localName}`);
  const body = child(envelope, "Body");
  const payload = body ? children(body)[0] : undefined;
  if (!payload) throw new ResponseError("ответ ГИС ЖКХ: пустое тело SOAP");

  if (payload.localName === "Fault") {
    const detail = child(payload, "detail") ? (descendant(child(payload, "detail")!, "Fault") ?? child(payload, "detail")!) : payload;
    return {
      kind: "fault",
      faultCode: text(child(payload, "faultcode")),
      faultString: text(child(payload, "faultstring")),
      errorCode: text(child(detail, "ErrorCode")),
      errorMessage: text(child(detail, "ErrorMessage")),
    };
  }
  if (payload.localName === "AckRequest") {
    const ack = child(payload, "Ack");
    if (!ack) throw new ResponseError("ответ ГИС ЖКХ: AckRequest без Ack");
    return {
      kind: "ack",
      messageGuid: guid(text(child(ack, "MessageGUID")), "Ack/MessageGUID"),
      requesterMessageGuid: text(child(ack, "RequesterMessageGUID")),
    };
  }
  if (payload.localName !== "getStateResult") throw new ResponseError(`ответ ГИС ЖКХ: неожиданный элемент ${payload.localName}`);

  const stateText = text(child(payload, "RequestState"));
  if (stateText !== "1" && stateText !== "2" && stateText !== "3")
    throw new ResponseError(`ответ ГИС ЖКХ: RequestState «${stateText ?? ""}» — ожидается 1, 2 или 3`);
  const items: ItemResult[] = [];
  let error: GisError | null = null;
  const whole = child(payload, "ErrorMessage");
  if (whole) error = errorOf(whole);
  for (const r of children(payload, "ImportResult")) {
    if (child(r, "TransportGUID")) items.push(itemOf(r)); // CommonResultType directly (dm, bills, payment, nsi)
    for (const c of children(r, "CommonResult")) items.push(itemOf(c)); // house-management's wrapper
    const inner = child(r, "ErrorMessage");
    if (inner && !error) error = errorOf(inner);
  }
  for (const c of children(payload, "CommonResult")) items.push(itemOf(c));

  let lastPage: boolean | null = null;
  const isLast = descendant(payload, "IsLastPage") ?? descendant(payload, "LastPage");
  if (isLast) lastPage = text(isLast) !== "false";
  const isNext = descendant(payload, "IsNextPage");
  if (isNext) lastPage = text(isNext) === "false";
  let nextPage: { element: string; guid: string } | null = null;
  for (const name of PAGE_GUIDS) {
    const el = descendant(payload, name);
    if (el && text(el)) {
      nextPage = { element: name, guid: guid(text(el), name) };
      if (lastPage === null) lastPage = false;
      break;
    }
  }
  let nsiPage: NsiPage | null = null;
  const paging = child(payload, "NsiPagingItem");
  if (paging) {
    const n = (name: string) => {
      const t = text(child(paging, name));
      return t === null ? null : Number(t);
    };
    nsiPage = { totalItems: n("TotalItemsCount"), totalPages: n("TotalPages") ?? 1, currentPage: n("CurrentPage") ?? 1 };
    if (lastPage === null) lastPage = nsiPage.currentPage >= nsiPage.totalPages;
  }
  const first = children(payload).find((c) => !["Signature", "RequestState", "MessageGUID"].includes(c.localName));
  return {
    kind: "state",
    requestState: Number(stateText) as 1 | 2 | 3,
    messageGuid: guid(text(child(payload, "MessageGUID")), "getStateResult/MessageGUID"),
    error,
    items,
    lastPage,
    nextPage,
    nsiPage,
    resultKind: first?.localName ?? null,
    result: payload,
  };
}

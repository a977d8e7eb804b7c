/**
 * The SOAP answers the stand writes: the Ack of an accepted request (base:AckRequest with
 * base:ResultHeader), the SOAP fault (base:Fault in detail), and the getStateResult envelope that is
 * then signed. All through the project's canonical emitter, so the signed container's bytes are
 * already exclusive-canonical.
 */
import { gisDateTime } from "../../transport/envelope/envelope";
import { XNode, el, leaf, serialize } from "../../transport/envelope/xml";

const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
const DECL = '<?xml version="1.0" encoding="UTF-8"?>';

function envelope(header: XNode | null, body: XNode): string {
  const scope = new Map([["soapenv", SOAP_NS]]);
  const h = header ? serialize(el("soapenv:Header", null, header), scope) : "";
  return `${DECL}<soapenv:Envelope xmlns:soapenv="${SOAP_NS}">${h}<soapenv:Body>${serialize(body, scope)}</soapenv:Body></soapenv:Envelope>`;
}

function resultHeader(messageGuid: string, now: Date): XNode {
  return el("base:ResultHeader", null, leaf("base:Date", gisDateTime(now)), leaf("base:MessageGUID", messageGuid));
}

export function ackAnswer(messageGuid: string, requesterMessageGuid: string, now = new Date()): string {
  return envelope(
    resultHeader(messageGuid, now),
    el("base:AckRequest", null, el("base:Ack", null, leaf("base:MessageGUID", messageGuid), leaf("base:RequesterMessageGUID", requesterMessageGuid))),
  );
}

/** `client` faults are the sender's fault (format, signature, rights); the rest are the server's. */
export function faultAnswer(code: string, text: string, client = true): string {
  return envelope(
    null,
    el(
      "soapenv:Fault",
      null,
      leaf("faultcode", client ? "soapenv:Client" : "soapenv:Server"),
      leaf("faultstring", text),
      el("detail", null, el("base:Fault", null, leaf("base:ErrorCode", code), leaf("base:ErrorMessage", text))),
    ),
  );
}

/** The getStateResult element of a service: signed container, RequestState, MessageGUID, then the payload. */
export function stateResult(prefix: string, version: string, state: 1 | 2 | 3, messageGuid: string, payload: XNode[]): XNode {
  return el(
    `${prefix}:getStateResult`,
    { Id: "signed-data-container", "base:version": version },
    leaf("base:RequestState", String(state)),
    leaf("base:MessageGUID", messageGuid),
    payload,
  );
}

/** The unsigned envelope around a serialized getStateResult (signing inserts ds:Signature into it). */
export function stateEnvelope(resultXml: string, messageGuid: string, now = new Date()): string {
  const scope = new Map([["soapenv", SOAP_NS]]);
  const h = serialize(el("soapenv:Header", null, resultHeader(messageGuid, now)), scope);
  return `${DECL}<soapenv:Envelope xmlns:soapenv="${SOAP_NS}">${h}<soapenv:Body>${resultXml}</soapenv:Body></soapenv:Envelope>`;
}

export function errorMessage(code: string, description: string): XNode {
  return el("base:ErrorMessage", null, leaf("base:ErrorCode", code), leaf("base:Description", description));
}

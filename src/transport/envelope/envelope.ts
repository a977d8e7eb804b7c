/**
 * The SOAP 1.1 envelope around a request: RequestHeader (Date, MessageGUID, orgPPAGUID,
 * IsOperatorSignature when the IS operator signs for an organization) or ISRequestHeader for
 * nsi-common and organizations-registry-common. The body element (the signed container) is
 * serialized on its own as an exclusive-c14n apex and spliced in unchanged, so its bytes on the
 * wire are exactly its canonical form.
 */
import crypto from "node:crypto";
import type { FormatPackage } from "../../methods/method";
import { SERVICES, ServiceName } from "../services";
import { XNode, el, serialize } from "./xml";

export interface HeaderInput {
  /** The organization the request is for (RequestHeader only; required there). */
  orgPPAGUID?: string;
  /** The information system operator signs on behalf of the organization. */
  isOperatorSignature?: boolean;
  /** The sender's MessageGUID; a new one is generated when absent (every resend needs a new one). */
  messageGuid?: string;
  date?: Date;
  /** The installation's UTC offset for Date, minutes (Moscow +180). */
  offsetMinutes?: number;
  /** The format package whose base:version the request carries (setting gis.formatPackage; default the newest). */
  formatPackage?: FormatPackage;
}

export interface BuiltRequest {
  service: ServiceName;
  /** WSDL operation name (SOAPAction is urn:<operation>). */
  operation: string;
  /** Endpoint path, appended to the stand's base address. */
  path: string;
  soapAction: string;
  messageGuid: string;
  /** Local name of the SOAP Body child. */
  element: string;
  /** base:version written on the container ("" for getState, which has none). */
  version: string;
  /** The whole envelope, UTF-8 text, starting with the XML declaration. */
  xml: string;
  /** The container's bytes as they stand in `xml` (already exclusive-canonical). */
  container: string;
}

export const CONTAINER_ID = "signed-data-container";

/** xs:dateTime with the installation's offset. */
export function gisDateTime(d: Date, offsetMinutes = 180): string {
  const local = new Date(d.getTime() + offsetMinutes * 60_000).toISOString().replace("Z", "");
  const abs = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes >= 0 ? "+" : "-"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function headerNode(service: ServiceName, operation: string, h: HeaderInput, messageGuid: string): XNode {
  const date = gisDateTime(h.date ?? new Date(), h.offsetMinutes);
  if (SERVICES[service].isHeader) {
    return el("base:ISRequestHeader", null, el("base:Date", null, date), el("base:MessageGUID", null, messageGuid));
  }
  if (!h.orgPPAGUID) throw new Error(`${operation}: не указан orgPPAGUID организации (RequestHeader)`);
  if (!GUID_RE.test(h.orgPPAGUID)) throw new Error(`${operation}: orgPPAGUID «${h.orgPPAGUID}» — не GUID`);
  return el(
    "base:RequestHeader",
    null,
    el("base:Date", null, date),
    el("base:MessageGUID", null, messageGuid),
    el("base:orgPPAGUID", null, h.orgPPAGUID),
    h.isOperatorSignature ? el("base:IsOperatorSignature", null, "true") : null,
  );
}

/** Wraps a container (the Body child) into the envelope for `service`/`operation`. */
export function buildEnvelope(service: ServiceName, operation: string, container: XNode, h: HeaderInput = {}): BuiltRequest {
  const svc = SERVICES[service];
  const messageGuid = h.messageGuid ?? crypto.randomUUID();
  const header = serialize(el("soapenv:Header", null, headerNode(service, operation, h, messageGuid)), new Map([["soapenv", SOAP]]));
  const body = serialize(container);
  const xml = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAP}">${header}<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
  const version = container.attrs.find(([k]) => k === "base:version")?.[1] ?? "";
  return {
    service,
    operation,
    path: svc.path,
    soapAction: `urn:${operation}`,
    messageGuid,
    element: container.name.slice(container.name.indexOf(":") + 1),
    version,
    xml,
    container: body,
  };
}

const SOAP = "http://schemas.xmlsoap.org/soap/envelope/";

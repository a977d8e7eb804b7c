/**
 * The SOAP 1.1 envelope around a request: RequestHeader (Date, MessageGUID, orgPPAGUID,
 * IsOperatorSignature when the IS operator signs for an organization) or ISRequestHeader for
 * nsi-common and organizations-registry-common. The body element declares every namespace it
 * uses itself, so the signed container does not depend on the envelope.
 */
import crypto from "node:crypto";
import { BASE_NS, SERVICES, SOAP_NS, ServiceName } from "../services";
import { XmlElement, el } from "./xml";

export interface HeaderInput {
  /** The organization the request is for (RequestHeader only). */
  orgPPAGUID?: string;
  /** The information system operator signs on behalf of the organization. */
  isOperatorSignature?: boolean;
  messageGuid?: string;
  date?: Date;
  /** The installation's UTC offset for Date, minutes (Moscow +180). */
  offsetMinutes?: number;
}

export interface BuiltRequest {
  service: ServiceName;
  path: string;
  soapAction: string;
  messageGuid: string;
  xml: string;
}

/** xs:dateTime with the installation's offset. */
export function gisDateTime(d: Date, offsetMinutes = 180): string {
  const local = new Date(d.getTime() + offsetMinutes * 60_000).toISOString().replace("Z", "");
  const abs = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes >= 0 ? "+" : "-"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export function buildEnvelope(service: ServiceName, operation: string, body: XmlElement, h: HeaderInput = {}): BuiltRequest {
  const svc = SERVICES[service];
  const messageGuid = h.messageGuid ?? crypto.randomUUID();
  const date = gisDateTime(h.date ?? new Date(), h.offsetMinutes);
  let header: XmlElement;
  if (svc.isHeader) {
    header = el("base:ISRequestHeader", null, el("base:Date", null, date), el("base:MessageGUID", null, messageGuid));
  } else {
    if (!h.orgPPAGUID) throw new Error(`${operation}: не указан orgPPAGUID организации (RequestHeader)`);
    header = el("base:RequestHeader", null,
      el("base:Date", null, date), el("base:MessageGUID", null, messageGuid), el("base:orgPPAGUID", null, h.orgPPAGUID),
      h.isOperatorSignature ? el("base:IsOperatorSignature", null, "true") : null);
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>` + el("soapenv:Envelope", { "xmlns:base": BASE_NS, "xmlns:soapenv": SOAP_NS },
    el("soapenv:Header", null, header), el("soapenv:Body", null, body)).xml;
  return { service, path: svc.path, soapAction: `urn:${operation}`, messageGuid, xml };
}

/**
 * The built-in GIS ЖКХ stand (emulator): the contract between its core (HTTP/SOAP server, Ack,
 * getState, checks, faults, persistence, inspection — src/stand/core/) and its business handlers
 * (what each GIS method does to the stand's state — src/stand/handlers/).
 *
 * The core parses and checks a request, then calls the handler registered for its operation in the
 * background; the handler reads the request, changes the state and returns the children of the
 * getStateResult (after RequestState and MessageGUID). A handler throws StandError for a
 * whole-message error (getStateResult/ErrorMessage); per-item errors are part of what it returns.
 */
import { XNode } from "../transport/envelope/xml";
import { ServiceName } from "../transport/services";

/** Roles as GIS names them (nsiRef 20): УО, РСО, ТСЖ/ЖСК, РКЦ, оператор ИС… */
export type StandRole = "UO" | "RSO" | "TSG" | "RKC" | "OPERATOR";

export interface StandOrganization {
  orgPPAGUID: string;
  orgRootEntityGUID: string;
  orgVersionGUID: string;
  ogrn: string;
  inn: string;
  kpp: string | null;
  fullName: string;
  shortName: string;
  roles: StandRole[];
  /** SHA-1 fingerprints (hex, lower case) of certificates allowed to sign for this organization. */
  certificateFingerprints: string[];
}

/**
 * Keyed collections of plain JSON objects. The core persists all tables to the data file and
 * counts them for inspection; handlers own their tables' shapes. Keys are GIS GUIDs unless a
 * handler documents otherwise.
 */
export interface StandStore {
  table<T extends object>(name: string): Map<string, T>;
  /** A new GUID, lower case. */
  guid(): string;
  /** GIS-style unique numbers: a running counter per kind ("account", "ELS", "ZhKU", "PD"…). */
  nextNumber(kind: string): number;
  /** Records a duplicate the stand found in itself (must never happen); inspection reports them. */
  duplicate(kind: string, key: string): void;
  organizations(): StandOrganization[];
  organization(orgPPAGUID: string): StandOrganization | undefined;
}

export interface StandRequest {
  service: ServiceName;
  /** WSDL operation (SOAPAction without urn:), e.g. importAccountData. */
  operation: string;
  /** The request element (Id="signed-data-container"), parsed. */
  body: Element;
  /** base:version of the request element. */
  version: string;
  /** The sender from RequestHeader/orgPPAGUID; null for ISRequestHeader (nsi-common, org-registry-common). */
  org: StandOrganization | null;
  /** Our answer's MessageGUID (GIS's, given in the Ack). */
  messageGuid: string;
  /** The sender's MessageGUID. */
  requesterMessageGuid: string;
  received: Date;
}

export type StandHandler = (req: StandRequest, store: StandStore) => XNode[] | Promise<XNode[]>;

/** One entry per WSDL operation the stand answers. */
export interface HandlerSpec {
  service: ServiceName;
  operation: string;
  /** Namespace prefix (as in src/transport/envelope/xml.ts NS) of the service's getStateResult. */
  resultPrefix: string;
  /** base:version written on getStateResult. */
  resultVersion: string;
  handle: StandHandler;
}

/** A whole-message error: getStateResult/ErrorMessage with the GIS code and text. */
export class StandError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
    this.name = "StandError";
  }
}

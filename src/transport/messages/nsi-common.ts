/** nsi-common: the common GIS dictionaries (НСИ), exported by registry number. ISRequestHeader. */
import { BuiltRequest, HeaderInput, buildEnvelope } from "../envelope/envelope";
import { XNode, leaf, opt } from "../envelope/xml";
import { container } from "./common";

export const VERSIONS = { exportNsiItemRequest: "10.0.1.2", exportNsiPagingItemRequest: "10.0.1.2", exportNsiListRequest: "10.0.1.2" } as const;

export type ListGroup = "NSI" | "NSIRAO";

export interface ExportNsiItemInput {
  registryNumber: number;
  /** NSI: common dictionaries; NSIRAO: the housing fund's. */
  listGroup: ListGroup;
  /** xs:dateTime: only elements modified after it. */
  modifiedAfter?: string;
}

export interface ExportNsiPagingItemInput extends ExportNsiItemInput {
  /** 1-based page, 1000 elements per page. */
  page: number;
}

export interface ExportNsiListInput {
  listGroup?: ListGroup;
}

export function exportNsiItemBody(i: ExportNsiItemInput): XNode {
  return container("nsi-common:exportNsiItemRequest", VERSIONS.exportNsiItemRequest,
    leaf("nsi-common:RegistryNumber", String(i.registryNumber)),
    leaf("nsi-base:ListGroup", i.listGroup),
    opt("nsi-common:ModifiedAfter", i.modifiedAfter));
}

export function exportNsiPagingItemBody(i: ExportNsiPagingItemInput): XNode {
  return container("nsi-common:exportNsiPagingItemRequest", VERSIONS.exportNsiPagingItemRequest,
    leaf("nsi-common:RegistryNumber", String(i.registryNumber)),
    leaf("nsi-base:ListGroup", i.listGroup),
    leaf("nsi-common:Page", String(i.page)),
    opt("nsi-common:ModifiedAfter", i.modifiedAfter));
}

export function exportNsiListBody(i: ExportNsiListInput): XNode {
  return container("nsi-common:exportNsiListRequest", VERSIONS.exportNsiListRequest, opt("nsi-base:ListGroup", i.listGroup));
}

export function exportNsiItem(i: ExportNsiItemInput, h: HeaderInput = {}): BuiltRequest {
  return buildEnvelope("nsi-common", "exportNsiItem", exportNsiItemBody(i), h);
}

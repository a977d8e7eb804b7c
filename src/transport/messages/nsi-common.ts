/** nsi-common: the common GIS dictionaries (НСИ), exported by registry number. */
import { buildEnvelope, BuiltRequest, HeaderInput } from "../envelope/envelope";
import { el, opt } from "../envelope/xml";
import { BASE_NS, LIB_NS, SERVICES } from "../services";

export const VERSIONS = { exportNsiItemRequest: "10.0.1.2" } as const;

export interface ExportNsiItemInput {
  registryNumber: number;
  /** NSI: common dictionaries; NSIRAO: the housing fund's. */
  listGroup: "NSI" | "NSIRAO";
  modifiedAfter?: string;
}

export function exportNsiItem(i: ExportNsiItemInput, h: HeaderInput = {}): BuiltRequest {
  const ns = SERVICES["nsi-common"].ns;
  const body = el("nsi-common:exportNsiItemRequest",
    { "xmlns:base": BASE_NS, "xmlns:nsi-base": LIB_NS["nsi-base"], "xmlns:nsi-common": ns, Id: "signed-data-container", "base:version": VERSIONS.exportNsiItemRequest },
    el("nsi-common:RegistryNumber", null, String(i.registryNumber)),
    el("nsi-base:ListGroup", null, i.listGroup),
    opt("nsi-common:ModifiedAfter", i.modifiedAfter));
  return buildEnvelope("nsi-common", "exportNsiItem", body, h);
}

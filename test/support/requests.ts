/** Ready-made requests the protocol, signing, exchange and stand tests send (through the method modules). */
import { exportNsiItem as exportNsiItemMethod, ExportNsiItemInput } from "../../src/methods/nsi-common/export-nsi-item";
import { exportOrgRegistry as exportOrgRegistryMethod, OrgSearch } from "../../src/methods/organizations-registry-common/export-org-registry";
import { BuiltRequest, HeaderInput } from "../../src/transport/envelope/envelope";
import { buildMethodRequest } from "../../src/transport/messages/build";

export function exportOrgRegistry(criteria: OrgSearch[], h: HeaderInput = {}): BuiltRequest {
  return buildMethodRequest(exportOrgRegistryMethod, h, { criteria });
}

export function exportNsiItem(i: ExportNsiItemInput, h: HeaderInput = {}): BuiltRequest {
  return buildMethodRequest(exportNsiItemMethod, h, i);
}

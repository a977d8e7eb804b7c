/** organizations-registry-common: the request helper tests and the signing checks use (the methods are in src/methods/organizations-registry-common/). */
import { BuiltRequest, HeaderInput } from "../envelope/envelope";
import { OrgSearch, exportOrgRegistry as exportOrgRegistryMethod } from "../../methods/organizations-registry-common/export-org-registry";
import { buildMethodRequest } from "./build";

export type { OrgSearch, ExportOrgRegistryInput } from "../../methods/organizations-registry-common/export-org-registry";

/** Up to 100 criteria per request (the schema's limit). */
export function exportOrgRegistry(criteria: OrgSearch[], h: HeaderInput = {}): BuiltRequest {
  return buildMethodRequest(exportOrgRegistryMethod, h, { criteria });
}

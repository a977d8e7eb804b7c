/** organizations-registry-common: looking organizations up in the GIS registry. ISRequestHeader. */
import { BuiltRequest, HeaderInput } from "../envelope/envelope";
import { OrgSearch, exportOrgRegistry as exportOrgRegistryMethod } from "../../methods/organizations-registry-common/export-org-registry";
import { buildMethodRequest } from "./build";
import { XNode, leaf, opt } from "../envelope/xml";
import { checkCount, container, flag } from "./common";
import { el } from "../envelope/xml";

export const VERSIONS = { exportDataProviderRequest: "10.0.2.1" } as const;

export type { OrgSearch, ExportOrgRegistryInput } from "../../methods/organizations-registry-common/export-org-registry";

export interface ExportDataProviderInput {
  /** Only active data providers. */
  isActual?: boolean;
}

export function exportDataProviderBody(i: ExportDataProviderInput): XNode {
  return container("orc:exportDataProviderRequest", VERSIONS.exportDataProviderRequest, flag("orc:IsActual", i.isActual));
}

/** Up to 100 criteria per request (the schema's limit). */
export function exportOrgRegistry(criteria: OrgSearch[], h: HeaderInput = {}): BuiltRequest {
  return buildMethodRequest(exportOrgRegistryMethod, h, { criteria });
}

/** organizations-registry-common: looking organizations up in the GIS registry. ISRequestHeader. */
import { BuiltRequest, HeaderInput, buildEnvelope } from "../envelope/envelope";
import { XNode, leaf, opt } from "../envelope/xml";
import { checkCount, container, flag } from "./common";
import { el } from "../envelope/xml";

export const VERSIONS = { exportOrgRegistryRequest: "10.0.2.1", exportDataProviderRequest: "10.0.2.1" } as const;

/** One SearchCriteria: exactly one key, plus isRegistered (only registered organizations). */
export type OrgSearch = (
  | { ogrn: string; kpp?: string }
  | { ogrnip: string }
  | { nza: string }
  | { orgVersionGUID: string }
  | { orgRootEntityGUID: string }
  | { orgPPAGUID: string }
) & { isRegistered?: boolean };

export interface ExportOrgRegistryInput {
  /** 1..100 criteria. */
  criteria: OrgSearch[];
  /** xs:date: only versions edited since. */
  lastEditingDateFrom?: string;
}

export interface ExportDataProviderInput {
  /** Only active data providers. */
  isActual?: boolean;
}

export function exportOrgRegistryBody(i: ExportOrgRegistryInput): XNode {
  checkCount("exportOrgRegistry", "SearchCriteria", i.criteria.length, 1, 100);
  return container("orc:exportOrgRegistryRequest", VERSIONS.exportOrgRegistryRequest,
    i.criteria.map((c) => el("orc:SearchCriteria", null,
      "ogrn" in c ? [leaf("org-base:OGRN", c.ogrn), opt("org-base:KPP", c.kpp)]
        : "ogrnip" in c ? leaf("org-base:OGRNIP", c.ogrnip)
          : "nza" in c ? leaf("org-base:NZA", c.nza)
            : "orgVersionGUID" in c ? leaf("org-reg-base:orgVersionGUID", c.orgVersionGUID)
              : "orgRootEntityGUID" in c ? leaf("org-reg-base:orgRootEntityGUID", c.orgRootEntityGUID)
                : leaf("orc:orgPPAGUID", c.orgPPAGUID),
      flag("orc:isRegistered", c.isRegistered))),
    opt("orc:lastEditingDateFrom", i.lastEditingDateFrom));
}

export function exportDataProviderBody(i: ExportDataProviderInput): XNode {
  return container("orc:exportDataProviderRequest", VERSIONS.exportDataProviderRequest, flag("orc:IsActual", i.isActual));
}

/** Up to 100 criteria per request (the schema's limit). */
export function exportOrgRegistry(criteria: OrgSearch[], h: HeaderInput = {}): BuiltRequest {
  return buildEnvelope("organizations-registry-common", "exportOrgRegistry", exportOrgRegistryBody({ criteria }), h);
}

/** organizations-registry-common: looking organizations up in the GIS registry (orgPPAGUID, versions). */
import { buildEnvelope, BuiltRequest, HeaderInput } from "../envelope/envelope";
import { el } from "../envelope/xml";
import { BASE_NS, LIB_NS, SERVICES } from "../services";

export const VERSIONS = { exportOrgRegistryRequest: "10.0.2.1" } as const;

export type OrgSearch =
  | { ogrn: string; kpp?: string }
  | { ogrnip: string }
  | { orgRootEntityGUID: string }
  | { orgPPAGUID: string };

/** Up to 100 criteria per request (the schema's limit). */
export function exportOrgRegistry(criteria: OrgSearch[], h: HeaderInput = {}): BuiltRequest {
  if (criteria.length < 1 || criteria.length > 100) throw new Error(`exportOrgRegistry: от 1 до 100 критериев, передано ${criteria.length}`);
  const p = SERVICES["organizations-registry-common"].prefix;
  const body = el(`${p}:exportOrgRegistryRequest`,
    {
      "xmlns:base": BASE_NS, "xmlns:orc": SERVICES["organizations-registry-common"].ns,
      "xmlns:org-base": LIB_NS["organizations-base"], "xmlns:org-reg-base": LIB_NS["organizations-registry-base"],
      Id: "signed-data-container", "base:version": VERSIONS.exportOrgRegistryRequest,
    },
    criteria.map((c) => el(`${p}:SearchCriteria`, null,
      "ogrn" in c ? [el("org-base:OGRN", null, c.ogrn), c.kpp ? el("org-base:KPP", null, c.kpp) : null]
        : "ogrnip" in c ? el("org-base:OGRNIP", null, c.ogrnip)
          : "orgRootEntityGUID" in c ? el("org-reg-base:orgRootEntityGUID", null, c.orgRootEntityGUID)
            : el(`${p}:orgPPAGUID`, null, c.orgPPAGUID))));
  return buildEnvelope("organizations-registry-common", "exportOrgRegistry", body, h);
}

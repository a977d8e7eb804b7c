/**
 * GIS references of a contract's services. A supply contract names the common municipal service
 * (НСИ 3) and the resource; a management contract or charter names the organization's own
 * municipal service (НСИ 51) once it is placed — the element its bills use — and additional
 * services by НСИ 1.
 *
 * The placed НСИ 51 / НСИ 1 element is the contract's stand's (the service loaded for it). A
 * municipal service the billing did not map to НСИ 3 is found from its resource: the pairs below
 * are GIS's (НСИ 2 resource code → НСИ 3 service code).
 */
import { Service } from "../../../../entities";
import { NsiRef } from "../../../transport/messages/common";
import { NSI, NsiIndex } from "../../../stages/nsi";
import { ServiceAt, placedElement } from "../../../stages/services/private-services";

const SERVICE_OF_RESOURCE: Record<string, string> = { "1": "1", "2": "2", "8": "3", "3": "4", "4": "5", "5": "6" };

/** The common municipal service (НСИ 3) of one of our services. */
export function commonMunicipalService(nsi: NsiIndex, s: Service): NsiRef | null {
  if (s.nsiRegistry === NSI.municipalService) return nsi.byGuid(s.nsiGuid) ?? nsi.byCode(NSI.municipalService, s.nsiCode);
  const code = s.municipalResourceCode ? SERVICE_OF_RESOURCE[s.municipalResourceCode] : undefined;
  return code ? nsi.byCode(NSI.municipalService, code) : null;
}

/**
 * The resource a service supplies. GIS's supply contract subject refers to НСИ 239 (тарифицируемый
 * ресурс); the model and the built-in stand know the resources by НСИ 2, which the services stage
 * loads, so the subject's own reference is used when the billing gave one, else the service's НСИ 2.
 */
export function municipalResource(
  nsi: NsiIndex,
  s: Service,
  own?: { municipalResourceGuid: string | null; municipalResourceCode: string | null },
): NsiRef | null {
  if (own?.municipalResourceGuid && own.municipalResourceCode) return { code: own.municipalResourceCode, guid: own.municipalResourceGuid };
  return nsi.byGuid(s.municipalResourceGuid) ?? nsi.byCode(NSI.municipalResource, s.municipalResourceCode);
}

/** A service as management contracts and charters name it: the placed НСИ 51 / НСИ 1 element (on the service's stand), or the НСИ 3 service. */
export function managedService(nsi: NsiIndex, s: ServiceAt): { ref: NsiRef; additional: boolean } | null {
  const placed = placedElement(s);
  if (s.kind === "additional") return placed ? { ref: placed, additional: true } : null;
  if (s.kind !== "municipal") return null;
  if (placed) return { ref: placed, additional: false };
  const common = commonMunicipalService(nsi, s);
  return common ? { ref: common, additional: false } : null;
}

export const NSI_REGISTRIES = [NSI.municipalService, NSI.municipalResource];

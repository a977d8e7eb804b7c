/**
 * Which GIS element a service stands for in bills, kvitirovanie and contracts (the methods that
 * place services in the organization's own dictionaries are src/methods/nsi/). Housing services
 * name the common НСИ 50 element of the organization's mapping; municipal and additional ones the
 * element of the organization's own НСИ 51 / НСИ 1 — the one the stand the service was loaded for
 * created (each stand has its own), never another stand's.
 */
import { Service } from "../../../entities";
import type { NsiRef } from "../../transport/messages/common";

/** The organization's own dictionary each kind is placed in. */
export const OWN_REGISTRY: Partial<Record<Service["kind"], number>> = { municipal: 51, additional: 1 };

/** A service loaded for a stand (src/storage/identity/store.ts loadAt). */
export type ServiceAt = Service & { gisElementGuid: string | null; gisElementCode: string | null };

/** The element the stand created for the service in its own dictionary, when it has both GUID and code. */
export function placedElement(s: ServiceAt): NsiRef | null {
  return s.gisElementGuid && s.gisElementCode ? { code: s.gisElementCode, guid: s.gisElementGuid } : null;
}

/** The element a bill's service line names on the service's stand: НСИ 50 housing (the mapping), the placed НСИ 51 / НСИ 1 element. */
export function billingElement(s: ServiceAt): NsiRef | null {
  if (s.kind === "housing") return s.nsiRegistry === 50 && s.nsiGuid && s.nsiCode ? { code: s.nsiCode, guid: s.nsiGuid } : null;
  return OWN_REGISTRY[s.kind] ? placedElement(s) : null;
}

/** True when the service refers to the GIS element bills and kvitirovanie need (on its stand). */
export const mappedForBilling = (s: ServiceAt): boolean => billingElement(s) !== null;

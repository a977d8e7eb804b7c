/**
 * Which houses an organization may work with, and which resources it supplies there: through its
 * approved, running management contracts/charters (УО, ТСЖ) or its posted supply resource
 * contracts (РСО). GIS checks this before it accepts a house, a meter or a payment document.
 */
import { ContractService, Tables } from "../domain/state";
import { NsiRefValue } from "../domain/xml-read";

/**
 * NSI 3 (вид коммунальной услуги) → NSI 2 (коммунальный ресурс), by code: ХВС → холодная вода,
 * ГВС → горячая вода, водоотведение → сточные воды, электроснабжение → электрическая энергия,
 * газоснабжение → газ, отопление → тепловая энергия.
 */
const RESOURCE_OF_SERVICE: Record<string, string> = { "1": "1", "2": "2", "3": "8", "4": "3", "5": "4", "6": "5" };

/** A contract's service with the resource it supplies: the organization's NSI 51 element knows it, else NSI 3 by code. */
export function contractService(t: Tables, ref: NsiRefValue, resource: NsiRefValue | null = null): ContractService {
  const own = t.nsi.get(ref.guid);
  const resourceCode = resource?.code ?? own?.resourceRef?.code ?? (own ? null : (RESOURCE_OF_SERVICE[ref.code] ?? null));
  return { code: ref.code, guid: ref.guid, resourceCode };
}

/** The services the organization provides in the house under documents in force. */
export function servicesInHouse(t: Tables, org: string, fias: string): ContractService[] {
  const out: ContractService[] = [];
  for (const c of t.contracts.values()) {
    if (c.org !== org || c.status !== "Approved" || c.state !== "Running") continue;
    for (const o of c.objects) if (o.fiasHouseGuid === fias) out.push(...o.services);
  }
  for (const s of t.supplyContracts.values()) {
    if (s.org === org && s.versionStatus === "Posted" && s.houses.includes(fias)) out.push(...s.subjects);
  }
  return out;
}

/** True when an approved, running contract/charter or a posted supply contract of `org` covers the house. */
export function coversHouse(t: Tables, org: string, fias: string): boolean {
  for (const c of t.contracts.values()) {
    if (c.org === org && c.status === "Approved" && c.state === "Running" && c.objects.some((o) => o.fiasHouseGuid === fias)) return true;
  }
  for (const s of t.supplyContracts.values()) if (s.org === org && s.versionStatus === "Posted" && s.houses.includes(fias)) return true;
  return false;
}

/**
 * GIS dictionary references (nsiRef: Code + GUID) for the codes the model keeps: loaded once per
 * prepare from nsi_item, which the services stage fills (exportNsiItem, exportDataProviderNsiItem).
 */
import { DataSource, EntityManager, In } from "typeorm";
import { NsiItem } from "../../entities";
import { NsiRef } from "../transport/messages/common";

/** Registries the model refers to (common NSI). */
export const NSI = {
  municipalResource: 2,
  housingService: 50,
  municipalService: 3,
  closeReason: 22,
  houseState: 24,
  premisesCharacteristic: 30,
  olsonTimeZone: 32,
  documentType: 95,
  meterArchiveReason: 224,
  verificationInterval: 16,
  /** Why a management or supply contract ended (its termination needs one). */
  contractTerminationReason: 54,
  /** What a management contract was concluded on (an owners' meeting, a tender…). */
  contractBasis: 58,
  /** Why a fund object (premises, entrance, room) is annulled in GIS. */
  fundAnnulmentReason: 330,
} as const;

export class NsiIndex {
  constructor(private readonly items: NsiItem[]) {}

  /** Common elements, and the organization's own ones as `stand` (default production) holds them. */
  static async load(db: DataSource | EntityManager, registries: number[], organizationId?: number, stand = "prod"): Promise<NsiIndex> {
    const rows = await db.getRepository(NsiItem).find({ where: { registryNumber: In(registries), isActual: true } });
    return new NsiIndex(rows.filter((r) => r.organizationId === null || (r.organizationId === organizationId && r.stand === stand)));
  }

  /** The element of `registry` with this code. */
  byCode(registry: number, code: string | null | undefined): NsiRef | null {
    if (!code) return null;
    const it = this.items.find((i) => i.registryNumber === registry && i.code === code);
    return it ? ref(it) : null;
  }

  /** The element whose GUID is given (a service already mapped to its GIS element). */
  byGuid(guid: string | null | undefined): NsiRef | null {
    if (!guid) return null;
    const it = this.items.find((i) => i.guid === guid.toLowerCase());
    return it ? ref(it) : null;
  }

  /** The element whose name or any field value equals `value` (NSI 32 keeps the Olson zone as a field). */
  byValue(registry: number, value: string | null | undefined): NsiRef | null {
    if (!value) return null;
    const it = this.items.find((i) => i.registryNumber === registry && (i.name === value || Object.values(fieldsOf(i)).includes(value)));
    return it ? ref(it) : null;
  }
}

function fieldsOf(i: NsiItem): Record<string, string> {
  if (!i.fields) return {};
  try {
    return JSON.parse(i.fields) as Record<string, string>;
  } catch {
    return {};
  }
}

const ref = (i: NsiItem): NsiRef => ({ code: i.code, guid: i.guid });

/** NSI 2 code of electric energy: its meters take readings by tariff (T1..T3). */
export const ELECTRICITY_RESOURCE = "3";

/** A meter's resource (NSI 2): its own GUID when mapped, else by code. */
export function meterResource(m: { municipalResourceCode: string | null; municipalResourceGuid: string | null }, nsi: NsiIndex): NsiRef | null {
  return (
    (m.municipalResourceGuid && m.municipalResourceCode ? { code: m.municipalResourceCode, guid: m.municipalResourceGuid } : null) ??
    nsi.byCode(NSI.municipalResource, m.municipalResourceCode)
  );
}

/**
 * The rules supply resource contracts share on the stand (their handlers are the stand method
 * modules import-/export-supply-resource-contract-data and import-/export-supply-resource-
 * contract-object-address-data under src/stand/methods/house-management/). A contract is placed
 * with its subjects (service + resource) and its objects (houses, premises, rooms); placing gives
 * ContractRootGUID (stays) and ContractGUID (per version) and every change a new version. Each
 * object gets an ObjectGUID of its own (kept in the "supply-contract-objects" table), by which it is
 * later changed or deleted on its own (importSupplyResourceContractObjectAddressData).
 *
 * Codes: SRV004003 — a contract without objects; INT002000 — unknown ContractGUID /
 * ContractRootGUID / ObjectGUID; INT002012 — nothing to export. GIS publishes no code for the
 * rest, so the stand uses its SRV004 family (see rules/codes.ts): SRV004007 — a contract that is
 * not in force (terminated, annulled) takes no objects; SRV004008 — a pair the contract's subjects
 * do not have; SRV004009 — an object the contract already has.
 */
import { SupplyContractRow, Tables, tables } from "../../domain/state";
import { NsiRefValue, lower, val } from "../../domain/xml-read";
import { GIS, GisErrorText } from "../codes";
import { refuse } from "../results";
import { StandStore } from "../../types";

/** ExportSupplyResourceContractType's elements, in its order; what the import has beyond them stays out (subjects keep their TransportGUID: the export has it too). */
export const EXPORT_ORDER = [
  "IsContract",
  "IsNotContract",
  "IndefiniteTerm",
  "AutomaticRollOverOneYear",
  "ComptetionDate",
  "VolumeDepends",
  "Period",
  "IndicationsAnyDay",
  "ContractBase",
  "Offer",
  "ApartmentBuildingOwner",
  "LivingHouseOwner",
  "Organization",
  "ApartmentBuildingRepresentativeOwner",
  "ApartmentBuildingSoleOwner",
  "IsPlannedVolume",
  "PlannedVolumeType",
  "ContractSubject",
  "CountingResource",
  "MeteringDeviceInformation",
  "SpecifyingQualityIndicators",
  "NoConnectionToWaterSupply",
  "Quality",
  "OtherQualityIndicator",
  "PlannedVolume",
  "OneTimePayment",
  "BillingDate",
  "PaymentDate",
  "ProvidingInformationDate",
];

const e = (code: string, description: string): GisErrorText => ({ code, description });

export const SUPPLY = {
  notInForce: (status: string) => e("SRV004007", `Договор ресурсоснабжения в статусе ${status}: изменение объектов жилищного фонда невозможно`),
  pairNotInContract: (service: string, resource: string) =>
    e("SRV004008", `Коммунальная услуга ${service} с ресурсом ${resource} отсутствует в предмете договора ресурсоснабжения`),
  objectTaken: (address: string) =>
    e("SRV004009", `Объект жилищного фонда ${address} уже есть в договоре ресурсоснабжения; для изменения укажите его ObjectGUID`),
} as const;

/** A service/resource pair supplied to an object. */
export interface SupplyPair {
  service: NsiRefValue;
  resource: NsiRefValue | null;
  start: string;
  end: string | null;
  /** The pair's TransportGUID (or, inside a contract, the subject's it refers to). */
  key: string;
}

/** An object (house, premises, room) of a supply contract. Key: ObjectGUID. */
export interface SupplyObjectRow {
  guid: string;
  rootGuid: string;
  org: string;
  houseType: string | null;
  fiasHouseGuid: string;
  apartmentNumber: string | null;
  roomNumber: string | null;
  pairs: SupplyPair[];
  countingResource: string | null;
  meteringDeviceInformation: string | null;
  updated: string;
}

export function supplyObjects(store: StandStore): Map<string, SupplyObjectRow> {
  return store.table<SupplyObjectRow>("supply-contract-objects");
}

/** The objects of one contract, in a stable order. */
export function objectsOf(store: StandStore, rootGuid: string): SupplyObjectRow[] {
  return [...supplyObjects(store).values()].filter((o) => o.rootGuid === rootGuid).sort((a, b) => (a.guid < b.guid ? -1 : 1));
}

const norm = (v: string | null) => (v ?? "").replace(/\s+/g, "").toLowerCase();

/** Same house, premises and room: the same object. */
export function sameAddress(a: Pick<SupplyObjectRow, "fiasHouseGuid" | "apartmentNumber" | "roomNumber">, b: typeof a): boolean {
  return a.fiasHouseGuid === b.fiasHouseGuid && norm(a.apartmentNumber) === norm(b.apartmentNumber) && norm(a.roomNumber) === norm(b.roomNumber);
}

export function addressOf(o: Pick<SupplyObjectRow, "fiasHouseGuid" | "apartmentNumber" | "roomNumber">): string {
  return [o.fiasHouseGuid, o.apartmentNumber ? `помещение ${o.apartmentNumber}` : null, o.roomNumber ? `комната ${o.roomNumber}` : null]
    .filter(Boolean)
    .join(", ");
}

/** The contract's houses (what coverage checks) follow its objects. */
export function syncHouses(store: StandStore, row: SupplyContractRow): void {
  const objects = objectsOf(store, row.rootGuid);
  if (objects.length > 0) row.houses = [...new Set(objects.map((o) => o.fiasHouseGuid))];
}

/** The contract an item names by ContractRootGUID or ContractGUID (the last version), of the sender; null when it names none. */
export function namedContract(t: Tables, org: string, item: Element): SupplyContractRow | null {
  const root = lower(val(item, "ContractRootGUID"));
  const version = lower(val(item, "ContractGUID"));
  if (!root && !version) return null;
  const row = root ? t.supplyContracts.get(root) : [...t.supplyContracts.values()].find((r) => r.guid === version);
  if (!row || row.org !== org) refuse(GIS.notFound("договор ресурсоснабжения", root ?? version ?? ""));
  return row;
}

export { tables };

/**
 * exportSupplyResourceContractObjectAddressData (РСО): the objects (houses, premises, rooms) of a
 * supply contract as GIS holds them — by the contract's root or version GUID, 1000 a page (the next
 * page from ExportObjectGUID), or every object of the sender's contracts in one house. Each object
 * comes with its ObjectGUID, the contract's root and current version GUID and the pairs supplied.
 * The pipeline uses it to reconcile importSupplyResourceContractObjectAddressData.
 */
import { XNode, leaf, opt } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { gisDate } from "../../transport/results/results";
import { child, children } from "../../transport/results/safe-xml";
import { defineMethod } from "../method";
import { NsiValue, nsi, req, rows, t } from "./contracts/read";

export type ExportSupplyResourceContractObjectAddressInput =
  | { fiasHouseGuid: string }
  /** Paging: exportObjectGuid from the previous page's ExportObjectGUID. */
  | { contractRootGuid: string; exportObjectGuid?: string }
  | { contractGuid: string; exportObjectGuid?: string };

function body(i: ExportSupplyResourceContractObjectAddressInput, version: string): XNode {
  return container(
    "hm:exportSupplyResourceContractObjectAddressRequest",
    version,
    "fiasHouseGuid" in i
      ? leaf("hm:FIASHouseGuid", i.fiasHouseGuid)
      : [
          opt("hm:ExportObjectGUID", i.exportObjectGuid),
          "contractRootGuid" in i ? leaf("hm:ContractRootGUID", i.contractRootGuid) : leaf("hm:ContractGUID", i.contractGuid),
        ],
  );
}

/** One object of a supply contract as the export gives it. */
export interface ExportedSupplyObject {
  objectGuid: string;
  contractRootGuid: string;
  /** The contract's current version. */
  contractGuid: string;
  fiasHouseGuid: string;
  houseType: string | null;
  apartmentNumber: string | null;
  roomNumber: string | null;
  pairs: Array<{ serviceType: NsiValue | null; municipalResource: NsiValue | null; startSupplyDate: string; endSupplyDate: string | null }>;
}

export interface SupplyObjectPage {
  objects: ExportedSupplyObject[];
  /** Set when GIS has more: ask again with exportObjectGuid = nextPage. */
  nextPage: string | null;
}

/** The objects of an exportSupplyResourceContractObjectAddress answer (every list of it), and the next page. */
export function exportedSupplyObjects(result: Element): SupplyObjectPage {
  const out: SupplyObjectPage = { objects: [], nextPage: null };
  for (const r of rows(result, "exportSupplyResourceContractObjectAddress")) {
    for (const o of children(r, "ObjectAddress")) {
      out.objects.push({
        objectGuid: req(o, "ObjectGUID", "ObjectAddress").toLowerCase(),
        contractRootGuid: req(o, "ContractRootGUID", "ObjectAddress").toLowerCase(),
        contractGuid: req(o, "ContractGUID", "ObjectAddress").toLowerCase(),
        fiasHouseGuid: req(o, "FIASHouseGuid", "ObjectAddress").toLowerCase(),
        houseType: t(o, "HouseType"),
        apartmentNumber: t(o, "ApartmentNumber"),
        roomNumber: t(o, "RoomNumber"),
        pairs: children(o, "Pair").map((p) => ({
          serviceType: nsi(child(p, "ServiceType")),
          municipalResource: nsi(child(p, "MunicipalResource")),
          startSupplyDate: req(p, "StartSupplyDate", "Pair"),
          endSupplyDate: gisDate(t(p, "EndSupplyDate")),
        })),
      });
    }
    const next = t(r, "ExportObjectGUID");
    if (next) out.nextPage = next.toLowerCase();
  }
  return out;
}

export const exportSupplyResourceContractObjectAddressData = defineMethod<ExportSupplyResourceContractObjectAddressInput, never, SupplyObjectPage>({
  name: "exportSupplyResourceContractObjectAddressData",
  service: "house-management",
  element: "exportSupplyResourceContractObjectAddressRequest",
  // Not fixed: 13.1.1.1, the newest of the documented 11.6.0.1 and 13.1.1.1, in both packages.
  versions: { "16.3.0.0": "13.1.1.1", "14.4.0.1": "13.1.1.1" },
  body,
  read: exportedSupplyObjects,
});

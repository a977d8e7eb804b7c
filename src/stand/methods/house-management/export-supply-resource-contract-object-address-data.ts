/**
 * exportSupplyResourceContractObjectAddressData on the stand: the objects of the sender's supply
 * contracts — of one contract by ContractRootGUID or ContractGUID (any of its versions), 1000 a
 * page from ExportObjectGUID, or of every contract in a house by FIASHouseGuid. Each object with
 * its pairs, ObjectGUID, the contract's root and current version GUID, version number and status.
 * Nothing found → INT002012; a contract GUID the sender has no contract under → INT002012 too (GIS
 * answers an export, not a lookup).
 */
import { XNode, el, leaf, opt } from "../../../transport/envelope/xml";
import { SupplyContractRow } from "../../domain/state";
import { lower, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS } from "../../rules/codes";
import { SupplyObjectRow, supplyObjects, tables } from "../../rules/house-management/supply-contracts";
import { pageFrom } from "../../rules/paging";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

const PAGE_SIZE = 1000;

const ref = (name: string, r: { code: string; guid: string; name: string | null }) =>
  el(name, null, leaf("nsi-base:Code", r.code), leaf("nsi-base:GUID", r.guid), opt("nsi-base:Name", r.name));

function objectNode(o: SupplyObjectRow, c: SupplyContractRow): XNode {
  return el(
    "hm:ObjectAddress",
    null,
    opt("hm:HouseType", o.houseType),
    leaf("hm:FIASHouseGuid", o.fiasHouseGuid),
    opt("hm:ApartmentNumber", o.apartmentNumber),
    opt("hm:RoomNumber", o.roomNumber),
    o.pairs
      .filter((p) => p.resource)
      .map((p) =>
        el(
          "hm:Pair",
          null,
          ref("hm:ServiceType", p.service),
          ref("hm:MunicipalResource", p.resource!),
          leaf("hm:StartSupplyDate", p.start),
          opt("hm:EndSupplyDate", p.end),
          leaf("base:TransportGUID", p.key || o.guid),
        ),
      ),
    leaf("hm:ObjectGUID", o.guid),
    leaf("hm:ContractRootGUID", c.rootGuid),
    leaf("hm:ContractGUID", c.guid),
    leaf("hm:VersionNumber", c.versionNumber),
    leaf("hm:VersionStatus", c.versionStatus),
    opt("hm:CountingResource", o.countingResource),
    opt("hm:MeteringDeviceInformation", o.meteringDeviceInformation),
  );
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const org = sender(req).orgPPAGUID;
  const contracts = tables(store).supplyContracts;
  const fias = lower(val(req.body, "FIASHouseGuid"));
  const root = lower(val(req.body, "ContractRootGUID"));
  const version = lower(val(req.body, "ContractGUID"));
  const named = root ? contracts.get(root) : version ? [...contracts.values()].find((c) => c.guid === version) : undefined;
  const rows = [...supplyObjects(store).values()].filter(
    (o) => o.org === org && contracts.has(o.rootGuid) && (fias ? o.fiasHouseGuid === fias : named !== undefined && o.rootGuid === named.rootGuid),
  );
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  const page = pageFrom(rows, (o) => o.guid, lower(val(req.body, "ExportObjectGUID")), PAGE_SIZE);
  return [
    el(
      "hm:exportSupplyResourceContractObjectAddress",
      null,
      page.rows.map((o) => objectNode(o, contracts.get(o.rootGuid)!)),
      page.next ? leaf("hm:ExportObjectGUID", page.next) : leaf("hm:IsLastPage", true),
    ),
  ];
}

export const exportSupplyResourceContractObjectAddressData = defineStandMethod({
  service: "house-management",
  operation: "exportSupplyResourceContractObjectAddressData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

/**
 * importSupplyResourceContractData on the stand: each Contract item places a supply resource
 * contract (or a new version of one, by ContractRootGUID or its last ContractGUID), terminates,
 * rolls over or annuls it. A contract needs its objects (SRV004003): without them it gives the РСО
 * no houses to work with. Each object gets its ObjectGUID; a new version keeps the ObjectGUIDs of
 * the objects it still has. The answer: ImportSupplyResourceContract with ContractGUID and ContractRootGUID.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { SupplyContractRow } from "../../domain/state";
import { child, children, lower, must, nsiRefOf, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { registryNumber } from "../../domain/numbers";
import { GIS, STAND } from "../../rules/codes";
import { contractService } from "../../rules/coverage";
import {
  EXPORT_ORDER,
  SupplyObjectRow,
  namedContract,
  objectsOf,
  sameAddress,
  supplyObjects,
  syncHouses,
  tables,
} from "../../rules/house-management/supply-contracts";
import { Outcome, attempt, houseManagementResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

/** The contract's ObjectAddress elements as object rows; pairs take service and resource from the subject their PairKey names. */
function objectRows(store: StandStore, contract: Element, rootGuid: string, org: string, now: string): SupplyObjectRow[] {
  const subjects = new Map(children(contract, "ContractSubject").map((s) => [lower(val(s, "TransportGUID")) ?? "", s]));
  const before = objectsOf(store, rootGuid);
  return children(contract, "ObjectAddress").map((o) => {
    const address = { fiasHouseGuid: must(o, "FIASHouseGuid").toLowerCase(), apartmentNumber: val(o, "ApartmentNumber"), roomNumber: val(o, "RoomNumber") };
    return {
      guid: before.find((b) => sameAddress(b, address))?.guid ?? store.guid(),
      rootGuid,
      org,
      houseType: val(o, "HouseType"),
      ...address,
      pairs: children(o, "Pair").flatMap((p) => {
        const key = lower(val(p, "PairKey")) ?? "";
        const subject = subjects.get(key);
        const service = subject ? nsiRefOf(subject, "ServiceType") : null;
        return service
          ? [{ service, resource: nsiRefOf(subject!, "MunicipalResource"), start: must(p, "StartSupplyDate"), end: val(p, "EndSupplyDate"), key }]
          : [];
      }),
      countingResource: val(o, "CountingResource"),
      meteringDeviceInformation: val(o, "MeteringDeviceInformation"),
      updated: now,
    };
  });
}

function place(req: StandRequest, store: StandStore, item: Element): SupplyContractRow {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const row = namedContract(t, org, item);
  const contract = child(item, "SupplyResourceContract");
  if (contract) {
    const houses = children(contract, "ObjectAddress").map((o) => must(o, "FIASHouseGuid").toLowerCase());
    if (houses.length === 0) refuse(STAND.contractWithoutObjects());
    const head = child(contract, "IsContract") ?? child(contract, "IsNotContract");
    const effective = val(head, "EffectiveDate");
    const placed: SupplyContractRow = {
      rootGuid: row?.rootGuid ?? store.guid(),
      guid: store.guid(),
      versionNumber: (row?.versionNumber ?? 0) + 1,
      org,
      contractNumber: val(head, "ContractNumber"),
      signingDate: val(head, "SigningDate"),
      versionStatus: "Posted",
      contractState: effective && Date.parse(effective) > req.received.getTime() ? "NotTakeEffect" : "Proceed",
      houses: [...new Set(houses)],
      subjects: children(contract, "ContractSubject").map((s) => contractService(t, nsiRefOf(s, "ServiceType")!, nsiRefOf(s, "MunicipalResource"))),
      content: pack(children(contract).filter((c) => EXPORT_ORDER.includes(c.localName))),
      updated: now,
    };
    // The version's objects replace the previous version's (an object at the same address keeps its ObjectGUID).
    const objects = objectRows(store, contract, placed.rootGuid, org, now);
    for (const o of objectsOf(store, placed.rootGuid)) supplyObjects(store).delete(o.guid);
    for (const o of objects) supplyObjects(store).set(o.guid, o);
    t.supplyContracts.set(placed.rootGuid, placed);
    syncHouses(store, placed);
    return placed;
  }
  if (!row) refuse(GIS.notFound("договор ресурсоснабжения", ""));
  if (child(item, "TerminateContract")) {
    row.versionStatus = "Terminated";
    row.contractState = "Expired";
  }
  if (child(item, "AnnulmentContract")) {
    row.versionStatus = "Annul";
    row.contractState = "Expired";
  }
  row.guid = store.guid();
  row.versionNumber += 1;
  row.updated = now;
  return row;
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const out: Outcome[] = children(req.body, "Contract").map((item) =>
    attempt(must(item, "TransportGUID"), () => {
      const row = place(req, store, item);
      return {
        guid: row.guid,
        uniqueNumber: registryNumber(store, "contract"),
        updateDate: now,
        extra: el("hm:ImportSupplyResourceContract", null, leaf("hm:ContractGUID", row.guid), leaf("hm:ContractRootGUID", row.rootGuid)),
      };
    }),
  );
  return houseManagementResults(out);
}

export const importSupplyResourceContractData = defineStandMethod({
  service: "house-management",
  operation: "importSupplyResourceContractData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

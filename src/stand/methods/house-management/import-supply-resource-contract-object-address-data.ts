/**
 * importSupplyResourceContractObjectAddressData on the stand, as GIS does it: the objects (houses,
 * premises, rooms) of a posted supply contract, named by ContractRootGUID or by its last version's
 * ContractGUID, added (LoadObject without ObjectGUID), changed (LoadObject with it) or deleted
 * (DeleteObject). Each object's pairs must be the contract's subjects. Whatever the request changed
 * makes one new version of the contract; each object's answer carries its ObjectGUID and, in
 * ImportSupplyResourceContractObjectAddress, that version's ContractGUID.
 *
 * Refusals per object: INT002000 — unknown contract or ObjectGUID; SRV004007 — the contract is
 * terminated or annulled; SRV004008 — a pair that is not among the subjects; SRV004009 — an object
 * the contract already has, sent without its ObjectGUID; SRV004003 — deleting the last object.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { SupplyContractRow } from "../../domain/state";
import { child, children, lower, must, nsiRefOf, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS, GisErrorText, STAND } from "../../rules/codes";
import {
  SUPPLY,
  SupplyObjectRow,
  addressOf,
  namedContract,
  objectsOf,
  sameAddress,
  supplyObjects,
  syncHouses,
  tables,
} from "../../rules/house-management/supply-contracts";
import { ItemError, Outcome, Placed, attempt, houseManagementResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function load(store: StandStore, contract: SupplyContractRow, item: Element, load: Element, now: string): SupplyObjectRow {
  const guid = lower(val(item, "ObjectGUID"));
  const objects = objectsOf(store, contract.rootGuid);
  const address = {
    fiasHouseGuid: must(load, "FIASHouseGuid").toLowerCase(),
    apartmentNumber: val(load, "ApartmentNumber"),
    roomNumber: val(load, "RoomNumber"),
  };
  const current = guid ? objects.find((o) => o.guid === guid) : undefined;
  if (guid && !current) refuse(GIS.notFound("объект жилищного фонда договора ресурсоснабжения", guid));
  if (!guid && objects.some((o) => sameAddress(o, address))) refuse(SUPPLY.objectTaken(addressOf(address)));
  const pairs = children(load, "Pair").map((p) => {
    const service = nsiRefOf(p, "ServiceType")!;
    const resource = nsiRefOf(p, "MunicipalResource");
    const inSubjects = contract.subjects.some((s) => s.code === service.code && (s.resourceCode === null || s.resourceCode === (resource?.code ?? null)));
    if (!inSubjects) refuse(SUPPLY.pairNotInContract(service.code, resource?.code ?? "—"));
    return { service, resource, start: must(p, "StartSupplyDate"), end: val(p, "EndSupplyDate"), key: lower(val(p, "TransportGUID")) ?? "" };
  });
  return {
    guid: current?.guid ?? store.guid(),
    rootGuid: contract.rootGuid,
    org: contract.org,
    houseType: val(load, "HouseType"),
    ...address,
    pairs,
    countingResource: val(load, "CountingResource"),
    meteringDeviceInformation: val(load, "MeteringDeviceInformation"),
    updated: now,
  };
}

function remove(store: StandStore, contract: SupplyContractRow, item: Element): string {
  const guid = lower(val(item, "ObjectGUID"));
  const objects = objectsOf(store, contract.rootGuid);
  if (!guid || !objects.some((o) => o.guid === guid)) refuse(GIS.notFound("объект жилищного фонда договора ресурсоснабжения", guid ?? ""));
  if (objects.length === 1) refuse(STAND.contractWithoutObjects());
  supplyObjects(store).delete(guid);
  return guid;
}

/** The contract the request names, or why none of its objects can be taken. */
function contractOf(t: ReturnType<typeof tables>, org: string, body: Element): { contract: SupplyContractRow } | { error: GisErrorText } {
  try {
    const c = namedContract(t, org, body);
    if (!c) return { error: GIS.notFound("договор ресурсоснабжения", "") };
    return c.versionStatus === "Posted" ? { contract: c } : { error: SUPPLY.notInForce(c.versionStatus) };
  } catch (err) {
    if (err instanceof ItemError) return { error: err.error };
    throw err;
  }
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const t = tables(store);
  const named = contractOf(t, sender(req).orgPPAGUID, req.body);
  const version = store.guid();
  const out: Outcome[] = children(req.body, "ObjectAddress").map((item) => {
    const tg = must(item, "TransportGUID");
    if ("error" in named) return { transportGuid: tg, placed: null, errors: [named.error] };
    return attempt(tg, (): Placed => {
      const loadObject = child(item, "LoadObject");
      let guid: string;
      if (loadObject) {
        const o = load(store, named.contract, item, loadObject, now);
        supplyObjects(store).set(o.guid, o);
        guid = o.guid;
      } else guid = remove(store, named.contract, item);
      return { guid, updateDate: now, extra: el("hm:ImportSupplyResourceContractObjectAddress", null, leaf("hm:ContractGUID", version)) };
    });
  });
  if ("contract" in named && out.some((o) => o.placed)) {
    const c = named.contract;
    Object.assign(c, { guid: version, versionNumber: c.versionNumber + 1, updated: now });
    syncHouses(store, c);
    t.supplyContracts.set(c.rootGuid, c);
  }
  return houseManagementResults(out);
}

export const importSupplyResourceContractObjectAddressData = defineStandMethod({
  service: "house-management",
  operation: "importSupplyResourceContractObjectAddressData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

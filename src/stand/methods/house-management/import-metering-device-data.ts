/**
 * importMeteringDeviceData on the stand. A meter gets a root GUID (for life) and a version GUID
 * (new with every change; updates name the current version), and a GIS number. GIS places a meter
 * only when its accounts and premises are placed, the resource is supplied by the sender in that
 * house under a document in force, and no active meter of the house has the same factory number for
 * the same resource. Changes: all characteristics again before readings (UpdateBeforeDevicesValues),
 * the changed ones after (UpdateAfterDevicesValues), archive (ArchiveDevice), replacement by
 * another active meter placed before (ReplaceDevice: the old one goes to the archive).
 *
 * Codes: INT002000 — unknown account, premises, room, house or meter version; SRV006001 — factory
 * number taken for the resource in the house; SRV006002 — the resource is not in the sender's
 * contract for the house; SRV006003 — change of an archived meter; SRV006004 — replacement by
 * itself or by an archived meter; SRV006005 — UpdateBeforeDevicesValues of a meter with readings.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { applyUpdateAfter } from "./meter-content";
import { MeterRow, Tables, tables } from "../../domain/state";
import { child, children, lower, must, nsiRefOf, text, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { registryNumber } from "../../domain/numbers";
import { GIS, STAND } from "../../rules/codes";
import { servicesInHouse } from "../../rules/coverage";
import { Outcome, attempt, houseManagementResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

/** NSI 2 code of electric energy: an electricity meter names no resource, its kind says it. */
const ELECTRIC_ENERGY = "3";
const PLACEMENTS = [
  "CollectiveDevice",
  "ResidentialPremiseDevice",
  "NonResidentialPremiseDevice",
  "ApartmentHouseDevice",
  "LivingRoomDevice",
  "CollectiveApartmentDevice",
];

function resourcesOf(info: Element): string[] {
  if (child(info, "MunicipalResourceEnergy")) return [ELECTRIC_ENERGY];
  return [...children(info, "MunicipalResourceNotEnergy"), ...children(info, "MunicipalResources")].map((r) => nsiRefOf(r, "MunicipalResource")?.code ?? "");
}

const numberKey = (fias: string, number: string, resource: string) => `${fias}|${number}|${resource}`;
const guidsOf = (e: Element, name: string) => children(e, name).map((x) => (text(x) ?? "").toLowerCase());

/** The house of a new meter, from the request, the placement, its premises/rooms or its accounts — all must be placed. */
function houseOf(t: Tables, org: string, requestHouse: string | null, placement: Element): string {
  const accounts = guidsOf(placement, "AccountGUID");
  for (const a of accounts) {
    const row = t.accounts.get(a);
    if (!row || row.org !== org || row.closed) refuse(GIS.notFound("лицевой счет", a));
  }
  const houses = [...guidsOf(placement, "FIASHouseGuid"), ...(requestHouse ? [requestHouse] : [])];
  for (const p of [...guidsOf(placement, "PremiseGUID"), ...guidsOf(placement, "LivingRoomGUID")]) {
    const place = t.places.get(p);
    if (!place) refuse(GIS.notFound("помещение", p));
    houses.push(place.fiasHouseGuid);
  }
  if (accounts.length > 0) houses.push(t.accounts.get(accounts[0])!.fiasHouseGuid);
  const fias = houses[0];
  if (!fias || !t.houses.has(fias)) refuse(GIS.notFound("дом", fias ?? ""));
  return fias;
}

function create(req: StandRequest, store: StandStore, info: Element, requestHouse: string | null): MeterRow {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const basic = child(info, "BasicChatacteristicts")!;
  const placement = children(basic).find((c) => PLACEMENTS.includes(c.localName))!;
  const fias = houseOf(t, org, requestHouse, placement);
  const resources = resourcesOf(info);
  const supplied = new Set(servicesInHouse(t, org, fias).map((s) => s.resourceCode));
  const missing = resources.find((r) => !supplied.has(r));
  if (missing !== undefined) refuse(STAND.meterServiceNotInContract(missing));
  const number = must(basic, "MeteringDeviceNumber");
  const taken = resources.find((r) => t.activeMeterByNumber.has(numberKey(fias, number, r)));
  if (taken !== undefined) refuse(STAND.meterNumberTaken(number, taken));
  const row: MeterRow = {
    rootGuid: store.guid(),
    versionGuid: store.guid(),
    versionNumber: 1,
    org,
    fiasHouseGuid: fias,
    number,
    gisNumber: registryNumber(store, "meter"),
    resourceCodes: resources,
    accountGuids: guidsOf(placement, "AccountGUID"),
    collective: placement.localName === "CollectiveDevice",
    status: "Active",
    content: pack(children(info)),
    updated: stamp(req.received),
  };
  t.meters.set(row.rootGuid, row);
  t.meterByVersion.set(row.versionGuid, { rootGuid: row.rootGuid });
  for (const r of resources) t.activeMeterByNumber.set(numberKey(fias, number, r), { rootGuid: row.rootGuid });
  return row;
}

function update(req: StandRequest, store: StandStore, change: Element): MeterRow {
  const t = tables(store);
  const version = must(change, "MeteringDeviceVersionGUID").toLowerCase();
  const row = t.meters.get(t.meterByVersion.get(version)?.rootGuid ?? "");
  if (!row || row.org !== sender(req).orgPPAGUID || row.versionGuid !== version) refuse(GIS.notFound("версия прибора учета", version));
  if (row.status === "Archival") refuse(STAND.meterArchived());
  const replacing = lower(val(child(change, "ReplaceDevice"), "ReplacingMeteringDeviceVersionGUID"));
  if (replacing) {
    const next = t.meters.get(t.meterByVersion.get(replacing)?.rootGuid ?? "");
    if (!next || next.org !== row.org) refuse(GIS.notFound("версия прибора учета", replacing));
    if (next.rootGuid === row.rootGuid || next.status !== "Active") refuse(STAND.meterReplacementInvalid());
  }
  const full = child(change, "UpdateBeforeDevicesValues");
  if (full) {
    if ([...t.readings.values()].some((r) => r.meterRootGuid === row.rootGuid)) refuse(STAND.meterHasReadings());
    row.content = pack(children(full));
  }
  const after = child(change, "UpdateAfterDevicesValues");
  if (after) {
    const number = val(after, "MeteringDeviceNumber");
    if (number && number !== row.number) {
      const taken = row.resourceCodes.find((r) => t.activeMeterByNumber.has(numberKey(row.fiasHouseGuid, number, r)));
      if (taken !== undefined) refuse(STAND.meterNumberTaken(number, taken));
      for (const r of row.resourceCodes) {
        t.activeMeterByNumber.delete(numberKey(row.fiasHouseGuid, row.number, r));
        t.activeMeterByNumber.set(numberKey(row.fiasHouseGuid, number, r), { rootGuid: row.rootGuid });
      }
      row.number = number;
    }
    const accounts = guidsOf(after, "AccountGUID");
    for (const a of accounts) {
      const acc = t.accounts.get(a);
      if (!acc || acc.org !== row.org || acc.closed) refuse(GIS.notFound("лицевой счет", a));
    }
    if (accounts.length) row.accountGuids = accounts;
    row.content = applyUpdateAfter(row.content, after);
  }
  if (child(change, "ArchiveDevice") || replacing) {
    row.status = "Archival";
    for (const r of row.resourceCodes) t.activeMeterByNumber.delete(numberKey(row.fiasHouseGuid, row.number, r));
  }
  row.versionGuid = store.guid();
  row.versionNumber += 1;
  row.updated = stamp(req.received);
  t.meterByVersion.set(row.versionGuid, { rootGuid: row.rootGuid });
  return row;
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const house = lower(val(req.body, "FIASHouseGuid"));
  const out: Outcome[] = children(req.body, "MeteringDevice").map((d) =>
    attempt(must(d, "TransportGUID"), () => {
      const toCreate = child(d, "DeviceDataToCreate");
      const row = toCreate ? create(req, store, toCreate, house) : update(req, store, child(d, "DeviceDataToUpdate")!);
      return {
        guid: row.versionGuid,
        uniqueNumber: row.gisNumber,
        updateDate: now,
        extra: el("hm:importMeteringDevice", null, leaf("hm:MeteringDeviceGUID", row.rootGuid)),
      };
    }),
  );
  return houseManagementResults(out);
}

export const importMeteringDeviceData = defineStandMethod({
  service: "house-management",
  operation: "importMeteringDeviceData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

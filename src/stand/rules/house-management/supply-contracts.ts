/**
 * Supply resource contracts of an РСО (importSupplyResourceContractData,
 * exportSupplyResourceContractData). A contract is placed with its subjects (service + resource)
 * and its objects (houses): without objects it gives the РСО no houses to work with, so the stand
 * refuses it. Placing gives ContractRootGUID (stays) and ContractGUID (per version).
 *
 * Codes: SRV004003 — no ObjectAddress; INT002000 — unknown ContractGUID/ContractRootGUID;
 * INT002012 — nothing to export. Export pages hold 1000 contracts (ExportContractRootGUID).
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { SupplyContractRow, tables, Tables } from "../../domain/state";
import { child, children, localOf, lower, must, nsiRefOf, pack, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { registryNumber } from "../../domain/numbers";
import { GIS, STAND } from "../codes";
import { contractService } from "../coverage";
import { pageFrom } from "../paging";
import { Outcome, attempt, houseManagementResults, refuse, stamp } from "../results";
import { StandError, StandRequest, StandStore } from "../../types";

const PAGE_SIZE = 1000;

/** ExportSupplyResourceContractType's elements, in its order; what the import has beyond them stays out (subjects keep their TransportGUID: the export has it too). */
const EXPORT_ORDER = ["IsContract", "IsNotContract", "IndefiniteTerm", "AutomaticRollOverOneYear", "ComptetionDate", "VolumeDepends", "Period",
  "IndicationsAnyDay", "ContractBase", "Offer", "ApartmentBuildingOwner", "LivingHouseOwner", "Organization", "ApartmentBuildingRepresentativeOwner",
  "ApartmentBuildingSoleOwner", "IsPlannedVolume", "PlannedVolumeType", "ContractSubject", "CountingResource", "MeteringDeviceInformation",
  "SpecifyingQualityIndicators", "NoConnectionToWaterSupply", "Quality", "OtherQualityIndicator", "PlannedVolume", "OneTimePayment", "BillingDate",
  "PaymentDate", "ProvidingInformationDate"];

function existing(t: Tables, org: string, item: Element): SupplyContractRow | null {
  const root = lower(val(item, "ContractRootGUID"));
  const version = lower(val(item, "ContractGUID"));
  if (!root && !version) return null;
  const row = root ? t.supplyContracts.get(root) : [...t.supplyContracts.values()].find((r) => r.guid === version);
  if (!row || row.org !== org) refuse(GIS.notFound("договор ресурсоснабжения", root ?? version ?? ""));
  return row;
}

function place(req: StandRequest, store: StandStore, item: Element) {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const row = existing(t, org, item);
  const contract = child(item, "SupplyResourceContract");
  if (contract) {
    const houses = children(contract, "ObjectAddress").map((o) => must(o, "FIASHouseGuid").toLowerCase());
    if (houses.length === 0) refuse(STAND.contractWithoutObjects());
    const head = child(contract, "IsContract") ?? child(contract, "IsNotContract");
    const effective = val(head, "EffectiveDate");
    const placed: SupplyContractRow = {
      rootGuid: row?.rootGuid ?? store.guid(), guid: store.guid(), versionNumber: (row?.versionNumber ?? 0) + 1, org,
      contractNumber: val(head, "ContractNumber"), signingDate: val(head, "SigningDate"),
      versionStatus: "Posted",
      contractState: effective && Date.parse(effective) > req.received.getTime() ? "NotTakeEffect" : "Proceed",
      houses: [...new Set(houses)],
      subjects: children(contract, "ContractSubject").map((s) => contractService(t, nsiRefOf(s, "ServiceType")!, nsiRefOf(s, "MunicipalResource"))),
      content: pack(children(contract).filter((c) => EXPORT_ORDER.includes(c.localName))),
      updated: now,
    };
    t.supplyContracts.set(placed.rootGuid, placed);
    return placed;
  }
  if (!row) refuse(GIS.notFound("договор ресурсоснабжения", ""));
  if (child(item, "TerminateContract")) { row.versionStatus = "Terminated"; row.contractState = "Expired"; }
  if (child(item, "AnnulmentContract")) { row.versionStatus = "Annul"; row.contractState = "Expired"; }
  row.guid = store.guid();
  row.versionNumber += 1;
  row.updated = now;
  return row;
}

export function importSupplyResourceContractData(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const out: Outcome[] = children(req.body, "Contract").map((item) => attempt(must(item, "TransportGUID"), () => {
    const row = place(req, store, item);
    return {
      guid: row.guid, uniqueNumber: registryNumber(store, "contract"), updateDate: now,
      extra: el("hm:ImportSupplyResourceContract", null, leaf("hm:ContractGUID", row.guid), leaf("hm:ContractRootGUID", row.rootGuid)),
    };
  }));
  return houseManagementResults(out);
}

function contractNode(r: SupplyContractRow): XNode {
  const ordered = unpack(r.content).sort((a, b) => EXPORT_ORDER.indexOf(localOf(a)) - EXPORT_ORDER.indexOf(localOf(b)));
  return el("hm:Contract", null, ordered, leaf("hm:ContractRootGUID", r.rootGuid), leaf("hm:ContractGUID", r.guid),
    leaf("hm:ContractState", r.contractState), leaf("hm:VersionNumber", r.versionNumber), leaf("hm:VersionStatus", r.versionStatus));
}

export function exportSupplyResourceContractData(req: StandRequest, store: StandStore): XNode[] {
  const org = sender(req).orgPPAGUID;
  const body = req.body;
  const roots = children(body, "ContractRootGUID").map((e) => (e.textContent ?? "").trim().toLowerCase());
  const versions = children(body, "ContractGUID").map((e) => (e.textContent ?? "").trim().toLowerCase());
  const fias = lower(val(body, "FIASHouseGuid"));
  const number = val(body, "ContractNumber");
  const from = val(body, "SigningDateStart");
  const to = val(body, "SigningDateEnd");
  const subjects = children(body, "ContractSubject").map((s) => nsiRefOf(s, "MunicipalResource")?.code);
  const rows = [...tables(store).supplyContracts.values()].filter((r) => r.org === org
    && (roots.length === 0 || roots.includes(r.rootGuid))
    && (versions.length === 0 || versions.includes(r.guid))
    && (!fias || r.houses.includes(fias))
    && (!number || r.contractNumber === number)
    && (!from || (r.signingDate ?? "") >= from) && (!to || (r.signingDate ?? "") <= to)
    && (subjects.length === 0 || r.subjects.some((s) => subjects.includes(s.resourceCode ?? undefined))));
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  const page = pageFrom(rows, (r) => r.rootGuid, lower(val(body, "ExportContractRootGUID")), PAGE_SIZE);
  return [el("hm:exportSupplyResourceContractResult", null, page.rows.map(contractNode),
    page.next ? leaf("hm:ExportContractRootGUID", page.next) : leaf("hm:IsLastPage", true))];
}

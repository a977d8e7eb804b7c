/**
 * exportSupplyResourceContractData on the stand: the sender's supply contracts by root or version
 * GUIDs, or by house, number, signing dates and subjects; 1000 a page (ExportContractRootGUID);
 * none → INT002012.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { SupplyContractRow } from "../../domain/state";
import { children, localOf, lower, nsiRefOf, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS } from "../../rules/codes";
import { EXPORT_ORDER, tables } from "../../rules/house-management/supply-contracts";
import { pageFrom } from "../../rules/paging";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

const PAGE_SIZE = 1000;

function contractNode(r: SupplyContractRow): XNode {
  const ordered = unpack(r.content).sort((a, b) => EXPORT_ORDER.indexOf(localOf(a)) - EXPORT_ORDER.indexOf(localOf(b)));
  return el(
    "hm:Contract",
    null,
    ordered,
    leaf("hm:ContractRootGUID", r.rootGuid),
    leaf("hm:ContractGUID", r.guid),
    leaf("hm:ContractState", r.contractState),
    leaf("hm:VersionNumber", r.versionNumber),
    leaf("hm:VersionStatus", r.versionStatus),
  );
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const org = sender(req).orgPPAGUID;
  const body = req.body;
  const roots = children(body, "ContractRootGUID").map((e) => (e.textContent ?? "").trim().toLowerCase());
  const versions = children(body, "ContractGUID").map((e) => (e.textContent ?? "").trim().toLowerCase());
  const fias = lower(val(body, "FIASHouseGuid"));
  const number = val(body, "ContractNumber");
  const from = val(body, "SigningDateStart");
  const to = val(body, "SigningDateEnd");
  const subjects = children(body, "ContractSubject").map((s) => nsiRefOf(s, "MunicipalResource")?.code);
  const rows = [...tables(store).supplyContracts.values()].filter(
    (r) =>
      r.org === org &&
      (roots.length === 0 || roots.includes(r.rootGuid)) &&
      (versions.length === 0 || versions.includes(r.guid)) &&
      (!fias || r.houses.includes(fias)) &&
      (!number || r.contractNumber === number) &&
      (!from || (r.signingDate ?? "") >= from) &&
      (!to || (r.signingDate ?? "") <= to) &&
      (subjects.length === 0 || r.subjects.some((s) => subjects.includes(s.resourceCode ?? undefined))),
  );
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  const page = pageFrom(rows, (r) => r.rootGuid, lower(val(body, "ExportContractRootGUID")), PAGE_SIZE);
  return [
    el(
      "hm:exportSupplyResourceContractResult",
      null,
      page.rows.map(contractNode),
      page.next ? leaf("hm:ExportContractRootGUID", page.next) : leaf("hm:IsLastPage", true),
    ),
  ];
}

export const exportSupplyResourceContractData = defineStandMethod({
  service: "house-management",
  operation: "exportSupplyResourceContractData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

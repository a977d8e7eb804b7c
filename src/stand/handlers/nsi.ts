/**
 * nsi: the organization's private dictionaries — additional services (registry 1) and municipal
 * services (registry 51): place, update by ElementGuid, delete (IsActual=false), recover; and their
 * export. A new element gets a GUID and the next code of the organization's registry.
 *
 * Codes: INT002000 — ElementGuid the organization does not have; INT002012 — nothing to export.
 * NsiElementField is not written: its abstract type needs xsi:type, which the XML writer has no
 * prefix for; clients match elements by the GUID given at import.
 */
import { XNode, el, leaf } from "../../transport/envelope/xml";
import { NsiItemRow, tables } from "../domain/state";
import { children, lower, must, nsiRefOf, val } from "../domain/xml-read";
import { sender } from "../domain/request";
import { GIS } from "../rules/codes";
import { Outcome, attempt, flatResults, refuse, stamp } from "../rules/results";
import { HandlerSpec, StandError, StandRequest, StandStore } from "../types";

const RESULT = { service: "nsi" as const, resultPrefix: "nsi", resultVersion: "10.0.1.2" };

interface Shape {
  registry: number;
  create: string;
  recover: string;
  remove: string;
  name: string;
}

const ADDITIONAL: Shape = { registry: 1, create: "ImportAdditionalServiceType", recover: "RecoverAdditionalServiceType", remove: "DeleteAdditionalServiceType", name: "AdditionalServiceTypeName" };
const MUNICIPAL: Shape = { registry: 51, create: "ImportMainMunicipalService", recover: "RecoverMainMunicipalService", remove: "DeleteMainMunicipalService", name: "MainMunicipalServiceName" };

function importItems(shape: Shape) {
  return (req: StandRequest, store: StandStore): XNode[] => {
    const org = sender(req).orgPPAGUID;
    const nsi = tables(store).nsi;
    const now = stamp(req.received);
    const own = (guid: string | null): NsiItemRow => {
      const row = guid ? nsi.get(guid) : undefined;
      if (!row || row.org !== org || row.registry !== shape.registry) refuse(GIS.notFound("элемент справочника", guid ?? ""));
      return row;
    };
    const out: Outcome[] = [];
    for (const item of children(req.body, shape.create)) {
      out.push(attempt(must(item, "TransportGUID"), () => {
        const existing = lower(val(item, "ElementGuid"));
        const row: NsiItemRow = existing
          ? own(existing)
          : { guid: store.guid(), org, registry: shape.registry, code: String(store.nextNumber(`nsi:${org}:${shape.registry}`)), name: "", serviceRef: null, resourceRef: null, isActual: true, modified: now };
        row.name = must(item, shape.name);
        row.serviceRef = nsiRefOf(item, "MunicipalServiceRef");
        row.resourceRef = nsiRefOf(item, "MunicipalResourceRef");
        row.modified = now;
        nsi.set(row.guid, row);
        return { guid: row.guid, uniqueNumber: row.code, updateDate: now };
      }));
    }
    for (const [name, actual] of [[shape.recover, true], [shape.remove, false]] as const) {
      for (const item of children(req.body, name)) {
        out.push(attempt(must(item, "TransportGUID"), () => {
          const row = own(lower(val(item, "ElementGuid")));
          row.isActual = actual;
          row.modified = now;
          return { guid: row.guid, uniqueNumber: row.code, updateDate: now };
        }));
      }
    }
    return flatResults("nsi", out);
  };
}

function exportItems(req: StandRequest, store: StandStore): XNode[] {
  const org = sender(req).orgPPAGUID;
  const registry = Number(must(req.body, "RegistryNumber"));
  const after = val(req.body, "ModifiedAfter");
  const rows = [...tables(store).nsi.values()]
    .filter((r) => r.org === org && r.registry === registry && (!after || Date.parse(r.modified) > Date.parse(after)))
    .sort((a, b) => Number(a.code) - Number(b.code));
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  return [el("nsi:NsiItem", null, leaf("nsi-base:NsiItemRegistryNumber", String(registry)), leaf("nsi-base:Created", stamp(req.received)),
    rows.map((r) => el("nsi-base:NsiElement", null, leaf("nsi-base:Code", r.code), leaf("nsi-base:GUID", r.guid),
      leaf("nsi-base:Modified", r.modified), leaf("nsi-base:IsActual", r.isActual))))];
}

export const handlers: HandlerSpec[] = [
  { ...RESULT, operation: "importAdditionalServices", handle: importItems(ADDITIONAL) },
  { ...RESULT, operation: "importMunicipalServices", handle: importItems(MUNICIPAL) },
  { ...RESULT, operation: "exportDataProviderNsiItem", handle: exportItems },
];

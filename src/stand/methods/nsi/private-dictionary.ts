/**
 * The organization's private dictionaries on the stand — additional services (registry 1) and
 * main municipal services (registry 51): place, update by ElementGuid, delete (IsActual=false),
 * recover; a new element gets a GUID and the next code of the organization's registry. Each
 * element is exported with its name as a string NsiElementField (as GIS writes it), which is how
 * a client recognizes what it placed when an answer was lost.
 *
 * Codes: INT002000 — ElementGuid the organization does not have (in its registry); INT002012 —
 * nothing to export.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { NsiItemRow, tables } from "../../domain/state";
import { children, lower, must, nsiRefOf, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS } from "../../rules/codes";
import { Outcome, attempt, flatResults, refuse, stamp } from "../../rules/results";
import { StandError, StandRequest, StandStore } from "../../types";

export const NSI_RESULT = { service: "nsi" as const, resultPrefix: "nsi", resultVersion: "10.0.1.2" };

export interface Shape {
  registry: number;
  create: string;
  recover: string;
  remove: string;
  name: string;
}

/** The field GIS names each registry's element by. */
const FIELD_NAME: Record<number, string> = { 1: "Вид дополнительной услуги", 51: "Главная коммунальная услуга" };

export function importItems(shape: Shape) {
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
      out.push(
        attempt(must(item, "TransportGUID"), () => {
          const existing = lower(val(item, "ElementGuid"));
          const row: NsiItemRow = existing
            ? own(existing)
            : {
                guid: store.guid(),
                org,
                registry: shape.registry,
                code: String(store.nextNumber(`nsi:${org}:${shape.registry}`)),
                name: "",
                serviceRef: null,
                resourceRef: null,
                isActual: true,
                modified: now,
              };
          row.name = must(item, shape.name);
          row.serviceRef = nsiRefOf(item, "MunicipalServiceRef");
          row.resourceRef = nsiRefOf(item, "MunicipalResourceRef");
          row.modified = now;
          nsi.set(row.guid, row);
          return { guid: row.guid, uniqueNumber: row.code, updateDate: now };
        }),
      );
    }
    for (const [name, actual] of [
      [shape.recover, true],
      [shape.remove, false],
    ] as const) {
      for (const item of children(req.body, name)) {
        out.push(
          attempt(must(item, "TransportGUID"), () => {
            const row = own(lower(val(item, "ElementGuid")));
            row.isActual = actual;
            row.modified = now;
            return { guid: row.guid, uniqueNumber: row.code, updateDate: now };
          }),
        );
      }
    }
    return flatResults("nsi", out);
  };
}

/** The organization's elements of a registry, modified after `after` (when given), by code. */
export function ownElements(req: StandRequest, store: StandStore, registry: number, after: string | null): NsiItemRow[] {
  const org = sender(req).orgPPAGUID;
  const rows = [...tables(store).nsi.values()]
    .filter((r) => r.org === org && r.registry === registry && (!after || Date.parse(r.modified) > Date.parse(after)))
    .sort((a, b) => Number(a.code) - Number(b.code));
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  return rows;
}

export function elementNode(r: NsiItemRow): XNode {
  return el(
    "nsi-base:NsiElement",
    null,
    leaf("nsi-base:Code", r.code),
    leaf("nsi-base:GUID", r.guid),
    leaf("nsi-base:Modified", r.modified),
    leaf("nsi-base:IsActual", r.isActual),
    r.name
      ? el(
          "nsi-base:NsiElementField",
          { "xsi:type": "nsi-base:NsiElementStringFieldType" },
          leaf("nsi-base:Name", FIELD_NAME[r.registry] ?? "Наименование"),
          leaf("nsi-base:Value", r.name),
        )
      : null,
  );
}

/** nsi: the organization's own dictionaries (additional and main municipal services), and their export. */
import { XNode, el, leaf, opt } from "../envelope/xml";
import { NsiRef, checkCount, container, flag, nsiRef, transportGuid } from "./common";

export const VERSIONS = {
  importAdditionalServicesRequest: "10.0.1.2",
  importMunicipalServicesRequest: "11.0.0.4",
  exportDataProviderNsiItemRequest: "10.0.1.2",
  exportDataProviderNsiPagingItemRequest: "11.1.0.5",
} as const;

export interface AdditionalServiceInput {
  transportGuid: string;
  /** Set when changing an element GIS already has. */
  elementGuid?: string;
  /** ≤ 100 characters. */
  name: string;
  /** Unit: an OKEI code, or free text when OKEI has none. */
  okei?: string;
  unitText?: string;
}

export interface ElementRefInput {
  transportGuid: string;
  elementGuid: string;
}

export interface ImportAdditionalServicesInput {
  services?: AdditionalServiceInput[];
  recover?: ElementRefInput[];
  delete?: ElementRefInput[];
}

export interface MunicipalServiceInput {
  transportGuid: string;
  elementGuid?: string;
  /** NSI 3 (коммунальная услуга). */
  municipalService: NsiRef;
  generalNeeds?: boolean;
  selfProduced?: boolean;
  name: string;
  /** NSI 2 (коммунальный ресурс). */
  municipalResource: NsiRef;
  okei?: string;
  /** Sort order (1..3 chars) or none. */
  sortOrder?: string;
}

export interface ImportMunicipalServicesInput {
  services?: MunicipalServiceInput[];
  recover?: Array<ElementRefInput & { hierarchyRecover?: boolean }>;
  delete?: ElementRefInput[];
}

export interface ExportDataProviderNsiItemInput {
  /** 1, 51, 59, 219, 272, 302 or 337. */
  registryNumber: number;
  modifiedAfter?: string;
}

export interface ExportDataProviderNsiPagingItemInput {
  registryNumber: number;
  page: number;
}

function batch(op: string, i: { services?: unknown[]; recover?: unknown[]; delete?: unknown[] }, names: [string, string, string]): void {
  const [s, r, d] = [i.services?.length ?? 0, i.recover?.length ?? 0, i.delete?.length ?? 0];
  checkCount(op, names[0], s, 0, 1000);
  checkCount(op, names[1], r, 0, 1000);
  checkCount(op, names[2], d, 0, 1000);
  if (s + r + d === 0) throw new Error(`${op}: пустой запрос`);
}

export function importAdditionalServicesBody(i: ImportAdditionalServicesInput): XNode {
  batch("importAdditionalServices", i, ["ImportAdditionalServiceType", "RecoverAdditionalServiceType", "DeleteAdditionalServiceType"]);
  return container("nsi:importAdditionalServicesRequest", VERSIONS.importAdditionalServicesRequest,
    (i.services ?? []).map((s) => {
      if ((s.okei === undefined) === (s.unitText === undefined)) throw new Error("importAdditionalServices: укажите либо okei, либо unitText");
      return el("nsi:ImportAdditionalServiceType", null, transportGuid(s.transportGuid), opt("nsi:ElementGuid", s.elementGuid),
        leaf("nsi:AdditionalServiceTypeName", s.name), s.okei !== undefined ? leaf("base:OKEI", s.okei) : leaf("nsi:StringDimensionUnit", s.unitText!));
    }),
    (i.recover ?? []).map((r) => el("nsi:RecoverAdditionalServiceType", null, transportGuid(r.transportGuid), leaf("nsi:ElementGuid", r.elementGuid))),
    (i.delete ?? []).map((r) => el("nsi:DeleteAdditionalServiceType", null, transportGuid(r.transportGuid), leaf("nsi:ElementGuid", r.elementGuid))));
}

export function importMunicipalServicesBody(i: ImportMunicipalServicesInput): XNode {
  batch("importMunicipalServices", i, ["ImportMainMunicipalService", "RecoverMainMunicipalService", "DeleteMainMunicipalService"]);
  return container("nsi:importMunicipalServicesRequest", VERSIONS.importMunicipalServicesRequest,
    (i.services ?? []).map((s) => el("nsi:ImportMainMunicipalService", null,
      transportGuid(s.transportGuid), opt("nsi:ElementGuid", s.elementGuid),
      nsiRef("nsi:MunicipalServiceRef", s.municipalService), flag("nsi:GeneralNeeds", s.generalNeeds),
      s.selfProduced === undefined ? null : leaf("nsi:SelfProduced", s.selfProduced),
      leaf("nsi:MainMunicipalServiceName", s.name), nsiRef("nsi:MunicipalResourceRef", s.municipalResource), opt("base:OKEI", s.okei),
      s.sortOrder !== undefined ? leaf("nsi:SortOrder", s.sortOrder) : leaf("nsi:SortOrderNotDefined", "true"))),
    (i.recover ?? []).map((r) => el("nsi:RecoverMainMunicipalService", null, transportGuid(r.transportGuid), leaf("nsi:ElementGuid", r.elementGuid), flag("nsi:HierarchyRecover", r.hierarchyRecover))),
    (i.delete ?? []).map((r) => el("nsi:DeleteMainMunicipalService", null, transportGuid(r.transportGuid), leaf("nsi:ElementGuid", r.elementGuid))));
}

export function exportDataProviderNsiItemBody(i: ExportDataProviderNsiItemInput): XNode {
  return container("nsi:exportDataProviderNsiItemRequest", VERSIONS.exportDataProviderNsiItemRequest,
    leaf("nsi:RegistryNumber", String(i.registryNumber)), opt("nsi:ModifiedAfter", i.modifiedAfter));
}

export function exportDataProviderNsiPagingItemBody(i: ExportDataProviderNsiPagingItemInput): XNode {
  return container("nsi:exportDataProviderNsiPagingItemRequest", VERSIONS.exportDataProviderNsiPagingItemRequest,
    leaf("nsi:RegistryNumber", String(i.registryNumber)), leaf("nsi:Page", String(i.page)));
}

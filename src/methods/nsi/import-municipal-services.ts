/**
 * importMunicipalServices (nsi): our municipal services in the organization's own dictionary
 * НСИ 51 (main municipal services), each tied to the common municipal service (НСИ 3) and resource
 * (НСИ 2) it is mapped to — placed (ImportMainMunicipalService), and, as object actions on chosen
 * services, their element deleted or recovered (RecoverMainMunicipalService, with HierarchyRecover
 * when the caller asks). Up to 1000 of each per request. A lost answer is reconciled by
 * exportDataProviderNsiItem.
 */
import { el, leaf, opt } from "../../transport/envelope/xml";
import { NsiRef, container, flag, nsiRef, transportGuid } from "../../transport/messages/common";
import { NSI, NsiIndex } from "../../stages/nsi";
import { PRE } from "../../stages/preflight";
import { defineMethod } from "../method";
import {
  ELEMENT_ACTIONS,
  ElementData,
  ElementRefInput,
  applyElements,
  checkLists,
  elementRefs,
  prepareElements,
  reconcileBy,
  selectElements,
  splitBatch,
} from "./private-elements";

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

const REGISTRY = 51;

type Place = Omit<MunicipalServiceInput, "transportGuid">;

export const importMunicipalServices = defineMethod<ImportMunicipalServicesInput, ElementData<Place>>({
  name: "importMunicipalServices",
  service: "nsi",
  element: "importMunicipalServicesRequest",
  versions: { "16.3.0.0": "11.0.0.4", "14.4.0.1": "11.0.0.4" },
  batch: { element: "ImportMainMunicipalService", max: 1000 },

  body(i, version) {
    checkLists("importMunicipalServices", i, ["ImportMainMunicipalService", "RecoverMainMunicipalService", "DeleteMainMunicipalService"]);
    return container(
      "nsi:importMunicipalServicesRequest",
      version,
      (i.services ?? []).map((s) =>
        el(
          "nsi:ImportMainMunicipalService",
          null,
          transportGuid(s.transportGuid),
          opt("nsi:ElementGuid", s.elementGuid),
          nsiRef("nsi:MunicipalServiceRef", s.municipalService),
          flag("nsi:GeneralNeeds", s.generalNeeds),
          s.selfProduced === undefined ? null : leaf("nsi:SelfProduced", s.selfProduced),
          leaf("nsi:MainMunicipalServiceName", s.name),
          nsiRef("nsi:MunicipalResourceRef", s.municipalResource),
          opt("base:OKEI", s.okei),
          s.sortOrder !== undefined ? leaf("nsi:SortOrder", s.sortOrder) : leaf("nsi:SortOrderNotDefined", "true"),
        ),
      ),
      elementRefs("nsi:RecoverMainMunicipalService", i.recover),
      elementRefs("nsi:DeleteMainMunicipalService", i.delete),
    );
  },

  descriptor: {
    stage: "services",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "service",
    batchSetting: null,
    defaultBatch: 1000,
    safeToRepeat: false,
    actions: ELEMENT_ACTIONS,
    // The registry (our GUID), the common НСИ 3 / НСИ 2 references, GIS's own elements (tied, not placed twice).
    after: ["exportOrgRegistry", "exportNsiItem", "exportNsiPagingItem", "exportDataProviderNsiItem"],

    select: (ds, scope, mode, ctx) => selectElements(ds, scope, mode, ctx.stand, "municipal"),

    async prepare(ds, ids, ctx) {
      const nsi = await NsiIndex.load(ds, [NSI.municipalService, NSI.municipalResource]);
      return prepareElements<Place>(ds, ids, ctx, REGISTRY, (s, c) => {
        const service = s.nsiRegistry === NSI.municipalService ? (nsi.byGuid(s.nsiGuid) ?? nsi.byCode(NSI.municipalService, s.nsiCode)) : null;
        const resource = nsi.byGuid(s.municipalResourceGuid) ?? nsi.byCode(NSI.municipalResource, s.municipalResourceCode);
        c.fail(!service, PRE.nsi, "nsiCode", "Услуга не сопоставлена с коммунальной услугой справочника ГИС (НСИ 3)");
        c.fail(!resource, PRE.nsi, "municipalResourceCode", `Не найден коммунальный ресурс «${s.municipalResourceCode ?? ""}» в справочнике ГИС (НСИ 2)`);
        return service && resource
          ? { municipalService: service, name: s.name.slice(0, 100), municipalResource: resource, ...(s.okei ? { okei: s.okei } : {}) }
          : null;
      });
    },

    payload: (batch) => {
      const lists = splitBatch(batch);
      return {
        ...(lists.services.length ? { services: lists.services } : {}),
        ...(lists.recover.length ? { recover: lists.recover } : {}),
        ...(lists.delete.length ? { delete: lists.delete } : {}),
      };
    },

    apply: (em, _answer, matched, ctx) => applyElements(em, matched, ctx, REGISTRY),

    reconcile: reconcileBy<Place>(REGISTRY),
  },
});

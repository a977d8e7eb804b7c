/**
 * importAdditionalServices (nsi): our additional services in the organization's own dictionary
 * НСИ 1 — placed (ImportAdditionalServiceType), and, as object actions on chosen services, their
 * element deleted (DeleteAdditionalServiceType) or recovered (RecoverAdditionalServiceType).
 * Up to 1000 of each per request. A lost answer is reconciled by exportDataProviderNsiItem.
 */
import { XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { container, transportGuid } from "../../transport/messages/common";
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

export type { ElementRefInput } from "./private-elements";

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

export interface ImportAdditionalServicesInput {
  services?: AdditionalServiceInput[];
  recover?: ElementRefInput[];
  delete?: ElementRefInput[];
}

const REGISTRY = 1;

function service(s: AdditionalServiceInput): XNode {
  if ((s.okei === undefined) === (s.unitText === undefined)) throw new Error("importAdditionalServices: укажите либо okei, либо unitText");
  return el(
    "nsi:ImportAdditionalServiceType",
    null,
    transportGuid(s.transportGuid),
    opt("nsi:ElementGuid", s.elementGuid),
    leaf("nsi:AdditionalServiceTypeName", s.name),
    s.okei !== undefined ? leaf("base:OKEI", s.okei) : leaf("nsi:StringDimensionUnit", s.unitText!),
  );
}

type Place = Omit<AdditionalServiceInput, "transportGuid">;

export const importAdditionalServices = defineMethod<ImportAdditionalServicesInput, ElementData<Place>>({
  name: "importAdditionalServices",
  service: "nsi",
  element: "importAdditionalServicesRequest",
  versions: { "16.3.0.0": "10.0.1.2", "14.4.0.1": "10.0.1.2" },
  batch: { element: "ImportAdditionalServiceType", max: 1000 },

  body(i, version) {
    checkLists("importAdditionalServices", i, ["ImportAdditionalServiceType", "RecoverAdditionalServiceType", "DeleteAdditionalServiceType"]);
    return container(
      "nsi:importAdditionalServicesRequest",
      version,
      (i.services ?? []).map(service),
      elementRefs("nsi:RecoverAdditionalServiceType", i.recover),
      elementRefs("nsi:DeleteAdditionalServiceType", i.delete),
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
    // Our organization's GUID (the registry) and GIS's own elements first: a service already there is tied, not placed twice.
    after: ["exportOrgRegistry", "exportDataProviderNsiItem"],

    select: (ds, scope, mode, ctx) => selectElements(ds, scope, mode, ctx.stand, "additional"),

    prepare: (ds, ids, ctx) =>
      prepareElements<Place>(ds, ids, ctx, REGISTRY, (s, c) => {
        c.fail(s.name.length > 100, PRE.noNumber, "name", "Наименование дополнительной услуги длиннее 100 символов");
        return { name: s.name, ...(s.okei ? { okei: s.okei } : { unitText: "усл." }) };
      }),

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

/**
 * exportNsiItem (nsi-common, ISRequestHeader): a common GIS dictionary whole, by registry number.
 * The pipeline refreshes the common dictionaries the model refers to; the "objects" are registry
 * numbers, one registry per request. Registries known to be large are read by pages instead
 * (exportNsiPagingItem).
 */
import { leaf, opt } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { NsiElementRow, nsiAnswer, storeNsi } from "../../stages/services/nsi-answer";
import { defineMethod } from "../method";
import { COMMON_REGISTRIES, pagedRegistries } from "./common-registries";

export type ListGroup = "NSI" | "NSIRAO";

export interface ExportNsiItemInput {
  registryNumber: number;
  /** NSI: common dictionaries; NSIRAO: the housing fund's. */
  listGroup: ListGroup;
  /** xs:dateTime: only elements modified after it. */
  modifiedAfter?: string;
}

export const exportNsiItem = defineMethod<ExportNsiItemInput, { registryNumber: number }, { registry: number; rows: NsiElementRow[] } | null>({
  name: "exportNsiItem",
  service: "nsi-common",
  element: "exportNsiItemRequest",
  versions: { "16.3.0.0": "10.0.1.2", "14.4.0.1": "10.0.1.2" },

  body: (i, version) =>
    container(
      "nsi-common:exportNsiItemRequest",
      version,
      leaf("nsi-common:RegistryNumber", String(i.registryNumber)),
      leaf("nsi-base:ListGroup", i.listGroup),
      opt("nsi-common:ModifiedAfter", i.modifiedAfter),
    ),

  read: (result) => nsiAnswer({ result } as Parameters<typeof nsiAnswer>[0]),

  descriptor: {
    stage: "services",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "nsi_registry",
    batchSetting: null,
    defaultBatch: 1,
    safeToRepeat: true,

    async select(ds, scope) {
      const paged = await pagedRegistries(ds);
      return COMMON_REGISTRIES.filter((r) => !paged.has(r) && (!scope.objectIds || scope.objectIds.includes(r)));
    },
    prepare: async (_ds, ids) => ({ ready: ids.map((r) => ({ objectId: r, data: { registryNumber: r } })), rejected: [] }),
    payload: (batch) => ({ registryNumber: batch[0].data.registryNumber, listGroup: "NSI" }),

    async apply(em, answer) {
      const got = nsiAnswer(answer);
      if (got) await storeNsi(em, got.registry, got.rows, "NSI", null);
    },
  },
});

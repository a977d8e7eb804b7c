/**
 * exportNsiItem: refresh the common GIS dictionaries the model refers to. The "objects" are
 * registry numbers, one registry per request.
 */
import { MethodDescriptor } from "../descriptor";
import { OperationInputs } from "../../transport/messages";
import { NSI } from "../nsi";
import { nsiAnswer, storeNsi } from "./nsi-answer";

/** Registries of the NSI list group (the housing-fund group NSIRAO holds none the model uses). */
export const COMMON_REGISTRIES: number[] = [...new Set(Object.values(NSI))].sort((a, b) => a - b);

export const exportNsiItem: MethodDescriptor<OperationInputs["exportNsiItem"], { registryNumber: number }> = {
  method: "exportNsiItem",
  stage: "services",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "nsi_registry",
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: true,

  select: async (_ds, scope) => COMMON_REGISTRIES.filter((r) => !scope.objectIds || scope.objectIds.includes(r)),
  prepare: async (_ds, ids) => ({ ready: ids.map((r) => ({ objectId: r, data: { registryNumber: r } })), rejected: [] }),
  payload: (batch) => ({ registryNumber: batch[0].data.registryNumber, listGroup: "NSI" }),

  async apply(em, answer) {
    const got = nsiAnswer(answer);
    if (got) await storeNsi(em, got.registry, got.rows, "NSI", null);
  },
};

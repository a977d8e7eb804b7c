/** importAdditionalServices on the stand: the organization's НСИ 1 (rules in ./private-dictionary.ts). */
import { defineStandMethod } from "../method";
import { NSI_RESULT, importItems } from "./private-dictionary";

export const importAdditionalServices = defineStandMethod({
  ...NSI_RESULT,
  operation: "importAdditionalServices",
  handle: importItems({
    registry: 1,
    create: "ImportAdditionalServiceType",
    recover: "RecoverAdditionalServiceType",
    remove: "DeleteAdditionalServiceType",
    name: "AdditionalServiceTypeName",
  }),
});

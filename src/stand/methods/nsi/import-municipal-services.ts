/** importMunicipalServices on the stand: the organization's НСИ 51 (rules in ./private-dictionary.ts). */
import { defineStandMethod } from "../method";
import { NSI_RESULT, importItems } from "./private-dictionary";

export const importMunicipalServices = defineStandMethod({
  ...NSI_RESULT,
  operation: "importMunicipalServices",
  handle: importItems({
    registry: 51,
    create: "ImportMainMunicipalService",
    recover: "RecoverMainMunicipalService",
    remove: "DeleteMainMunicipalService",
    name: "MainMunicipalServiceName",
  }),
});

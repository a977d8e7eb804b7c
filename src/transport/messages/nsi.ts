/** nsi moved to src/methods/nsi/; this path stays for scripts/bench-stand.ts (the lead removes it). */
import { XNode } from "../envelope/xml";
import { DEFAULT_FORMAT_PACKAGE } from "../../methods/method";
import { ImportAdditionalServicesInput, importAdditionalServices } from "../../methods/nsi/import-additional-services";

export function importAdditionalServicesBody(i: ImportAdditionalServicesInput): XNode {
  return importAdditionalServices.body(i, importAdditionalServices.versions[DEFAULT_FORMAT_PACKAGE]);
}

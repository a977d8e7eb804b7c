/** exportNsiItem on the stand: one built-in common dictionary whole (./registries.ts). */
import { XNode, el } from "../../../transport/envelope/xml";
import { StandRequest } from "../../types";
import { defineStandMethod } from "../method";
import { NSI_COMMON_RESULT, elements, itemParts, requested } from "./registries";

function handle(req: StandRequest): XNode[] {
  const { registry, modifiedAfter } = requested(req);
  return [el("nsi-common:NsiItem", null, itemParts(registry, elements(registry, modifiedAfter)))];
}

export const exportNsiItem = defineStandMethod({ ...NSI_COMMON_RESULT, operation: "exportNsiItem", handle });

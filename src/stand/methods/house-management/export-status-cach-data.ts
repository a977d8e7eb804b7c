/**
 * exportStatusCAChData on the stand: status, state, version and object versions of the sender's
 * management contracts and charters the criteria name (none → INT002012).
 */
import { XNode, el } from "../../../transport/envelope/xml";
import { selected, statusNodes } from "../../rules/house-management/contracts";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(req: StandRequest, store: StandStore): XNode[] {
  return selected(req, store).map((r) => el("hm:exportStatusCAChResult", null, statusNodes(r)));
}

export const exportStatusCAChData = defineStandMethod({
  service: "house-management",
  operation: "exportStatusCAChData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

/**
 * importCharterData on the stand: one charter per request (TransportGUID, then the operation) —
 * placed, edited, rolled over, terminated or annulled by the rules of rules/house-management/contracts.ts.
 */
import { XNode } from "../../../transport/envelope/xml";
import { children, must } from "../../domain/xml-read";
import { applyDocument, result } from "../../rules/house-management/contracts";
import { attempt, houseManagementResults, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const op = children(req.body).find((x) => !["Signature", "TransportGUID"].includes(x.localName))!;
  return houseManagementResults([attempt(must(req.body, "TransportGUID"), () => result(applyDocument(req, store, "charter", op), now))]);
}

export const importCharterData = defineStandMethod({
  service: "house-management",
  operation: "importCharterData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

/**
 * importContractData on the stand: each Contract item places, edits, approves, rolls over,
 * terminates or annuls a management contract (the rules in rules/house-management/contracts.ts);
 * the item's answer is importContract with GUIDs, status, state and the objects' versions.
 */
import { XNode } from "../../../transport/envelope/xml";
import { children, must } from "../../domain/xml-read";
import { applyDocument, result } from "../../rules/house-management/contracts";
import { Outcome, attempt, houseManagementResults, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const now = stamp(req.received);
  const out: Outcome[] = children(req.body, "Contract").map((c) =>
    attempt(must(c, "TransportGUID"), () => {
      const op = children(c).find((x) => x.localName !== "TransportGUID")!;
      return result(applyDocument(req, store, "contract", op), now);
    }),
  );
  return houseManagementResults(out);
}

export const importContractData = defineStandMethod({
  service: "house-management",
  operation: "importContractData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

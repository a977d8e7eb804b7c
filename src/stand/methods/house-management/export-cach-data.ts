/**
 * exportCAChData on the stand: the sender's management contracts and charters the criteria name
 * (by GUID, version GUID, or house), as placed, with status, GUIDs and objects (none → INT002012).
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { renamed, unpack } from "../../domain/xml-read";
import { Kind, NAMES, selected } from "../../rules/house-management/contracts";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

/** Charter objects were placed with charter-typed service bases; the export uses the contract-typed ones. */
const CHARTER_TO_EXPORT: Record<string, string> = { BaseServiceCharter: "BaseService", CurrentCharter: "CurrentDoc", ProtocolMeetingOwners: "Agreement" };

function exportedTail(kind: Kind, nodes: XNode[]): XNode[] {
  if (kind === "contract") return nodes;
  const walk = (x: XNode): XNode => {
    const local = x.name.slice(x.name.indexOf(":") + 1);
    const to = CHARTER_TO_EXPORT[local];
    const kids = x.kids.map((k) => (typeof k === "string" ? k : walk(k)));
    return { ...(to ? renamed(x, `hm:${to}`) : x), kids };
  };
  return nodes.map(walk);
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  return selected(req, store).map((r) => {
    const n = NAMES[r.kind];
    return el(
      "hm:exportCAChResult",
      null,
      el(
        `hm:${n.export}`,
        null,
        unpack(r.content),
        leaf(`hm:${n.status}`, r.status),
        leaf(`hm:${n.guid}`, r.guid),
        leaf(`hm:${n.version}`, r.versionGuid),
        r.objects.map((o) =>
          el("hm:ContractObject", null, unpack(o.head), leaf("hm:ContractObjectVersionGUID", o.objectVersionGuid), exportedTail(r.kind, unpack(o.tail))),
        ),
      ),
    );
  });
}

export const exportCAChData = defineStandMethod({
  service: "house-management",
  operation: "exportCAChData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

/** exportNsiList (nsi-common, ISRequestHeader): the list of common dictionaries of a list group (NSI, NSIRAO). Not used by the pipeline. */
import { opt } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { child, children, text } from "../../transport/results/safe-xml";
import { defineMethod } from "../method";
import type { ListGroup } from "./export-nsi-item";

export interface ExportNsiListInput {
  listGroup?: ListGroup;
}

export interface NsiListEntry {
  registryNumber: number;
  name: string | null;
  modified: string | null;
}

export const exportNsiList = defineMethod<ExportNsiListInput, never, NsiListEntry[]>({
  name: "exportNsiList",
  service: "nsi-common",
  element: "exportNsiListRequest",
  versions: { "16.3.0.0": "10.0.1.2", "14.4.0.1": "10.0.1.2" },

  body: (i, version) => container("nsi-common:exportNsiListRequest", version, opt("nsi-base:ListGroup", i.listGroup)),

  read(result) {
    const list = child(result, "NsiList");
    return (list ? children(list, "NsiItemInfo") : []).map((e) => ({
      registryNumber: Number(text(child(e, "RegistryNumber"))),
      name: text(child(e, "Name")),
      modified: text(child(e, "Modified")),
    }));
  },
});

/** exportDataProviderNsiItem on the stand: the sender's elements of one of its registries (ModifiedAfter honoured); none → INT002012. */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { must, val } from "../../domain/xml-read";
import { stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";
import { NSI_RESULT, elementNode, ownElements } from "./private-dictionary";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const registry = Number(must(req.body, "RegistryNumber"));
  const rows = ownElements(req, store, registry, val(req.body, "ModifiedAfter"));
  return [
    el("nsi:NsiItem", null, leaf("nsi-base:NsiItemRegistryNumber", String(registry)), leaf("nsi-base:Created", stamp(req.received)), rows.map(elementNode)),
  ];
}

export const exportDataProviderNsiItem = defineStandMethod({ ...NSI_RESULT, operation: "exportDataProviderNsiItem", handle });

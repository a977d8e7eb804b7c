/** exportNsiList on the stand: the built-in common dictionaries of a list group (NSI by default); none → INT002012. */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { child, text } from "../../../transport/results/safe-xml";
import { StandError, StandRequest } from "../../types";
import { defineStandMethod } from "../method";
import { MODIFIED, NSI_COMMON_RESULT, REGISTRIES } from "./registries";

function handle(req: StandRequest): XNode[] {
  const group = text(child(req.body, "ListGroup")) ?? "NSI";
  const list = REGISTRIES.filter((r) => r.group === group);
  if (list.length === 0) throw new StandError("INT002012", "Нет объектов для экспорта");
  return [
    el(
      "nsi-common:NsiList",
      null,
      leaf("nsi-base:Created", MODIFIED),
      list.map((r) =>
        el("nsi-base:NsiItemInfo", null, leaf("nsi-base:RegistryNumber", String(r.number)), leaf("nsi-base:Name", r.name), leaf("nsi-base:Modified", MODIFIED)),
      ),
      leaf("nsi-base:ListGroup", group),
    ),
  ];
}

export const exportNsiList = defineStandMethod({ ...NSI_COMMON_RESULT, operation: "exportNsiList", handle });

/** exportNsiPagingItem on the stand: a built-in common dictionary by pages of 1000 (TotalItemsCount, TotalPages, CurrentPage); a page past the last → INT002012. */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { child, text } from "../../../transport/results/safe-xml";
import { StandError, StandRequest } from "../../types";
import { defineStandMethod } from "../method";
import { NSI_COMMON_RESULT, PAGE, elements, itemParts, requested } from "./registries";

function handle(req: StandRequest): XNode[] {
  const { registry, modifiedAfter } = requested(req);
  const all = elements(registry, modifiedAfter);
  const pages = Math.max(1, Math.ceil(all.length / PAGE));
  const page = Number(text(child(req.body, "Page")));
  if (page > pages) throw new StandError("INT002012", `Нет объектов для экспорта: страница ${page}, всего страниц ${pages}`);
  return [
    el(
      "nsi-common:NsiPagingItem",
      null,
      itemParts(registry, all.slice((page - 1) * PAGE, page * PAGE)),
      leaf("nsi-common:TotalItemsCount", String(all.length)),
      leaf("nsi-common:TotalPages", String(pages)),
      leaf("nsi-common:CurrentPage", String(page)),
    ),
  ];
}

export const exportNsiPagingItem = defineStandMethod({ ...NSI_COMMON_RESULT, operation: "exportNsiPagingItem", handle });

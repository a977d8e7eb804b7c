/**
 * exportDataProviderPagingNsiItem on the stand: the sender's elements of one of its registries by
 * pages of 1000 (TotalItemsCount, TotalPages, CurrentPage after the elements); none, or a page past
 * the last → INT002012.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { must } from "../../domain/xml-read";
import { stamp } from "../../rules/results";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";
import { NSI_RESULT, elementNode, ownElements } from "./private-dictionary";

const PAGE = 1000;

function handle(req: StandRequest, store: StandStore): XNode[] {
  const registry = Number(must(req.body, "RegistryNumber"));
  const rows = ownElements(req, store, registry, null);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const page = Number(must(req.body, "Page"));
  if (page > pages) throw new StandError("INT002012", `Нет объектов для экспорта: страница ${page}, всего страниц ${pages}`);
  return [
    el(
      "nsi:NsiPagingItem",
      null,
      leaf("nsi-base:NsiItemRegistryNumber", String(registry)),
      leaf("nsi-base:Created", stamp(req.received)),
      rows.slice((page - 1) * PAGE, page * PAGE).map(elementNode),
      leaf("nsi:TotalItemsCount", String(rows.length)),
      leaf("nsi:TotalPages", String(pages)),
      leaf("nsi:CurrentPage", String(page)),
    ),
  ];
}

export const exportDataProviderPagingNsiItem = defineStandMethod({ ...NSI_RESULT, operation: "exportDataProviderPagingNsiItem", handle });

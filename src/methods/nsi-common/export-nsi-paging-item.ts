/**
 * exportNsiPagingItem (nsi-common, ISRequestHeader): a common GIS dictionary page by page, 1000
 * elements a page — how large registries are read. The pipeline reads the registries known to be
 * large (./common-registries.ts) this way; the others whole (exportNsiItem).
 *
 * A pipeline operation is one request, so a page is one operation: the objects are pages
 * (objectId = registry × 10000 + page). A run asks page 1 of each registry; page 1's answer says
 * how many pages there are (TotalPages), and `nextPages` gives the pipeline pages 2..N, which it
 * carries in new operations of the same run and step — the services stage ends when the last
 * page is stored.
 */
import { leaf, opt } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { NsiElementRow, nsiAnswer, storeNsi } from "../../stages/services/nsi-answer";
import { defineMethod } from "../method";
import { COMMON_REGISTRIES, pagedRegistries } from "./common-registries";
import type { ExportNsiItemInput } from "./export-nsi-item";

export interface ExportNsiPagingItemInput extends ExportNsiItemInput {
  /** 1-based page, 1000 elements per page. */
  page: number;
}

export interface NsiPageData {
  registryNumber: number;
  page: number;
}

/** Pages per registry an object id can name. */
const PAGES = 10000;

export const pageObjectId = (registry: number, page: number): number => registry * PAGES + page;
export const pageOf = (objectId: number): NsiPageData => ({ registryNumber: Math.floor(objectId / PAGES), page: objectId % PAGES });

export interface NsiPage {
  registry: number;
  rows: NsiElementRow[];
  currentPage: number;
  totalPages: number;
  totalItems: number | null;
}

export const exportNsiPagingItem = defineMethod<ExportNsiPagingItemInput, NsiPageData, NsiPage | null>({
  name: "exportNsiPagingItem",
  service: "nsi-common",
  element: "exportNsiPagingItemRequest",
  versions: { "16.3.0.0": "10.0.1.2", "14.4.0.1": "10.0.1.2" },

  body(i, version) {
    if (!Number.isInteger(i.page) || i.page < 1 || i.page >= PAGES)
      throw new Error(`exportNsiPagingItem: Page — целое число от 1 до ${PAGES - 1}, передано ${i.page}`);
    return container(
      "nsi-common:exportNsiPagingItemRequest",
      version,
      leaf("nsi-common:RegistryNumber", String(i.registryNumber)),
      leaf("nsi-base:ListGroup", i.listGroup),
      leaf("nsi-common:Page", String(i.page)),
      opt("nsi-common:ModifiedAfter", i.modifiedAfter),
    );
  },

  read(result) {
    const got = nsiAnswer({ result } as Parameters<typeof nsiAnswer>[0]);
    const paging = result.getElementsByTagNameNS("*", "NsiPagingItem")[0] as Element | undefined;
    if (!got || !paging) return null;
    const n = (name: string) => {
      const e = paging.getElementsByTagNameNS("*", name)[0];
      return e?.textContent ? Number(e.textContent) : null;
    };
    return { ...got, currentPage: n("CurrentPage") ?? 1, totalPages: n("TotalPages") ?? 1, totalItems: n("TotalItemsCount") };
  },

  descriptor: {
    stage: "services",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "nsi_page",
    batchSetting: null,
    defaultBatch: 1,
    safeToRepeat: true,

    // Page 1 of each large registry (of the chosen registries, when the scope names registry numbers); the answer gives the rest.
    async select(ds, scope) {
      const paged = await pagedRegistries(ds);
      return COMMON_REGISTRIES.filter((r) => paged.has(r) && (!scope.objectIds || scope.objectIds.includes(r))).map((r) => pageObjectId(r, 1));
    },
    prepare: async (_ds, ids) => ({ ready: ids.map((id) => ({ objectId: id, data: pageOf(id) })), rejected: [] }),
    payload: (batch) => ({ registryNumber: batch[0].data.registryNumber, listGroup: "NSI", page: batch[0].data.page }),

    // Page 1 names the pages still to ask; later pages add none (they are asked already).
    nextPages(answer, objectIds) {
      const asked = objectIds.map(pageOf).find((p) => p.page === 1);
      const total = answer.nsiPage?.totalPages ?? 1;
      if (!asked || (answer.nsiPage?.currentPage ?? 1) !== 1 || total <= 1) return [];
      return Array.from({ length: Math.min(total, PAGES - 1) - 1 }, (_, i) => pageObjectId(asked.registryNumber, i + 2));
    },

    async apply(em, answer) {
      const got = nsiAnswer(answer);
      if (got) await storeNsi(em, got.registry, got.rows, "NSI", null);
    },
  },
});

/**
 * exportDataProviderPagingNsiItem (nsi): a page of an organization's own dictionary (1000
 * elements per page; the schema allows registries 1, 51, 59, 219, 272, 302, 337). The pipeline
 * reads the two dictionaries it uses whole (exportDataProviderNsiItem): an organization's own
 * dictionaries are small. Kept for callers that page.
 */
import { leaf } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { NsiElementRow, nsiAnswer } from "../../stages/services/nsi-answer";
import { defineMethod } from "../method";

export interface ExportDataProviderNsiPagingItemInput {
  registryNumber: number;
  /** 1-based. */
  page: number;
}

export const exportDataProviderPagingNsiItem = defineMethod<ExportDataProviderNsiPagingItemInput, never, { registry: number; rows: NsiElementRow[] } | null>({
  name: "exportDataProviderPagingNsiItem",
  service: "nsi",
  element: "exportDataProviderNsiPagingItemRequest",
  versions: { "16.3.0.0": "11.1.0.5", "14.4.0.1": "11.1.0.5" },

  body(i, version) {
    if (!Number.isInteger(i.page) || i.page < 1) throw new Error(`exportDataProviderPagingNsiItem: Page — целое число от 1, передано ${i.page}`);
    return container(
      "nsi:exportDataProviderNsiPagingItemRequest",
      version,
      leaf("nsi:RegistryNumber", String(i.registryNumber)),
      leaf("nsi:Page", String(i.page)),
    );
  },

  read: (result) => nsiAnswer({ result } as Parameters<typeof nsiAnswer>[0]),
});

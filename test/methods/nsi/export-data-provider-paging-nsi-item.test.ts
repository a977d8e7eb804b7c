/** exportDataProviderPagingNsiItem: the sample in both packages, the page number checked, the stand's answer read. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportDataProviderPagingNsiItem } from "../../../src/methods/nsi/export-data-provider-paging-nsi-item";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { UO, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";

test("exportDataProviderPagingNsiItem: the sample request is valid in both official packages; a page is 1 or more", () => {
  assertValidInAllPackages(exportDataProviderPagingNsiItem, { registryNumber: 337, page: 2 });
  assert.throws(() => buildMethodRequest(exportDataProviderPagingNsiItem, { orgPPAGUID: UO }, { registryNumber: 51, page: 0 }), /Page — целое число от 1/);
});

test("exportDataProviderPagingNsiItem: the stand answers a page of the organization's own dictionary (or that it has none)", async () => {
  const xml = buildMethodRequest(exportDataProviderPagingNsiItem, { orgPPAGUID: UO }, { registryNumber: 51, page: 1 }).xml;
  try {
    const a = await runStand(newStandStore(), "exportDataProviderPagingNsiItem", xml, UO);
    const page = exportDataProviderPagingNsiItem.read!(a.answer.result);
    assert.ok(page === null || Array.isArray(page.rows));
  } catch (e) {
    assert.equal((e as { code?: string }).code, "INT002012", "an empty dictionary is «no objects»");
  }
});

/**
 * exportDataProviderNsiItem and exportDataProviderPagingNsiItem: the sample requests in both
 * packages, the registries the schema allows, the stand's answers (elements with their names,
 * pages), the reader, and the descriptor's apply (elements stored, services tied by name).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NsiItem } from "../../../entities";
import { exportDataProviderNsiItem } from "../../../src/methods/nsi/export-data-provider-nsi-item";
import { exportDataProviderPagingNsiItem } from "../../../src/methods/nsi/export-data-provider-paging-nsi-item";
import { importAdditionalServices } from "../../../src/methods/nsi/import-additional-services";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { withTestDb } from "../../support/databases";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { STAND, reloadAt } from "../../support/identity";
import { ctx, ourOrganization, service } from "./fixtures";

test("exportDataProviderNsiItem / PagingNsiItem: the sample requests are valid in both official packages; other registries and pages are refused", () => {
  assertValidInAllPackages(exportDataProviderNsiItem, { registryNumber: 51, modifiedAfter: "2026-01-01T00:00:00" });
  assertValidInAllPackages(exportDataProviderPagingNsiItem, { registryNumber: 337, page: 2 });
  assert.throws(() => buildMethodRequest(exportDataProviderNsiItem, { orgPPAGUID: UO }, { registryNumber: 2 }), /RegistryNumber 2 — допустимы 1, 51, 59/);
  assert.throws(() => buildMethodRequest(exportDataProviderPagingNsiItem, { orgPPAGUID: UO }, { registryNumber: 1, page: 0 }), /Page — целое число от 1/);
});

test("exportDataProviderNsiItem: the stand exports the sender's elements with their names (valid per XSD); the reader and apply tie our service by name", async () => {
  const store = newStandStore();
  const placed = await runStand(
    store,
    "importAdditionalServices",
    buildMethodRequest(importAdditionalServices, { orgPPAGUID: UO }, { services: [{ transportGuid: G(1), name: "Домофон", unitText: "точка" }] }).xml,
    UO,
  );
  const a = await runStand(
    store,
    "exportDataProviderNsiItem",
    buildMethodRequest(exportDataProviderNsiItem, { orgPPAGUID: UO }, { registryNumber: 1 }).xml,
    UO,
  );
  assertAnswerValid(a, "nsi");
  const got = exportDataProviderNsiItem.read!(a.answer.result)!;
  assert.equal(got.registry, 1);
  assert.deepEqual(
    got.rows.map((r) => [r.code, r.guid, r.name, r.isActual]),
    [["1", placed.byTg(G(1)).guid, "Домофон", true]],
  );
  const page = await runStand(
    store,
    "exportDataProviderPagingNsiItem",
    buildMethodRequest(exportDataProviderPagingNsiItem, { orgPPAGUID: UO }, { registryNumber: 1, page: 1 }).xml,
    UO,
  );
  assertAnswerValid(page, "nsi");
  assert.deepEqual([page.answer.nsiPage?.totalPages, page.answer.lastPage], [1, true]);
  await assert.rejects(
    runStand(
      store,
      "exportDataProviderPagingNsiItem",
      buildMethodRequest(exportDataProviderPagingNsiItem, { orgPPAGUID: UO }, { registryNumber: 1, page: 2 }).xml,
      UO,
    ),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );

  await withTestDb("sqlite", async (ds) => {
    const org = await ourOrganization(ds);
    const s = await service(ds, org, { code: "A1", name: "Домофон" });
    const d = exportDataProviderNsiItem.descriptor!;
    assert.deepEqual(await d.select(ds, { organizationId: org.id }, "pull", ctx(org)), [1, 51]);
    await ds.transaction((em) => d.apply(em, a.answer, [], ctx(org)));
    const tied = await reloadAt(ds, "service", s.id);
    assert.deepEqual([tied.nsiRegistry, tied.gisElementCode, tied.gisElementGuid, tied.sync.status], [null, "1", placed.byTg(G(1)).guid, "ok"]);
    assert.equal((await reloadAt(ds, "service", s.id, "prod")).gisElementGuid, null, "tied on the run's stand only");
    assert.equal(await ds.getRepository(NsiItem).countBy({ registryNumber: 1, listGroup: "PRIVATE", organizationId: org.id, stand: STAND }), 1);
  });
});

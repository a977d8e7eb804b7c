/**
 * exportSupplyResourceContractObjectAddressData: the sample and its variants in both official
 * packages, the reader on the stand's answer, paging by ExportObjectGUID, INT002012 when nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportSupplyResourceContractObjectAddressData } from "../../../src/methods/house-management/export-supply-resource-contract-object-address-data";
import { importSupplyResourceContractData } from "../../../src/methods/house-management/import-supply-resource-contract-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, RSO, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { EXPORT_SUPPLY_OBJECTS, EXPORT_SUPPLY_OBJECTS_VARIANTS, srcCopy } from "./contracts-samples";

const m = exportSupplyResourceContractObjectAddressData;
const H = { orgPPAGUID: RSO };

test("exportSupplyResourceContractObjectAddressData: the sample and its variants are valid in both official packages", () => {
  assertValidInAllPackages(m, EXPORT_SUPPLY_OBJECTS);
  for (const [what, input] of EXPORT_SUPPLY_OBJECTS_VARIANTS) assert.doesNotThrow(() => assertValidInAllPackages(m, input), what);
});

test("exportSupplyResourceContractObjectAddressData: the stand gives a contract's objects by root GUID, version GUID or house, 1000 a page; another's or none is INT002012", async () => {
  const store = newStandStore();
  const placed = (
    await runStand(
      store,
      importSupplyResourceContractData.name,
      buildMethodRequest(importSupplyResourceContractData, H, { contracts: [{ transportGuid: G(10), contract: srcCopy(20) }] }).xml,
      RSO,
    )
  ).byTg(G(10));
  const root = placed.values.ContractRootGUID;
  for (const input of [{ contractRootGuid: root }, { contractGuid: placed.values.ContractGUID }, { fiasHouseGuid: G(11) }]) {
    const a = await runStand(store, m.name, buildMethodRequest(m, H, input).xml, RSO);
    assertAnswerValid(a, "house-management");
    const page = m.read!(a.answer.result);
    assert.equal(page.nextPage, null);
    assert.deepEqual(
      page.objects.map((o) => [
        o.contractRootGuid,
        o.contractGuid,
        o.fiasHouseGuid,
        o.houseType,
        o.apartmentNumber,
        o.pairs.length,
        o.pairs[0].serviceType?.code,
      ]),
      [[root, placed.values.ContractGUID, G(11), "MKD", "15", 1, "2"]],
      JSON.stringify(input),
    );
    assert.match(page.objects[0].objectGuid, /^[0-9a-f-]{36}$/);
  }
  const many = (n: number) => ({
    ...srcCopy(30),
    objects: Array.from({ length: n }, (_, i) => ({ ...srcCopy(30).objects![0], transportGuid: G(40 + i), apartmentNumber: String(100 + i) })),
  });
  const big = (
    await runStand(
      store,
      importSupplyResourceContractData.name,
      buildMethodRequest(importSupplyResourceContractData, H, { contracts: [{ transportGuid: G(11), contract: many(1001) }] }).xml,
      RSO,
    )
  ).byTg(G(11));
  const first = m.read!((await runStand(store, m.name, buildMethodRequest(m, H, { contractRootGuid: big.values.ContractRootGUID }).xml, RSO)).answer.result);
  assert.equal(first.objects.length, 1000);
  assert.ok(first.nextPage);
  const second = m.read!(
    (await runStand(store, m.name, buildMethodRequest(m, H, { contractRootGuid: big.values.ContractRootGUID, exportObjectGuid: first.nextPage! }).xml, RSO))
      .answer.result,
  );
  assert.deepEqual([second.objects.length, second.nextPage], [1, null]);
  await assert.rejects(
    runStand(store, m.name, buildMethodRequest(m, { orgPPAGUID: UO }, { contractRootGuid: root }).xml, UO),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
  await assert.rejects(
    runStand(store, m.name, buildMethodRequest(m, H, { fiasHouseGuid: G(12) }).xml, RSO),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
});

/**
 * exportSupplyResourceContractData: the sample and its variants in both official packages, the
 * builder's limit, the reader on a hand-written answer per the XSD (paging) and on the stand's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportSupplyResourceContractData, exportedSupplyResourceContracts } from "../../../src/methods/house-management/export-supply-resource-contract-data";
import { importSupplyResourceContractData } from "../../../src/methods/house-management/import-supply-resource-contract-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, RSO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { EXPORT_SUPPLY_CONTRACT, EXPORT_SUPPLY_CONTRACT_VARIANTS, SUPPLY_ROWS, handAnswer, srcCopy } from "./contracts-samples";

const m = exportSupplyResourceContractData;
const H = { orgPPAGUID: RSO };

test("exportSupplyResourceContractData: the sample and its variants are valid in both official packages; up to 1000 GUIDs", () => {
  assertValidInAllPackages(m, EXPORT_SUPPLY_CONTRACT);
  for (const [what, input] of EXPORT_SUPPLY_CONTRACT_VARIANTS) assert.doesNotThrow(() => assertValidInAllPackages(m, input), what);
  assert.throws(() => buildMethodRequest(m, H, { contractRootGuids: Array.from({ length: 1001 }, (_, k) => G(5000 + k)) }), /ContractRootGUID — от 1 до 1000/);
});

test("exportSupplyResourceContractData: exportSupplyResourceContractResult → root/version GUIDs, state, subjects, paging by ExportContractRootGUID", () => {
  const page = exportedSupplyResourceContracts(handAnswer(SUPPLY_ROWS).result);
  assert.equal(m.read, exportedSupplyResourceContracts);
  assert.equal(page.lastPage, false);
  assert.equal(page.nextPage, G(134));
  const [k] = page.contracts;
  assert.deepEqual(
    [k.rootGuid, k.versionGuid, k.state, k.versionStatus, k.versionNumber, k.contractNumber, k.isContract, k.countingResource],
    [G(134), G(135), "Proceed", "Posted", 1, "ТС-15/2026 (отопление & ГВС)", true, "R"],
  );
  assert.deepEqual(k.subjects, [
    {
      transportGuid: G(131),
      serviceType: { code: "2", guid: G(924), name: null },
      municipalResource: { code: "3", guid: G(925), name: null },
      startSupplyDate: "2026-01-10",
      endSupplyDate: null,
    },
  ]);
  const last = exportedSupplyResourceContracts(
    handAnswer(SUPPLY_ROWS.replace(/<hm:ExportContractRootGUID>.*<\/hm:ExportContractRootGUID>/, "<hm:IsLastPage>true</hm:IsLastPage>")).result,
  );
  assert.deepEqual([last.lastPage, last.nextPage, last.contracts.length], [true, null, 1]);
});

test("exportSupplyResourceContractData: the stand answers by house and by GUID (valid per XSD), the last page says so; a house without contracts is INT002012", async () => {
  const store = newStandStore();
  const placed = (
    await runStand(
      store,
      importSupplyResourceContractData.name,
      buildMethodRequest(importSupplyResourceContractData, H, { contracts: [{ transportGuid: G(10), contract: srcCopy(20) }] }).xml,
      RSO,
    )
  ).byTg(G(10));
  for (const input of [{ fiasHouseGuid: G(11) }, { contractRootGuids: [placed.values.ContractRootGUID] }, { contractGuids: [placed.values.ContractGUID] }]) {
    const a = await runStand(store, m.name, buildMethodRequest(m, H, input).xml, RSO);
    assertAnswerValid(a, "house-management");
    const page = exportedSupplyResourceContracts(a.answer.result);
    assert.deepEqual(
      page.contracts.map((c) => [c.rootGuid, c.versionGuid, c.state, c.versionNumber, c.versionStatus]),
      [[placed.values.ContractRootGUID, placed.values.ContractGUID, "Proceed", 1, "Posted"]],
      JSON.stringify(input),
    );
    assert.equal(page.lastPage, true);
  }
  await assert.rejects(
    runStand(store, m.name, buildMethodRequest(m, H, { fiasHouseGuid: G(12) }).xml, RSO),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
});

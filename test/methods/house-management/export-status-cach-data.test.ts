/** exportStatusCAChData: the sample in both official packages, the builder's limit, the stand's answer read by the descriptor. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportStatusCAChData } from "../../../src/methods/house-management/export-status-cach-data";
import { importContractData } from "../../../src/methods/house-management/import-contract-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { EXPORT_STATUS_CACH, IMPORT_CONTRACT } from "./contracts-samples";

const m = exportStatusCAChData;

test("exportStatusCAChData: the sample is valid in both official packages; 1..100 criteria", () => {
  assertValidInAllPackages(m, EXPORT_STATUS_CACH);
  assert.throws(() => buildMethodRequest(m, { orgPPAGUID: UO }, { criteria: [] }), /Criteria — от 1 до 100/);
});

test("exportStatusCAChData: the stand answers status, state and versions of a placed contract (valid per XSD); the descriptor asks by GUID", async () => {
  const store = newStandStore();
  const placed = (await runStand(store, importContractData.name, buildMethodRequest(importContractData, { orgPPAGUID: UO }, IMPORT_CONTRACT).xml, UO)).byTg(
    G(100),
  );
  const payload = m.descriptor!.payload([{ objectId: 1, transportGuid: G(1), data: { contractGuid: placed.guid! } }], {} as never);
  const a = await runStand(store, m.name, buildMethodRequest(m, { orgPPAGUID: UO }, payload).xml, UO);
  assertAnswerValid(a, "house-management");
  assert.match(a.xml, /<hm:ContractStatus>Approved<\/hm:ContractStatus><hm:State>Running<\/hm:State>/);
  assert.match(a.xml, new RegExp(`<hm:ContractVersionGUID>${placed.values.ContractVersionGUID}</hm:ContractVersionGUID>`));
  assert.deepEqual(m.descriptor!.after, ["exportCAChData"], "asks about what exportCAChData linked; the imports answer their own status");
});

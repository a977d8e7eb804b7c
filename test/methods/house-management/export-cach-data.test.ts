/**
 * exportCAChData: the sample and its variants in both official packages, the builder's limit, the
 * reader on a hand-written answer per the XSD and on the stand's, the stand's handler.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportCAChData, exportedCACh } from "../../../src/methods/house-management/export-cach-data";
import { importContractData } from "../../../src/methods/house-management/import-contract-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { CACH_ROWS, EXPORT_CACH, EXPORT_CACH_VARIANTS, IMPORT_CONTRACT, handAnswer } from "./contracts-samples";

const m = exportCAChData;

test("exportCAChData: the sample and its variants are valid in both official packages; 0..100 criteria", () => {
  assertValidInAllPackages(m, EXPORT_CACH);
  for (const [what, input] of EXPORT_CACH_VARIANTS) assert.doesNotThrow(() => assertValidInAllPackages(m, input), what);
  const many = Array.from({ length: 101 }, (_, k) => ({ contractGuid: G(5000 + k) }));
  assert.throws(() => buildMethodRequest(m, { orgPPAGUID: UO }, { criteria: many }), /Criteria — от 0 до 100/);
});

test("exportCAChData: exportCAChResult → contracts and charters with versions, statuses and managed objects", () => {
  const [c, ch] = exportedCACh(handAnswer(CACH_ROWS).result);
  assert.equal(m.read, exportedCACh);
  assert.equal(c.kind, "contract");
  assert.equal(c.guid, G(120));
  assert.equal(c.versionGuid, G(121));
  assert.equal(c.status, "Approved");
  assert.equal(c.docNum, "ДУ-7/2026 «Центр»");
  assert.deepEqual(c.objects, [
    {
      fiasHouseGuid: G(11),
      versionGuid: G(122),
      startDate: "2026-02-01",
      endDate: null,
      status: "Approved",
      houseServices: [{ code: "1", guid: G(921), name: null }],
      addServices: [],
    },
  ]);
  assert.deepEqual(
    [ch.kind, ch.guid, ch.versionGuid, ch.status, ch.terminated, ch.signingDate],
    ["charter", G(123), G(124), "Terminated", "2026-06-30", "2010-03-04"],
  );
  assert.throws(
    () => exportedCACh(handAnswer(CACH_ROWS.replace(/<hm:ContractVersionGUID>[^<]*<\/hm:ContractVersionGUID>/, ""), false).result),
    /exportCAChResult без ContractVersionGUID/,
  );
});

test("exportCAChData: the stand finds the sender's documents by GUID, version or house; the reader gives what was placed; unknown ones are INT002012", async () => {
  const store = newStandStore();
  const placed = (await runStand(store, importContractData.name, buildMethodRequest(importContractData, { orgPPAGUID: UO }, IMPORT_CONTRACT).xml, UO)).byTg(
    G(100),
  );
  for (const criteria of [
    [{ contractGuid: placed.guid! }],
    [{ contractVersionGuid: placed.values.ContractVersionGUID }],
    [{ uoGuid: UO, fiasHouseGuid: G(11) }],
  ]) {
    const a = await runStand(store, m.name, buildMethodRequest(m, { orgPPAGUID: UO }, { criteria }).xml, UO);
    assertAnswerValid(a, "house-management");
    const [x] = exportedCACh(a.answer.result);
    assert.deepEqual(
      [x.kind, x.guid, x.versionGuid, x.status, x.docNum, x.objects[0].fiasHouseGuid],
      ["contract", placed.guid, placed.values.ContractVersionGUID, "Approved", "ДУ-7/2026 «Центр»", G(11)],
      JSON.stringify(criteria),
    );
  }
  await assert.rejects(
    runStand(store, m.name, buildMethodRequest(m, { orgPPAGUID: UO }, { criteria: [{ contractGuid: G(1) }] }).xml, UO),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
});

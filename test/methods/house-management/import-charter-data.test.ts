/**
 * importCharterData: one charter per request — the sample and its variants in both official
 * packages, the builder's limits, the stand (placed, auto-approved, exported in the contract-typed
 * shape), the reconcile by house and its result mapping.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { importCharterData } from "../../../src/methods/house-management/import-charter-data";
import { exportCAChData } from "../../../src/methods/house-management/export-cach-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { IMPORT_CHARTER, IMPORT_CHARTER_VARIANTS, charterPlace } from "./contracts-samples";

const m = importCharterData;
const H = { orgPPAGUID: UO };

test("importCharterData: the sample and every variant are valid in both official packages; one charter per request", () => {
  assertValidInAllPackages(m, IMPORT_CHARTER);
  for (const [what, input] of IMPORT_CHARTER_VARIANTS) assert.doesNotThrow(() => assertValidInAllPackages(m, input), what);
  assert.equal(m.batch, undefined, "one charter per request: no batch element");
  assert.equal(m.descriptor!.defaultBatch, 1);
  assert.throws(() => buildMethodRequest(m, H, { transportGuid: G(1), place: { ...charterPlace, attachments: [] } }), /AttachmentCharter — от 1/);
  assert.throws(() => buildMethodRequest(m, H, { transportGuid: G(1), place: { ...charterPlace, objects: [] } }), /ContractObject — от 1/);
});

test("importCharterData: the stand places and auto-approves a charter; exportCAChData gives it in the contract-typed shape; the reconcile finds it by house", async () => {
  const store = newStandStore();
  const a = await runStand(store, m.name, buildMethodRequest(m, H, IMPORT_CHARTER).xml, UO);
  assertAnswerValid(a, "house-management");
  const r = a.byTg(G(110));
  assert.deepEqual([r.errors, r.values.CharterStatus, r.values.CharterGUID], [[], "Approved", r.guid]);
  const exp = await runStand(store, exportCAChData.name, buildMethodRequest(exportCAChData, H, { criteria: [{ charterGuid: r.guid! }] }).xml, UO);
  assertAnswerValid(exp, "house-management");

  const rec = m.descriptor!.reconcile!;
  assert.equal(rec.method, exportCAChData.name);
  const data = { houseFias: G(11), uoGuid: UO, versionGuid: null } as never;
  const byHouse = await runStand(
    store,
    exportCAChData.name,
    buildMethodRequest(exportCAChData, H, rec.payload([{ objectId: 7, data }], {} as never) as never).xml,
    UO,
  );
  assert.deepEqual([...rec.found(byHouse.answer, [{ objectId: 7, data }], {} as never)], [[7, r.guid]]);
  assert.deepEqual(rec.result!(r.guid!), { guid: r.guid, values: { CharterGUID: r.guid } }, "lands where an ordinary answer's CharterGUID does");
});

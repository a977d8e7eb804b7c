/** exportOrgRegistry: the sample request in both packages, the builder's limits, the reader, the stand's handler, the descriptor's apply. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportOrgRegistry } from "../../../src/methods/organizations-registry-common/export-org-registry";
import { exportOrgRegistry as standExportOrgRegistry } from "../../../src/stand/methods/organizations-registry-common/export-org-registry";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand, standOrg } from "../../support/method-harness";

const SAMPLE = {
  criteria: [{ ogrn: "1027700132195", kpp: "770701001" }, { ogrnip: "304500116000157", isRegistered: true }, { orgPPAGUID: UO }],
  lastEditingDateFrom: "2026-01-01",
};

test("exportOrgRegistry: the sample request is valid in both official packages, under ISRequestHeader", () => {
  const xml = assertValidInAllPackages(exportOrgRegistry, SAMPLE);
  assert.match(xml, /<base:ISRequestHeader /);
  assert.doesNotMatch(xml, /orgPPAGUID>[^<]*<\/base:orgPPAGUID><\/base:ISRequestHeader/);
});

test("exportOrgRegistry: 1 to 100 criteria per request, as the schema says", () => {
  assert.equal(exportOrgRegistry.batch?.max, 100);
  assert.throws(() => buildMethodRequest(exportOrgRegistry, {}, { criteria: [] }), /SearchCriteria — от 1 до 100/);
  const many = Array.from({ length: 101 }, (_, i) => ({ ogrn: String(1027700000000 + i) }));
  assert.throws(() => buildMethodRequest(exportOrgRegistry, {}, { criteria: many }), /передано 101/);
});

test("exportOrgRegistry: the stand finds organizations by every key, the reader gives their identifiers, unknown ones are INT002012", async () => {
  const other = standOrg(G(9010), ["UO"], "УК Другая");
  const store = newStandStore([{ ...other, ogrn: "1021602843470", orgRootEntityGUID: G(9011), orgVersionGUID: G(9012) }]);
  const xml = buildMethodRequest(exportOrgRegistry, {}, { criteria: [{ ogrn: "1021602843470" }] }).xml;
  const a = await runStand(store, "exportOrgRegistry", xml, null);
  assertAnswerValid(a, "organizations-registry-common");
  assert.deepEqual(exportOrgRegistry.read!(a.answer.result), [
    { ogrn: "1021602843470", orgRootEntityGuid: G(9011), orgVersionGuid: G(9012), orgPPAGUID: G(9010) },
  ]);
  for (const c of [{ orgRootEntityGUID: G(9011) }, { orgVersionGUID: G(9012) }, { orgPPAGUID: G(9010) }]) {
    const found = await runStand(store, "exportOrgRegistry", buildMethodRequest(exportOrgRegistry, {}, { criteria: [c] }).xml, null);
    assert.equal(exportOrgRegistry.read!(found.answer.result)[0]?.orgPPAGUID, G(9010), JSON.stringify(c));
  }
  await assert.rejects(
    runStand(store, "exportOrgRegistry", buildMethodRequest(exportOrgRegistry, {}, { criteria: [{ ogrnip: "304500116000157" }] }).xml, null),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
  assert.equal(standExportOrgRegistry.operation, exportOrgRegistry.name);
});

test("exportOrgRegistry: the descriptor runs in the services stage, before every method that needs an orgPPAGUID", () => {
  const d = exportOrgRegistry.descriptor!;
  assert.equal(d.method, "exportOrgRegistry");
  assert.equal(d.stage, "services");
  assert.equal(d.kind, "export");
  assert.deepEqual(d.payload([{ objectId: 1, transportGuid: G(1), data: { ogrn: "1027700132195" } }], {} as never), { criteria: [{ ogrn: "1027700132195" }] });
});

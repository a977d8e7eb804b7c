/** exportOrgRegistry: the sample request in both packages, the builder's limits, the reader, the stand's handler, the descriptor's apply on one stand (others untouched). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportOrgRegistry } from "../../../src/methods/organizations-registry-common/export-org-registry";
import { exportOrgRegistry as standExportOrgRegistry } from "../../../src/stand/methods/organizations-registry-common/export-org-registry";
import { Organization } from "../../../entities";
import { stageContext } from "../../../src/queue/stage-context";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { reloadAt } from "../../support/identity";
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

for (const kind of DB_KINDS) {
  test(`exportOrgRegistry (${kind}): applied on sit01, the organization has sit01's orgPPAGUID there; prod still knows none and still selects it`, async () => {
    const store = newStandStore([{ ...standOrg(G(9020), ["UO"], "УК Стенд"), ogrn: "1021602843471", orgRootEntityGUID: G(9021), orgVersionGUID: G(9022) }]);
    await withTestDb(kind, async (ds) => {
      const org = await ds
        .getRepository(Organization)
        .save({ externalId: "o-stands", fullName: "УК Стенд", shortName: "УК Стенд", ogrn: "1021602843471", isOurs: true });
      const d = exportOrgRegistry.descriptor!;
      const sit01 = await stageContext(ds, org.id, "sit01", new Date("2026-11-20T07:00:00Z"));
      assert.equal(sit01.orgPPAGUID, "", "not registered on sit01 yet");
      assert.deepEqual(await d.select(ds, { organizationId: org.id }, "sync", sit01), [org.id]);
      const prepared = await d.prepare(ds, [org.id], sit01);
      const xml = buildMethodRequest(exportOrgRegistry, {}, d.payload([{ objectId: org.id, transportGuid: G(1), data: prepared.ready[0].data }], sit01)).xml;
      const a = await runStand(store, "exportOrgRegistry", xml, null);
      await ds.transaction((em) => d.apply(em, a.answer, [], sit01));

      assert.equal((await stageContext(ds, org.id, "sit01")).orgPPAGUID, G(9020));
      const onSit01 = await reloadAt(ds, "organization", org.id, "sit01");
      assert.deepEqual(
        [onSit01.gisOrgRootEntityGuid, onSit01.gisOrgVersionGuid, onSit01.gisOrgPpaGuid, onSit01.sync.status],
        [G(9021), G(9022), G(9020), "ok"],
      );
      assert.deepEqual(await d.select(ds, { organizationId: org.id }, "sync", sit01), [], "sit01 knows it: sync does not ask again");

      const prod = await stageContext(ds, org.id, "prod");
      assert.equal(prod.orgPPAGUID, "", "prod has no orgPPAGUID");
      const onProd = await reloadAt(ds, "organization", org.id, "prod");
      assert.deepEqual([onProd.gisOrgRootEntityGuid, onProd.gisOrgPpaGuid, onProd.sync.status], [null, null, "not_sent"]);
      assert.deepEqual(await d.select(ds, { organizationId: org.id }, "sync", prod), [org.id], "prod still asks the registry");
    });
  });
}

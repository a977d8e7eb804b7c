/**
 * exportDataProvider: the sample request in both packages, the stand's answer (valid per XSD), the
 * reader, and the descriptor on SQLite and PostgreSQL — our organizations get their data-provider
 * GUID, one without active rights gets none and a warning in the journal.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MessageLog } from "../../../entities";
import { exportDataProvider } from "../../../src/methods/organizations-registry-common/export-data-provider";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { STAND, reloadAt, saveAt } from "../../support/identity";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";

test("exportDataProvider: the sample request is valid in both official packages, under ISRequestHeader", () => {
  assert.match(assertValidInAllPackages(exportDataProvider, { isActual: true }), /<base:ISRequestHeader /);
  assertValidInAllPackages(exportDataProvider, {});
});

for (const kind of DB_KINDS) {
  test(`exportDataProvider (${kind}): the stand lists its organizations; ours known to the registry get their data-provider GUID, the others none and a warning`, async () => {
    const store = newStandStore();
    const a = await runStand(store, "exportDataProvider", buildMethodRequest(exportDataProvider, {}, { isActual: true }).xml, null);
    assertAnswerValid(a, "organizations-registry-common");
    const providers = exportDataProvider.read!(a.answer.result);
    assert.equal(providers.length, 2);
    assert.ok(providers.every((p) => p.isActual && p.orgRootEntityGuid));
    await withTestDb(kind, async (ds) => {
      const granted = await saveAt(ds, "organization", { externalId: "o1", fullName: "УК Тест", isOurs: true, gisOrgRootEntityGuid: UO });
      const without = await saveAt(ds, "organization", {
        externalId: "o2",
        fullName: "УК Без прав",
        shortName: "УК Без прав",
        isOurs: true,
        gisOrgRootEntityGuid: G(9999),
      });
      const unknown = await saveAt(ds, "organization", { externalId: "o3", fullName: "Не в реестре", isOurs: true });
      await saveAt(ds, "organization", { externalId: "o4", fullName: "Плательщик", isOurs: false, gisOrgRootEntityGuid: G(9002) });
      // Known to another stand's registry only: not this stand's business.
      await saveAt(ds, "organization", { externalId: "o5", fullName: "Только sit01", isOurs: true, gisOrgRootEntityGuid: UO }, "sit01");
      const d = exportDataProvider.descriptor!;
      const now = new Date("2026-11-20T07:00:00Z");
      const ctx = { organizationId: granted.id, role: "UO", stand: STAND, orgPPAGUID: UO, now, setting: () => null };
      assert.deepEqual(await d.select(ds, { organizationId: granted.id }, "pull", ctx), [granted.id, without.id]);
      assert.deepEqual(d.after, ["exportOrgRegistry"]);
      await ds.transaction((em) => d.apply(em, a.answer, [], ctx));
      const after = await Promise.all([granted, without, unknown].map((o) => reloadAt(ds, "organization", o.id)));
      assert.equal(after[0].gisDataProviderGuid, providers.find((p) => p.orgRootEntityGuid === UO)!.dataProviderGuid);
      assert.equal(after[0].dataProviderCheckedAt?.getTime(), now.getTime());
      assert.deepEqual([after[1].gisDataProviderGuid, after[1].dataProviderCheckedAt?.getTime()], [null, now.getTime()]);
      assert.equal(after[2].dataProviderCheckedAt, null, "not in the registry: not checked");
      assert.equal((await reloadAt(ds, "organization", granted.id, "sit01")).gisDataProviderGuid, null, "sit01's rights untouched");
      const warnings = await ds.getRepository(MessageLog).findBy({ subgroup: "exportDataProvider" });
      assert.deepEqual(
        warnings.map((w) => [w.level, w.objectId]),
        [["warning", without.id]],
      );
      assert.match(warnings[0].text, /^Организация «УК Без прав» не предоставила информационной системе права поставщика информации/);
    });
  });
}

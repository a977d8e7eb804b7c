/**
 * importMunicipalServices: the sample requests (place, change an element, recover with hierarchy +
 * delete) in both packages, the builder's limits, the stand's answer, the descriptor's checks
 * (НСИ 3 / НСИ 2 mapping) and its delete / recover actions on SQLite and PostgreSQL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NsiItem } from "../../../entities";
import { importMunicipalServices } from "../../../src/methods/nsi/import-municipal-services";
import { actionObjectId } from "../../../src/methods/nsi/private-elements";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { ctx, ourOrganization, service } from "./fixtures";

const ref = (code: string, n: number) => ({ code, guid: G(900 + n) });
const SAMPLE = {
  services: [
    { transportGuid: G(6), municipalService: ref("1", 1), name: "Холодное водоснабжение", municipalResource: ref("1", 2), okei: "113", sortOrder: "1" },
    { transportGuid: G(7), municipalService: ref("2", 3), generalNeeds: true, selfProduced: false, name: "ГВС на ОДН", municipalResource: ref("2", 4) },
  ],
};
const d = importMunicipalServices.descriptor!;

test("importMunicipalServices: the sample requests (place; change an element; recover with hierarchy + delete) are valid in both official packages", () => {
  assertValidInAllPackages(importMunicipalServices, SAMPLE);
  assertValidInAllPackages(importMunicipalServices, {
    services: [{ ...SAMPLE.services[0], transportGuid: G(298), elementGuid: G(299), name: "ХВС (питьевая) & техническая" }],
  });
  assertValidInAllPackages(importMunicipalServices, {
    recover: [{ transportGuid: G(294), elementGuid: G(295), hierarchyRecover: true }],
    delete: [{ transportGuid: G(296), elementGuid: G(297) }],
  });
  assert.throws(() => buildMethodRequest(importMunicipalServices, { orgPPAGUID: UO }, {}), /importMunicipalServices: пустой запрос/);
  assert.throws(
    () =>
      buildMethodRequest(
        importMunicipalServices,
        { orgPPAGUID: UO },
        { recover: Array.from({ length: 1001 }, (_, i) => ({ transportGuid: G(10000 + i), elementGuid: G(20000 + i) })) },
      ),
    /RecoverMainMunicipalService — от 0 до 1000/,
  );
});

test("importMunicipalServices: the stand places, deletes and recovers main municipal services (НСИ 51)", async () => {
  const store = newStandStore();
  const a = await runStand(store, "importMunicipalServices", buildMethodRequest(importMunicipalServices, { orgPPAGUID: UO }, SAMPLE).xml, UO);
  assertAnswerValid(a, "nsi");
  const guid = a.byTg(G(6)).guid!;
  assert.equal(a.byTg(G(7)).uniqueNumber, "2");
  const del = await runStand(
    store,
    "importMunicipalServices",
    buildMethodRequest(importMunicipalServices, { orgPPAGUID: UO }, { delete: [{ transportGuid: G(8), elementGuid: guid }] }).xml,
    UO,
  );
  assert.deepEqual(del.byTg(G(8)).errors, []);
  const rec = await runStand(
    store,
    "importMunicipalServices",
    buildMethodRequest(importMunicipalServices, { orgPPAGUID: UO }, { recover: [{ transportGuid: G(9), elementGuid: guid, hierarchyRecover: true }] }).xml,
    UO,
  );
  assert.equal(rec.byTg(G(9)).guid, guid);
});

for (const kind of DB_KINDS) {
  test(`importMunicipalServices (${kind}): needs the НСИ 3 / НСИ 2 mapping to place; delete / recover need the placed element`, async () => {
    await withTestDb(kind, async (ds) => {
      const org = await ourOrganization(ds);
      const c = ctx(org);
      await ds.getRepository(NsiItem).insert([
        {
          registryNumber: 3,
          listGroup: "NSI",
          organizationId: null,
          code: "1",
          guid: G(31),
          name: "Холодное водоснабжение",
          fields: null,
          parentGuid: null,
          isActual: true,
          modifiedAt: null,
        },
        {
          registryNumber: 2,
          listGroup: "NSI",
          organizationId: null,
          code: "1",
          guid: G(21),
          name: "Холодная вода",
          fields: null,
          parentGuid: null,
          isActual: true,
          modifiedAt: null,
        },
      ]);
      const mapped = await service(ds, org, { code: "M1", kind: "municipal", name: "ХВС", nsiRegistry: 3, nsiCode: "1", municipalResourceCode: "1" });
      const unmapped = await service(ds, org, { code: "M2", kind: "municipal", name: "Газ", municipalResourceCode: "99" });
      const placed = await service(ds, org, { code: "M3", kind: "municipal", name: "ГВС", gisElementCode: "4", gisElementGuid: G(54) });
      assert.deepEqual((await d.select(ds, { organizationId: org.id }, "push", c)).sort(), [mapped.id, unmapped.id].sort());
      const p = await d.prepare(ds, [mapped.id, unmapped.id], c);
      assert.deepEqual(
        p.ready.map((r) => r.data),
        [{ place: { municipalService: { code: "1", guid: G(31) }, name: "ХВС", municipalResource: { code: "1", guid: G(21) } }, name: "ХВС" }],
      );
      assert.deepEqual(
        p.rejected.map((r) => r.field),
        ["nsiCode"],
      );
      assert.match(p.rejected[0].text, /Услуга не сопоставлена с коммунальной услугой справочника ГИС \(НСИ 3\)/);
      const ids = await d.select(ds, { organizationId: org.id, action: "recover", objectType: "service", objectIds: [placed.id] }, "push", c);
      assert.deepEqual(ids, [actionObjectId(placed.id, "recover")]);
      const r = await d.prepare(ds, ids, c);
      const payload = d.payload([{ objectId: ids[0], transportGuid: G(1), data: r.ready[0].data }], c);
      assert.deepEqual(payload, { recover: [{ transportGuid: G(1), elementGuid: G(54) }] });
      assertValidInAllPackages(importMunicipalServices, payload);
      assert.ok(d.actions?.includes("delete") && d.actions.includes("recover") && !d.actionOnly);
    });
  });
}

/**
 * importAdditionalServices: the sample request (place, delete, recover) in both packages, the
 * builder's limits, the stand (codes and GUIDs, delete/recover, INT002000, another organization's
 * elements), the descriptor on SQLite and PostgreSQL (select unplaced; the delete / recover
 * actions on chosen services; apply; reconcile by exportDataProviderNsiItem).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NsiItem, Service } from "../../../entities";
import { importAdditionalServices } from "../../../src/methods/nsi/import-additional-services";
import { actionObjectId, fromObjectId } from "../../../src/methods/nsi/private-elements";
import { updateAt } from "../../../src/storage/identity/update";
import { exportDataProviderNsiItem } from "../../../src/methods/nsi/export-data-provider-nsi-item";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { G, RSO, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { STAND, reloadAt } from "../../support/identity";
import { answer, ctx, ourOrganization, service } from "./fixtures";

const SAMPLE = {
  services: [
    { transportGuid: G(1), name: "Вывоз строительного мусора", okei: "A023" },
    { transportGuid: G(2), elementGuid: G(3), name: "Домофон", unitText: "точка" },
  ],
  delete: [{ transportGuid: G(4), elementGuid: G(5) }],
};
const d = importAdditionalServices.descriptor!;
const req = (input: object, sender = UO) => buildMethodRequest(importAdditionalServices, { orgPPAGUID: sender }, input).xml;

test("importAdditionalServices: the sample requests (place + delete; recover + delete only) are valid in both official packages", () => {
  assertValidInAllPackages(importAdditionalServices, SAMPLE);
  assertValidInAllPackages(importAdditionalServices, {
    recover: [{ transportGuid: G(290), elementGuid: G(291) }],
    delete: [{ transportGuid: G(292), elementGuid: G(293) }],
  });
});

test("importAdditionalServices: 0..1000 of each list, not all empty; a unit is OKEI or text, never both", () => {
  assert.equal(importAdditionalServices.batch?.max, 1000);
  assert.throws(() => req({}), /importAdditionalServices: пустой запрос/);
  assert.throws(
    () => req({ delete: Array.from({ length: 1001 }, (_, i) => ({ transportGuid: G(10000 + i), elementGuid: G(1) })) }),
    /DeleteAdditionalServiceType — от 0 до 1000 элементов, передано 1001/,
  );
  assert.throws(() => req({ services: [{ transportGuid: G(1), name: "x", okei: "A023", unitText: "шт" }] }), /укажите либо okei, либо unitText/);
});

test("importAdditionalServices: the stand gives GUIDs and codes; delete/recover; an unknown ElementGuid fails alone (INT002000); another organization cannot touch them", async () => {
  const store = newStandStore();
  const a = await runStand(
    store,
    "importAdditionalServices",
    req({
      services: [
        { transportGuid: G(1), name: "Домофон", unitText: "точка" },
        { transportGuid: G(2), name: "Вывоз мусора", okei: "A023" },
      ],
      delete: [{ transportGuid: G(3), elementGuid: G(999) }],
    }),
    UO,
  );
  assertAnswerValid(a, "nsi");
  assert.deepEqual(a.byTg(G(1)).errors, []);
  assert.deepEqual(a.byTg(G(2)).errors, []);
  assert.equal(a.byTg(G(3)).errors[0]?.code, "INT002000");
  assert.deepEqual([a.byTg(G(1)).uniqueNumber, a.byTg(G(2)).uniqueNumber], ["1", "2"]);
  const intercom = a.byTg(G(1)).guid!;

  const del = await runStand(store, "importAdditionalServices", req({ delete: [{ transportGuid: G(4), elementGuid: intercom }] }), UO);
  assert.equal(del.byTg(G(4)).guid, intercom);
  const exp = await runStand(
    store,
    "exportDataProviderNsiItem",
    buildMethodRequest(exportDataProviderNsiItem, { orgPPAGUID: UO }, { registryNumber: 1 }).xml,
    UO,
  );
  assertAnswerValid(exp, "nsi");
  assert.match(exp.xml, new RegExp(`<nsi-base:GUID>${intercom}</nsi-base:GUID><nsi-base:Modified>[^<]+</nsi-base:Modified><nsi-base:IsActual>false`));
  await assert.rejects(
    runStand(store, "exportDataProviderNsiItem", buildMethodRequest(exportDataProviderNsiItem, { orgPPAGUID: RSO }, { registryNumber: 1 }).xml, RSO),
    (e: Error & { code?: string }) => e.code === "INT002012",
  );
  const foreign = await runStand(store, "importAdditionalServices", req({ recover: [{ transportGuid: G(5), elementGuid: intercom }] }, RSO), RSO);
  assert.equal(foreign.byTg(G(5)).errors[0]?.code, "INT002000");
  const back = await runStand(store, "importAdditionalServices", req({ recover: [{ transportGuid: G(6), elementGuid: intercom }] }), UO);
  assert.deepEqual(back.byTg(G(6)).errors, []);
});

test("importAdditionalServices: an action's variant travels in the object id", () => {
  for (const a of ["place", "delete", "recover"] as const) assert.deepEqual(fromObjectId(actionObjectId(42, a)), { serviceId: 42, action: a });
});

for (const kind of DB_KINDS) {
  test(`importAdditionalServices (${kind}): places unplaced services; delete / recover act on chosen placed ones only; a lost answer is reconciled by name or element state`, async () => {
    await withTestDb(kind, async (ds) => {
      const org = await ourOrganization(ds);
      const c = ctx(org);
      const fresh = await service(ds, org, { code: "A1", name: "Домофон" });
      const placed = await service(ds, org, { code: "A2", name: "Вывоз мусора", gisElementCode: "7", gisElementGuid: G(70) });
      await service(ds, org, { code: "M1", name: "ХВС", kind: "municipal" });
      const scope = { organizationId: org.id };

      // Without an action: exactly what it placed before — the unplaced additional services.
      assert.deepEqual(await d.select(ds, scope, "push", c), [fresh.id]);
      assert.deepEqual(await d.select(ds, scope, "pull", c), []);
      // With an action: the chosen services of its kind, as delete / recover variants.
      const toDelete = await d.select(ds, { ...scope, action: "delete", objectType: "service", objectIds: [placed.id, fresh.id] }, "push", c);
      assert.deepEqual(toDelete.sort(), [-placed.id, -fresh.id].sort());
      assert.deepEqual(await d.select(ds, { ...scope, action: "annul", objectIds: [placed.id] }, "push", c), [], "not an action of this method");
      const prepared = await d.prepare(ds, toDelete, c);
      assert.deepEqual(
        prepared.ready.map((r) => r.data),
        [{ delete: G(70), name: "Вывоз мусора" }],
      );
      assert.match(prepared.rejected[0].text, /^Нельзя удалить элемент справочника ГИС \(НСИ 1\): услуга не размещена в нём\. Услуга: Домофон/);
      const other = await service(ds, org, { code: "A3", name: "Уборка", gisElementCode: "9", gisElementGuid: G(90) });
      const recover = await d.prepare(ds, [actionObjectId(other.id, "recover")], c);
      const place = await d.prepare(ds, [fresh.id], c);
      assert.deepEqual(place.ready[0].data, { place: { name: "Домофон", unitText: "усл." }, name: "Домофон" });
      const noOrg = await d.prepare(ds, [fresh.id], ctx(org, { orgPPAGUID: "" }));
      assert.match(noOrg.rejected[0].text, /^У организации «АО «ККС»» отсутствует ГУИД/);

      // One request may carry the three variants; the payload is valid in both packages.
      const batch = [
        { objectId: fresh.id, transportGuid: G(1), data: place.ready[0].data },
        { objectId: -placed.id, transportGuid: G(2), data: prepared.ready[0].data },
        { objectId: actionObjectId(other.id, "recover"), transportGuid: G(3), data: recover.ready[0].data },
      ];
      const payload = d.payload(batch, c);
      assert.deepEqual(payload, {
        services: [{ name: "Домофон", unitText: "усл.", transportGuid: G(1) }],
        recover: [{ transportGuid: G(3), elementGuid: G(90) }],
        delete: [{ transportGuid: G(2), elementGuid: G(70) }],
      });
      assertValidInAllPackages(importAdditionalServices, payload);
      assert.throws(
        () => req({ recover: [{ transportGuid: G(5), elementGuid: G(70) }], delete: [{ transportGuid: G(6), elementGuid: G(70) }] }),
        /ElementGuid «[^»]+» встречается в запросе дважды/,
      );

      // Apply: the placed service gets its element; the deleted element is stored not actual.
      await ds.getRepository(NsiItem).insert({
        registryNumber: 1,
        listGroup: "PRIVATE",
        organizationId: org.id,
        stand: STAND,
        code: "7",
        guid: G(70),
        name: "Вывоз мусора",
        fields: null,
        parentGuid: null,
        isActual: true,
        modifiedAt: null,
      });
      const ok = (tg: string, guid: string, uniqueNumber: string | null) => ({
        transportGuid: tg,
        guid,
        uniqueNumber,
        updateDate: null,
        errors: [],
        values: {},
      });
      await ds.transaction((em) =>
        d.apply(
          em,
          answer(""),
          [
            { objectId: fresh.id, transportGuid: G(1), result: ok(G(1), G(80), "8") },
            { objectId: -placed.id, transportGuid: G(2), result: ok(G(2), G(70), "7") },
          ],
          c,
        ),
      );
      const s = await reloadAt(ds, "service", fresh.id);
      assert.deepEqual([s.nsiRegistry, s.gisElementCode, s.gisElementGuid, s.sync.status], [null, "8", G(80), "ok"]);
      assert.equal((await ds.getRepository(NsiItem).findOneByOrFail({ guid: G(70) })).isActual, false);
      assert.equal((await reloadAt(ds, "service", placed.id)).sync.status, "ok");
      assert.equal((await reloadAt(ds, "service", placed.id, "prod")).sync.status, "not_sent", "another stand's state is untouched");

      // Reconcile: exportDataProviderNsiItem of НСИ 1 finds what GIS already has.
      const rec = d.reconcile!;
      assert.equal(rec.method, "exportDataProviderNsiItem");
      assert.deepEqual(rec.payload(batch, c), { registryNumber: 1 });
      const field = (name: string) => `<nb:NsiElementField><nb:Name>Вид дополнительной услуги</nb:Name><nb:Value>${name}</nb:Value></nb:NsiElementField>`;
      const exported = answer(
        `<ns:NsiItem><nb:NsiItemRegistryNumber>1</nb:NsiItemRegistryNumber><nb:Created>2026-11-20T10:00:00</nb:Created>` +
          `<nb:NsiElement><nb:Code>8</nb:Code><nb:GUID>${G(80)}</nb:GUID><nb:Modified>2026-11-20T10:00:00</nb:Modified><nb:IsActual>true</nb:IsActual>${field("Домофон")}</nb:NsiElement>` +
          `<nb:NsiElement><nb:Code>7</nb:Code><nb:GUID>${G(70)}</nb:GUID><nb:Modified>2026-11-20T10:00:00</nb:Modified><nb:IsActual>false</nb:IsActual>${field("Вывоз мусора")}</nb:NsiElement></ns:NsiItem>`,
      );
      const found = rec.found(exported, batch, c);
      assert.deepEqual(
        [...found].sort(),
        [
          [fresh.id, G(80)],
          [-placed.id, G(70)],
        ].sort(),
        "placed by name; deleted (not actual); the recover did not happen",
      );
      // A reconciled placing knows only the GUID: the code is not a stale one, and the next export fills it in.
      await updateAt(ds, STAND, Service, fresh.id, { gisElementCode: "OLD", gisElementGuid: null });
      await ds.transaction((em) =>
        d.apply(em, answer(""), [{ objectId: fresh.id, transportGuid: G(1), result: { ...ok(G(1), G(80), null), ...rec.result?.(G(80)) } }], c),
      );
      assert.deepEqual(await reloadAt(ds, "service", fresh.id).then((x) => [x.gisElementCode, x.gisElementGuid]), [null, G(80)]);
      await ds.transaction((em) => exportDataProviderNsiItem.descriptor!.apply(em, exported, [], c));
      assert.equal((await reloadAt(ds, "service", fresh.id)).gisElementCode, "8");
    });
  });
}

/**
 * NSI stands apart: the element a stand creates when a service is placed in the organization's own
 * dictionary (НСИ 1 / НСИ 51) is that stand's (gis_identity), the mapping columns stay the
 * organization's, stored private dictionaries are the stand's they came from, and the migration
 * moves elements kept on the mapping columns to the stand they came from — and back.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { GisOperation, NsiItem } from "../entities";
import { GisIdentity } from "../entities/gis-identity";
import { importAdditionalServices } from "../src/methods/nsi/import-additional-services";
import { importMunicipalServices } from "../src/methods/nsi/import-municipal-services";
import { exportDataProviderNsiItem } from "../src/methods/nsi/export-data-provider-nsi-item";
import { NsiIndex } from "../src/stages/nsi";
import { mappedForBilling } from "../src/stages/services/private-services";
import { loadAt } from "../src/storage/identity/store";
import { DB_KINDS, withTestDb } from "./support/databases";
import { reloadAt } from "./support/identity";
import { G } from "./support/method-harness";
import { answer, ctx, ourOrganization, service } from "./methods/nsi/fixtures";

const ok = (tg: string, guid: string, uniqueNumber: string) => ({ transportGuid: tg, guid, uniqueNumber, updateDate: null, errors: [], values: {} });

const field = (name: string) => `<nb:NsiElementField><nb:Name>Вид дополнительной услуги</nb:Name><nb:Value>${name}</nb:Value></nb:NsiElementField>`;
const exported = (code: string, guid: string, name: string) =>
  answer(
    `<ns:NsiItem><nb:NsiItemRegistryNumber>1</nb:NsiItemRegistryNumber><nb:Created>2026-11-20T10:00:00</nb:Created>` +
      `<nb:NsiElement><nb:Code>${code}</nb:Code><nb:GUID>${guid}</nb:GUID><nb:Modified>2026-11-20T10:00:00</nb:Modified><nb:IsActual>true</nb:IsActual>${field(name)}</nb:NsiElement></ns:NsiItem>`,
  );

for (const kind of DB_KINDS) {
  test(`${kind}: a service placed on sit01 gets its element there only; production still places it; the mapping stays`, async () => {
    await withTestDb(kind, async (ds) => {
      const org = await ourOrganization(ds);
      const sit = ctx(org, { stand: "sit01" });
      const prod = ctx(org, { stand: "prod" });
      const add = importAdditionalServices.descriptor!;
      const mun = importMunicipalServices.descriptor!;
      const scope = { organizationId: org.id };
      const intercom = await service(ds, org, { code: "A1", name: "Домофон" });
      const cold = await service(ds, org, { code: "M1", kind: "municipal", name: "ХВС", nsiRegistry: 3, nsiCode: "1", nsiGuid: G(31) });

      assert.deepEqual(await add.select(ds, scope, "push", sit), [intercom.id]);
      await ds.transaction((em) => add.apply(em, answer(""), [{ objectId: intercom.id, transportGuid: G(1), result: ok(G(1), G(80), "8") }], sit));
      await ds.transaction((em) => mun.apply(em, answer(""), [{ objectId: cold.id, transportGuid: G(2), result: ok(G(2), G(81), "3") }], sit));

      const onSit = await reloadAt(ds, "service", intercom.id, "sit01");
      const onProd = await reloadAt(ds, "service", intercom.id, "prod");
      assert.deepEqual([onSit.gisElementGuid, onSit.gisElementCode, onSit.sync.status], [G(80), "8", "ok"]);
      assert.deepEqual([onProd.gisElementGuid, onProd.gisElementCode, onProd.sync.status], [null, null, "not_sent"]);
      assert.deepEqual([onProd.nsiRegistry, onProd.nsiCode, onProd.nsiGuid], [null, null, null], "nothing on the shared columns");
      const coldSit = await reloadAt(ds, "service", cold.id, "sit01");
      assert.deepEqual([coldSit.nsiRegistry, coldSit.nsiCode, coldSit.nsiGuid, coldSit.gisElementGuid], [3, "1", G(31), G(81)], "the НСИ 3 mapping stays");

      // Selects: production still has both to place, sit01 none.
      assert.deepEqual(await add.select(ds, scope, "push", prod), [intercom.id]);
      assert.deepEqual(await add.select(ds, scope, "sync", prod), [intercom.id]);
      assert.deepEqual(await mun.select(ds, scope, "sync", prod), [cold.id]);
      assert.deepEqual(await add.select(ds, scope, "sync", sit), []);
      assert.deepEqual(await mun.select(ds, scope, "sync", sit), []);

      // Delete / recover name the stand's element: sit01's, and none on production.
      const del = -intercom.id;
      assert.deepEqual((await add.prepare(ds, [del], sit)).ready[0].data, { delete: G(80), name: "Домофон" });
      assert.equal((await add.prepare(ds, [del], prod)).rejected[0].field, "gisElementGuid");

      // Bills refer to the stand's element.
      const forSit = (await loadAt(ds, "service", [intercom.id, cold.id], "sit01")).get(intercom.id)!;
      const forProd = (await loadAt(ds, "service", [intercom.id, cold.id], "prod")).get(intercom.id)!;
      assert.equal(mappedForBilling(forSit), true);
      assert.equal(mappedForBilling(forProd), false);
    });
  });

  test(`${kind}: a private dictionary exported from sit01 is sit01's; a tie by name or by mapping is the run's stand's`, async () => {
    await withTestDb(kind, async (ds) => {
      const org = await ourOrganization(ds);
      const d = exportDataProviderNsiItem.descriptor!;
      const byName = await service(ds, org, { code: "A1", name: "Домофон" });
      // A billing that mapped its service to production's own element: tied on the stand that has it only.
      const byMapping = await service(ds, org, { code: "A2", name: "Уборка подъезда", nsiRegistry: 1, nsiCode: "9", nsiGuid: G(90) });
      await ds.transaction((em) => d.apply(em, exported("5", G(50), "Домофон"), [], ctx(org, { stand: "sit01" })));
      await ds.transaction((em) => d.apply(em, exported("9", G(90), "Уборка"), [], ctx(org, { stand: "prod" })));

      assert.equal((await reloadAt(ds, "service", byName.id, "sit01")).gisElementGuid, G(50));
      assert.equal((await reloadAt(ds, "service", byName.id, "prod")).gisElementGuid, null);
      assert.equal((await reloadAt(ds, "service", byMapping.id, "prod")).gisElementGuid, G(90));
      assert.equal((await reloadAt(ds, "service", byMapping.id, "sit01")).gisElementGuid, null);

      const rows = await ds.getRepository(NsiItem).find({ where: { registryNumber: 1, listGroup: "PRIVATE" }, order: { code: "ASC" } });
      assert.deepEqual(
        rows.map((r) => [r.code, r.stand]),
        [
          ["5", "sit01"],
          ["9", "prod"],
        ],
      );
      assert.equal((await NsiIndex.load(ds, [1], org.id, "prod")).byGuid(G(50)), null, "SIT01's element is not production's");
      assert.equal((await NsiIndex.load(ds, [1], org.id, "sit01")).byGuid(G(50))?.code, "5");
      assert.equal((await NsiIndex.load(ds, [1], org.id)).byCode(1, "9")?.guid, G(90), "production by default");
    });
  });

  test(`${kind}: the migration moves a placed element from the mapping columns to the stand it came from, and back`, async () => {
    await withTestDb(kind, async (ds) => {
      const org = await ourOrganization(ds);
      const op = await ds
        .getRepository(GisOperation)
        .save({ id: G(500), stand: "sit01", service: "nsi", method: "importAdditionalServices", createdAt: new Date() });
      const fromProd = await service(ds, org, { code: "A1", name: "Домофон" });
      const fromSit = await service(ds, org, { code: "A2", name: "Уборка", sync: { status: "ok", lastOperationId: op.id } as never }, "sit01");
      const common = await service(ds, org, { code: "H1", kind: "housing", name: "Содержание", nsiRegistry: 50, nsiCode: "1", nsiGuid: G(501) });
      const hot = await service(ds, org, { code: "M2", kind: "municipal", name: "ГВС", municipalResourceCode: "2" });

      const at = ds.migrations.findIndex((m) => m.name === "NsiStands1765411200000");
      assert.ok(at >= 0);
      for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const q = (n: string) => ds.driver.escape(n);
      const put = (id: number, code: string, guid: string) =>
        ds.query(`UPDATE ${q("service")} SET ${q("nsiRegistry")} = 1, ${q("nsiCode")} = '${code}', ${q("nsiGuid")} = '${guid}' WHERE ${q("id")} = ${id}`);
      await put(fromProd.id, "7", G(70));
      await put(fromSit.id, "8", G(80));
      await ds.query(`UPDATE ${q("service")} SET ${q("nsiRegistry")} = 51, ${q("nsiCode")} = '4', ${q("nsiGuid")} = '${G(54)}' WHERE ${q("id")} = ${hot.id}`);
      await ds.query(
        `INSERT INTO ${q("nsi_item")} (${q("registryNumber")}, ${q("listGroup")}, ${q("organizationId")}, ${q("code")}, ${q("guid")}, ${q("isActual")}) ` +
          `VALUES (1, 'PRIVATE', ${org.id}, '7', '${G(70)}', ${kind === "postgres" ? "true" : "1"})`,
      );
      await ds.runMigrations();

      const rows = await ds.getRepository(GisIdentity).find({ where: { objectType: "service" }, order: { objectId: "ASC", stand: "ASC" } });
      assert.deepEqual(
        rows.filter((r) => r.guid).map((r) => [r.objectId, r.stand, r.guid, r.uniqueNumber]),
        [
          [fromProd.id, "prod", G(70), "7"],
          [fromSit.id, "sit01", G(80), "8"],
          [hot.id, "prod", G(54), "4"],
        ],
      );
      assert.deepEqual(
        await reloadAt(ds, "service", hot.id, "prod").then((s) => [s.nsiRegistry, s.nsiCode, s.nsiGuid]),
        [3, "2", null],
        "a municipal service's НСИ 3 service, found again from its resource",
      );
      assert.equal((await reloadAt(ds, "service", fromProd.id, "prod")).nsiRegistry, null, "the mapping columns are cleared");
      assert.equal((await reloadAt(ds, "service", fromSit.id, "prod")).gisElementGuid, null);
      assert.deepEqual(
        await reloadAt(ds, "service", common.id, "prod").then((s) => [s.nsiRegistry, s.nsiCode, s.nsiGuid, s.gisElementGuid]),
        [50, "1", G(501), null],
        "a common mapping is no placed element",
      );
      assert.equal((await ds.getRepository(NsiItem).findOneByOrFail({ guid: G(70) })).stand, "prod");

      // Down: production's element back on the mapping columns; sit01's stays in the store only.
      for (let i = at; i < ds.migrations.length; i++) await ds.undoLastMigration();
      const back: Array<{ id: number; nsiRegistry: number | null; nsiCode: string | null; nsiGuid: string | null }> = await ds.query(
        `SELECT ${q("id")}, ${q("nsiRegistry")}, ${q("nsiCode")}, ${q("nsiGuid")} FROM ${q("service")} ORDER BY ${q("id")}`,
      );
      assert.deepEqual(
        back.map((r) => [Number(r.id), r.nsiRegistry === null ? null : Number(r.nsiRegistry), r.nsiCode, r.nsiGuid]),
        [
          [fromProd.id, 1, "7", G(70)],
          [fromSit.id, null, null, null],
          [common.id, 50, "1", G(501)],
          [hot.id, 51, "4", G(54)],
        ],
      );
      await ds.runMigrations();
      assert.equal((await reloadAt(ds, "service", fromProd.id, "prod")).gisElementGuid, G(70));
      assert.equal((await reloadAt(ds, "service", fromSit.id, "sit01")).gisElementGuid, G(80));
    });
  });
}

import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { DB_KINDS, withTestDb } from "./support/databases";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { exportTemplate } from "../src/excel/export";
import { simulateGisProcessing, SimulatedRow } from "../src/excel/gis-simulator";
import { importIds } from "../src/excel/import-ids";
import { resolveHouses } from "../src/excel/export/selection";
import { Account, House, Meter, PaymentDocument, Premise, Room, Contract } from "../entities";

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

async function loadDemo(ds: DataSource): Promise<void> {
  const bundle = tmp("gis-sync-excel-demo-");
  await writeDemoBundle(bundle);
  await importPath(ds, bundle);
}

const REJECT_TEXT = "INT004012: Лицевой счет с таким номером уже размещен в ГИС ЖКХ";

for (const kind of DB_KINDS) {
  test(`${kind}: round trip — export the demo fund, GIS processes the workbooks, import-ids writes the identifiers`, async () => {
    await withTestDb(kind, async (ds) => {
      await loadDemo(ds);
      const out = tmp("gis-sync-excel-out-");
      const processed = tmp("gis-sync-excel-gis-");
      const simulated: SimulatedRow[] = [];
      let rejectedAccount = "";
      for (const k of ["mkd", "zhd", "accounts", "meters", "payment-documents", "supply-contracts"]) {
        const r = await exportTemplate(ds, k, { houses: null }, out);
        assert.ok(r.rows[0].rows > 0, `${k}: the demo fund fills the first sheet`);
        simulated.push(
          ...(await simulateGisProcessing(r.file, path.join(processed, path.basename(r.file)), {
            reject: (sheet, v) => {
              if (sheet !== "Основные сведения" || rejectedAccount) return null;
              rejectedAccount = v.accountNumber;
              return REJECT_TEXT;
            },
          })),
        );
      }
      const result = await importIds(ds, processed);
      assert.equal(result.unmatched.length, 0, JSON.stringify(result.unmatched.slice(0, 3)));
      assert.equal(result.rejected.length, 1);
      assert.equal(result.rejected[0].text, REJECT_TEXT);
      assert.equal(result.rejected[0].sheet, "Основные сведения");
      assert.match(result.rejected[0].object, new RegExp(`ЛС ${rejectedAccount}`));
      assert.ok(result.applied > 100, `applied ${result.applied}`);

      const accepted = (sheet: string) => simulated.filter((s) => s.sheet === sheet && !s.rejected);
      // Houses: the GUID GIS gave each row is now on the house with that address.
      for (const s of [...accepted("Характеристики МКД"), ...accepted("Характеристики ЖД")]) {
        const h = await ds.getRepository(House).findOneByOrFail({ address: s.values.address });
        assert.equal(h.gisHouseGuid, s.assigned.gisGuid);
        assert.equal(h.gisUniqueNumber, s.assigned.gisUniqueNumber);
        assert.equal(h.sync.status, "ok");
      }
      for (const s of accepted("Жилые помещения")) {
        const h = await ds.getRepository(House).findOneByOrFail({ address: s.values.address });
        const p = await ds.getRepository(Premise).findOneByOrFail({ houseId: h.id, number: s.values.premiseNumber });
        assert.equal(p.gisGuid, s.assigned.gisGuid);
        assert.equal(p.gisUniqueNumber, s.assigned.gisUniqueNumber);
      }
      const rooms = accepted("Комнаты");
      assert.ok(rooms.length > 0);
      for (const s of rooms) {
        const r = await ds.getRepository(Room).findOneByOrFail({ number: s.values.roomNumber, gisGuid: s.assigned.gisGuid });
        assert.equal(r.gisUniqueNumber, s.assigned.gisUniqueNumber);
      }
      for (const s of accepted("Основные сведения")) {
        const a = await ds.getRepository(Account).findOneByOrFail({ number: s.values.accountNumber });
        assert.equal(a.gisAccountGuid, s.assigned.gisGuid);
        assert.equal(a.unifiedNumber, s.assigned.unifiedNumber);
      }
      for (const s of accepted("Помещения")) {
        const a = await ds.getRepository(Account).findOneByOrFail({ number: s.values.accountNumber });
        assert.equal(a.utilityServiceId, s.assigned.utilityServiceId);
      }
      const refused = await ds.getRepository(Account).findOneByOrFail({ number: rejectedAccount });
      assert.equal(refused.gisAccountGuid, null, "the rejected account got no GUID");
      for (const s of accepted("Сведения о ПУ")) {
        const m = await ds.getRepository(Meter).findOneByOrFail({ gisRootGuid: s.assigned.gisGuid });
        assert.equal(m.factoryNumber, s.values.factoryNumber);
        assert.equal(m.gisNumber, s.assigned.gisNumber);
      }
      const docs = accepted("Платежные документы");
      assert.ok(docs.length > 0);
      for (const s of docs) {
        const d = await ds.getRepository(PaymentDocument).findOneByOrFail({ gisPaymentDocumentId: s.assigned.gisPaymentDocumentId });
        assert.ok(d.number === s.values.documentNumber || d.externalId === s.values.documentNumber);
      }
      for (const s of accepted("Договоры ресурсоснабжения")) {
        const c = await ds.getRepository(Contract).findOneByOrFail({ number: s.values.contractNumber });
        assert.equal(c.gisContractGuid, s.assigned.gisGuid);
      }
    });
  });
}

for (const kind of DB_KINDS) {
  test(`${kind}: identifiers written into the status text are read too; unmatched rows are listed with file and row`, async () => {
    await withTestDb(kind, async (ds) => {
      await loadDemo(ds);
      const houses = await resolveHouses(ds, "H4");
      const out = tmp("gis-sync-excel-out-");
      const processed = tmp("gis-sync-excel-gis-");
      const r = await exportTemplate(ds, "accounts", { houses }, out);
      const all = await ds.getRepository(Account).count();
      assert.ok(r.rows[0].rows > 0 && r.rows[0].rows < all, "only the accounts of house H4");
      const file = path.join(processed, "result.xlsx");
      const sim = await simulateGisProcessing(r.file, file, { idsInStatus: true });
      // An account the billing system has since removed: GIS accepted it, we cannot find it.
      const gone = sim.find((s) => s.sheet === "Основные сведения")!;
      await ds.getRepository(Account).update({ number: gone.values.accountNumber }, { number: "renumbered" });
      const res = await importIds(ds, processed);
      assert.equal(res.unmatched.length, 2, "the account row and its premises row");
      assert.equal(res.unmatched[0].file, "result.xlsx");
      assert.equal(res.unmatched[0].row, gone.row);
      assert.match(res.unmatched[0].text, /не найден/);
      for (const s of sim.filter((x) => x.sheet === "Основные сведения" && x !== gone)) {
        const a = await ds.getRepository(Account).findOneByOrFail({ number: s.values.accountNumber });
        assert.equal(a.gisAccountGuid, s.assigned.gisGuid);
        assert.equal(a.unifiedNumber, s.assigned.unifiedNumber);
      }
    });
  });
}

import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { DataSource } from "typeorm";
import { DB_KINDS, withTestDb } from "./support/databases";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { exportTemplate } from "../src/excel/export";
import { simulateGisProcessing, SimulatedRow } from "../src/excel/gis-simulator";
import { importIds } from "../src/excel/import-ids";
import { resolveHouses } from "../src/excel/export/selection";
import { Account, House, PaymentDocument, Premise, Contract } from "../entities";
import { idsByIdentity, identitiesAt } from "../src/storage/identity/store";
import { STAND, reloadAt } from "./support/identity";

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

async function loadDemo(ds: DataSource): Promise<void> {
  const bundle = tmp("gis-sync-excel-demo-");
  await writeDemoBundle(bundle);
  await importPath(ds, bundle);
}

/** The one object of `kind` the stand knows by this identifier (fails unless exactly one). */
async function byIdentity(ds: DataSource, kind: "room" | "meter" | "payment_document", field: string, value: string): Promise<number> {
  const ids = (await idsByIdentity(ds, kind, field as never, [value], STAND)).get(value) ?? [];
  assert.equal(ids.length, 1, `${kind} with ${field} ${value}`);
  return ids[0];
}

/** The ЕЛС column of an exported payment documents workbook (data rows start at row 3). */
async function unifiedNumbersIn(file: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet("Платежные документы")!;
  const col = (ws.getRow(2).values as unknown[]).indexOf("Единый лицевой счет");
  assert.ok(col > 0, "ЕЛС column");
  const out: string[] = [];
  ws.eachRow((row, n) => {
    const v = row.getCell(col).value;
    if (n > 2 && v !== null && v !== undefined && v !== "") out.push(String(v));
  });
  return out;
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
        const r = await exportTemplate(ds, k, { houses: null, stand: STAND }, out);
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
      const result = await importIds(ds, STAND, processed);
      assert.equal(result.unmatched.length, 0, JSON.stringify(result.unmatched.slice(0, 3)));
      assert.equal(result.rejected.length, 1);
      assert.equal(result.rejected[0].text, REJECT_TEXT);
      assert.equal(result.rejected[0].sheet, "Основные сведения");
      assert.match(result.rejected[0].object, new RegExp(`ЛС ${rejectedAccount}`));
      assert.ok(result.applied > 100, `applied ${result.applied}`);

      const accepted = (sheet: string) => simulated.filter((s) => s.sheet === sheet && !s.rejected);
      // Houses: the GUID GIS gave each row is now on the house with that address.
      for (const s of [...accepted("Характеристики МКД"), ...accepted("Характеристики ЖД")]) {
        const h = await reloadAt(ds, "house", (await ds.getRepository(House).findOneByOrFail({ address: s.values.address })).id);
        assert.equal(h.gisHouseGuid, s.assigned.gisGuid);
        assert.equal(h.gisUniqueNumber, s.assigned.gisUniqueNumber);
        assert.equal(h.sync.status, "ok");
      }
      for (const s of accepted("Жилые помещения")) {
        const h = await ds.getRepository(House).findOneByOrFail({ address: s.values.address });
        const p = await reloadAt(ds, "premise", (await ds.getRepository(Premise).findOneByOrFail({ houseId: h.id, number: s.values.premiseNumber })).id);
        assert.equal(p.gisGuid, s.assigned.gisGuid);
        assert.equal(p.gisUniqueNumber, s.assigned.gisUniqueNumber);
      }
      const rooms = accepted("Комнаты");
      assert.ok(rooms.length > 0);
      for (const s of rooms) {
        const r = await reloadAt(ds, "room", await byIdentity(ds, "room", "gisGuid", s.assigned.gisGuid));
        assert.equal(r.number, s.values.roomNumber);
        assert.equal(r.gisUniqueNumber, s.assigned.gisUniqueNumber);
      }
      const account = async (number: string) => reloadAt(ds, "account", (await ds.getRepository(Account).findOneByOrFail({ number })).id);
      for (const s of accepted("Основные сведения")) {
        const a = await account(s.values.accountNumber);
        assert.equal(a.gisAccountGuid, s.assigned.gisGuid);
        assert.equal(a.unifiedNumber, s.assigned.unifiedNumber);
      }
      for (const s of accepted("Помещения")) {
        const a = await account(s.values.accountNumber);
        assert.equal(a.utilityServiceId, s.assigned.utilityServiceId);
      }
      const refused = await account(rejectedAccount);
      assert.equal(refused.gisAccountGuid, null, "the rejected account got no GUID");
      for (const s of accepted("Сведения о ПУ")) {
        const m = await reloadAt(ds, "meter", await byIdentity(ds, "meter", "gisRootGuid", s.assigned.gisGuid));
        assert.equal(m.factoryNumber, s.values.factoryNumber);
        assert.equal(m.gisNumber, s.assigned.gisNumber);
      }
      const docs = accepted("Платежные документы");
      assert.ok(docs.length > 0);
      for (const s of docs) {
        const d = await ds
          .getRepository(PaymentDocument)
          .findOneByOrFail({ id: await byIdentity(ds, "payment_document", "gisPaymentDocumentId", s.assigned.gisPaymentDocumentId) });
        assert.ok(d.number === s.values.documentNumber || d.externalId === s.values.documentNumber);
      }
      for (const s of accepted("Договоры ресурсоснабжения")) {
        const c = await reloadAt(ds, "contract", (await ds.getRepository(Contract).findOneByOrFail({ number: s.values.contractNumber })).id);
        assert.equal(c.gisContractGuid, s.assigned.gisGuid);
      }

      // Stands apart: the identifiers are the stand's that processed the files; another stand has none.
      const accountIds = (await ds.getRepository(Account).find({ select: { id: true } })).map((a) => a.id);
      const elsewhere = await identitiesAt(ds, "account", accountIds, "sit01");
      assert.ok(
        [...elsewhere.values()].every((i) => i.gisAccountGuid === null && i.sync.status === "not_sent"),
        "sit01 knows no account",
      );
      const onSit = await exportTemplate(ds, "payment-documents", { houses: null, stand: "sit01" }, tmp("gis-sync-excel-sit-"));
      const onLocal = await exportTemplate(ds, "payment-documents", { houses: null, stand: STAND }, tmp("gis-sync-excel-local-"));
      assert.equal(onSit.rows[0].rows, onLocal.rows[0].rows, "the same documents whatever the stand");
      assert.deepEqual(await unifiedNumbersIn(onSit.file), [], "no ЕЛС of another stand in sit01's export");
      assert.ok((await unifiedNumbersIn(onLocal.file)).length > 0, "the stand's ЕЛС in its export");
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
      const r = await exportTemplate(ds, "accounts", { houses, stand: STAND }, out);
      const all = await ds.getRepository(Account).count();
      assert.ok(r.rows[0].rows > 0 && r.rows[0].rows < all, "only the accounts of house H4");
      const file = path.join(processed, "result.xlsx");
      const sim = await simulateGisProcessing(r.file, file, { idsInStatus: true });
      // An account the billing system has since removed: GIS accepted it, we cannot find it.
      const gone = sim.find((s) => s.sheet === "Основные сведения")!;
      await ds.getRepository(Account).update({ number: gone.values.accountNumber }, { number: "renumbered" });
      const res = await importIds(ds, STAND, processed);
      assert.equal(res.unmatched.length, 2, "the account row and its premises row");
      assert.equal(res.unmatched[0].file, "result.xlsx");
      assert.equal(res.unmatched[0].row, gone.row);
      assert.match(res.unmatched[0].text, /не найден/);
      for (const s of sim.filter((x) => x.sheet === "Основные сведения" && x !== gone)) {
        const a = await reloadAt(ds, "account", (await ds.getRepository(Account).findOneByOrFail({ number: s.values.accountNumber })).id);
        assert.equal(a.gisAccountGuid, s.assigned.gisGuid);
        assert.equal(a.unifiedNumber, s.assigned.unifiedNumber);
      }
    });
  });
}

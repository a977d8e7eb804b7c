/** The demo bundle imported into a fresh database, with bills placed in GIS: what the descriptor tests of bills and payments select from. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { Account, Organization, Payment, PaymentDocument } from "../../../entities";
import { openDatabase } from "../../../src/storage/database";
import { writeDemoBundle } from "../../../src/generator/demo";
import { importPath } from "../../../src/importer/import-run";
import { Scope, StageContext } from "../../../src/stages/descriptor";
import { updateManyAt } from "../../../src/storage/identity/update";
import { TestDb, createPostgres, createSqlite } from "../../support/databases";
import { STAND } from "../../support/identity";
import { G } from "../../support/method-harness";

export interface BillingDb {
  ds: DataSource;
  org: Organization;
  ctx(over?: Partial<StageContext>, settings?: Record<string, unknown>): StageContext;
  scope(over?: Partial<Scope>): Scope;
  close(): Promise<void>;
}

/** Accounts placed (GUIDs), every bill issued with an ИПД, every own payment posted (notice GUID) — on `stand` (the tests' STAND). */
export async function billingDb(kind: "sqlite" | "postgres" = "sqlite", stand = STAND): Promise<BillingDb> {
  const db: TestDb = kind === "sqlite" ? await createSqlite() : await createPostgres();
  const ds = await openDatabase(db.url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-billing-"));
  await writeDemoBundle(dir);
  await importPath(ds, dir, { asOf: "2025-12-01" });
  const org = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  let n = 0;
  const accounts = await ds.getRepository(Account).find({ order: { id: "ASC" } });
  await updateManyAt(
    ds,
    stand,
    Account,
    accounts.map((a) => ({ id: a.id, patch: { gisAccountGuid: G(100000 + ++n) } })),
  );
  await ds.getRepository(PaymentDocument).createQueryBuilder().update().set({ state: "issued" }).execute();
  const docs = await ds.getRepository(PaymentDocument).find();
  await updateManyAt(
    ds,
    stand,
    PaymentDocument,
    docs.map((d) => ({
      id: d.id,
      patch: {
        gisPaymentDocumentId: `50BK0787${String(d.id).padStart(6, "0")}-0001`.slice(0, 18),
        sync: { status: "ok", syncedAt: new Date("2025-12-10T10:00:00Z") },
      },
    })),
  );
  await ds.getRepository(Payment).update({ source: "own" }, { sync: { changedAt: new Date("2025-12-01T00:00:00Z") } });
  const payments = await ds.getRepository(Payment).find({ where: { source: "own" } });
  await updateManyAt(
    ds,
    stand,
    Payment,
    payments.map((p) => ({ id: p.id, patch: { gisGuid: G(200000 + p.id), sync: { status: "ok", syncedAt: new Date("2025-12-10T10:00:00Z") } } })),
  );
  return {
    ds,
    org,
    ctx: (over = {}, settings = {}) => ({
      organizationId: org.id,
      role: "RSO",
      orgPPAGUID: G(9002),
      stand,
      now: new Date("2025-12-20T09:00:00Z"),
      setting: (k) => (settings[k] ?? null) as never,
      ...over,
    }),
    scope: (over = {}) => ({ organizationId: org.id, ...over }),
    async close() {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

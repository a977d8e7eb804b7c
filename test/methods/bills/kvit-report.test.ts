/** The kvitirovanie error report is one stand's: an acknowledgment GIS refused on one stand is no error of another. */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Acknowledgment, Payment, Service } from "../../../entities";
import { exportKvitReport } from "../../../src/excel/billing/kvit-report";
import { updateAt } from "../../../src/storage/identity/update";
import { STAND } from "../../support/identity";
import { billingDb } from "./billing-db";

for (const kind of ["sqlite", "postgres"] as const) {
  test(`kvit report (${kind}): GIS's refusal on the report's stand only`, { skip: kind === "postgres" && process.env.TEST_PG === "off" }, async () => {
    const b = await billingDb(kind);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-kvit-"));
    try {
      const payment = (await b.ds.getRepository(Payment).find({ where: { source: "own" }, order: { id: "ASC" } })).find((p) => p.paymentDocumentId !== null)!;
      const service = (await b.ds.getRepository(Service).find({ take: 1 }))[0];
      const ack = await b.ds.getRepository(Acknowledgment).save({
        paymentId: payment.id,
        paymentDocumentId: payment.paymentDocumentId!,
        serviceId: service.id,
        amount: 10,
        state: "pending",
        impossibleReason: null,
      });
      const before = await exportKvitReport(b.ds, null, path.join(dir, "before.xlsx"), STAND);
      await updateAt(b.ds, STAND, Acknowledgment, ack.id, { sync: { status: "error", errorCode: "SRV008001", errorText: "Сумма превышает" } });
      assert.equal(await exportKvitReport(b.ds, null, path.join(dir, "local.xlsx"), STAND), before + 1, "refused on the stand: in its report");
      assert.equal(await exportKvitReport(b.ds, null, path.join(dir, "prod.xlsx"), "prod"), before, "not on another stand's");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await b.close();
    }
  });
}

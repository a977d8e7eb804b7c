/**
 * Held objects: an object whose last send's outcome stayed unknown (UNKNOWN_OUTCOME, nothing could
 * check it in GIS) is not sent again by later runs — GIS may have it already — until an operator
 * names it (a card or a list). Held on one stand only: another stand still gets it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Account, MeterReading, Contract } from "../entities";
import { UNKNOWN_OUTCOME } from "../entities/gis-operation";
import { importAccountData } from "../src/methods/house-management/import-account-data";
import { importMeteringDeviceValues } from "../src/methods/device-metering/import-metering-device-values";
import { updateAt } from "../src/storage/identity/update";
import { DB_KINDS, withTestDb } from "./support/databases";
import { houseFixture } from "./support/house-fixture";

const held = { status: "error" as const, errorCode: UNKNOWN_OUTCOME, errorText: "Результат отправки неизвестен" };

for (const kind of DB_KINDS) {
  test(`held objects (${kind}): an unknown outcome keeps accounts and readings out of later runs, on its stand only, until named`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const scope = { organizationId: f.org.id };
      const sit = { ...f.ctx, stand: "sit01" };
      const [a0, a1] = f.accounts;
      const accounts = importAccountData.descriptor!;
      await updateAt(ds, f.ctx.stand, Account, a0.id, { sync: held });
      await updateAt(ds, f.ctx.stand, Account, a1.id, { sync: { status: "error", errorCode: "SRV000001", errorText: "Ошибка ГИС" } });
      const chosen = await accounts.select(ds, scope, "push", f.ctx);
      assert.ok(!chosen.includes(a0.id), "held: not sent again");
      assert.ok(chosen.includes(a1.id), "GIS's own refusal: sent again after a fix");
      assert.ok((await accounts.select(ds, scope, "push", sit)).includes(a0.id), "another stand: not held there");
      assert.deepEqual(
        await accounts.select(ds, { ...scope, objectIds: [a0.id], objectType: "account" }, "push", f.ctx),
        [a0.id],
        "named by an operator: sent",
      );

      const readings = importMeteringDeviceValues.descriptor!;
      await ds.getRepository(Contract).update({ externalId: "c1" }, { readingsFromDay: 15, readingsToDay: 25 });
      const r = await ds.getRepository(MeterReading).save({
        externalId: "r-held",
        meterId: f.meters.placed.id,
        readingDate: "2026-11-20",
        valueT1: "7",
        source: "billing",
        periodYear: 2026,
        periodMonth: 11,
      } as Partial<MeterReading>);
      assert.deepEqual(await readings.select(ds, scope, "push", f.ctx), [r.id]);
      await updateAt(ds, f.ctx.stand, MeterReading, r.id, { sync: held });
      assert.deepEqual(await readings.select(ds, scope, "push", f.ctx), []);
      assert.deepEqual(await readings.select(ds, { ...scope, objectIds: [r.id], objectType: "meter_reading" }, "push", f.ctx), [r.id]);
    });
  });
}

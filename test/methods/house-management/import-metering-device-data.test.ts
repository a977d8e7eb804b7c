/**
 * importMeteringDeviceData: the sample requests (placing, archive, replacement, corrections before
 * and after readings) in both packages, the builder's limits, the stand (numbers, contract,
 * versions, replacement, corrections), and the descriptor — corrections of placed meters in an
 * ordinary push, the archive / forceArchive / replace actions — on SQLite and PostgreSQL.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Account, Meter, MeterReading, Premise } from "../../../entities";
import { ImportMeteringDeviceInput, MeterData, importMeteringDeviceData } from "../../../src/methods/house-management/import-metering-device-data";
import { exportMeteringDeviceData } from "../../../src/methods/house-management/export-metering-device-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { parseResponse } from "../../../src/transport/results/results";
import { tables } from "../../../src/stand/domain/state";
import { updateAt } from "../../../src/storage/identity/update";
import { STAND, reloadAt, saveAt } from "../../support/identity";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { ELECTRICITY, HOUSE, built, failed, meter, ok, placeMeters } from "../../support/house-scenario";
import { guid, houseFixture } from "../../support/house-fixture";

const ref = (code: string, n: number, name?: string) => ({ code, guid: G(900 + n), name });

const SAMPLE: ImportMeteringDeviceInput = {
  fiasHouseGuid: G(11),
  devices: [
    {
      transportGuid: G(20),
      create: {
        number: "ХВ-123456",
        model: "СВК-15",
        installationDate: "2025-05-01",
        commissioningDate: "2025-05-02",
        remoteMetering: false,
        firstVerificationDate: "2025-04-01",
        verificationInterval: ref("6", 9),
        temperatureSensor: false,
        pressureSensor: false,
        placement: { kind: "residentialPremise", premiseGuids: [G(14)], accountGuids: [G(18)] },
        resources: { notEnergy: [{ municipalResource: ref("1", 10), value: 12.5, unit: "113" }] },
      },
    },
    {
      transportGuid: G(21),
      create: {
        number: "Э-777",
        remoteMetering: true,
        remoteMeteringInfo: "АСКУЭ",
        temperatureSensor: false,
        pressureSensor: false,
        placement: { kind: "collective", fiasHouseGuids: [G(11)] },
        linked: { installationPlace: "in" },
        resources: { energy: { t1: 1000, t2: 500.25, transformationRatio: 1 } },
      },
    },
    { transportGuid: G(22), versionGuid: G(23), archive: { reason: ref("4", 11) } },
  ],
};
const meterInfo = (SAMPLE.devices[0] as Extract<ImportMeteringDeviceInput["devices"][0], { create: unknown }>).create;

const CHANGES: ImportMeteringDeviceInput = {
  devices: [
    { transportGuid: G(240), versionGuid: G(241), replace: { verificationDate: "2026-11-01", replacingVersionGuid: G(242) } },
    {
      transportGuid: G(243),
      versionGuid: G(244),
      replace: {
        verificationDate: "2026-11-02",
        unplannedReason: ref("3", 31, "Истёк срок поверки"),
        finalValues: { notEnergy: [{ municipalResource: ref("1", 10), value: "321.1234567" }] },
        replacingVersionGuid: G(245),
      },
    },
    {
      transportGuid: G(246),
      versionGuid: G(247),
      replace: { verificationDate: "2026-11-03", finalValues: { energy: { t1: 100, t2: 50.5 } }, replacingVersionGuid: G(248) },
    },
    { transportGuid: G(249), versionGuid: G(250), updateBefore: { ...meterInfo, number: "ХВ-123456/1" } },
    {
      transportGuid: G(251),
      versionGuid: G(252),
      updateAfter: {
        number: "ХВ-123456/2",
        model: "СВК-15Х",
        commissioningDate: "2025-05-03",
        remoteMetering: true,
        remoteMeteringInfo: "АСКУЭ «Город»",
        accountGuids: [G(18), G(19)],
        firstVerificationDate: "2025-04-02",
      },
    },
  ],
};

test("importMeteringDeviceData: the samples (placing, archive, replacement, corrections before and after readings) are valid in both packages", () => {
  assertValidInAllPackages(importMeteringDeviceData, SAMPLE);
  const xml = assertValidInAllPackages(importMeteringDeviceData, CHANGES);
  assert.match(
    xml,
    /<hm:UpdateAfterDevicesValues><hm:MeteringDeviceNumber>ХВ-123456\/2<\/hm:MeteringDeviceNumber>.*<hm:AccountGUID>[^<]+<\/hm:AccountGUID><hm:AccountGUID>/,
  );
  assert.match(xml, /<hm:ReplaceDevice><hm:VerificationDate>2026-11-01<\/hm:VerificationDate><hm:PlannedVerification>true<\/hm:PlannedVerification>/);
});

test("importMeteringDeviceData: 1 to 100 meters, 1 to 3 final values by resource, readings in GIS's number format", () => {
  assert.equal(importMeteringDeviceData.batch?.max, 100);
  const b = (devices: ImportMeteringDeviceInput["devices"]) => buildMethodRequest(importMeteringDeviceData, { orgPPAGUID: UO }, { devices });
  assert.throws(() => b([]), /MeteringDevice — от 1 до 100/);
  assert.throws(
    () =>
      b([
        {
          transportGuid: G(1),
          versionGuid: G(2),
          replace: {
            verificationDate: "2026-01-01",
            replacingVersionGuid: G(3),
            finalValues: { notEnergy: [1, 2, 3, 4].map(() => ({ municipalResource: ref("1", 1), value: 1 })) },
          },
        },
      ]),
    /DeviceValueMunicipalResourceNotElectric — от 1 до 3/,
  );
  assert.throws(
    () => b([{ transportGuid: G(1), create: { ...meterInfo, resources: { notEnergy: [{ municipalResource: ref("1", 1), value: 1e21 }] } } }]),
    /показание/,
  );
});

test("importMeteringDeviceData (stand): root + version GUIDs; factory number unique per resource (SRV006001), resource in contract (SRV006002), placed account (INT002000); archive", async () => {
  const store = newStandStore();
  const { rootGuid, versionGuid, accounts, premises } = await placeMeters(store);
  assert.notEqual(rootGuid, versionGuid);
  const a = await runStand(
    store,
    "importMeteringDeviceData",
    built(
      importMeteringDeviceData,
      {
        fiasHouseGuid: HOUSE,
        devices: [
          meter(5011, "ХВ-1", premises[1], accounts[1].guid!),
          meter(5012, "ХВ-2", premises[1], accounts[1].guid!),
          meter(5013, "ЭЛ-1", premises[1], accounts[1].guid!, ELECTRICITY),
          meter(5014, "ХВ-3", premises[1], G(1)),
        ],
      },
      UO,
    ),
    UO,
  );
  assertAnswerValid(a, "house-management");
  failed(a.byTg(G(5011)), "SRV006001");
  ok(a.byTg(G(5012)));
  failed(a.byTg(G(5013)), "SRV006002");
  failed(a.byTg(G(5014)), "INT002000");

  // archive by the current version; the old version no longer identifies it
  const archive = (tg: number, v: string) =>
    built(importMeteringDeviceData, { devices: [{ transportGuid: G(tg), versionGuid: v, archive: { reason: { code: "1", guid: G(808) } } }] }, UO);
  const arch = await runStand(store, "importMeteringDeviceData", archive(5021, versionGuid), UO);
  ok(arch.byTg(G(5021)));
  assert.equal(arch.byTg(G(5021)).values.MeteringDeviceGUID, rootGuid);
  failed((await runStand(store, "importMeteringDeviceData", archive(5022, versionGuid), UO)).byTg(G(5022)), "INT002000");
  failed((await runStand(store, "importMeteringDeviceData", archive(5023, arch.byTg(G(5021)).guid!), UO)).byTg(G(5023)), "SRV006003");
  // the factory number is free again once the old meter is archived (replacement)
  ok(
    (
      await runStand(
        store,
        "importMeteringDeviceData",
        built(importMeteringDeviceData, { devices: [meter(5031, "ХВ-1", premises[0], accounts[0].guid!)] }, UO),
        UO,
      )
    ).byTg(G(5031)),
  );

  const exp = await runStand(store, "exportMeteringDeviceData", built(exportMeteringDeviceData, { fiasHouseGuid: HOUSE, searchArchived: true }, UO), UO);
  assertAnswerValid(exp, "house-management");
  assert.match(exp.xml, /<hm:StatusRootDoc>Archival<\/hm:StatusRootDoc>/);
  assert.equal(exp.answer.result.getElementsByTagNameNS("*", "exportMeteringDeviceDataResult").length, 3);
});

test("importMeteringDeviceData (stand): replacement by another active meter (SRV006004 otherwise); corrections after readings change the export, before readings are refused once GIS has readings (SRV006005)", async () => {
  const store = newStandStore();
  const { rootGuid, versionGuid, accounts, premises } = await placeMeters(store);
  const next = (
    await runStand(
      store,
      "importMeteringDeviceData",
      built(importMeteringDeviceData, { devices: [meter(5101, "ХВ-9", premises[1], accounts[1].guid!)] }, UO),
      UO,
    )
  ).byTg(G(5101));
  ok(next);
  const replace = (tg: number, v: string, by: string) =>
    built(
      importMeteringDeviceData,
      { devices: [{ transportGuid: G(tg), versionGuid: v, replace: { verificationDate: "2026-11-01", replacingVersionGuid: by } }] },
      UO,
    );
  failed((await runStand(store, "importMeteringDeviceData", replace(5102, versionGuid, versionGuid), UO)).byTg(G(5102)), "SRV006004");

  // UpdateAfterDevicesValues: a new number and accounts for the new meter.
  const upd = await runStand(
    store,
    "importMeteringDeviceData",
    built(
      importMeteringDeviceData,
      {
        devices: [
          {
            transportGuid: G(5103),
            versionGuid: next.guid!,
            updateAfter: { number: "ХВ-9/1", model: "СВК-20", installationDate: "2025-06-01", accountGuids: [accounts[0].guid!, accounts[1].guid!] },
          },
        ],
      },
      UO,
    ),
    UO,
  );
  ok(upd.byTg(G(5103)));
  const exp = await runStand(store, "exportMeteringDeviceData", built(exportMeteringDeviceData, { rootGuid: next.values.MeteringDeviceGUID }, UO), UO);
  assertAnswerValid(exp, "house-management");
  const [m] = exportMeteringDeviceData.read!(exp.answer.result);
  assert.deepEqual(
    [m.factoryNumber, m.model, m.installationDate, m.accountGuids, m.versionGuid],
    ["ХВ-9/1", "СВК-20", "2025-06-01", [accounts[0].guid, accounts[1].guid], upd.byTg(G(5103)).guid],
  );

  // Replacement of the first meter by the corrected one: the old one goes to the archive.
  const r = await runStand(store, "importMeteringDeviceData", replace(5104, versionGuid, upd.byTg(G(5103)).guid!), UO);
  ok(r.byTg(G(5104)));
  assert.equal(tables(store).meters.get(rootGuid)!.status, "Archival");
  failed((await runStand(store, "importMeteringDeviceData", replace(5105, r.byTg(G(5104)).guid!, upd.byTg(G(5103)).guid!), UO)).byTg(G(5105)), "SRV006003");

  // GIS has readings of the new meter: all characteristics again is refused.
  tables(store).readings.set(`${next.values.MeteringDeviceGUID}|current|2026-11-20|1`, {
    guid: G(1),
    meterRootGuid: next.values.MeteringDeviceGUID,
    org: UO,
    kind: "current",
    value: "",
    valueKind: "OneRate",
    dateValue: "2026-11-20",
    entered: "2026-11-20",
  });
  const before = await runStand(
    store,
    "importMeteringDeviceData",
    built(
      importMeteringDeviceData,
      {
        devices: [
          {
            transportGuid: G(5106),
            versionGuid: upd.byTg(G(5103)).guid!,
            updateBefore: (meter(1, "ХВ-9/2", premises[1], accounts[1].guid!) as { create: typeof meterInfo }).create,
          },
        ],
      },
      UO,
    ),
    UO,
  );
  failed(before.byTg(G(5106)), "SRV006005");
});

const meterAnswer = (inner: string) =>
  parseResponse(
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><hm:getStateResult xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" base:version="11.0.0.1"><base:RequestState>3</base:RequestState><base:MessageGUID>${guid()}</base:MessageGUID>${inner}</hm:getStateResult></soap:Body></soap:Envelope>`,
  ) as Extract<ReturnType<typeof parseResponse>, { kind: "state" }>;

for (const kind of DB_KINDS) {
  test(`importMeteringDeviceData (${kind}): a placed meter changed here is corrected (before / after readings); archive, forceArchive and replace act on chosen meters`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const d = importMeteringDeviceData.descriptor!;
      assert.deepEqual(d.actions, ["archive", "forceArchive", "replace"]);
      const { placed, other, fresh } = f.meters;
      const scope = { organizationId: f.org.id };
      const repo = ds.getRepository(Meter);
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [fresh.id], "without an action: only the meter GIS does not have");
      const dataOf = async (id: number) => (await d.prepare(ds, [id], f.ctx)).ready[0]?.data as MeterData | undefined;

      // Ordinary push: a placed meter changed here goes as a correction.
      await repo.update(placed.id, { model: "СВК-20", sync: { changedAt: new Date("2026-11-15T00:00:00Z") } });
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [placed.id, fresh.id]);
      let data = (await dataOf(placed.id))!;
      assert.deepEqual([data.kind, "updateBefore" in data.device], ["update", true]);
      // A reading in flight (its answer not in yet, or lost): GIS may hold it already — "after readings" (SRV006005 otherwise).
      const inFlight = await saveAt(ds, "meter_reading", { externalId: "r0", meterId: placed.id, readingDate: "2026-11-01", valueT1: "4", source: "billing" });
      await updateAt(ds, f.ctx.stand, MeterReading, inFlight.id, { sync: { status: "in_progress" } });
      assert.ok("updateAfter" in (await dataOf(placed.id))!.device, "a reading in flight: only the changeable characteristics");
      await ds.getRepository(MeterReading).delete(inFlight.id);
      await saveAt(ds, "meter_reading", { externalId: "r1", meterId: placed.id, readingDate: "2026-11-01", valueT1: "5", source: "billing", gisGuid: guid() });
      data = (await dataOf(placed.id))!;
      assert.ok("updateAfter" in data.device, "GIS has readings of it: only the changeable characteristics");
      const tg = guid();
      assert.match(
        assertValidInAllPackages(importMeteringDeviceData, d.payload([{ objectId: placed.id, transportGuid: tg, data }], f.ctx)),
        new RegExp(
          `<hm:MeteringDeviceVersionGUID>${placed.gisVersionGuid}</hm:MeteringDeviceVersionGUID><hm:UpdateAfterDevicesValues>.*<hm:MeteringDeviceModel>СВК-20</hm:MeteringDeviceModel>`,
        ),
      );
      // Reconcile of a correction: only a version other than the one it was sent against counts.
      const row = (version: string, status = "Active") =>
        `<hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>${placed.factoryNumber}</hm:MeteringDeviceNumber></hm:BasicChatacteristicts><hm:MunicipalResourceNotEnergy><hm:MunicipalResource><hm:Code>1</hm:Code><hm:GUID>${guid()}</hm:GUID></hm:MunicipalResource></hm:MunicipalResourceNotEnergy><hm:MeteringDeviceRootGUID>${placed.gisRootGuid}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>${status}</hm:StatusRootDoc><hm:MeteringDeviceVersionGUID>${version}</hm:MeteringDeviceVersionGUID></hm:exportMeteringDeviceDataResult>`;
      const objects = [{ objectId: placed.id, data }];
      assert.equal(d.reconcile!.found(meterAnswer(row(placed.gisVersionGuid!)), objects, f.ctx).size, 0);
      assert.equal(d.reconcile!.found(meterAnswer(row(guid())), objects, f.ctx).size, 1);

      // archive: retired here; without a reason it is refused, naming the field.
      assert.deepEqual(
        await d.select(ds, { ...scope, action: "archive", objectType: "meter", objectIds: [other.id, fresh.id] }, "push", f.ctx),
        [other.id],
        "the one GIS does not have is not archived there",
      );
      assert.equal((await repo.findOneByOrFail({ id: other.id })).state, "archived");
      assert.deepEqual(
        (await d.prepare(ds, [other.id], f.ctx)).rejected.map((r) => r.field),
        ["archiveReasonCode"],
      );
      // forceArchive: the reason «Ошибка ввода» when it has none.
      await d.select(ds, { ...scope, action: "forceArchive", objectType: "meter", objectIds: [other.id] }, "push", f.ctx);
      data = (await dataOf(other.id))!;
      assert.deepEqual([data.kind, "archive" in data.device && data.device.archive.reason.code], ["archive", "1"]);
      assert.match(
        assertValidInAllPackages(importMeteringDeviceData, d.payload([{ objectId: other.id, transportGuid: guid(), data }], f.ctx)),
        /<hm:ArchiveDevice><hm:ArchivingReason>/,
      );
      // Reconcile of an archive: only an archived meter counts.
      const archived = [{ objectId: other.id, data }];
      const otherRow = (status: string) =>
        row(other.gisVersionGuid!, status).replaceAll(placed.gisRootGuid!, other.gisRootGuid!).replace(placed.factoryNumber, other.factoryNumber);
      assert.equal(d.reconcile!.found(meterAnswer(otherRow("Active")), archived, f.ctx).size, 0);
      assert.deepEqual([...d.reconcile!.found(meterAnswer(otherRow("Archival")), archived, f.ctx)], [[other.id, other.gisRootGuid]]);
      // forceArchive of a house: every meter of it GIS has.
      await updateAt(ds, STAND, Meter, other.id, { sync: { status: "in_progress" } });
      assert.deepEqual(await d.select(ds, { ...scope, action: "forceArchive", objectType: "house", objectIds: [f.house.id] }, "push", f.ctx), [placed.id]);
      await repo.update(placed.id, { state: "active", archivedDate: null, archiveReasonCode: null });

      // replace: the new meter must be in GIS first.
      await repo.update(placed.id, { replacedByMeterId: fresh.id, archiveReasonCode: "2" });
      assert.deepEqual(
        await d.select(ds, { ...scope, action: "replace", objectIds: [placed.id, fresh.id] }, "push", f.ctx),
        [placed.id],
        "only a meter that names its replacement",
      );
      assert.deepEqual(
        (await d.prepare(ds, [placed.id], f.ctx)).rejected.map((r) => [r.field, /ещё не размещён/.test(r.text)]),
        [["replacedByMeterId", true]],
      );
      const newVersion = guid();
      await updateAt(ds, STAND, Meter, fresh.id, { gisRootGuid: guid(), gisVersionGuid: newVersion });
      data = (await dataOf(placed.id))!;
      const xml = assertValidInAllPackages(importMeteringDeviceData, d.payload([{ objectId: placed.id, transportGuid: guid(), data }], f.ctx));
      assert.match(
        xml,
        new RegExp(
          `<hm:ReplaceDevice><hm:VerificationDate>2026-11-20</hm:VerificationDate><hm:ReasonVerification>.*<hm:ReplacingMeteringDeviceVersionGUID>${newVersion}</hm:ReplacingMeteringDeviceVersionGUID></hm:ReplaceDevice>`,
        ),
      );
      const tg2 = guid();
      const ans = meterAnswer(
        `<hm:ImportResult><hm:CommonResult><base:GUID>${guid()}</base:GUID><base:TransportGUID>${tg2}</base:TransportGUID><base:UpdateDate>2026-11-20T10:00:00</base:UpdateDate><hm:importMeteringDevice><hm:MeteringDeviceGUID>${placed.gisRootGuid}</hm:MeteringDeviceGUID></hm:importMeteringDevice></hm:CommonResult></hm:ImportResult>`,
      );
      await ds.transaction((em) => d.apply(em, ans, [{ objectId: placed.id, transportGuid: tg2, result: ans.items[0] }], f.ctx));
      const old = await reloadAt(ds, "meter", placed.id);
      assert.deepEqual([old.state, old.sync.status, old.gisVersionGuid], ["archived", "ok", ans.items[0].guid]);
    });
  });
}

const importAnswer = (tg: string, root: string, version: string, number: string) =>
  meterAnswer(
    `<hm:ImportResult><hm:CommonResult><base:GUID>${version}</base:GUID><base:TransportGUID>${tg}</base:TransportGUID><base:UniqueNumber>${number}</base:UniqueNumber><base:UpdateDate>2026-11-20T10:00:00</base:UpdateDate><hm:importMeteringDevice><hm:MeteringDeviceGUID>${root}</hm:MeteringDeviceGUID></hm:importMeteringDevice></hm:CommonResult></hm:ImportResult>`,
  );

for (const kind of DB_KINDS) {
  test(`importMeteringDeviceData (${kind}): stands apart — a meter placed on sit01 is still unplaced for prod; prod's apply and export leave sit01's GUIDs alone`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const d = importMeteringDeviceData.descriptor!;
      const { placed, fresh } = f.meters;
      const scope = { organizationId: f.org.id };
      const sit = { ...f.ctx, stand: "sit01" };
      const prod = { ...f.ctx, stand: "prod" };
      const [sitRoot, sitVersion] = [guid(), guid()];
      await updateAt(ds, "sit01", Meter, fresh.id, {
        gisRootGuid: sitRoot,
        gisVersionGuid: sitVersion,
        gisNumber: "S1",
        sync: { status: "ok", syncedAt: new Date("2026-11-10T00:00:00Z") },
      });

      // Placed and unchanged on sit01: nothing to send there; on prod nothing of it is placed.
      assert.deepEqual(await d.select(ds, scope, "push", sit), [placed.id, f.meters.other.id], "the other two are placed on the fixture's stand only");
      assert.ok((await d.select(ds, scope, "push", prod)).includes(fresh.id));
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [fresh.id], "the fixture's stand: still only the unplaced one");

      // The accounts and premise a meter names are the stand's too: prod has none of their GUIDs yet.
      assert.deepEqual(
        (await d.prepare(ds, [fresh.id], prod)).rejected.map((r) => r.field),
        ["meter_account"],
      );
      for (const stand of ["prod", "sit01"]) {
        await updateAt(ds, stand, Account, f.accounts[0].id, { gisAccountGuid: guid() });
        await updateAt(ds, stand, Premise, f.premises[0].id, { gisGuid: guid() });
      }
      const forProd = (await d.prepare(ds, [fresh.id], prod)).ready[0].data as MeterData;
      const forSit = (await d.prepare(ds, [fresh.id], sit)).ready[0].data as MeterData;
      assert.deepEqual([forProd.kind, forProd.rootGuid], ["create", undefined], "prod places it");
      assert.deepEqual([forSit.kind, forSit.rootGuid, "versionGuid" in forSit.device && forSit.device.versionGuid], ["update", sitRoot, sitVersion]);

      // prod's answer goes to prod only.
      const tg = guid();
      const [prodRoot, prodVersion] = [guid(), guid()];
      const ans = importAnswer(tg, prodRoot, prodVersion, "P1");
      await ds.transaction((em) => d.apply(em, ans, [{ objectId: fresh.id, transportGuid: tg, result: ans.items[0] }], prod));
      const onProd = await reloadAt(ds, "meter", fresh.id, "prod");
      const onSit = await reloadAt(ds, "meter", fresh.id, "sit01");
      const onLocal = await reloadAt(ds, "meter", fresh.id);
      assert.deepEqual([onProd.gisRootGuid, onProd.gisVersionGuid, onProd.gisNumber, onProd.sync.status], [prodRoot, prodVersion, "P1", "ok"]);
      assert.deepEqual([onSit.gisRootGuid, onSit.gisVersionGuid, onSit.gisNumber, onSit.sync.status], [sitRoot, sitVersion, "S1", "ok"]);
      assert.deepEqual([onLocal.gisRootGuid, onLocal.sync.status], [null, "not_sent"]);
      assert.ok(!(await d.select(ds, scope, "push", prod)).includes(fresh.id), "placed on prod now");

      // prod's export links the meter on prod; sit01's and the fixture stand's GUIDs of it stay.
      const exp = exportMeteringDeviceData.descriptor!;
      const [expRoot, expVersion] = [guid(), guid()];
      const row = `<hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>${placed.factoryNumber}</hm:MeteringDeviceNumber></hm:BasicChatacteristicts><hm:MunicipalResourceNotEnergy><hm:MunicipalResource><hm:Code>1</hm:Code><hm:GUID>${guid()}</hm:GUID></hm:MunicipalResource></hm:MunicipalResourceNotEnergy><hm:MeteringDeviceRootGUID>${expRoot}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>Active</hm:StatusRootDoc><hm:MeteringDeviceVersionGUID>${expVersion}</hm:MeteringDeviceVersionGUID></hm:exportMeteringDeviceDataResult>`;
      await ds.transaction((em) => exp.apply(em, meterAnswer(row), [], prod));
      const linked = await reloadAt(ds, "meter", placed.id, "prod");
      const local = await reloadAt(ds, "meter", placed.id);
      assert.deepEqual([linked.gisRootGuid, linked.gisVersionGuid, linked.sync.status], [expRoot, expVersion, "ok"]);
      assert.deepEqual([local.gisRootGuid, local.gisVersionGuid, local.gisNumber], [placed.gisRootGuid, placed.gisVersionGuid, "PU1"]);
      assert.equal((await reloadAt(ds, "meter", placed.id, "sit01")).gisRootGuid, null);
    });
  });
}

/**
 * importHouseUOData: the sample requests (create, annulment, rooms) in both packages, the builder's
 * refusals, the stand (coverage, numbers, annulment, rooms), and the descriptor's annul action and
 * rooms on SQLite and PostgreSQL, and stands kept apart for the fund and accounts methods.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Entrance, Premise } from "../../../entities";
import { ImportHouseUOInput, awaitsAnnulment, importHouseUOData } from "../../../src/methods/house-management/import-house-uo-data";
import { exportHouseData } from "../../../src/methods/house-management/export-house-data";
import { exportAccountData } from "../../../src/methods/house-management/export-account-data";
import { importAccountData } from "../../../src/methods/house-management/import-account-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { parseResponse } from "../../../src/transport/results/results";
import { tables } from "../../../src/stand/domain/state";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { HOUSE, HOUSE_RSO, account, built, failed, house, ok, placeContract, placeHouse } from "../../support/house-scenario";
import { guid, houseFixture } from "../../support/house-fixture";
import { STAND, fileIdentity, reloadAt } from "../../support/identity";

const ref = (code: string, n: number, name?: string) => ({ code, guid: G(900 + n), name });

const SAMPLE: ImportHouseUOInput = {
  apartmentHouse: {
    transportGuid: G(10),
    create: {
      cadastre: { cadastralNumber: "77:01:0001001:1001" },
      fiasHouseGuid: G(11),
      totalSquare: 3540.5,
      state: ref("2", 5, "Исправный"),
      usedYear: 1975,
      floorCount: 9,
      oktmo: { code: "45382000" },
      olsonTZ: ref("1", 6),
      culturalHeritage: false,
      undergroundFloorCount: 1,
    },
    nonResidentialPremises: [{ transportGuid: G(12), cadastre: { noCadastralNumber: true }, premisesNum: "Н1", totalArea: 120, isCommonProperty: false }],
    entrances: [{ transportGuid: G(13), entranceNum: "1", storeysCount: 9, creationYear: 1975 }],
    residentialPremises: [
      {
        transportGuid: G(14),
        cadastre: { cadastralNumber: "77:01:0001001:2001" },
        premisesNum: "1",
        entranceNum: "1",
        premisesCharacteristic: ref("1", 7),
        totalArea: 54.3,
        grossArea: 38.25,
      },
      { transportGuid: G(15), premisesGuid: G(16), cadastre: { notRegistered: true }, premisesNum: "2", entranceNum: null, totalArea: 41, grossArea: null },
    ],
  },
};
const apartment = (SAMPLE as Extract<ImportHouseUOInput, { apartmentHouse: unknown }>).apartmentHouse;

const ANNUL: ImportHouseUOInput = {
  apartmentHouse: {
    transportGuid: G(260),
    update: { cadastre: { cadastralNumber: "77:01:0001001:1001" }, fiasHouseGuid: G(11) },
    nonResidentialPremises: [
      {
        transportGuid: G(261),
        premisesGuid: G(262),
        cadastre: { noCadastralNumber: true },
        premisesNum: "Н2",
        annulment: { reason: ref("1", 32), info: "Объединено с Н1 <перепланировка>" },
      },
      apartment.nonResidentialPremises![0],
    ],
    entrances: [{ transportGuid: G(263), entranceGuid: G(264), entranceNum: "2", annulment: { reason: ref("2", 33) } }],
    residentialPremises: [
      {
        transportGuid: G(265),
        premisesGuid: G(266),
        cadastre: { notRegistered: true },
        premisesNum: "7",
        entranceNum: "1",
        annulment: { reason: ref("1", 32), info: "Ошибка ввода" },
      },
    ],
  },
};

const ROOMS: ImportHouseUOInput = {
  apartmentHouse: {
    transportGuid: G(270),
    update: { cadastre: { cadastralNumber: "77:01:0001001:1001" }, fiasHouseGuid: G(11) },
    residentialPremises: [
      {
        ...apartment.residentialPremises![1],
        transportGuid: G(271),
        rooms: [
          { transportGuid: G(273), roomGuid: G(274), cadastre: { noCadastralNumber: true }, roomNumber: "2", annulment: { reason: ref("1", 32) } },
          { transportGuid: G(272), cadastre: { noCadastralNumber: true }, roomNumber: "1", square: 12.5, informationConfirmed: true },
        ],
      },
    ],
  },
};

const LIVING_ROOMS: ImportHouseUOInput = {
  livingHouse: {
    transportGuid: G(280),
    create: { ...apartment.create!, fiasHouseGuid: G(12) },
    rooms: [{ transportGuid: G(281), cadastre: { cadastralNumber: "77:01:0001001:3001" }, roomNumber: "1", square: 20 }],
  },
};

test("importHouseUOData: the samples (create, annulment of premises and an entrance, rooms of a flat and of a living house) are valid in both packages", () => {
  assertValidInAllPackages(importHouseUOData, SAMPLE);
  assertValidInAllPackages(importHouseUOData, ANNUL);
  const rooms = assertValidInAllPackages(importHouseUOData, ROOMS);
  assert.match(
    rooms,
    /<\/hm:ResidentialPremisesToUpdate><hm:LivingRoomToCreate>.*<hm:RoomNumber>1<\/hm:RoomNumber><hm:Square>12.5<\/hm:Square>.*<\/hm:LivingRoomToCreate><hm:LivingRoomToUpdate>.*<hm:AnnulmentReason>/,
    "creates before updates, after the premises",
  );
  assert.match(assertValidInAllPackages(importHouseUOData, LIVING_ROOMS), /<\/hm:LivingHouseToCreate><hm:LivingRoomToCreate>/);
  assert.equal(importHouseUOData.versions["16.3.0.0"], "13.2.3.2");
});

test("importHouseUOData: the builder refuses an annulment without the object's GUID and a house both created and updated", () => {
  const b = (i: ImportHouseUOInput) => buildMethodRequest(importHouseUOData, { orgPPAGUID: UO }, i);
  assert.throws(
    () => b({ apartmentHouse: { ...apartment, residentialPremises: [{ ...apartment.residentialPremises![0], annulment: { reason: ref("1", 1) } }] } }),
    /аннулировать можно только помещение с ГУИД/,
  );
  assert.throws(
    () => b({ apartmentHouse: { ...apartment, entrances: [{ transportGuid: G(1), entranceNum: "3", annulment: { reason: ref("1", 1) } }] } }),
    /аннулировать можно только подъезд с ГУИД/,
  );
  assert.throws(
    () =>
      b({
        livingHouse: {
          transportGuid: G(1),
          create: apartment.create!,
          rooms: [{ transportGuid: G(2), cadastre: { noCadastralNumber: true }, roomNumber: "1", annulment: { reason: ref("1", 1) } }],
        },
      }),
    /комнату с ГУИД/,
  );
  assert.throws(() => b({ apartmentHouse: { ...apartment, update: { cadastre: { notRegistered: true }, fiasHouseGuid: G(11) } } }), /либо create, либо update/);
});

test("importHouseUOData (stand): accepted under the sender's contract, each sub-object its own result; a second premises with the same number fails alone", async () => {
  const store = newStandStore();
  await placeContract(store);
  const a = await runStand(
    store,
    "importHouseUOData",
    built(
      importHouseUOData,
      house(HOUSE, [
        { tg: 3010, num: "1", area: 54.3 },
        { tg: 3011, num: "2" },
      ]),
      UO,
    ),
    UO,
  );
  assertAnswerValid(a, "house-management");
  assert.equal(a.byTg(G(3000)).guid, HOUSE);
  for (const tg of [3000, 3001, 3010, 3011]) {
    ok(a.byTg(G(tg)));
    assert.ok(a.byTg(G(tg)).uniqueNumber);
  }

  const b = await runStand(
    store,
    "importHouseUOData",
    built(
      importHouseUOData,
      house(HOUSE, [
        { tg: 3020, num: "1" },
        { tg: 3021, num: "3" },
      ]),
      UO,
    ),
    UO,
  );
  failed(b.byTg(G(3020)), "SRV004006");
  ok(b.byTg(G(3021)));
  // a house of somebody else's contract
  failed((await runStand(store, "importHouseUOData", built(importHouseUOData, house(HOUSE_RSO, []), UO), UO)).byTg(G(3000)), "SRV004001");
  assert.equal(tables(store).houses.get(HOUSE)!.premises.length, 3);
});

test("importHouseUOData (stand): rooms of a flat get GUIDs; an annulled premises stays in the export with its reason, takes no change (SRV004007) and no account", async () => {
  const store = newStandStore();
  const { premises, entrance } = await placeHouse(store);
  const upd = (kids: Partial<Extract<ImportHouseUOInput, { apartmentHouse: unknown }>["apartmentHouse"]>): ImportHouseUOInput => ({
    apartmentHouse: { transportGuid: G(3100), update: { cadastre: { cadastralNumber: "16:50:0001001:1001" }, fiasHouseGuid: HOUSE }, ...kids },
  });
  const rooms = await runStand(
    store,
    "importHouseUOData",
    built(
      importHouseUOData,
      upd({
        residentialPremises: [
          {
            transportGuid: G(3101),
            premisesGuid: premises[0],
            cadastre: { notRegistered: true },
            premisesNum: "1",
            entranceNum: "1",
            rooms: [{ transportGuid: G(3102), cadastre: { noCadastralNumber: true }, roomNumber: "1а", square: 12 }],
          },
        ],
      }),
      UO,
    ),
    UO,
  );
  ok(rooms.byTg(G(3102)));
  const roomGuid = rooms.byTg(G(3102)).guid!;

  const annul = await runStand(
    store,
    "importHouseUOData",
    built(
      importHouseUOData,
      upd({
        residentialPremises: [
          {
            transportGuid: G(3111),
            premisesGuid: premises[1],
            cadastre: { notRegistered: true },
            premisesNum: "2",
            entranceNum: "1",
            annulment: { reason: ref("1", 32), info: "Ошибка ввода" },
          },
        ],
        entrances: [{ transportGuid: G(3112), entranceGuid: entrance, entranceNum: "1", annulment: { reason: ref("1", 32) } }],
      }),
      UO,
    ),
    UO,
  );
  assertAnswerValid(annul, "house-management");
  ok(annul.byTg(G(3111)));
  ok(annul.byTg(G(3112)));
  const exp = await runStand(store, "exportHouseData", built(exportHouseData, { fiasHouseGuid: HOUSE }, UO), UO);
  assertAnswerValid(exp, "house-management");
  const h = exportHouseData.read!(exp.answer.result)!;
  assert.deepEqual(
    h.premises.map((p) => [p.guid, p.annulled, p.rooms.map((r) => r.guid)]),
    [
      [premises[0], false, [roomGuid]],
      [premises[1], true, []],
    ],
  );
  assert.deepEqual(
    h.entrances.map((e) => e.annulled),
    [true],
  );

  const again = await runStand(
    store,
    "importHouseUOData",
    built(
      importHouseUOData,
      upd({
        residentialPremises: [
          { transportGuid: G(3121), premisesGuid: premises[1], cadastre: { notRegistered: true }, premisesNum: "2", entranceNum: "1", totalArea: 50 },
        ],
      }),
      UO,
    ),
    UO,
  );
  failed(again.byTg(G(3121)), "SRV004007");
  const acc = await runStand(
    store,
    "importAccountData",
    built(importAccountData, { accounts: [account(3131, premises[1]), account(3132, roomGuid, { accommodations: [{ livingRoomGuid: roomGuid }] })] }, UO),
    UO,
  );
  failed(acc.byTg(G(3131)), "SRV004007");
  ok(acc.byTg(G(3132)));
});

for (const kind of DB_KINDS) {
  test(`importHouseUOData (${kind}): «annul» marks the chosen premises deleted and sends them with their house; unplaced rooms go as LivingRoomToCreate`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      const d = importHouseUOData.descriptor!;
      assert.deepEqual(d.actions, ["annul"]);
      const scope = { organizationId: f.org.id };
      assert.deepEqual(await d.select(ds, scope, "push", f.ctx), [], "without an action: the placed, unchanged house is not sent");
      assert.deepEqual(await d.select(ds, { ...scope, action: "annul", objectType: "premise", objectIds: [f.premises[1].id] }, "push", f.ctx), [f.house.id]);
      let p2 = await reloadAt(ds, "premise", f.premises[1].id);
      assert.equal(p2.closedDate, "2026-11-20", "deleted here today");
      assert.equal(awaitsAnnulment(p2), false, "no reason yet");

      // Without a reason the premises is not in the request and gets its error when the house is applied.
      const tg = guid();
      const first = await d.prepare(ds, [f.house.id], f.ctx);
      const noReason = d.payload([{ ...first.ready[0], transportGuid: tg }], f.ctx);
      assert.doesNotMatch(buildMethodRequest(importHouseUOData, { orgPPAGUID: UO }, noReason).xml, /AnnulmentReason/);

      await ds.getRepository(Premise).update(p2.id, { annulmentReasonCode: "1" });
      await ds.getRepository(Entrance).update(f.entrance.id, { annulmentReasonCode: "9" });
      await d.select(ds, { ...scope, action: "annul", objectType: "entrance", objectIds: [f.entrance.id] }, "push", f.ctx);
      const prepared = await d.prepare(ds, [f.house.id], f.ctx);
      const input = d.payload([{ ...prepared.ready[0], transportGuid: tg }], f.ctx);
      const xml = assertValidInAllPackages(importHouseUOData, input);
      assert.match(
        xml,
        new RegExp(
          `<hm:ResidentialPremisesToUpdate>.*<hm:AnnulmentReason>.*</hm:AnnulmentReason>.*<hm:PremisesGUID>${p2.gisGuid}</hm:PremisesGUID></hm:ResidentialPremisesToUpdate>`,
        ),
      );
      assert.doesNotMatch(xml, /EntranceToUpdate/, "the entrance's reason 9 is not in NSI 330");
      assert.match(
        xml,
        /<hm:LivingRoomToCreate><hm:NoCadastralNumber>true<\/hm:NoCadastralNumber><hm:RoomNumber>1а<\/hm:RoomNumber><hm:Square>12.5<\/hm:Square>/,
      );

      // GIS's answer: the house, the annulled premises, the new room.
      const tgs = [...xml.matchAll(/<base:TransportGUID>([0-9a-f-]{36})<\/base:TransportGUID>/g)].map((m) => m[1]);
      const roomGuid = guid();
      const item = (t: string, g: string) =>
        `<hm:ImportResult><hm:CommonResult><base:GUID>${g}</base:GUID><base:TransportGUID>${t}</base:TransportGUID><base:UniqueNumber>U-${t.slice(0, 4)}</base:UniqueNumber><base:UpdateDate>2026-11-20T10:00:00</base:UpdateDate></hm:CommonResult></hm:ImportResult>`;
      const answerXml =
        `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><hm:getStateResult xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" base:version="11.0.0.1"><base:RequestState>3</base:RequestState><base:MessageGUID>${guid()}</base:MessageGUID>` +
        tgs.map((t) => item(t, t === tg ? f.house.fiasHouseGuid! : t === tgs[tgs.length - 2] ? roomGuid : guid())).join("") +
        "</hm:getStateResult></soap:Body></soap:Envelope>";
      const answer = parseResponse(answerXml) as Extract<ReturnType<typeof parseResponse>, { kind: "state" }>;
      const houseItem = answer.items.find((i) => i.transportGuid === tg)!;
      await ds.transaction((em) => d.apply(em, answer, [{ objectId: f.house.id, transportGuid: tg, result: houseItem }], f.ctx));
      p2 = await reloadAt(ds, "premise", p2.id);
      assert.equal(p2.sync.status, "ok");
      assert.equal(awaitsAnnulment(p2), false, "GIS accepted the annulment");
      const e = await reloadAt(ds, "entrance", f.entrance.id);
      assert.deepEqual([e.sync.status, e.sync.errorCode], ["error", "PRE_NSI"]);
      assert.match(e.sync.errorText ?? "", /причина аннулирования «9».*НСИ 330/);
      const room = await reloadAt(ds, "room", f.room.id);
      assert.equal(room.gisGuid, roomGuid);
      assert.equal((await reloadAt(ds, "house", f.house.id)).sync.status, "ok_nested_errors");
    });
  });
}

/** A getStateResult of house-management with the given result elements. */
function stateAnswer(results: string): Extract<ReturnType<typeof parseResponse>, { kind: "state" }> {
  const xml =
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><hm:getStateResult xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" base:version="11.0.0.1"><base:RequestState>3</base:RequestState><base:MessageGUID>${guid()}</base:MessageGUID>` +
    `${results}</hm:getStateResult></soap:Body></soap:Envelope>`;
  return parseResponse(xml) as Extract<ReturnType<typeof parseResponse>, { kind: "state" }>;
}

for (const kind of DB_KINDS) {
  test(`fund and accounts (${kind}): stands apart — what sit01 placed is unplaced for prod, and prod's results leave sit01's GUIDs`, async () => {
    await withTestDb(kind, async (ds) => {
      const f = await houseFixture(ds);
      // The fixture's house, entrance, premises and accounts as sit01 has them; prod has never seen them.
      await fileIdentity(ds, "house", [f.house], "sit01");
      await fileIdentity(ds, "entrance", [f.entrance], "sit01");
      await fileIdentity(ds, "premise", f.premises, "sit01");
      await fileIdentity(ds, "account", f.accounts, "sit01");
      const sit = { ...f.ctx, stand: "sit01" };
      const prod = { ...f.ctx, stand: "prod" };
      const scope = { organizationId: f.org.id };
      const houses = importHouseUOData.descriptor!;
      const accounts = importAccountData.descriptor!;
      const accountIds = f.accounts.map((a) => a.id).sort((x, y) => x - y);
      assert.deepEqual(await houses.select(ds, scope, "push", sit), [], "placed on sit01");
      assert.deepEqual(await houses.select(ds, scope, "push", prod), [f.house.id], "never sent to prod");
      assert.deepEqual(await houses.select(ds, scope, "sync", prod), [f.house.id], "no house GUID on prod");
      assert.deepEqual(await accounts.select(ds, scope, "push", sit), []);
      assert.deepEqual(await accounts.select(ds, scope, "sync", prod), accountIds);
      const unplaced = await accounts.prepare(ds, accountIds, prod);
      assert.deepEqual(
        unplaced.rejected.map((r) => r.code),
        ["PRE_NO_PARENT_GUID", "PRE_NO_PARENT_GUID"],
        "sit01's premises GUIDs are no place on prod",
      );

      // prod creates the house (sit01's GUIDs are not sent) and answers with its own GUIDs.
      const tg = guid();
      const prepared = await houses.prepare(ds, [f.house.id], prod);
      const xml = buildMethodRequest(importHouseUOData, { orgPPAGUID: UO }, houses.payload([{ ...prepared.ready[0], transportGuid: tg }], prod)).xml;
      assert.match(xml, /ApartmentHouseToCreate/);
      assert.doesNotMatch(xml, /PremisesGUID|EntranceToUpdate/);
      const tgs = [...xml.matchAll(/<base:TransportGUID>([0-9a-f-]{36})<\/base:TransportGUID>/g)].map((m) => m[1]);
      const prodGuids = new Map(tgs.map((t) => [t, guid()]));
      const result = (t: string) =>
        `<hm:ImportResult><hm:CommonResult><base:GUID>${prodGuids.get(t)}</base:GUID><base:TransportGUID>${t}</base:TransportGUID><base:UniqueNumber>P-${t.slice(0, 4)}</base:UniqueNumber><base:UpdateDate>2026-11-20T10:00:00</base:UpdateDate></hm:CommonResult></hm:ImportResult>`;
      const answer = stateAnswer(tgs.map(result).join(""));
      await ds.transaction((em) =>
        houses.apply(em, answer, [{ objectId: f.house.id, transportGuid: tg, result: answer.items.find((i) => i.transportGuid === tg)! }], prod),
      );
      // exportAccountData on prod links the accounts by number.
      const rows = f.accounts.map(
        (a) => `<hm:exportAccountResult><hm:AccountNumber>${a.number}</hm:AccountNumber><hm:AccountGUID>${guid()}</hm:AccountGUID></hm:exportAccountResult>`,
      );
      await ds.transaction((em) => exportAccountData.descriptor!.apply(em, stateAnswer(rows.join("")), [], prod));

      const onProd = await reloadAt(ds, "premise", f.premises[0].id, "prod");
      assert.equal(onProd.sync.status, "ok");
      assert.ok(onProd.gisGuid && onProd.gisGuid !== f.premises[0].gisGuid, "prod's own premises GUID");
      assert.equal((await reloadAt(ds, "house", f.house.id, "prod")).gisUniqueNumber, `P-${tg.slice(0, 4)}`);
      assert.ok((await reloadAt(ds, "account", f.accounts[0].id, "prod")).gisAccountGuid !== f.accounts[0].gisAccountGuid);
      assert.deepEqual(await houses.select(ds, scope, "push", prod), [], "placed on prod now");
      for (const stand of ["sit01", STAND]) {
        const h = await reloadAt(ds, "house", f.house.id, stand);
        assert.deepEqual([h.gisHouseGuid, h.gisUniqueNumber, h.sync.status], [f.house.gisHouseGuid, "HUN1", "ok"], `${stand}: house untouched`);
        for (const p of f.premises) assert.equal((await reloadAt(ds, "premise", p.id, stand)).gisGuid, p.gisGuid, `${stand}: premises untouched`);
        assert.equal((await reloadAt(ds, "entrance", f.entrance.id, stand)).gisGuid, f.entrance.gisGuid);
        for (const a of f.accounts) {
          const seen = await reloadAt(ds, "account", a.id, stand);
          assert.deepEqual([seen.gisAccountGuid, seen.unifiedNumber], [a.gisAccountGuid, a.unifiedNumber], `${stand}: account untouched`);
        }
      }
    });
  });
}

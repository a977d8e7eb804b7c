/**
 * exportHouseData: the sample request in both packages, the reader on a hand-written answer valid per both
 * packages and on the stand's answer, a result of the wrong shape refused with the element named.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportHouseData, exportedHouse } from "../../../src/methods/house-management/export-house-data";
import { importHouseUOData } from "../../../src/methods/house-management/import-house-uo-data";
import { G, RSO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { HOUSE, built, failed, hand, handAnswer, house, ok, placeHouse, supplyContract } from "../../support/house-scenario";
import { StandError } from "../../../src/stand/types";

const HOUSE_RESULT = `<hm:exportHouseResult><hm:HouseUniqueNumber>1600000123</hm:HouseUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:ApartmentHouse><hm:BasicCharacteristicts><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid></hm:BasicCharacteristicts><hm:Entrance><hm:EntranceNum>1</hm:EntranceNum><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:EntranceGUID>${G(40)}</hm:EntranceGUID></hm:Entrance><hm:Entrance><hm:EntranceNum>2</hm:EntranceNum><hm:TerminationDate>2026-10-01</hm:TerminationDate><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:EntranceGUID>${G(41)}</hm:EntranceGUID></hm:Entrance><hm:ResidentialPremises><hm:PremisesNum>1</hm:PremisesNum><hm:EntranceNum>1</hm:EntranceNum><hm:TotalArea>54.3</hm:TotalArea><hm:PremisesUniqueNumber>1600000123-1</hm:PremisesUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:LivingRoom><hm:CadastralNumber>16:50:000000:1</hm:CadastralNumber><hm:RoomNumber>1а</hm:RoomNumber><hm:LivingRoomUniqueNumber>1600000123-1-1</hm:LivingRoomUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:LivingRoomGUID>${G(50)}</hm:LivingRoomGUID></hm:LivingRoom><hm:PremisesGUID>${G(2001)}</hm:PremisesGUID></hm:ResidentialPremises><hm:NonResidentialPremises><hm:PremisesNum>Н1 «магазин»</hm:PremisesNum><hm:AnnulmentReason><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(932)}</nsi-base:GUID></hm:AnnulmentReason><hm:PremisesUniqueNumber>1600000123-Н1</hm:PremisesUniqueNumber><hm:ModificationDate>2026-11-01T10:00:00</hm:ModificationDate><hm:PremisesGUID>${G(2002)}</hm:PremisesGUID></hm:NonResidentialPremises></hm:ApartmentHouse></hm:exportHouseResult>`;

test("exportHouseData: the sample is valid in both packages, one house by FIAS GUID; the descriptor exports every house of the scope", () => {
  assertValidInAllPackages(exportHouseData, { fiasHouseGuid: G(11) });
  const d = exportHouseData.descriptor!;
  assert.deepEqual([d.stage, d.kind, d.objectType, d.safeToRepeat, d.defaultBatch], ["fund", "export", "house", true, 1]);
  assert.deepEqual(d.payload([{ objectId: 1, transportGuid: G(1), data: { fiasHouseGuid: G(11) } }], {} as never), { fiasHouseGuid: G(11) });
});

test("exportHouseData: exportHouseResult → house, entrances, premises and rooms with their GUIDs and numbers; annulled ones marked", () => {
  const h = exportedHouse(handAnswer(HOUSE_RESULT))!;
  assert.equal(h.kind, "apartment");
  assert.equal(h.houseGuid, null);
  assert.equal(h.fiasHouseGuid, G(11));
  assert.equal(h.houseUniqueNumber, "1600000123");
  assert.deepEqual(h.entrances, [
    { guid: G(40), number: "1", annulled: false },
    { guid: G(41), number: "2", annulled: true },
  ]);
  assert.deepEqual(
    h.premises.map((p) => [p.guid, p.number, p.residential, p.entranceNum, p.annulled, p.rooms.map((r) => [r.guid, r.number, r.uniqueNumber])]),
    [
      [G(2001), "1", true, "1", false, [[G(50), "1а", "1600000123-1-1"]]],
      [G(2002), "Н1 «магазин»", false, null, true, []],
    ],
  );
  assert.equal(exportedHouse(handAnswer("", false)), null, "no house in the answer");
});

test("exportHouseData (stand): an РСО may not send premises areas (INT004153, GIS's text) and gets premises GUIDs by exportHouseData", async () => {
  const store = newStandStore();
  const { premises } = await placeHouse(store);
  await runStand(store, "importSupplyResourceContractData", hand("hm:importSupplyResourceContractRequest", "11.3.0.5", supplyContract(6000, [HOUSE])), RSO);
  const a = await runStand(
    store,
    "importHouseUOData",
    built(
      importHouseUOData,
      house(
        HOUSE,
        [
          { tg: 3030, num: "1", area: 60, guid: premises[0] },
          { tg: 3031, num: "2", guid: premises[1] },
        ],
        true,
      ),
      RSO,
    ),
    RSO,
  );
  failed(a.byTg(G(3030)), "INT004153");
  assert.equal(a.byTg(G(3030)).errors[0].description, "Для текущей роли запрещено редактировать значение площади (TotalArea)");
  ok(a.byTg(G(3031)));

  const exp = await runStand(store, "exportHouseData", built(exportHouseData, { fiasHouseGuid: HOUSE }, RSO), RSO);
  assertAnswerValid(exp, "house-management");
  for (const p of premises) assert.match(exp.xml, new RegExp(`<hm:PremisesGUID>${p}</hm:PremisesGUID>`));
  assert.match(exp.xml, /<hm:TotalArea>54.3<\/hm:TotalArea>/, "the area the UO placed stays");
  assert.deepEqual(
    exportHouseData.read!(exp.answer.result)!.premises.map((p) => p.guid),
    premises,
  );
  await assert.rejects(
    runStand(store, "exportHouseData", built(exportHouseData, { fiasHouseGuid: G(1) }, RSO), RSO),
    (e: unknown) => e instanceof StandError && e.code === "INT002000",
  );
});

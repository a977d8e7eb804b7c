/**
 * importSupplyResourceContractObjectAddressData: the sample valid in both official packages, the
 * builder's limits, the stand handler as GIS behaves (add, change, delete objects of a posted
 * contract; each refusal code; one new contract version per request) and the reconcile: an
 * object found by the export gets its ObjectGUID where an ordinary answer puts it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { importSupplyResourceContractObjectAddressData } from "../../../src/methods/house-management/import-supply-resource-contract-object-address-data";
import { exportSupplyResourceContractObjectAddressData } from "../../../src/methods/house-management/export-supply-resource-contract-object-address-data";
import { importSupplyResourceContractData } from "../../../src/methods/house-management/import-supply-resource-contract-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { tables } from "../../../src/stand/domain/state";
import { objectsOf } from "../../../src/stand/rules/house-management/supply-contracts";
import { G, RSO, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { IMPORT_SUPPLY_OBJECTS, ref, srcCopy } from "./contracts-samples";

const m = importSupplyResourceContractObjectAddressData;
const H = { orgPPAGUID: RSO };
const build = (input: Parameters<typeof m.body>[0]) => buildMethodRequest(m, H, input).xml;
const HOUSE2 = G(9202);
/** The sample contract's subject: ServiceType ref("2", 24), MunicipalResource ref("3", 25). */
const pair = (tg: number, start = "2026-02-01") => ({
  transportGuid: G(tg),
  serviceType: ref("2", 24),
  municipalResource: ref("3", 25),
  startSupplyDate: start,
});

async function placedContract() {
  const store = newStandStore();
  const a = await runStand(
    store,
    importSupplyResourceContractData.name,
    buildMethodRequest(importSupplyResourceContractData, H, { contracts: [{ transportGuid: G(10), contract: srcCopy(20) }] }).xml,
    RSO,
  );
  const r = a.byTg(G(10));
  return { store, root: r.values.ContractRootGUID, version: r.values.ContractGUID };
}

test("importSupplyResourceContractObjectAddressData: the sample is valid in both official packages; 1..1000 objects, 1..100 pairs; a contract by version or root GUID", () => {
  assertValidInAllPackages(m, IMPORT_SUPPLY_OBJECTS);
  assertValidInAllPackages(m, {
    contractGuid: G(1),
    objects: [{ transportGuid: G(2), objectGuid: G(3), load: { fiasHouseGuid: G(4), apartmentNumber: "5", pairs: [pair(6)] } }],
  });
  assert.equal(m.batch?.max, 1000);
  assert.throws(() => build({ contractGuid: G(1), objects: [{ transportGuid: G(2), delete: true }] }), /objectGuid/);
  assert.throws(
    () => build({ contractGuid: G(1), contractRootGuid: G(9), objects: [{ transportGuid: G(2), objectGuid: G(3), delete: true }] }),
    /contractGuid либо contractRootGuid/,
  );
  assert.throws(() => build({ contractRootGuid: G(1), objects: [] }), /ObjectAddress — от 1 до 1000/);
  assert.throws(() => build({ contractRootGuid: G(1), objects: [{ transportGuid: G(2), load: { fiasHouseGuid: G(4), pairs: [] } }] }), /Pair — от 1 до 100/);
});

test("importSupplyResourceContractObjectAddressData: the stand adds, changes and deletes objects; one new contract version per request; the export gives them back", async () => {
  const { store, root, version } = await placedContract();
  const [first] = objectsOf(store, root);
  const a = await runStand(
    store,
    m.name,
    build({
      contractGuid: version,
      objects: [
        { transportGuid: G(50), load: { houseType: "ZHD", fiasHouseGuid: HOUSE2, pairs: [pair(51)] } },
        {
          transportGuid: G(52),
          objectGuid: first.guid,
          load: { houseType: "MKD", fiasHouseGuid: first.fiasHouseGuid, apartmentNumber: "15", pairs: [pair(53, "2026-03-01")] },
        },
      ],
    }),
    RSO,
  );
  assertAnswerValid(a, "house-management");
  const added = a.byTg(G(50));
  const changed = a.byTg(G(52));
  assert.deepEqual([added.errors, changed.errors], [[], []]);
  assert.equal(changed.guid, first.guid, "a changed object keeps its ObjectGUID");
  assert.ok(added.guid && added.guid !== first.guid);
  const row = tables(store).supplyContracts.get(root)!;
  assert.equal(added.values.ContractGUID, row.guid, "the answer names the contract's new version");
  assert.equal(changed.values.ContractGUID, row.guid, "one version for the whole request");
  assert.deepEqual([row.versionNumber, row.houses.includes(HOUSE2.toLowerCase())], [2, true], "the new object's house is the contract's now");

  const exp = await runStand(
    store,
    exportSupplyResourceContractObjectAddressData.name,
    buildMethodRequest(exportSupplyResourceContractObjectAddressData, H, { contractRootGuid: root }).xml,
    RSO,
  );
  assertAnswerValid(exp, "house-management");
  const page = exportSupplyResourceContractObjectAddressData.read!(exp.answer.result);
  assert.deepEqual(
    page.objects.map((o) => [o.objectGuid, o.contractRootGuid, o.contractGuid, o.pairs[0].startSupplyDate]).sort(),
    [
      [added.guid, root, row.guid, "2026-02-01"],
      [first.guid, root, row.guid, "2026-03-01"],
    ].sort(),
  );
  assert.equal(page.nextPage, null);

  const del = await runStand(store, m.name, build({ contractRootGuid: root, objects: [{ transportGuid: G(54), objectGuid: added.guid!, delete: true }] }), RSO);
  assert.deepEqual(del.byTg(G(54)).errors, []);
  assert.deepEqual(
    objectsOf(store, root).map((o) => o.guid),
    [first.guid],
  );
  assert.equal(tables(store).supplyContracts.get(root)!.houses.includes(HOUSE2.toLowerCase()), false, "the house went with its object");
});

test("importSupplyResourceContractObjectAddressData: the stand's refusals — INT002000, SRV004003, SRV004007, SRV004008, SRV004009", async () => {
  const { store, root, version } = await placedContract();
  const [first] = objectsOf(store, root);
  const code = async (input: Parameters<typeof m.body>[0], sender = RSO) =>
    (await runStand(store, m.name, build(input), sender)).items.map((i) => i.errors[0]?.code ?? "ok");
  assert.deepEqual(
    await code({ contractRootGuid: G(1), objects: [{ transportGuid: G(60), load: { fiasHouseGuid: HOUSE2, pairs: [pair(61)] } }] }),
    ["INT002000"],
    "an unknown contract",
  );
  assert.deepEqual(
    await code({ contractRootGuid: root, objects: [{ transportGuid: G(60), load: { fiasHouseGuid: HOUSE2, pairs: [pair(61)] } }] }, UO),
    ["INT002000"],
    "another organization's contract",
  );
  assert.deepEqual(
    await code({ contractGuid: G(2), objects: [{ transportGuid: G(60), load: { fiasHouseGuid: HOUSE2, pairs: [pair(61)] } }] }),
    ["INT002000"],
    "a version that is not the last one",
  );
  assert.deepEqual(
    await code({ contractRootGuid: root, objects: [{ transportGuid: G(62), objectGuid: G(3), load: { fiasHouseGuid: HOUSE2, pairs: [pair(63)] } }] }),
    ["INT002000"],
    "an unknown object",
  );
  assert.deepEqual(
    await code({
      contractRootGuid: root,
      objects: [{ transportGuid: G(64), load: { fiasHouseGuid: HOUSE2, pairs: [{ ...pair(65), serviceType: ref("1", 27) }] } }],
    }),
    ["SRV004008"],
    "a pair the subjects lack",
  );
  assert.deepEqual(
    await code({
      contractRootGuid: root,
      objects: [{ transportGuid: G(66), load: { fiasHouseGuid: first.fiasHouseGuid, apartmentNumber: first.apartmentNumber ?? undefined, pairs: [pair(67)] } }],
    }),
    ["SRV004009"],
    "an object the contract has, without its ObjectGUID",
  );
  assert.deepEqual(
    await code({ contractRootGuid: root, objects: [{ transportGuid: G(68), objectGuid: first.guid, delete: true }] }),
    ["SRV004003"],
    "the last object",
  );
  assert.equal(tables(store).supplyContracts.get(root)!.guid, version, "refused requests make no new version");
  await runStand(
    store,
    importSupplyResourceContractData.name,
    buildMethodRequest(importSupplyResourceContractData, H, { contracts: [{ transportGuid: G(69), contractRootGuid: root, annul: { reason: "Дубль" } }] }).xml,
    RSO,
  );
  assert.deepEqual(
    await code({ contractRootGuid: root, objects: [{ transportGuid: G(70), load: { fiasHouseGuid: HOUSE2, pairs: [pair(71)] } }] }),
    ["SRV004007"],
    "an annulled contract",
  );
});

test("importSupplyResourceContractObjectAddressData: the reconcile asks the contract's objects and maps a found object like an ordinary answer", async () => {
  const { store, root } = await placedContract();
  const d = m.descriptor!;
  const data = { contractRootGuid: root, fiasHouseGuid: HOUSE2, houseType: "ZHD" as const, objectGuid: null, pairs: [] };
  assert.deepEqual(d.reconcile!.payload([{ objectId: 1, data }], {} as never), { contractRootGuid: root });
  const lost = await runStand(
    store,
    m.name,
    build({ contractRootGuid: root, objects: [{ transportGuid: G(80), load: { fiasHouseGuid: HOUSE2, pairs: [pair(81)] } }] }),
    RSO,
  );
  const exp = await runStand(
    store,
    exportSupplyResourceContractObjectAddressData.name,
    buildMethodRequest(exportSupplyResourceContractObjectAddressData, H, d.reconcile!.payload([{ objectId: 1, data }], {} as never) as never).xml,
    RSO,
  );
  const found = d.reconcile!.found(
    exp.answer,
    [
      { objectId: 1, data },
      { objectId: 2, data: { ...data, fiasHouseGuid: G(9999) } },
    ],
    {} as never,
  );
  assert.deepEqual([...found], [[1, lost.byTg(G(80)).guid]], "found by house and address; an object GIS lacks is sent again");
  assert.deepEqual(
    d.reconcile!.result!(lost.byTg(G(80)).guid!),
    { guid: lost.byTg(G(80)).guid },
    "the ObjectGUID is the result's GUID, as in an ordinary answer",
  );
});

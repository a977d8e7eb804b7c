/** exportNsiItem and exportNsiList: the sample requests in both packages, the stand's answers (valid per XSD), the readers, the descriptor's registries and apply. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { NsiItem } from "../../../entities";
import { exportNsiItem } from "../../../src/methods/nsi-common/export-nsi-item";
import { exportNsiList } from "../../../src/methods/nsi-common/export-nsi-list";
import { COMMON_REGISTRIES } from "../../../src/methods/nsi-common/common-registries";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { withTestDb } from "../../support/databases";
import { assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";

test("exportNsiItem / exportNsiList: the sample requests are valid in both official packages, under ISRequestHeader", () => {
  const xml = assertValidInAllPackages(exportNsiItem, { registryNumber: 2, listGroup: "NSI", modifiedAfter: "2026-01-01T00:00:00" });
  assert.match(xml, /<base:ISRequestHeader /);
  assertValidInAllPackages(exportNsiList, { listGroup: "NSI" });
  assertValidInAllPackages(exportNsiList, {});
});

test("exportNsiItem: the stand's registry is read into rows with their fields; unknown INT016001, not modified INT002012; the list names the registries", async () => {
  const store = newStandStore();
  const a = await runStand(store, "exportNsiItem", buildMethodRequest(exportNsiItem, {}, { registryNumber: 2, listGroup: "NSI" }).xml, null);
  assertAnswerValid(a, "nsi-common");
  const got = exportNsiItem.read!(a.answer.result)!;
  assert.equal(got.registry, 2);
  assert.deepEqual(got.rows[0].fields, { "Вид коммунального ресурса": "Холодная вода" });
  const code = (e: Error & { code?: string }) => e.code;
  await assert.rejects(
    runStand(store, "exportNsiItem", buildMethodRequest(exportNsiItem, {}, { registryNumber: 9999, listGroup: "NSI" }).xml, null),
    (e: Error & { code?: string }) => code(e) === "INT016001",
  );
  await assert.rejects(
    runStand(
      store,
      "exportNsiItem",
      buildMethodRequest(exportNsiItem, {}, { registryNumber: 2, listGroup: "NSI", modifiedAfter: "2030-01-01T00:00:00" }).xml,
      null,
    ),
    (e: Error & { code?: string }) => code(e) === "INT002012",
  );
  const list = await runStand(store, "exportNsiList", buildMethodRequest(exportNsiList, {}, { listGroup: "NSI" }).xml, null);
  assertAnswerValid(list, "nsi-common");
  assert.ok(
    COMMON_REGISTRIES.every((r) => exportNsiList.read!(list.answer.result).some((e) => e.registryNumber === r)),
    "the stand has every registry the model uses",
  );

  await withTestDb("sqlite", async (ds) => {
    const d = exportNsiItem.descriptor!;
    assert.deepEqual(await d.select(ds, { organizationId: 1 }, "pull", {} as never), COMMON_REGISTRIES);
    assert.deepEqual(await d.select(ds, { organizationId: 1, objectIds: [2, 3] }, "pull", {} as never), [2, 3]);
    await ds.transaction((em) => d.apply(em, a.answer, [], {} as never));
    await ds.transaction((em) => d.apply(em, a.answer, [], {} as never));
    assert.equal(await ds.getRepository(NsiItem).countBy({ registryNumber: 2, listGroup: "NSI" }), 8, "read twice, stored once");
  });
});

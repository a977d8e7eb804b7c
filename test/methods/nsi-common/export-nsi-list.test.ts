/** exportNsiList: the sample in both packages, the stand's list of common dictionaries, the reader. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportNsiList } from "../../../src/methods/nsi-common/export-nsi-list";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";

test("exportNsiList: the sample request is valid in both official packages, under ISRequestHeader", () => {
  assert.match(assertValidInAllPackages(exportNsiList, { listGroup: "NSI" }), /<base:ISRequestHeader /);
  assertValidInAllPackages(exportNsiList, {});
});

test("exportNsiList: the stand lists its common dictionaries; the reader gives numbers and names", async () => {
  const a = await runStand(newStandStore(), "exportNsiList", buildMethodRequest(exportNsiList, {}, { listGroup: "NSI" }).xml, null);
  assertAnswerValid(a, "nsi-common");
  const list = exportNsiList.read!(a.answer.result);
  assert.ok(list.length > 0, "some dictionaries");
  assert.ok(
    list.every((e) => Number.isInteger(e.registryNumber) && e.registryNumber > 0),
    JSON.stringify(list.slice(0, 3)),
  );
});

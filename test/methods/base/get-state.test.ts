/** getState: the request of every service is valid in both official packages, unsigned, under the service's header; the method module's wire facts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { getState, getStateMethod } from "../../../src/methods/base/get-state";
import { findMethod } from "../../../src/methods/registry";
import { SERVICES, ServiceName } from "../../../src/transport/services";
import { validateRequest } from "../../../src/transport/schema/validate";
import { UO, assertValidInAllPackages, officialPackages } from "../../support/method-harness";

test("getState: valid in both official packages for every service, with the service's header and no base:version", async () => {
  for (const service of Object.keys(SERVICES) as ServiceName[]) {
    const xml = assertValidInAllPackages(getStateMethod, { service, messageGuid: "2c03ae2a-8f24-46ad-851d-f5561083cc7a" });
    assert.match(xml, SERVICES[service].isHeader ? /<base:ISRequestHeader / : /<base:RequestHeader /);
    assert.doesNotMatch(xml, /base:version=/);
    const r = getState(service, "2c03ae2a-8f24-46ad-851d-f5561083cc7a", { orgPPAGUID: UO });
    assert.equal(r.soapAction, "urn:getState");
    assert.equal(r.path, SERVICES[service].path);
    for (const { dir } of officialPackages()) assert.deepEqual(await validateRequest(r.xml, service, { schemaDir: dir }), [], service);
  }
  assert.throws(() => getState("house-management", "x"), /orgPPAGUID/, "RequestHeader services need the organization");
  assert.equal(findMethod("getState"), getStateMethod);
  assert.equal(getStateMethod.service, null);
});

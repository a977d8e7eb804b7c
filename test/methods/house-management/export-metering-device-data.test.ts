/**
 * exportMeteringDeviceData: the sample request in both packages, the reader on a hand-written answer valid per both
 * packages and on the stand's answer, a result of the wrong shape refused with the element named.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportMeteringDeviceData, exportedMeters } from "../../../src/methods/house-management/export-metering-device-data";
import { G, assertValidInAllPackages } from "../../support/method-harness";
import { handAnswer } from "../../support/house-scenario";

const ref = (code: string, n: number) => ({ code, guid: G(900 + n) });

const MET = `<hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>ХВ-123456</hm:MeteringDeviceNumber><hm:MeteringDeviceStamp>Бетар</hm:MeteringDeviceStamp><hm:MeteringDeviceModel>СХВ-15</hm:MeteringDeviceModel><hm:InstallationDate>2025-05-01</hm:InstallationDate><hm:CommissioningDate>2025-05-02</hm:CommissioningDate><hm:RemoteMeteringMode>false</hm:RemoteMeteringMode><hm:FirstVerificationDate>1900-01-01</hm:FirstVerificationDate><hm:TemperatureSensor>false</hm:TemperatureSensor><hm:PressureSensor>false</hm:PressureSensor><hm:ResidentialPremiseDevice><hm:PremiseGUID>${G(2001)}</hm:PremiseGUID><hm:AccountGUID>${G(18)}</hm:AccountGUID></hm:ResidentialPremiseDevice></hm:BasicChatacteristicts><hm:NotLinkedWithMetering>true</hm:NotLinkedWithMetering><hm:MunicipalResourceNotEnergy><mdb:MunicipalResource><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(910)}</nsi-base:GUID></mdb:MunicipalResource><mdb:MeteringValue>12.5</mdb:MeteringValue></hm:MunicipalResourceNotEnergy><hm:MeteringDeviceRootGUID>${G(30)}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>Active</hm:StatusRootDoc><hm:MeteringDeviceVersionGUID>${G(32)}</hm:MeteringDeviceVersionGUID><hm:VersionNumber>2</hm:VersionNumber><hm:StatusVersion>Actual</hm:StatusVersion><hm:UpdateDateTime>2026-11-20T10:00:00</hm:UpdateDateTime><hm:MeteringDeviceGISGKHNumber>100500</hm:MeteringDeviceGISGKHNumber></hm:exportMeteringDeviceDataResult><hm:exportMeteringDeviceDataResult><hm:BasicChatacteristicts><hm:MeteringDeviceNumber>Э-777</hm:MeteringDeviceNumber><hm:RemoteMeteringMode>true</hm:RemoteMeteringMode><hm:TemperatureSensor>false</hm:TemperatureSensor><hm:PressureSensor>false</hm:PressureSensor><hm:CollectiveDevice><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid></hm:CollectiveDevice></hm:BasicChatacteristicts><hm:NotLinkedWithMetering>true</hm:NotLinkedWithMetering><hm:MunicipalResourceEnergy><mdb:MeteringValueT1>1000</mdb:MeteringValueT1><mdb:MeteringValueT2>500.25</mdb:MeteringValueT2></hm:MunicipalResourceEnergy><hm:MeteringDeviceRootGUID>${G(33)}</hm:MeteringDeviceRootGUID><hm:StatusRootDoc>Archival</hm:StatusRootDoc><hm:MeteringDeviceVersionGUID>${G(34)}</hm:MeteringDeviceVersionGUID><hm:VersionNumber>1</hm:VersionNumber><hm:StatusVersion>Archival</hm:StatusVersion><hm:UpdateDateTime>2026-11-21T10:00:00</hm:UpdateDateTime><hm:MeteringDeviceGISGKHNumber>100501</hm:MeteringDeviceGISGKHNumber></hm:exportMeteringDeviceDataResult>`;

test("exportMeteringDeviceData: the samples (by house with filters, by root, by version) are valid in both packages; 11.1.0.2 under both", () => {
  assertValidInAllPackages(exportMeteringDeviceData, { fiasHouseGuid: G(11), searchArchived: false, includeFiasHouseGuid: true });
  assertValidInAllPackages(exportMeteringDeviceData, {
    fiasHouseGuid: G(11),
    currentOrganizationOnly: true,
    updatedSince: "2026-01-01T00:00:00",
    municipalResource: ref("1", 10),
  });
  assertValidInAllPackages(exportMeteringDeviceData, { rootGuid: G(30) });
  assertValidInAllPackages(exportMeteringDeviceData, { versionGuid: G(32) });
  assert.deepEqual(exportMeteringDeviceData.versions, { "16.3.0.0": "11.1.0.2", "14.4.0.1": "11.1.0.2" });
});

test("exportMeteringDeviceData: exportMeteringDeviceDataResult → root/version GUIDs, factory number, placement, resources and base readings", () => {
  const [w, e] = exportedMeters(handAnswer(MET));
  assert.equal(w.rootGuid, G(30));
  assert.equal(w.versionGuid, G(32));
  assert.equal(w.factoryNumber, "ХВ-123456");
  assert.equal(w.status, "Active");
  assert.equal(w.placement, "residentialPremise");
  assert.deepEqual(w.premiseGuids, [G(2001)]);
  assert.deepEqual(w.accountGuids, [G(18)]);
  assert.deepEqual(w.resources, [{ code: "1", guid: G(910), name: null }]);
  assert.deepEqual(w.baseValues, [{ resource: { code: "1", guid: G(910), name: null }, value: "12.5" }]);
  assert.equal(w.firstVerificationDate, null, "1900-01-01 means no value");
  assert.equal(w.gisNumber, "100500");
  assert.equal(e.electric, true);
  assert.equal(e.status, "Archival");
  assert.equal(e.placement, "collective");
  assert.deepEqual(e.fiasHouseGuids, [G(11)]);
  assert.deepEqual(e.baseValuesElectric, { t1: "1000", t2: "500.25", t3: null });
});

test("exportMeteringDeviceData: a result with an unknown StatusRootDoc is refused with the value named", () => {
  assert.throws(
    () => exportedMeters(handAnswer(MET.replace("<hm:StatusRootDoc>Active</hm:StatusRootDoc>", "<hm:StatusRootDoc>Lost</hm:StatusRootDoc>"), false)),
    /StatusRootDoc «Lost»/,
  );
});

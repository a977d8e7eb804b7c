/**
 * exportAccountData: the sample request in both packages, the reader on a hand-written answer valid per both
 * packages and on the stand's answer, a result of the wrong shape refused with the element named.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exportAccountData, exportedAccounts } from "../../../src/methods/house-management/export-account-data";
import { G, UO, assertValidInAllPackages } from "../../support/method-harness";
import { handAnswer } from "../../support/house-scenario";

const ACC = `<hm:exportAccountResult><hm:isRSOAccount>true</hm:isRSOAccount><hm:CreationDate>2026-01-10T12:00:00</hm:CreationDate><hm:LivingPersonsNumber>3</hm:LivingPersonsNumber><hm:TotalSquare>54.3</hm:TotalSquare><hm:Closed><hm:CloseReason><nsi-base:Code>3</nsi-base:Code><nsi-base:GUID>${G(908)}</nsi-base:GUID></hm:CloseReason><hm:CloseDate>2026-10-31</hm:CloseDate><hm:Description>Переезд &amp; продажа</hm:Description></hm:Closed><hm:Accommodation><hm:PremisesGUID>${G(2001)}</hm:PremisesGUID><hm:SharePercent>100</hm:SharePercent></hm:Accommodation><hm:PayerInfo><hm:Ind><ind-base:Surname>Гарипов</ind-base:Surname><ind-base:FirstName>Рустем</ind-base:FirstName></hm:Ind></hm:PayerInfo><hm:AccountReasons><hm:SupplyResourceContract><hm:ContractGUID>${G(134)}</hm:ContractGUID></hm:SupplyResourceContract></hm:AccountReasons><hm:AccountNumber>ЛС-000001</hm:AccountNumber><hm:AccountGUID>${G(18)}</hm:AccountGUID><account-base:UnifiedAccountNumber>12АБ345678</account-base:UnifiedAccountNumber><account-base:ServiceID>12АБ345678-01</account-base:ServiceID></hm:exportAccountResult><hm:exportAccountResult><hm:isUOAccount>true</hm:isUOAccount><hm:Accommodation><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid></hm:Accommodation><hm:PayerInfo></hm:PayerInfo><hm:AccountGUID>${G(19)}</hm:AccountGUID><account-base:UnifiedAccountNumber>12АБ345679</account-base:UnifiedAccountNumber></hm:exportAccountResult>`;

test("exportAccountData: the samples (by house, by GUIDs, ЕЛС, ИЖКУ) are valid in both packages; 1 to 1000 of a list", () => {
  assertValidInAllPackages(exportAccountData, { fiasHouseGuid: G(11) });
  assertValidInAllPackages(exportAccountData, { accountGuids: [G(18), G(19)] });
  assertValidInAllPackages(exportAccountData, { unifiedAccountNumbers: ["12АБ345678"] });
  assertValidInAllPackages(exportAccountData, { serviceIds: ["12АБ345678-01"] });
  assert.throws(() => assertValidInAllPackages(exportAccountData, { accountGuids: [] }, { orgPPAGUID: UO }), /AccountGUID — от 1 до 1000/);
  assert.equal(exportAccountData.descriptor!.after?.[0], "exportHouseData");
});

test("exportAccountData: exportAccountResult → account GUID, numbers (ЕЛС, ИЖКУ), role, placement, closing", () => {
  const [a, b] = exportedAccounts(handAnswer(ACC));
  assert.deepEqual(a, {
    accountGuid: G(18),
    accountNumber: "ЛС-000001",
    unifiedAccountNumber: "12АБ345678",
    serviceId: "12АБ345678-01",
    role: "RSO",
    creationDate: "2026-01-10T12:00:00",
    premisesGuids: [G(2001)],
    fiasHouseGuids: [],
    livingRoomGuids: [],
    closed: { date: "2026-10-31", reason: { code: "3", guid: G(908), name: null }, description: "Переезд & продажа" },
    totalSquare: 54.3,
    livingPersonsNumber: 3,
    supplyResourceContractGuids: [G(134)],
  });
  assert.equal(b.role, "UO");
  assert.deepEqual(b.fiasHouseGuids, [G(11)]);
  assert.equal(b.serviceId, null);
  assert.equal(b.closed, null);
});

test("exportAccountData: a result without AccountGUID is refused with the element named", () => {
  assert.throws(() => exportedAccounts(handAnswer(ACC.replace(/<hm:AccountGUID>[^<]*<\/hm:AccountGUID>/, ""), false)), /exportAccountResult без AccountGUID/);
});

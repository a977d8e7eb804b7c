/**
 * The stand's business handlers, called directly (no HTTP): requests are real request XML — built
 * by the project's builders where they exist, by hand where not — parsed, and the container element
 * handed to the handler. Results are wrapped in getStateResult, parsed by the client's parser and,
 * where practical, validated against the official XSD.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { buildRequest } from "../src/transport/messages/index";
import { container } from "../src/transport/messages/common";
import { NS, XNode, el, leaf, serialize } from "../src/transport/envelope/xml";
import { CONTAINER_ID } from "../src/transport/envelope/envelope";
import { ItemResult, parseResponse } from "../src/transport/results/results";
import { parseUntrusted } from "../src/transport/results/safe-xml";
import { SERVICES } from "../src/transport/services";
import { handlerFor } from "../src/stand/handlers/index";
import { MemoryStore } from "../src/stand/store";
import { StandError, StandOrganization, StandRole } from "../src/stand/types";
import { setStandRules } from "../src/stand/rules/settings";
import { validRequisites } from "../src/stand/rules/requisites";
import { pageFrom } from "../src/stand/rules/paging";
import { ImportMeteringDeviceValuesInput } from "../src/methods/device-metering/import-metering-device-values";
import { tables } from "../src/stand/domain/state";
import { assertValidInAllPackages, officialAvailable } from "./support/xsd";
import type { AccountInput } from "../src/methods/house-management/import-account-data";
import type { ImportHouseUOInput } from "../src/methods/house-management/import-house-uo-data";
import type { MeteringDeviceInput } from "../src/methods/house-management/import-metering-device-data";
import { GisMethod } from "../src/methods/method";
import { buildMethodRequest } from "../src/transport/messages/build";
import { PaymentDocumentInput, importPaymentDocumentData as importPaymentDocumentDataM } from "../src/methods/bills/import-payment-document-data";
import { importAcknowledgment as importAcknowledgmentM } from "../src/methods/bills/import-acknowledgment";
import { NotificationInput, importNotificationsOfOrderExecution as importNoticesM } from "../src/methods/payment/import-notifications-of-order-execution";
import { importNotificationsOfOrderExecutionCancellation as importCancellationsM } from "../src/methods/payment/import-notifications-of-order-execution-cancellation";

const canValidate = officialAvailable();

import { G } from "./support/guids";
const UO = G(9001);
const RSO = G(9002);
const HOUSE = G(9101);
const _HOUSE_RSO = G(9102);
/** Day 20 of November 2026, 10:00 Moscow: inside the default readings window (15–25). */
const IN_WINDOW = new Date("2026-11-20T07:00:00Z");

function org(guid: string, roles: StandRole[], name: string): StandOrganization {
  return {
    orgPPAGUID: guid,
    orgRootEntityGUID: guid,
    orgVersionGUID: guid,
    ogrn: "1021600000000",
    inn: "1650000000",
    kpp: "165001001",
    fullName: name,
    shortName: name,
    roles,
    certificateFingerprints: [],
  };
}

function newStore(): MemoryStore {
  return new MemoryStore([org(UO, ["UO"], "УК Тест"), org(RSO, ["RSO"], "РСО Тест")]);
}

interface Answer {
  xml: string;
  items: ItemResult[];
  byTg: (tg: string) => ItemResult;
  result: Element;
}

let messageCounter = 0;

/** Runs the handler of `operation` on a container element the way the core does. */
async function run(store: MemoryStore, operation: string, containerXml: string, sender: string, received = IN_WINDOW): Promise<Answer> {
  const spec = handlerFor(operation);
  assert.ok(spec, `no handler for ${operation}`);
  const doc = parseUntrusted(containerXml);
  const all = doc.getElementsByTagName("*");
  let body: Element | null = null;
  for (let i = 0; i < all.length; i++)
    if (all[i].getAttribute("Id") === CONTAINER_ID) {
      body = all[i] as unknown as Element;
      break;
    }
  assert.ok(body, "no signed-data-container");
  const kids = await spec.handle(
    {
      service: spec.service,
      operation,
      body,
      version: body.getAttributeNS(NS.base, "version") ?? "",
      org: store.organization(sender) ?? null,
      messageGuid: G(++messageCounter),
      requesterMessageGuid: G(50000 + messageCounter),
      received,
    },
    store,
  );
  const state = el(
    `${spec.resultPrefix}:getStateResult`,
    { "base:version": spec.resultVersion },
    leaf("base:RequestState", "3"),
    leaf("base:MessageGUID", G(messageCounter)),
    kids,
  );
  const xml = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${serialize(state)}</soapenv:Body></soapenv:Envelope>`;
  const parsed = parseResponse(xml);
  assert.equal(parsed.kind, "state");
  if (parsed.kind !== "state") throw new Error("unreachable");
  return {
    xml,
    items: parsed.items,
    result: parsed.result,
    byTg: (tg) => {
      const r = parsed.items.find((i) => i.transportGuid === tg.toLowerCase());
      assert.ok(r, `no result for ${tg}`);
      return r;
    },
  };
}

/** A request from the project's builder: the whole envelope, as sent. */
function built(op: string, payload: unknown, sender: string): string {
  return buildRequest(op, { orgPPAGUID: sender, date: IN_WINDOW }, payload).xml;
}

/** A method module's request (methods moved out of the operations table). */
function builtBy<I>(m: GisMethod<I>, payload: I, sender: string): string {
  return buildMethodRequest(m, { orgPPAGUID: sender, date: IN_WINDOW }, payload).xml;
}

/** A request built by hand (operations without a builder): the container only. */
function hand(name: string, version: string, ...kids: XNode[]): string {
  return serialize(container(name, version, ...kids));
}

async function refused(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof StandError && e.code === code);
}

function valid(a: Answer, service: keyof typeof SERVICES): void {
  if (!canValidate) return;
  assertValidInAllPackages(a.xml, `${service} result`);
}

const ok = (r: ItemResult) => assert.deepEqual(r.errors, [], `unexpected error ${JSON.stringify(r.errors)}`);
const failed = (r: ItemResult, code: string) => assert.equal(r.errors[0]?.code, code, `expected ${code}, got ${JSON.stringify(r.errors)} / ${r.guid}`);
const nsiRef = (prefix: string, name: string, code: string, guid: string) =>
  el(`${prefix}:${name}`, null, leaf("nsi-base:Code", code), leaf("nsi-base:GUID", guid));
const attachment = (name: string) =>
  el(
    `hm:${name}`,
    null,
    leaf("base:Name", "договор.pdf"),
    leaf("base:Description", "скан"),
    el("base:Attachment", null, leaf("base:AttachmentGUID", G(7777))),
    leaf("base:AttachmentHASH", "a".repeat(64)),
  );

// ---- scenario steps shared by the tests -------------------------------------------------------

/** The UO's municipal service «Холодное водоснабжение» (NSI 51) → {code, guid}. */
async function placeColdWaterService(store: MemoryStore): Promise<{ code: string; guid: string }> {
  const a = await run(
    store,
    "importMunicipalServices",
    built(
      "importMunicipalServices",
      {
        services: [
          {
            transportGuid: G(1),
            municipalService: { code: "1", guid: G(801) },
            name: "Холодное водоснабжение",
            municipalResource: { code: "1", guid: G(802) },
            okei: "113",
            sortOrder: "1",
          },
        ],
      },
      UO,
    ),
    UO,
  );
  const r = a.byTg(G(1));
  return { code: r.uniqueNumber!, guid: r.guid! };
}

function placingContract(tg: string, fias: string, service: { code: string; guid: string }): XNode {
  return el(
    "hm:Contract",
    null,
    leaf("base:TransportGUID", tg),
    el(
      "hm:PlacingContract",
      null,
      leaf("hm:DocNum", "15/2026"),
      leaf("hm:SigningDate", "2026-01-10"),
      leaf("hm:EffectiveDate", "2026-02-01"),
      leaf("hm:PlanDateComptetion", "2031-01-31"),
      leaf("hm:Owners", "true"),
      nsiRef("hm", "ContractBase", "1", G(803)),
      attachment("ContractAttachment"),
      el(
        "hm:ContractObject",
        null,
        leaf("hm:FIASHouseGuid", fias),
        leaf("hm:StartDate", "2026-02-01"),
        leaf("base:TransportGUID", G(Number(tg.slice(-4)) + 10)),
        el("hm:BaseMService", null, leaf("hm:CurrentDoc", "true")),
        el(
          "hm:HouseService",
          null,
          nsiRef("hm", "ServiceType", service.code, service.guid),
          leaf("hm:StartDate", "2026-02-01"),
          leaf("hm:EndDate", "2031-01-31"),
          el("hm:BaseService", null, leaf("hm:CurrentDoc", "true")),
        ),
      ),
    ),
  );
}

async function placeContract(store: MemoryStore, fias = HOUSE): Promise<{ answer: Answer; service: { code: string; guid: string } }> {
  const service = await placeColdWaterService(store);
  const answer = await run(store, "importContractData", hand("hm:importContractRequest", "11.9.0.1", placingContract(G(2001), fias, service)), UO);
  return { answer, service };
}

function house(fias: string, premises: Array<{ tg: number; num: string; area?: number; guid?: string }>, update = false): ImportHouseUOInput {
  const basic = {
    cadastre: { cadastralNumber: "16:50:0001001:1001" },
    fiasHouseGuid: fias,
    totalSquare: 3540.5,
    state: { code: "2", guid: G(804), name: "Исправный" },
    usedYear: 1975,
    floorCount: 9,
    oktmo: { code: "92701000" },
    olsonTZ: { code: "1", guid: G(805) },
    culturalHeritage: false,
  };
  return {
    apartmentHouse: {
      transportGuid: G(3000),
      ...(update ? { update: basic } : { create: { ...basic, undergroundFloorCount: 1 } }),
      entrances: update ? [] : [{ transportGuid: G(3001), entranceNum: "1", storeysCount: 9, creationYear: 1975 }],
      residentialPremises: premises.map((p) => ({
        transportGuid: G(p.tg),
        premisesGuid: p.guid,
        cadastre: { notRegistered: true as const },
        premisesNum: p.num,
        entranceNum: "1",
        totalArea: p.area,
        grossArea: null,
      })),
    },
  };
}

async function placeHouse(store: MemoryStore): Promise<{ premises: string[] }> {
  await placeContract(store);
  const a = await run(
    store,
    "importHouseUOData",
    built(
      "importHouseUOData",
      house(HOUSE, [
        { tg: 3010, num: "1", area: 54.3 },
        { tg: 3011, num: "2", area: 41 },
      ]),
      UO,
    ),
    UO,
  );
  return { premises: [a.byTg(G(3010)).guid!, a.byTg(G(3011)).guid!] };
}

function account(tg: number, premisesGuid: string, extra: Partial<AccountInput> = {}): AccountInput {
  return {
    transportGuid: G(tg),
    role: "UO",
    livingPersonsNumber: 3,
    totalSquare: 54.3,
    accommodations: [{ premisesGuid, sharePercent: 100 }],
    payer: { person: { surname: "Иванов", firstName: "Пётр", snils: "11223344595" } },
    accountNumber: `ЛС-${tg}`,
    ...extra,
  };
}

async function placeAccounts(store: MemoryStore): Promise<{ premises: string[]; accounts: ItemResult[] }> {
  const { premises } = await placeHouse(store);
  const a = await run(store, "importAccountData", built("importAccountData", { accounts: [account(4001, premises[0]), account(4002, premises[1])] }, UO), UO);
  return { premises, accounts: [a.byTg(G(4001)), a.byTg(G(4002))] };
}

const COLD_WATER = { code: "1", guid: G(802) };
const _ELECTRICITY = { code: "3", guid: G(806) };

function meter(tg: number, number: string, premisesGuid: string, accountGuid: string, resource = COLD_WATER): MeteringDeviceInput {
  return {
    transportGuid: G(tg),
    create: {
      number,
      model: "СВК-15",
      remoteMetering: false,
      temperatureSensor: false,
      pressureSensor: false,
      placement: { kind: "residentialPremise", premiseGuids: [premisesGuid], accountGuids: [accountGuid] },
      resources: { notEnergy: [{ municipalResource: resource, value: 12.5 }] },
    },
  };
}

async function placeMeters(store: MemoryStore): Promise<{ rootGuid: string; versionGuid: string; accounts: ItemResult[]; premises: string[] }> {
  const { premises, accounts } = await placeAccounts(store);
  const a = await run(
    store,
    "importMeteringDeviceData",
    built("importMeteringDeviceData", { fiasHouseGuid: HOUSE, devices: [meter(5001, "ХВ-1", premises[0], accounts[0].guid!)] }, UO),
    UO,
  );
  const r = a.byTg(G(5001));
  ok(r);
  return { rootGuid: r.values.MeteringDeviceGUID, versionGuid: r.guid!, accounts, premises };
}

// ---- contracts ------------------------------------------------------------------------------

test("contracts: without auto-approve a contract stays a Project until ApprovalContract; a house under it is refused meanwhile", async () => {
  const store = newStore();
  setStandRules(store, { autoApprove: false });
  const { answer } = await placeContract(store);
  const r = answer.byTg(G(2001));
  assert.equal(r.values.ContractStatus, "Project");

  const h = await run(store, "importHouseUOData", built("importHouseUOData", house(HOUSE, [{ tg: 3010, num: "1" }]), UO), UO);
  failed(h.byTg(G(3000)), "SRV004001");
  failed(h.byTg(G(3010)), "SRV004001");

  const approve = (tg: number) =>
    hand(
      "hm:importContractRequest",
      "11.9.0.1",
      el(
        "hm:Contract",
        null,
        leaf("base:TransportGUID", G(tg)),
        el("hm:ApprovalContract", null, leaf("hm:SigningDate", "2026-01-10"), leaf("hm:ContractVersionGUID", r.values.ContractVersionGUID)),
      ),
    );
  const approved = await run(store, "importContractData", approve(2101), UO);
  assert.equal(approved.byTg(G(2101)).values.ContractStatus, "Approved");
  assert.equal(approved.byTg(G(2101)).values.VersionNumber, "2");
  // the old version GUID is history now
  failed((await run(store, "importContractData", approve(2102), UO)).byTg(G(2102)), "INT002000");

  const again = await run(store, "importHouseUOData", built("importHouseUOData", house(HOUSE, [{ tg: 3010, num: "1" }]), UO), UO);
  ok(again.byTg(G(3000)));
});

test("charters: one per request; placed, auto-approved and exported in the contract-typed shape (valid per XSD)", async () => {
  const store = newStore();
  const service = await placeColdWaterService(store);
  const a = await run(
    store,
    "importCharterData",
    hand(
      "hm:importCharterRequest",
      "11.9.0.1",
      leaf("base:TransportGUID", G(2201)),
      el(
        "hm:PlacingCharter",
        null,
        leaf("hm:Date", "2026-01-10"),
        attachment("AttachmentCharter"),
        el(
          "hm:ContractObject",
          null,
          leaf("hm:FIASHouseGuid", HOUSE),
          leaf("hm:StartDate", "2026-02-01"),
          leaf("base:TransportGUID", G(2202)),
          el("hm:BaseMService", null, leaf("hm:CurrentCharter", "true")),
          el(
            "hm:HouseService",
            null,
            nsiRef("hm", "ServiceType", service.code, service.guid),
            leaf("hm:StartDate", "2026-02-01"),
            leaf("hm:EndDate", "2031-01-31"),
            el("hm:BaseServiceCharter", null, leaf("hm:CurrentCharter", "true")),
          ),
        ),
      ),
    ),
    UO,
  );
  valid(a, "house-management");
  const r = a.byTg(G(2201));
  assert.equal(r.values.CharterStatus, "Approved");
  const exp = await run(store, "exportCAChData", hand("hm:exportCAChAsyncRequest", "10.0.1.1", el("hm:Criteria", null, leaf("hm:CharterGUID", r.guid!))), UO);
  valid(exp, "house-management");
  assert.match(exp.xml, /<hm:BaseService><hm:CurrentDoc>true<\/hm:CurrentDoc><\/hm:BaseService>/);
  ok((await run(store, "importHouseUOData", built("importHouseUOData", house(HOUSE, []), UO), UO)).byTg(G(3000)));
});

// ---- supply resource contracts -----------------------------------------------------------------

function _supplyContract(tg: number, houses: string[], number = "РСО-1"): XNode {
  return el(
    "hm:Contract",
    null,
    leaf("base:TransportGUID", G(tg)),
    el(
      "hm:SupplyResourceContract",
      null,
      el(
        "hm:IsContract",
        null,
        leaf("hm:ContractNumber", number),
        leaf("hm:SigningDate", "2026-01-15"),
        leaf("hm:EffectiveDate", "2026-02-01"),
        attachment("ContractAttachment"),
      ),
      leaf("hm:IndefiniteTerm", "true"),
      leaf("hm:Offer", "true"),
      leaf("hm:IsPlannedVolume", "false"),
      el(
        "hm:ContractSubject",
        null,
        nsiRef("hm", "ServiceType", "1", G(801)),
        nsiRef("hm", "MunicipalResource", "1", G(802)),
        leaf("hm:StartSupplyDate", "2026-02-01"),
        leaf("base:TransportGUID", G(tg + 1)),
      ),
      leaf("hm:SpecifyingQualityIndicators", "D"),
      houses.map((h, i) =>
        el(
          "hm:ObjectAddress",
          null,
          leaf("hm:FIASHouseGuid", h),
          leaf("base:TransportGUID", G(tg + 10 + i)),
          el("hm:Pair", null, leaf("hm:PairKey", G(tg + 1)), leaf("hm:StartSupplyDate", "2026-02-01")),
        ),
      ),
    ),
  );
}

test("paging: a full page names the first key of the next one, the last page says so", () => {
  const rows = Array.from({ length: 2500 }, (_, i) => G(i + 1));
  const p1 = pageFrom(rows, (r) => r, null, 1000);
  assert.equal(p1.rows.length, 1000);
  assert.equal(p1.next, G(1001));
  const p3 = pageFrom(rows, (r) => r, pageFrom(rows, (r) => r, p1.next, 1000).next, 1000);
  assert.equal(p3.rows.length, 500);
  assert.equal(p3.next, null);
});

// ---- readings -------------------------------------------------------------------------------

function readings(root: string, values: Array<{ tg: number; date: string; value: number }>): ImportMeteringDeviceValuesInput {
  return {
    meters: [
      { rootGuid: root, oneRate: { current: values.map((v) => ({ transportGuid: G(v.tg), municipalResource: COLD_WATER, value: v.value, date: v.date })) } },
    ],
  };
}

test("readings: inside the window they are placed, outside SRV007013 with GIS's text; re-entered values replace, never duplicate", async () => {
  const store = newStore();
  const { rootGuid } = await placeMeters(store);
  const a = await run(
    store,
    "importMeteringDeviceValues",
    built(
      "importMeteringDeviceValues",
      {
        meters: [
          ...readings(rootGuid, [
            { tg: 7001, date: "2026-11-20", value: 15.5 },
            { tg: 7002, date: "2026-10-20", value: 14 },
          ]).meters,
          ...readings(G(1), [{ tg: 7003, date: "2026-11-20", value: 1 }]).meters,
        ],
      },
      UO,
    ),
    UO,
  );
  valid(a, "device-metering");
  ok(a.byTg(G(7001)));
  failed(a.byTg(G(7002)), "SRV007013");
  assert.equal(
    a.byTg(G(7002)).errors[0].description,
    "Истек период сдачи текущих показаний по индивидуальным приборам учета за 10 2026 г. Сдача показаний по индивидуальным приборам учета возможна в период с 15.10.2026 по 25.10.2026 по часовому поясу, в котором расположен дом (UTC+3)",
  );
  failed(a.byTg(G(7003)), "INT002000");

  const early = await run(
    store,
    "importMeteringDeviceValues",
    built("importMeteringDeviceValues", readings(rootGuid, [{ tg: 7011, date: "2026-11-10", value: 15 }]), UO),
    UO,
    new Date("2026-11-10T07:00:00Z"),
  );
  failed(early.byTg(G(7011)), "SRV007013");
  setStandRules(store, { readingsWindow: "always" });
  const again = await run(
    store,
    "importMeteringDeviceValues",
    built("importMeteringDeviceValues", readings(rootGuid, [{ tg: 7012, date: "2026-11-20", value: 16 }]), UO),
    UO,
  );
  assert.equal(again.byTg(G(7012)).guid, a.byTg(G(7001)).guid, "the same meter, date and resource is one reading");
  assert.equal(tables(store).readings.size, 1);
  assert.equal(store.duplicates.length, 0, "a reading entered again is no duplicate");
  // Another date for a month the meter has a reading for: GIS keeps both — a duplicate the inspection counts.
  const second = await run(
    store,
    "importMeteringDeviceValues",
    built("importMeteringDeviceValues", readings(rootGuid, [{ tg: 7013, date: "2026-11-21", value: 16 }]), UO),
    UO,
  );
  ok(second.byTg(G(7013)));
  assert.deepEqual(
    store.duplicates.map((d) => [d.kind, d.key]),
    [["показание", `${rootGuid} за 11.2026`]],
  );

  const history = await run(
    store,
    "exportMeteringDeviceHistory",
    hand("dm:exportMeteringDeviceHistoryRequest", "10.0.1.1", leaf("dm:FIASHouseGuid", HOUSE), leaf("dm:MeteringDeviceRootGUID", rootGuid)),
    UO,
  );
  valid(history, "device-metering");
  assert.match(history.xml, /<metering-device-base:MeteringValue[^>]*>16<\/metering-device-base:MeteringValue>/);
  assert.match(history.xml, /<dm:LastPage>true<\/dm:LastPage>/);
  await refused(
    run(store, "exportMeteringDeviceHistory", hand("dm:exportMeteringDeviceHistoryRequest", "10.0.1.1", leaf("dm:MeteringDeviceRootGUID", G(1))), UO),
    "INT002012",
  );
});

// ---- bills and payments ---------------------------------------------------------------------

const BIK = "049205603";
/** A settlement account with the control digit right for BIK (position 9). */
function goodAccount(): string {
  for (let d = 0; d < 10; d++) {
    const acc = `40702810${d}62000001234`;
    if (validRequisites(BIK, acc)) return acc;
  }
  throw new Error("no control digit");
}

type DocumentInput = PaymentDocumentInput;

function document(
  tg: number,
  accountGuid: string,
  services: Array<{ kind: "municipal" | "additional"; ref: { code: string; guid: string }; total: number }>,
): DocumentInput {
  return {
    transportGuid: G(tg),
    accountGuid,
    number: `ПД-${tg}`,
    charges: services.map((s) => ({ kind: s.kind, serviceType: s.ref, rate: 45.5, totalPayable: s.total })),
    expose: true,
    totalPayableByPD: services.reduce((a, s) => a + s.total, 0),
    paymentInformationKey: G(8000),
  };
}

test("payment documents: ИПД assigned; services outside the contract SRV008076; bad requisites; withdraw twice SRV008070", async () => {
  const store = newStore();
  const { accounts } = await placeAccounts(store);
  const service = tables(store).nsi.values().next().value!;
  const cold = { code: service.code, guid: service.guid };
  const a = await run(
    store,
    "importPaymentDocumentData",
    builtBy(
      importPaymentDocumentDataM,
      {
        month: 11,
        year: 2026,
        paymentInformation: [{ transportGuid: G(8000), bankBik: BIK, operatingAccountNumber: goodAccount() }],
        documents: [
          document(8001, accounts[0].guid!, [{ kind: "municipal", ref: cold, total: 1234.56 }]),
          document(8002, accounts[1].guid!, [{ kind: "additional", ref: { code: "7", guid: G(809) }, total: 100 }]),
          document(8003, G(1), [{ kind: "municipal", ref: cold, total: 10 }]),
        ],
      },
      UO,
    ),
    UO,
  );
  valid(a, "bills");
  const pd = a.byTg(G(8001));
  ok(pd);
  assert.equal(pd.uniqueNumber!.length, 18);
  assert.ok(pd.uniqueNumber!.startsWith(accounts[0].values.ServiceID));
  failed(a.byTg(G(8002)), "SRV008076");
  failed(a.byTg(G(8003)), "INT002000");

  const badReq = await run(
    store,
    "importPaymentDocumentData",
    builtBy(
      importPaymentDocumentDataM,
      {
        month: 11,
        year: 2026,
        paymentInformation: [{ transportGuid: G(8000), bankBik: BIK, operatingAccountNumber: "40702810000000000000" }],
        documents: [document(8011, accounts[1].guid!, [{ kind: "municipal", ref: cold, total: 5 }])],
      },
      UO,
    ),
    UO,
  );
  failed(badReq.byTg(G(8011)), "SRV008001");

  const exp = await run(
    store,
    "exportPaymentDocumentData",
    hand("bills:exportPaymentDocumentRequest", "13.1.0.1", leaf("bills-base:PaymentDocumentID", pd.uniqueNumber!)),
    UO,
  );
  valid(exp, "bills");
  assert.match(exp.xml, new RegExp(`<bills-base:PaymentDocumentID[^>]*>${pd.uniqueNumber}</bills-base:PaymentDocumentID>`));

  const withdraw = (tg: number) => builtBy(importPaymentDocumentDataM, { withdraw: [{ transportGuid: G(tg), paymentDocumentId: pd.uniqueNumber! }] }, UO);
  ok((await run(store, "importPaymentDocumentData", withdraw(8021), UO)).byTg(G(8021)));
  failed((await run(store, "importPaymentDocumentData", withdraw(8022), UO)).byTg(G(8022)), "SRV008070");
});

function payment(tg: number, orderId: string, kopecks: number, paymentDocumentId?: string): NotificationInput {
  return {
    transportGuid: G(tg),
    recipient: {
      inn: "1650000000",
      legal: { kpp: "165001001", name: "УК Тест" },
      paymentInformation: {
        recipientInn: "1650000000",
        bankName: "ПАО Банк",
        paymentRecipient: "УК Тест",
        bankBik: BIK,
        operatingAccountNumber: goodAccount(),
      },
    },
    order: { orderId, orderDate: "2026-11-21", amountKopecks: kopecks, paymentDocumentId },
  };
}

test("payments: exact amount is acknowledged at once; otherwise importAcknowledgment (partial), cancellation, duplicates refused", async () => {
  const store = newStore();
  const { accounts } = await placeAccounts(store);
  const service = tables(store).nsi.values().next().value!;
  const placed = await run(
    store,
    "importPaymentDocumentData",
    builtBy(
      importPaymentDocumentDataM,
      {
        month: 11,
        year: 2026,
        paymentInformation: [{ transportGuid: G(8000), bankBik: BIK, operatingAccountNumber: goodAccount() }],
        documents: [document(8001, accounts[0].guid!, [{ kind: "municipal", ref: { code: service.code, guid: service.guid }, total: 1234.56 }])],
      },
      UO,
    ),
    UO,
  );
  const pdId = placed.byTg(G(8001)).uniqueNumber!;

  const ORDER_A = "A".repeat(32);
  const ORDER_B = "B".repeat(32);
  const a = await run(
    store,
    "importNotificationsOfOrderExecution",
    builtBy(
      importNoticesM,
      {
        notifications: [payment(9001, ORDER_A, 123456, pdId), payment(9002, ORDER_B, 100000, pdId), payment(9003, ORDER_A, 1, pdId)],
      },
      UO,
    ),
    UO,
  );
  valid(a, "payment");
  ok(a.byTg(G(9001)));
  ok(a.byTg(G(9002)));
  failed(a.byTg(G(9003)), "SRV009001");

  const status = async () => {
    const e = await run(
      store,
      "exportNotificationsOfOrderExecution",
      hand("bills:exportNotificationsOfOrderExecutionRequest", "10.0.1.1", el("bills:SupplierIDs", null, leaf("bills-base:PaymentDocumentID", pdId))),
      UO,
    );
    valid(e, "bills");
    return [...e.xml.matchAll(/<payments-base:OrderID>(\w)+<\/payments-base:OrderID>.*?<bills:AckStatus>(\d)<\/bills:AckStatus>/g)]
      .map((m) => `${m[1]}${m[2]}`)
      .sort();
  };
  assert.deepEqual(await status(), ["A2", "B0"]);

  const ack = await run(
    store,
    "importAcknowledgment",
    builtBy(
      importAcknowledgmentM,
      {
        acknowledgments: [
          {
            transportGuid: G(9101),
            notificationGuid: a.byTg(G(9002)).guid!,
            paymentDocument: { paymentDocumentId: pdId, service: { ms: service.guid }, amount: 500 },
          },
          { transportGuid: G(9102), notificationGuid: G(1), paymentDocument: { paymentDocumentId: pdId, service: { ms: service.guid }, amount: 1 } },
        ],
      },
      UO,
    ),
    UO,
  );
  valid(ack, "bills");
  ok(ack.byTg(G(9101)));
  failed(ack.byTg(G(9102)), "INT002000");
  assert.deepEqual(await status(), ["A2", "B3"], "500 of 1000 rubles: partially acknowledged");

  const cancel = (tg: number) =>
    builtBy(importCancellationsM, { cancellations: [{ transportGuid: G(tg), orderId: ORDER_B, cancellationDate: "2026-11-22" }] }, UO);
  ok((await run(store, "importNotificationsOfOrderExecutionCancellation", cancel(9201), UO)).byTg(G(9201)));
  failed((await run(store, "importNotificationsOfOrderExecutionCancellation", cancel(9202), UO)).byTg(G(9202)), "SRV009002");
  assert.deepEqual(await status(), ["A2", "B1"]);
});

test("notifications export pages by ExportNotificationsOfOrderExecutionGUID (Paginal, PageSize)", async () => {
  const store = newStore();
  const many = Array.from({ length: 150 }, (_, i) => payment(10000 + i, `ORD${String(i).padStart(29, "0")}`, 100));
  await run(store, "importNotificationsOfOrderExecution", builtBy(importNoticesM, { notifications: many }, UO), UO);
  const page = (next?: string) =>
    run(
      store,
      "exportNotificationsOfOrderExecutionPaginal",
      hand(
        "bills:exportNotificationsOfOrderExecutionPaginalRequest",
        "10.0.1.1",
        el("bills:Notifications", null, leaf("bills:DaysInterval", "7"), leaf("bills:AckStatus", "0"), leaf("bills:DateFrom", "2026-11-15")),
        next ? leaf("bills:ExportNotificationsOfOrderExecutionGUID", next) : leaf("bills:PageSize", "100"),
      ),
      UO,
    );
  const first = await page();
  const count = (a: Answer) => a.result.getElementsByTagNameNS("*", "NotificationOfOrderExecutionWithStatus").length;
  assert.equal(count(first), 100);
  const next = first.result.getElementsByTagNameNS("*", "ExportNotificationsOfOrderExecutionGUID")[0]?.textContent;
  assert.ok(next);
  const second = await page(next);
  assert.equal(count(second), 50);
  assert.equal(second.result.getElementsByTagNameNS("*", "ExportNotificationsOfOrderExecutionGUID").length, 0);
});

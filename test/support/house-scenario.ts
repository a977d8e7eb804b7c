/**
 * The stand scenario the house-management method tests share: a managing organization's contract
 * for a house (with its cold water service), the house with two premises, their accounts and a
 * meter — each step through the stand's handlers, as test/stand-rules.test.ts builds them.
 */
import assert from "node:assert/strict";
import { importAccountData } from "../../src/methods/house-management/import-account-data";
import { importHouseUOData } from "../../src/methods/house-management/import-house-uo-data";
import { importMeteringDeviceData } from "../../src/methods/house-management/import-metering-device-data";
import type { AccountInput } from "../../src/methods/house-management/import-account-data";
import type { ImportHouseUOInput } from "../../src/methods/house-management/import-house-uo-data";
import type { MeteringDeviceInput } from "../../src/methods/house-management/import-metering-device-data";
import { AnyMethod } from "../../src/methods/method";
import { XNode, el, leaf, serialize } from "../../src/transport/envelope/xml";
import { buildMethodRequest, buildRequest } from "../../src/transport/messages/index";
import { container } from "../../src/transport/messages/common";
import { ItemResult, parseResponse } from "../../src/transport/results/results";
import { SERVICES } from "../../src/transport/services";
import { xmllintBody, xsdFor } from "./xsd";
import { MemoryStore } from "../../src/stand/store";
import { G, IN_WINDOW, UO, StandAnswer, officialPackages, runStand } from "./method-harness";

export const HOUSE = G(9101);
export const HOUSE_RSO = G(9102);
export const COLD_WATER = { code: "1", guid: G(802) };
export const ELECTRICITY = { code: "3", guid: G(806) };

export const ok = (r: ItemResult) => assert.deepEqual(r.errors, [], `unexpected error ${JSON.stringify(r.errors)}`);
export const failed = (r: ItemResult, code: string) => assert.equal(r.errors[0]?.code, code, `expected ${code}, got ${JSON.stringify(r.errors)} / ${r.guid}`);

/** A method module's request from `sender`, as sent. */
export const built = (m: AnyMethod, input: unknown, sender: string): string => buildMethodRequest(m, { orgPPAGUID: sender, date: IN_WINDOW }, input).xml;

/** A request built by hand (operations without a builder here): the container only. */
export const hand = (name: string, version: string, ...kids: XNode[]): string => serialize(container(name, version, ...kids));

const nsiRef = (name: string, code: string, guid: string) => el(`hm:${name}`, null, leaf("nsi-base:Code", code), leaf("nsi-base:GUID", guid));
const attachment = (name: string) =>
  el(
    `hm:${name}`,
    null,
    leaf("base:Name", "договор.pdf"),
    leaf("base:Description", "скан"),
    el("base:Attachment", null, leaf("base:AttachmentGUID", G(7777))),
    leaf("base:AttachmentHASH", "a".repeat(64)),
  );

/** The UO's approved contract for `fias` with its cold water service (NSI 51, placed first). */
export async function placeContract(store: MemoryStore, fias = HOUSE): Promise<void> {
  const s = await runStand(
    store,
    "importMunicipalServices",
    buildRequest(
      "importMunicipalServices",
      { orgPPAGUID: UO, date: IN_WINDOW },
      {
        services: [
          {
            transportGuid: G(1),
            municipalService: { code: "1", guid: G(801) },
            name: "Холодное водоснабжение",
            municipalResource: COLD_WATER,
            okei: "113",
            sortOrder: "1",
          },
        ],
      },
    ).xml,
    UO,
  );
  const service = { code: s.byTg(G(1)).uniqueNumber!, guid: s.byTg(G(1)).guid! };
  await runStand(
    store,
    "importContractData",
    hand(
      "hm:importContractRequest",
      "11.9.0.1",
      el(
        "hm:Contract",
        null,
        leaf("base:TransportGUID", G(2001)),
        el(
          "hm:PlacingContract",
          null,
          leaf("hm:DocNum", "15/2026"),
          leaf("hm:SigningDate", "2026-01-10"),
          leaf("hm:EffectiveDate", "2026-02-01"),
          leaf("hm:PlanDateComptetion", "2031-01-31"),
          leaf("hm:Owners", "true"),
          nsiRef("ContractBase", "1", G(803)),
          attachment("ContractAttachment"),
          el(
            "hm:ContractObject",
            null,
            leaf("hm:FIASHouseGuid", fias),
            leaf("hm:StartDate", "2026-02-01"),
            leaf("base:TransportGUID", G(2011)),
            el("hm:BaseMService", null, leaf("hm:CurrentDoc", "true")),
            el(
              "hm:HouseService",
              null,
              nsiRef("ServiceType", service.code, service.guid),
              leaf("hm:StartDate", "2026-02-01"),
              leaf("hm:EndDate", "2031-01-31"),
              el("hm:BaseService", null, leaf("hm:CurrentDoc", "true")),
            ),
          ),
        ),
      ),
    ),
    UO,
  );
}

/** An РСО's supply contract for `houses` (cold water). */
export function supplyContract(tg: number, houses: string[], number = "РСО-1"): XNode {
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
        nsiRef("ServiceType", "1", G(801)),
        nsiRef("MunicipalResource", "1", G(802)),
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

export function house(fias: string, premises: Array<{ tg: number; num: string; area?: number; guid?: string }>, update = false): ImportHouseUOInput {
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

export async function placeHouse(store: MemoryStore): Promise<{ premises: string[]; entrance: string; answer: StandAnswer }> {
  await placeContract(store);
  const a = await runStand(
    store,
    "importHouseUOData",
    built(
      importHouseUOData,
      house(HOUSE, [
        { tg: 3010, num: "1", area: 54.3 },
        { tg: 3011, num: "2", area: 41 },
      ]),
      UO,
    ),
    UO,
  );
  return { premises: [a.byTg(G(3010)).guid!, a.byTg(G(3011)).guid!], entrance: a.byTg(G(3001)).guid!, answer: a };
}

export function account(tg: number, premisesGuid: string, extra: Partial<AccountInput> = {}): AccountInput {
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

export async function placeAccounts(store: MemoryStore): Promise<{ premises: string[]; accounts: ItemResult[] }> {
  const { premises } = await placeHouse(store);
  const a = await runStand(
    store,
    "importAccountData",
    built(importAccountData, { accounts: [account(4001, premises[0]), account(4002, premises[1])] }, UO),
    UO,
  );
  return { premises, accounts: [a.byTg(G(4001)), a.byTg(G(4002))] };
}

export function meter(tg: number, number: string, premisesGuid: string, accountGuid: string, resource = COLD_WATER): MeteringDeviceInput {
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

export async function placeMeters(store: MemoryStore): Promise<{ rootGuid: string; versionGuid: string; accounts: ItemResult[]; premises: string[] }> {
  const { premises, accounts } = await placeAccounts(store);
  const a = await runStand(
    store,
    "importMeteringDeviceData",
    built(importMeteringDeviceData, { fiasHouseGuid: HOUSE, devices: [meter(5001, "ХВ-1", premises[0], accounts[0].guid!)] }, UO),
    UO,
  );
  const r = a.byTg(G(5001));
  ok(r);
  return { rootGuid: r.values.MeteringDeviceGUID, versionGuid: r.guid!, accounts, premises };
}

/** A house-management getStateResult around hand-written result rows, checked against both official packages, and its payload. */
export function handAnswer(inner: string, validate = true): Element {
  const I = "http://dom.gosuslugi.ru/schema/integration";
  const ns =
    `xmlns:hm="${I}/house-management/" xmlns:base="${I}/base/" xmlns:nsi-base="${I}/nsi-base/" xmlns:account-base="${I}/account-base/" ` +
    `xmlns:ind-base="${I}/individual-registry-base/" xmlns:mdb="${I}/metering-device-base/" xmlns:org-reg-base="${I}/organizations-registry-base/"`;
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><hm:getStateResult ${ns} Id="signed-data-container" base:version="11.0.0.1">` +
    `<base:RequestState>3</base:RequestState><base:MessageGUID>${G(99)}</base:MessageGUID>${inner}</hm:getStateResult></soap:Body></soap:Envelope>`;
  if (validate)
    for (const { pkg, dir } of officialPackages())
      assert.equal(xmllintBody(xml, xsdFor(dir, "house-management", SERVICES["house-management"].ns)), "", `the hand-written answer is valid per ${pkg}`);
  const r = parseResponse(xml);
  assert.equal(r.kind, "state");
  return (r as Extract<typeof r, { kind: "state" }>).result;
}

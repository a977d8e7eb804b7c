/**
 * Realistic inputs of the contract methods (management contracts, charters, supply resource
 * contracts and their objects): one sample each plus the variants the pipeline uses, moved from
 * test/protocol.test.ts. Not a test file: the method tests import it.
 */
import type { ImportContractInput } from "../../../src/methods/house-management/import-contract-data";
import type { ImportCharterInput } from "../../../src/methods/house-management/import-charter-data";
import type { ExportCAChInput } from "../../../src/methods/house-management/export-cach-data";
import type { ExportStatusCAChInput } from "../../../src/methods/house-management/export-status-cach-data";
import type { ImportSupplyResourceContractInput } from "../../../src/methods/house-management/import-supply-resource-contract-data";
import type { ImportSupplyResourceContractObjectAddressInput } from "../../../src/methods/house-management/import-supply-resource-contract-object-address-data";
import type { ExportSupplyResourceContractInput } from "../../../src/methods/house-management/export-supply-resource-contract-data";
import type { ExportSupplyResourceContractObjectAddressInput } from "../../../src/methods/house-management/export-supply-resource-contract-object-address-data";
import assert from "node:assert/strict";
import { parseResponse } from "../../../src/transport/results/results";
import { G, StandAnswer, assertAnswerValid } from "../../support/method-harness";

export const ref = (code: string, n: number, name?: string) => ({ code, guid: G(900 + n), name });
export const ATT = (n: number, name = "Договор управления № 7/2026 & приложения.pdf") => ({
  name,
  description: "Скан <подписанного> договора",
  guid: G(700 + n),
  hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
});

export const IMPORT_CONTRACT: ImportContractInput = {
  contracts: [
    {
      transportGuid: G(100),
      place: {
        docNum: "ДУ-7/2026 «Центр»",
        signingDate: "2026-01-15",
        effectiveDate: "2026-02-01",
        planDateCompletion: "2031-01-31",
        party: { owners: true },
        protocol: { meetingOwners: [ATT(1, "Протокол ОСС № 3 от 10.01.2026.pdf")] },
        contractBase: ref("1", 20, "Решение собрания собственников"),
        dates: {
          metering: { start: 20, startNextMonth: false, end: "last", endNextMonth: false },
          paymentDocument: { day: 1, nextMonth: true },
          payment: { day: 10, nextMonth: true },
        },
        attachments: [ATT(2)],
        automaticRollOverOneYear: true,
        objects: [
          {
            transportGuid: G(101),
            fiasHouseGuid: G(11),
            startDate: "2026-02-01",
            houseServices: [{ service: ref("1", 21, "Холодное водоснабжение"), startDate: "2026-02-01", endDate: "2031-01-31" }],
            addServices: [{ service: ref("2", 22), startDate: "2026-02-01", endDate: "2031-01-31", basis: { attachment: ATT(3, "Доп. соглашение № 1.pdf") } }],
          },
        ],
      },
    },
  ],
};

export const IMPORT_CHARTER: ImportCharterInput = {
  transportGuid: G(110),
  place: {
    date: "2010-03-04",
    dates: { metering: { start: 15, startNextMonth: false, end: 25, endNextMonth: false } },
    noApproveProtocol: true,
    attachments: [ATT(4, "Устав ТСЖ «Наш дом».pdf")],
    indicationsAnyDay: false,
    objects: [
      {
        transportGuid: G(111),
        fiasHouseGuid: G(11),
        startDate: "2010-04-01",
        houseServices: [{ service: ref("1", 21), startDate: "2010-04-01", endDate: "2030-12-31" }],
      },
    ],
  },
};

export const EXPORT_CACH: ExportCAChInput = {
  criteria: [{ contractGuid: G(120) }, { charterVersionGuid: G(121) }, { uoGuid: G(122), fiasHouseGuid: G(11), lastVersionOnly: true }],
};

export const EXPORT_STATUS_CACH: ExportStatusCAChInput = { criteria: [{ contractGuid: G(120) }, { charterGuid: G(123), onlyConflicted: true }] };

export const IMPORT_SUPPLY_CONTRACT: ImportSupplyResourceContractInput = {
  contracts: [
    {
      transportGuid: G(130),
      contract: {
        document: {
          kind: "contract",
          number: "ТС-15/2026 (отопление & ГВС)",
          signingDate: "2026-01-10",
          effectiveDate: "2026-01-10",
          attachments: [ATT(5, "Договор теплоснабжения.pdf")],
        },
        term: { completionDate: "2026-12-31", automaticRollOverOneYear: true },
        readingsPeriod: { start: 20, end: -1 },
        contractBase: [ref("2", 23)],
        party: {
          apartmentBuildingOwner: {
            person: { surname: "Гарипов", firstName: "Рустем", patronymic: "Ильдарович", sex: "M", snils: "11223344595", placeOfBirth: "г. Казань" },
          },
        },
        isPlannedVolume: false,
        subjects: [
          { transportGuid: G(131), serviceType: ref("2", 24, "Отопление"), municipalResource: ref("3", 25, "Тепловая энергия"), startSupplyDate: "2026-01-10" },
        ],
        countingResource: "R",
        specifyingQualityIndicators: "D",
        objects: [
          {
            transportGuid: G(132),
            houseType: "MKD",
            fiasHouseGuid: G(11),
            apartmentNumber: "15",
            pairs: [{ pairKey: G(131), startSupplyDate: "2026-01-10", heatingSystem: { open: false, centralized: true } }],
          },
        ],
        billingDate: { day: 1, nextMonth: true },
        paymentDate: { day: 10, nextMonth: true },
        providingInformationDate: { day: -1, nextMonth: false },
        meteringDeviceInformation: true,
      },
    },
    { transportGuid: G(133), contractRootGuid: G(134), terminate: { date: "2026-06-30", reason: ref("4", 26) } },
  ],
};

export const IMPORT_SUPPLY_OBJECTS: ImportSupplyResourceContractObjectAddressInput = {
  contractRootGuid: G(134),
  objects: [
    {
      transportGuid: G(140),
      load: {
        houseType: "ZHD",
        fiasHouseGuid: G(12),
        pairs: [{ transportGuid: G(141), serviceType: ref("1", 27, "Холодное водоснабжение"), municipalResource: ref("1", 28), startSupplyDate: "2026-02-01" }],
        countingResource: "R",
      },
    },
    { transportGuid: G(142), objectGuid: G(143), delete: true },
  ],
};

export const EXPORT_SUPPLY_CONTRACT: ExportSupplyResourceContractInput = {
  exportContractRootGuid: G(150),
  signingDateStart: "2025-01-01",
  subjects: [{ serviceType: ref("2", 24), municipalResource: ref("3", 25) }],
};

export const EXPORT_SUPPLY_OBJECTS: ExportSupplyResourceContractObjectAddressInput = { contractRootGuid: G(134), exportObjectGuid: G(151) };

export const placeContract = (IMPORT_CONTRACT.contracts[0] as Extract<ImportContractInput["contracts"][0], { place: unknown }>).place;
export const src = (IMPORT_SUPPLY_CONTRACT.contracts[0] as Extract<ImportSupplyResourceContractInput["contracts"][0], { contract: unknown }>).contract;
export const charterPlace = (IMPORT_CHARTER as Extract<ImportCharterInput, { place: unknown }>).place;
/** The sample resource supply contract with its own TransportGUIDs (they are unique across a request). */
export const srcCopy = (n: number, over: Partial<typeof src> = {}): typeof src => ({
  ...src,
  subjects: [{ ...src.subjects[0], transportGuid: G(n) }],
  objects: [{ ...src.objects![0], transportGuid: G(n + 1), pairs: [{ ...src.objects![0].pairs[0], pairKey: G(n) }] }],
  ...over,
});

export const IMPORT_CONTRACT_VARIANTS: Array<[string, ImportContractInput]> = [
  [
    "edit + approve + roll over + terminate + annul",
    {
      contracts: [
        {
          transportGuid: G(200),
          edit: {
            ...placeContract,
            party: { cooperative: G(201) },
            protocol: { votingProtocolGuids: [G(202)] },
            contractVersionGuid: G(203),
            indicationsAnyDay: true,
            objects: [
              { add: { transportGuid: G(204), fiasHouseGuid: G(12), startDate: "2026-03-01", endDate: "2031-01-31" } },
              {
                edit: {
                  transportGuid: G(205),
                  fiasHouseGuid: G(11),
                  startDate: "2026-02-01",
                  versionGuid: G(206),
                  basis: "current",
                  addServices: [{ service: ref("2", 22), startDate: "2026-02-01", endDate: "2027-01-31" }],
                },
              },
              { annul: { transportGuid: G(207), versionGuid: G(208) } },
            ],
          },
        },
        { transportGuid: G(209), approve: { contractVersionGuid: G(213) } },
        { transportGuid: G(210), rollOver: { contractVersionGuid: G(214), toDate: "2032-01-31" } },
        {
          transportGuid: G(211),
          terminate: {
            contractVersionGuid: G(215),
            date: "2026-12-31",
            reason: ref("5", 30, "Расторжение по соглашению сторон"),
            attachments: [ATT(6, "Соглашение о расторжении.pdf")],
          },
        },
        { transportGuid: G(212), annul: { contractVersionGuid: G(216), reason: "Ошибка ввода: договор «№ 7» & дубль" } },
      ],
    },
  ],
];

export const IMPORT_CHARTER_VARIANTS: Array<[string, ImportCharterInput]> = [
  [
    "edit",
    {
      transportGuid: G(220),
      edit: {
        ...charterPlace,
        charterVersionGuid: G(221),
        protocol: { meetingOwners: [ATT(7)] },
        objects: [
          { add: { transportGuid: G(222), fiasHouseGuid: G(12), startDate: "2026-01-01", basis: { attachment: ATT(8, "Протокол ОСС.pdf") } } },
          { annul: { transportGuid: G(223), versionGuid: G(224) } },
        ],
      },
    },
  ],
  ["roll over", { transportGuid: G(225), rollOver: { charterVersionGuid: G(221) } }],
  ["terminate", { transportGuid: G(226), terminate: { charterVersionGuid: G(221), date: "2026-12-31", reason: "Ликвидация ТСЖ «Наш дом»" } }],
  ["annul", { transportGuid: G(227), annul: { charterVersionGuid: G(221), reason: "Ошибочно размещён" } }],
];

export const EXPORT_CACH_VARIANTS: Array<[string, ExportCAChInput]> = [["no criteria", { criteria: [] }]];

export const IMPORT_SUPPLY_CONTRACT_VARIANTS: Array<[string, ImportSupplyResourceContractInput]> = [
  [
    "public contract, offer, indefinite; managing org; roll over; annul",
    {
      contracts: [
        {
          transportGuid: G(230),
          contract: {
            ...src,
            document: { kind: "public" },
            term: { indefinite: true },
            party: { offer: true },
            readingsPeriod: undefined,
            objects: undefined,
            subjects: [
              {
                ...src.subjects[0],
                transportGuid: G(300),
                endSupplyDate: "2030-12-31",
                plannedVolume: { volume: 1234.5, unit: "233", feedingMode: "Круглосуточно" },
              },
            ],
            isPlannedVolume: true,
            plannedVolumeType: "D",
          },
        },
        { transportGuid: G(231), contractGuid: G(232), contract: srcCopy(302, { party: { managingOrganization: G(233) } }) },
        { transportGuid: G(234), contract: srcCopy(304, { party: { livingHouseOwner: { regOrg: G(235) } } }) },
        { transportGuid: G(236), contract: srcCopy(306, { party: { soleOwner: { noData: true } } }) },
        { transportGuid: G(237), contractRootGuid: G(134), rollOver: { date: "2027-12-31" } },
        { transportGuid: G(238), contractRootGuid: G(239), annul: { reason: "Дубль договора" } },
      ],
    },
  ],
];

export const EXPORT_SUPPLY_CONTRACT_VARIANTS: Array<[string, ExportSupplyResourceContractInput]> = [
  ["by root GUIDs", { contractRootGuids: [G(134), G(239)] }],
  ["by version GUIDs", { contractGuids: [G(232)] }],
  ["everything (first page)", {}],
];

export const EXPORT_SUPPLY_OBJECTS_VARIANTS: Array<[string, ExportSupplyResourceContractObjectAddressInput]> = [
  ["by house", { fiasHouseGuid: G(11) }],
  ["by version GUID", { contractGuid: G(232) }],
];

const I = "http://dom.gosuslugi.ru/schema/integration";
const NS = `xmlns:hm="${I}/house-management/" xmlns:base="${I}/base/" xmlns:nsi-base="${I}/nsi-base/" xmlns:org-reg-base="${I}/organizations-registry-base/"`;

/** A hand-written house-management getStateResult around result rows (per the XSD), checked against both official packages (unless it is meant to be broken), parsed by the client. */
export function handAnswer(rows: string, valid = true): StandAnswer["answer"] {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
    `<hm:getStateResult ${NS} Id="signed-data-container" base:version="11.0.0.1"><base:RequestState>3</base:RequestState><base:MessageGUID>${G(99)}</base:MessageGUID>${rows}</hm:getStateResult></soap:Body></soap:Envelope>`;
  const r = parseResponse(xml);
  assert.equal(r.kind, "state");
  if (valid) assertAnswerValid({ xml } as StandAnswer, "house-management");
  return r as StandAnswer["answer"];
}

/** exportCAChResult rows: a management contract with one object, a terminated charter (moved from test/protocol-exports.test.ts). */
export const CACH_ROWS = `<hm:exportCAChResult><hm:Contract><hm:DocNum>ДУ-7/2026 «Центр»</hm:DocNum><hm:SigningDate>2026-01-15</hm:SigningDate><hm:EffectiveDate>2026-02-01</hm:EffectiveDate><hm:PlanDateComptetion>2031-01-31</hm:PlanDateComptetion><hm:Owners>true</hm:Owners><hm:ContractBase><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(920)}</nsi-base:GUID></hm:ContractBase><hm:ContractStatus>Approved</hm:ContractStatus><hm:ContractGUID>${G(120)}</hm:ContractGUID><hm:ContractVersionGUID>${G(121)}</hm:ContractVersionGUID><hm:ContractObject><hm:FIASHouseGuid>${G(11)}</hm:FIASHouseGuid><hm:StartDate>2026-02-01</hm:StartDate><hm:ContractObjectVersionGUID>${G(122)}</hm:ContractObjectVersionGUID><hm:BaseMService><hm:CurrentDoc>true</hm:CurrentDoc></hm:BaseMService><hm:HouseService><hm:ServiceType><nsi-base:Code>1</nsi-base:Code><nsi-base:GUID>${G(921)}</nsi-base:GUID></hm:ServiceType><hm:StartDate>2026-02-01</hm:StartDate><hm:EndDate>2031-01-31</hm:EndDate><hm:BaseService><hm:CurrentDoc>true</hm:CurrentDoc></hm:BaseService></hm:HouseService><hm:StatusObject>Approved</hm:StatusObject></hm:ContractObject></hm:Contract></hm:exportCAChResult><hm:exportCAChResult><hm:Charter><hm:Date>2010-03-04</hm:Date><hm:Terminate><hm:Terminate>2026-06-30</hm:Terminate><hm:Reason>Ликвидация</hm:Reason></hm:Terminate><hm:CharterStatus>Terminated</hm:CharterStatus><hm:CharterGUID>${G(123)}</hm:CharterGUID><hm:CharterVersionGUID>${G(124)}</hm:CharterVersionGUID></hm:Charter></hm:exportCAChResult>`;

/** exportSupplyResourceContractResult: one contract and the next page's key (moved from test/protocol-exports.test.ts). */
export const SUPPLY_ROWS = `<hm:exportSupplyResourceContractResult><hm:Contract><hm:IsContract><hm:ContractNumber>ТС-15/2026 (отопление &amp; ГВС)</hm:ContractNumber><hm:SigningDate>2026-01-10</hm:SigningDate><hm:EffectiveDate>2026-01-10</hm:EffectiveDate></hm:IsContract><hm:ComptetionDate>2026-12-31</hm:ComptetionDate><hm:Offer>true</hm:Offer><hm:IsPlannedVolume>false</hm:IsPlannedVolume><hm:ContractSubject><hm:ServiceType><nsi-base:Code>2</nsi-base:Code><nsi-base:GUID>${G(924)}</nsi-base:GUID></hm:ServiceType><hm:MunicipalResource><nsi-base:Code>3</nsi-base:Code><nsi-base:GUID>${G(925)}</nsi-base:GUID></hm:MunicipalResource><hm:StartSupplyDate>2026-01-10</hm:StartSupplyDate><base:TransportGUID>${G(131)}</base:TransportGUID></hm:ContractSubject><hm:CountingResource>R</hm:CountingResource><hm:SpecifyingQualityIndicators>D</hm:SpecifyingQualityIndicators><hm:ContractRootGUID>${G(134)}</hm:ContractRootGUID><hm:ContractGUID>${G(135)}</hm:ContractGUID><hm:ContractState>Proceed</hm:ContractState><hm:VersionNumber>1</hm:VersionNumber><hm:VersionStatus>Posted</hm:VersionStatus></hm:Contract><hm:ExportContractRootGUID>${G(134)}</hm:ExportContractRootGUID></hm:exportSupplyResourceContractResult>`;

/**
 * house-management: the housing fund (importHouseUOData), accounts (importAccountData), meters
 * (importMeteringDeviceData) and the exports used for reconciliation. Elements are emitted in the
 * order of hcs-house-management-types.xsd (14.4.0.1); local elements of lib types carry the lib's
 * namespace (nsi-base:Code, metering-device-base:MeteringValue, ind-base:Surname…).
 */
import { Kid, XNode, decimal, el, leaf, opt } from "../envelope/xml";
import { AttachmentInput, NsiRef, attachment, checkCount, checkUnique, container, flag, list, nsiRef, one, transportGuid } from "./common";

export const VERSIONS = {
  importContractRequest: "11.9.0.1",
  importCharterRequest: "11.9.0.1",
  exportStatusCAChRequest: "10.0.1.1",
  /** Not fixed: the newest format the annotation lists. */
  exportCAChAsyncRequest: "13.1.2.1",
  importSupplyResourceContractRequest: "11.3.0.5",
  importSupplyResourceContractObjectAddressRequest: "11.7.0.3",
  /** Not fixed: the newest format the annotation lists. */
  exportSupplyResourceContractRequest: "13.1.1.1",
  exportSupplyResourceContractObjectAddressRequest: "13.1.1.1",
} as const;

/** The versions the annotations allow where base:version is not fixed. */
export const ALLOWED_VERSIONS = {
  exportCAChAsyncRequest: ["10.0.1.1", "13.0.0.1", "13.1.2.1"],
  exportSupplyResourceContractRequest: ["11.11.0.2", "13.1.1.1"],
  exportSupplyResourceContractObjectAddressRequest: ["11.6.0.1", "13.1.1.1"],
} as const;

export interface PersonInput {
  surname: string;
  firstName: string;
  patronymic?: string;
  sex?: "M" | "F";
  /** xs:date */
  dateOfBirth?: string;
  /** 11 digits. */
  snils?: string;
  /** Identity document, when there is no SNILS. */
  document?: { type: NsiRef; series?: string; number: string; issueDate: string };
}

/** Moved to src/methods/house-management/ (kept for scripts/bench-build.ts until the lead removes it). */
export type { AccountInput } from "../../methods/house-management/accounts/account-message";

// ---- meters (shared with device-metering) ---------------------------------------------------------

/** A reading as GIS wants it: up to 15 integer and 7 fraction digits, no exponent. */
export function meteringValue(v: number | string): string {
  const s = typeof v === "number" ? decimal(v) : v;
  if (!/^\d{1,15}(\.\d{1,7})?$/.test(s)) throw new Error(`показание «${s}» не соответствует формату ГИС (до 15 цифр и 7 знаков после точки)`);
  return s;
}

// ---- management contracts and charters (ДУ, уставы) --------------------------------------------

/** Contract side (ContractType's choice): the owners, or an organization by its registry root GUID. */
export type ContractPartyInput =
  | { owners: true }
  | { cooperative: string }
  | { municipalHousing: string }
  | { buildingOwner: string }
  | { competentAuthority: string };

/** What a managed object or service rests on: the document itself, or an attachment (agreement / owners' meeting protocol). */
export type BasisInput = "current" | { attachment: AttachmentInput };

export interface ContractServiceInput {
  /** NSI 3 (коммунальная услуга) for house services, NSI 1 (дополнительная услуга) for additional ones. */
  service: NsiRef;
  startDate: string;
  endDate: string;
  /** Default: the current document. */
  basis?: BasisInput;
}

export interface ManagedObjectInput {
  transportGuid: string;
  fiasHouseGuid: string;
  startDate: string;
  endDate?: string;
  basis?: BasisInput;
  houseServices?: ContractServiceInput[];
  addServices?: ContractServiceInput[];
}

/** A day of the month (1..31 for readings, 1..30 for payment terms) or the last day. */
export type MonthDay = number | "last";

export interface ContractDatesInput {
  /** Readings window for meters: start and end day, each "of the next month" or not. */
  metering?: { start: MonthDay; startNextMonth: boolean; end: MonthDay; endNextMonth: boolean };
  /** Day payment documents are issued by. */
  paymentDocument?: { day: MonthDay; nextMonth: boolean };
  /** Day payment is due. */
  payment?: { day: MonthDay; nextMonth: boolean };
}

export interface ManagementContractInput {
  docNum: string;
  signingDate: string;
  effectiveDate: string;
  planDateCompletion: string;
  party: ContractPartyInput;
  protocol?: { meetingOwners?: AttachmentInput[]; votingProtocolGuids?: string[] };
  /** NSI 58 (основание заключения договора). */
  contractBase: NsiRef;
  /** Required by the schema in full (all three terms) when given. */
  dates?: ContractDatesInput;
  /** The contract and its annexes, at least one. */
  attachments: AttachmentInput[];
  registryDecisionId?: string;
  automaticRollOverOneYear?: boolean;
}

/** A managed object in an edit: added, changed (by its version GUID) or annulled. */
export type ContractObjectChangeInput =
  | { add: ManagedObjectInput }
  | { edit: ManagedObjectInput & { versionGuid: string } }
  | { annul: { transportGuid: string; versionGuid: string } };

export type ContractInput = { transportGuid: string } & (
  | { place: ManagementContractInput & { objects: ManagedObjectInput[] } }
  | { edit: ManagementContractInput & { contractVersionGuid: string; objects?: ContractObjectChangeInput[]; indicationsAnyDay?: boolean } }
  | { approve: { contractVersionGuid: string } }
  | { rollOver: { contractVersionGuid: string; toDate?: string } }
  /** reason: NSI 54 (причина расторжения договора). */
  | { terminate: { contractVersionGuid: string; date: string; reason: NsiRef; attachments: AttachmentInput[] } }
  | { annul: { contractVersionGuid: string; reason: string } }
);

export interface ImportContractInput {
  /** 1..100 contracts. */
  contracts: ContractInput[];
}

const PARTY_ELEMENT = { cooperative: "hm:Cooperative", municipalHousing: "hm:MunicipalHousing", buildingOwner: "hm:BuildingOwner", competentAuthority: "hm:CompetentAuthority" } as const;

function contractParty(p: ContractPartyInput): XNode {
  if ("owners" in p) return leaf("hm:Owners", "true");
  const [key, guid] = Object.entries(p)[0] as [keyof typeof PARTY_ELEMENT, string];
  return el(PARTY_ELEMENT[key], null, leaf("org-reg-base:orgRootEntityGUID", guid));
}

/** BaseServiceType / BaseServiceCharterType: the document itself or an attachment. */
function basis(name: string, b: BasisInput | undefined, charter: boolean): XNode {
  return el(name, null, !b || b === "current"
    ? leaf(charter ? "hm:CurrentCharter" : "hm:CurrentDoc", "true")
    : attachment(charter ? "hm:ProtocolMeetingOwners" : "hm:Agreement", b.attachment));
}

function contractServices(o: { houseServices?: ContractServiceInput[]; addServices?: ContractServiceInput[] }, charter: boolean): Kid[] {
  const s = (name: string, x: ContractServiceInput) => el(name, null, nsiRef("hm:ServiceType", x.service), leaf("hm:StartDate", x.startDate), leaf("hm:EndDate", x.endDate),
    basis(charter ? "hm:BaseServiceCharter" : "hm:BaseService", x.basis, charter));
  return [(o.houseServices ?? []).map((x) => s("hm:HouseService", x)), (o.addServices ?? []).map((x) => s("hm:AddService", x))];
}

const manageObjectHead = (o: ManagedObjectInput): Kid[] => [leaf("hm:FIASHouseGuid", o.fiasHouseGuid), leaf("hm:StartDate", o.startDate), opt("hm:EndDate", o.endDate)];

/** A managed object of a new contract/charter (TransportGUID inside). */
function managedObject(o: ManagedObjectInput, charter: boolean, tail?: Kid): XNode {
  return el("hm:ContractObject", null, manageObjectHead(o), transportGuid(o.transportGuid), basis("hm:BaseMService", o.basis, charter), contractServices(o, charter), tail);
}

/** A managed-object change of an edit (TransportGUID on the wrapper). */
function objectChange(c: ContractObjectChangeInput, charter: boolean): XNode {
  if ("add" in c) return el("hm:ContractObject", null, transportGuid(c.add.transportGuid),
    el("hm:Add", null, manageObjectHead(c.add), basis("hm:BaseMService", c.add.basis, charter), contractServices(c.add, charter)));
  if ("edit" in c) return el("hm:ContractObject", null, transportGuid(c.edit.transportGuid),
    el("hm:Edit", null, manageObjectHead(c.edit), leaf("hm:ContractObjectVersionGUID", c.edit.versionGuid),
      c.edit.basis ? basis("hm:BaseMService", c.edit.basis, charter) : null, contractServices(c.edit, charter)));
  return el("hm:ContractObject", null, transportGuid(c.annul.transportGuid), el("hm:Annulment", null, leaf("hm:ContractObjectVersionGUID", c.annul.versionGuid)));
}

function monthDay(dayName: string, d: MonthDay, max: number): XNode {
  if (d !== "last" && (!Number.isInteger(d) || d < 1 || d > max)) throw new Error(`день месяца «${d}» — от 1 до ${max} или "last"`);
  return d === "last" ? leaf("hm:LastDay", "true") : leaf(dayName, d);
}

function dateDetails(name: string, d: ContractDatesInput | undefined, allRequired: boolean): XNode | null {
  if (!d) return null;
  if (allRequired && (!d.metering || !d.paymentDocument || !d.payment)) throw new Error("importContractData: DateDetails — нужны сроки показаний, выставления ПД и оплаты");
  const term = (n: string, t: { day: MonthDay; nextMonth: boolean } | undefined) => t
    ? el(n, null, monthDay("hm:StartDate", t.day, 30), leaf(t.nextMonth ? "hm:NextMounth" : "hm:CurrentMounth", "true")) : null;
  const m = d.metering;
  return el(name, null,
    m ? el("hm:PeriodMetering", null,
      el("hm:StartDate", null, monthDay("hm:Date", m.start, 31), leaf("hm:IsNextMonth", m.startNextMonth)),
      el("hm:EndDate", null, monthDay("hm:Date", m.end, 31), leaf("hm:IsNextMonth", m.endNextMonth))) : null,
    term("hm:PaymentDocumentInterval", d.paymentDocument), term("hm:PaymentInterval", d.payment));
}

function managementContract(c: ManagementContractInput): Kid[] {
  checkCount("importContractData", "ContractAttachment", c.attachments.length, 1, Infinity);
  const p = c.protocol;
  return [
    leaf("hm:DocNum", c.docNum), leaf("hm:SigningDate", c.signingDate), leaf("hm:EffectiveDate", c.effectiveDate), leaf("hm:PlanDateComptetion", c.planDateCompletion),
    contractParty(c.party),
    p ? el("hm:Protocol", null, p.meetingOwners?.length ? el("hm:ProtocolAdd", null, p.meetingOwners.map((a) => attachment("hm:ProtocolMeetingOwners", a))) : null,
      (p.votingProtocolGuids ?? []).map((g) => leaf("hm:VotingProtocolGUID", g))) : null,
    nsiRef("hm:ContractBase", c.contractBase),
    dateDetails("hm:DateDetails", c.dates, true),
    c.attachments.map((a) => attachment("hm:ContractAttachment", a)),
    opt("hm:RegistryDecisionID", c.registryDecisionId),
    c.automaticRollOverOneYear === undefined ? null : leaf("hm:AutomaticRollOverOneYear", c.automaticRollOverOneYear),
  ];
}

function contract(c: ContractInput): XNode {
  let body: XNode;
  if ("place" in c) {
    checkCount("importContractData", "ContractObject", c.place.objects.length, 1, Infinity);
    body = el("hm:PlacingContract", null, managementContract(c.place), c.place.objects.map((o) => managedObject(o, false)));
  } else if ("edit" in c) {
    body = el("hm:EditContract", null, managementContract(c.edit), (c.edit.objects ?? []).map((o) => objectChange(o, false)),
      leaf("hm:ContractVersionGUID", c.edit.contractVersionGuid),
      c.edit.indicationsAnyDay === undefined ? null : leaf("hm:IndicationsAnyDay", c.edit.indicationsAnyDay));
  } else if ("approve" in c) {
    body = el("hm:ApprovalContract", null, leaf("hm:Approval", "true"), leaf("hm:ContractVersionGUID", c.approve.contractVersionGuid));
  } else if ("rollOver" in c) {
    body = el("hm:RollOverContract", null, leaf("hm:RollOver", "true"), leaf("hm:ContractVersionGUID", c.rollOver.contractVersionGuid), opt("hm:RollToDate", c.rollOver.toDate));
  } else if ("terminate" in c) {
    const t = c.terminate;
    checkCount("importContractData", "TerminateAttachment", t.attachments.length, 1, Infinity);
    body = el("hm:TerminateContract", null, leaf("hm:Terminate", t.date), nsiRef("hm:ReasonRef", t.reason),
      t.attachments.map((a) => attachment("hm:TerminateAttachment", a)), leaf("hm:ContractVersionGUID", t.contractVersionGuid));
  } else {
    body = el("hm:AnnulmentContract", null, leaf("hm:ReasonOfAnnulment", c.annul.reason), leaf("hm:ContractVersionGUID", c.annul.contractVersionGuid));
  }
  return el("hm:Contract", null, transportGuid(c.transportGuid), body);
}

export function importContractBody(i: ImportContractInput): XNode {
  checkCount("importContractData", "Contract", i.contracts.length, 1, 100);
  const versionOf = (c: ContractInput): string | undefined => {
    const v = "place" in c ? undefined : "edit" in c ? c.edit : "approve" in c ? c.approve : "rollOver" in c ? c.rollOver : "terminate" in c ? c.terminate : c.annul;
    return v?.contractVersionGuid;
  };
  checkUnique("importContractData", "ContractVersionGUID", i.contracts.map(versionOf));
  return container("hm:importContractRequest", VERSIONS.importContractRequest, i.contracts.map(contract));
}

export interface CharterInput {
  /** Date the cooperative/HOA got its OGRN. */
  date: string;
  dates?: ContractDatesInput;
  protocol?: { meetingOwners?: AttachmentInput[]; votingProtocolGuids?: string[] };
  noApproveProtocol?: boolean;
  /** Charter documents, at least one. */
  attachments: AttachmentInput[];
  automaticRollOverOneYear?: boolean;
  indicationsAnyDay?: boolean;
}

export type CharterObjectInput = ManagedObjectInput & { managedByContract?: boolean };

/** One charter per request (the schema's shape). */
export type ImportCharterInput = { transportGuid: string } & (
  | { place: CharterInput & { objects: CharterObjectInput[] } }
  | { edit: CharterInput & { charterVersionGuid: string; objects?: ContractObjectChangeInput[] } }
  | { rollOver: { charterVersionGuid: string; toDate?: string } }
  | { terminate: { charterVersionGuid: string; date: string; reason: string } }
  | { annul: { charterVersionGuid: string; reason: string } }
);

function charter(c: CharterInput): Kid[] {
  checkCount("importCharterData", "AttachmentCharter", c.attachments.length, 1, Infinity);
  const p = c.protocol;
  if (p) checkCount("importCharterData", "VotingProtocolGUID", p.votingProtocolGuids?.length ?? 0, 0, 100);
  return [
    leaf("hm:Date", c.date), dateDetails("hm:DateDetails", c.dates, false),
    p ? el("hm:MeetingProtocol", null, (p.meetingOwners ?? []).map((a) => attachment("hm:ProtocolMeetingOwners", a)),
      (p.votingProtocolGuids ?? []).map((g) => leaf("hm:VotingProtocolGUID", g))) : null,
    flag("hm:NoCharterApproveProtocol", c.noApproveProtocol),
    c.attachments.map((a) => attachment("hm:AttachmentCharter", a)),
    c.automaticRollOverOneYear === undefined ? null : leaf("hm:AutomaticRollOverOneYear", c.automaticRollOverOneYear),
    c.indicationsAnyDay === undefined ? null : leaf("hm:IndicationsAnyDay", c.indicationsAnyDay),
  ];
}

export function importCharterBody(i: ImportCharterInput): XNode {
  let body: XNode;
  if ("place" in i) {
    checkCount("importCharterData", "ContractObject", i.place.objects.length, 1, Infinity);
    body = el("hm:PlacingCharter", null, charter(i.place), i.place.objects.map((o) => managedObject(o, true, flag("hm:IsManagedByContract", o.managedByContract))));
  } else if ("edit" in i) {
    body = el("hm:EditCharter", null, charter(i.edit), (i.edit.objects ?? []).map((o) => objectChange(o, true)), leaf("hm:CharterVersionGUID", i.edit.charterVersionGuid));
  } else if ("rollOver" in i) {
    body = el("hm:RollOverCharter", null, leaf("hm:RollOver", "true"), leaf("hm:CharterVersionGUID", i.rollOver.charterVersionGuid), opt("hm:RollToDate", i.rollOver.toDate));
  } else if ("terminate" in i) {
    body = el("hm:TerminateCharter", null, leaf("hm:Terminate", i.terminate.date), leaf("hm:Reason", i.terminate.reason), leaf("hm:CharterVersionGUID", i.terminate.charterVersionGuid));
  } else {
    body = el("hm:AnnulmentCharter", null, leaf("hm:ReasonOfAnnulment", i.annul.reason), leaf("hm:CharterVersionGUID", i.annul.charterVersionGuid));
  }
  return container("hm:importCharterRequest", VERSIONS.importCharterRequest, transportGuid(i.transportGuid), body);
}

/** One criterion of exportCAChData / exportStatusCAChData: a contract or charter by root or version GUID. */
export type CAChKeyInput = { contractGuid: string } | { contractVersionGuid: string } | { charterGuid: string } | { charterVersionGuid: string };

function cachKey(k: CAChKeyInput): XNode {
  return "contractGuid" in k ? leaf("hm:ContractGUID", k.contractGuid) : "contractVersionGuid" in k ? leaf("hm:ContractVersionGUID", k.contractVersionGuid)
    : "charterGuid" in k ? leaf("hm:CharterGUID", k.charterGuid) : leaf("hm:CharterVersionGUID", k.charterVersionGuid);
}

export interface ExportCAChInput {
  /** 0..100 criteria: by GUID, or the managing organization + house (+ signing date). */
  criteria: Array<CAChKeyInput | { uoGuid: string; fiasHouseGuid: string; signingDate?: string; lastVersionOnly?: boolean }>;
  version?: string;
}

export function exportCAChBody(i: ExportCAChInput): XNode {
  checkCount("exportCAChData", "Criteria", i.criteria.length, 0, 100);
  return container("hm:exportCAChAsyncRequest", i.version ?? VERSIONS.exportCAChAsyncRequest, i.criteria.map((c) => el("hm:Criteria", null,
    "uoGuid" in c ? [leaf("hm:UOGUID", c.uoGuid), leaf("hm:FIASHouseGuid", c.fiasHouseGuid), opt("hm:SigningDate", c.signingDate), flag("hm:LastVersionOnly", c.lastVersionOnly)]
      : cachKey(c))));
}

export interface ExportStatusCAChInput {
  /** 1..100 criteria. */
  criteria: Array<CAChKeyInput & { onlyConflicted?: boolean; onlyBlocked?: boolean }>;
}

export function exportStatusCAChBody(i: ExportStatusCAChInput): XNode {
  checkCount("exportStatusCAChData", "Criteria", i.criteria.length, 1, 100);
  return container("hm:exportStatusCAChRequest", VERSIONS.exportStatusCAChRequest, i.criteria.map((c) => el("hm:Criteria", null, cachKey(c),
    c.onlyConflicted || c.onlyBlocked ? el("hm:ControlObjects", null, flag("hm:IsConflicted", c.onlyConflicted), flag("hm:IsBlocked", c.onlyBlocked)) : null)));
}

// ---- resource supply contracts (ДРСО) -------------------------------------------------------------

/** The consumer side of a resource supply contract: an organization by registry root GUID, a person, or not named. */
export type SupplyConsumerInput = { regOrg: string } | { person: PersonInput & { placeOfBirth?: string } } | { noData: true };

export type SupplyPartyInput =
  | { offer: true }
  /** The managing organization (orgRootEntityGUID). */
  | { managingOrganization: string }
  | { apartmentBuildingOwner: SupplyConsumerInput }
  | { livingHouseOwner: SupplyConsumerInput }
  | { representativeOwner: SupplyConsumerInput }
  | { soleOwner: SupplyConsumerInput };

export interface PlannedVolumeInput {
  volume: number;
  /** OKEI code (NSI 236). */
  unit: string;
  feedingMode: string;
}

export interface SupplyContractSubjectInput {
  /** Also the PairKey objects' pairs refer to. */
  transportGuid: string;
  /** NSI 3 (вид коммунальной услуги). */
  serviceType: NsiRef;
  /** NSI 239 (тарифицируемый ресурс). */
  municipalResource: NsiRef;
  startSupplyDate: string;
  endSupplyDate?: string;
  plannedVolume?: PlannedVolumeInput;
}

export interface HeatingSystemInput { open: boolean; centralized: boolean }

export interface SupplyObjectAddressInput {
  transportGuid: string;
  houseType?: "MKD" | "ZHD" | "ZHDBlockZastroyki";
  fiasHouseGuid: string;
  apartmentNumber?: string;
  roomNumber?: string;
  /** 1..100 service/resource pairs supplied to the object, by the subject's TransportGUID (or GIS pair GUID). */
  pairs: Array<{ pairKey: string; startSupplyDate: string; endSupplyDate?: string; heatingSystem?: HeatingSystemInput }>;
  noConnectionToWaterSupply?: boolean;
  plannedVolumes?: Array<PlannedVolumeInput & { pairKey: string }>;
  /** R: the resource supplier charges, P: the managing organization. */
  countingResource?: "R" | "P";
  meteringDeviceInformation?: boolean;
}

/** A payment-related term: day (1..30, -1 = last day) of the current (C) or next (N) month. */
export interface TermDayInput { day: number; nextMonth: boolean }

export interface SupplyResourceContractInput {
  /** A signed paper contract (number, dates, scans required), or a public one (all optional). */
  document:
    | { kind: "contract"; number: string; signingDate: string; effectiveDate: string; attachments: AttachmentInput[] }
    | { kind: "public"; number?: string; signingDate?: string; effectiveDate?: string; attachments?: AttachmentInput[] };
  term: { indefinite: true } | { completionDate?: string; automaticRollOverOneYear?: boolean };
  /** Readings window for individual meters: start day 1..30, end day 1..30 or -1 (last day). */
  readingsPeriod?: { start: number; startNextMonth?: boolean; end: number; endNextMonth?: boolean };
  indicationsAnyDay?: boolean;
  /** NSI 58. */
  contractBase?: NsiRef[];
  party: SupplyPartyInput;
  isPlannedVolume: boolean;
  plannedVolumeType?: "D" | "O";
  /** 1..100 subjects (service + resource). */
  subjects: SupplyContractSubjectInput[];
  countingResource?: "R" | "P";
  /** D: quality indicators per contract, O: per object. */
  specifyingQualityIndicators: "D" | "O";
  noConnectionToWaterSupply?: boolean;
  /** 0..15000 objects (houses, premises) the resource is supplied to. */
  objects?: SupplyObjectAddressInput[];
  billingDate?: TermDayInput;
  paymentDate?: TermDayInput;
  providingInformationDate?: TermDayInput;
  meteringDeviceInformation?: boolean;
  volumeDepends?: boolean;
  oneTimePayment?: boolean;
  accrualProcedure?: "D" | "O";
}

export type SupplyResourceContractImportInput = {
  transportGuid: string;
  /** The contract's last version GUID (changes), or its root GUID. */
  contractGuid?: string;
  contractRootGuid?: string;
} & (
  | { contract: SupplyResourceContractInput }
  /** reason: NSI 54. */
  | { terminate: { date: string; reason: NsiRef } }
  | { rollOver: { date: string } }
  | { annul: { reason: string } }
);

export interface ImportSupplyResourceContractInput {
  /** 1..1000 contracts. */
  contracts: SupplyResourceContractImportInput[];
}

function drsoPerson(p: PersonInput & { placeOfBirth?: string }): Kid[] {
  return [
    leaf("hm:Surname", p.surname), leaf("hm:FirstName", p.firstName), opt("hm:Patronymic", p.patronymic), opt("hm:Sex", p.sex), opt("hm:DateOfBirth", p.dateOfBirth),
    one("ДРСО: СНИЛС или документ физического лица", p.snils ? leaf("ind-base:SNILS", p.snils)
      : p.document ? el("ind-base:ID", null, nsiRef("ind-base:Type", p.document.type), opt("ind-base:Series", p.document.series),
        leaf("ind-base:Number", p.document.number), leaf("ind-base:IssueDate", p.document.issueDate)) : null),
    opt("hm:PlaceBirth", p.placeOfBirth),
  ];
}

function consumer(name: string, c: SupplyConsumerInput): XNode {
  return el(name, null, "regOrg" in c ? el("hm:RegOrg", null, leaf("hm:orgRootEntityGUID", c.regOrg))
    : "person" in c ? el("hm:Ind", null, drsoPerson(c.person)) : leaf("hm:NoData", "true"));
}

function supplyParty(p: SupplyPartyInput): XNode {
  if ("offer" in p) return leaf("hm:Offer", "true");
  if ("managingOrganization" in p) return el("hm:Organization", null, leaf("org-reg-base:orgRootEntityGUID", p.managingOrganization));
  if ("apartmentBuildingOwner" in p) return consumer("hm:ApartmentBuildingOwner", p.apartmentBuildingOwner);
  if ("livingHouseOwner" in p) return consumer("hm:LivingHouseOwner", p.livingHouseOwner);
  if ("representativeOwner" in p) return consumer("hm:ApartmentBuildingRepresentativeOwner", p.representativeOwner);
  return consumer("hm:ApartmentBuildingSoleOwner", p.soleOwner);
}

const plannedVolume = (name: string, v: PlannedVolumeInput, pairKey?: string) =>
  el(name, null, pairKey ? leaf("hm:PairKey", pairKey) : null, leaf("hm:Volume", decimal(v.volume)), leaf("hm:Unit", v.unit), leaf("hm:FeedingMode", v.feedingMode));

const heating = (h: HeatingSystemInput | undefined) => h
  ? el("hm:HeatingSystemType", null, leaf("hm:OpenOrNot", h.open ? "Opened" : "Closed"), leaf("hm:CentralizedOrNot", h.centralized ? "Centralized" : "Decentralized")) : null;

function objectAddressHead(o: { houseType?: string; fiasHouseGuid: string; apartmentNumber?: string; roomNumber?: string }): Kid[] {
  return [opt("hm:HouseType", o.houseType), leaf("hm:FIASHouseGuid", o.fiasHouseGuid), opt("hm:ApartmentNumber", o.apartmentNumber), opt("hm:RoomNumber", o.roomNumber)];
}

function supplyObject(o: SupplyObjectAddressInput): XNode {
  checkCount("importSupplyResourceContractData", "Pair", o.pairs.length, 1, 100);
  return el("hm:ObjectAddress", null, objectAddressHead(o), transportGuid(o.transportGuid),
    o.pairs.map((p) => el("hm:Pair", null, leaf("hm:PairKey", p.pairKey), leaf("hm:StartSupplyDate", p.startSupplyDate), opt("hm:EndSupplyDate", p.endSupplyDate), heating(p.heatingSystem))),
    flag("hm:NoConnectionToWaterSupply", o.noConnectionToWaterSupply),
    (o.plannedVolumes ?? []).map((v) => plannedVolume("hm:PlannedVolume", v, v.pairKey)),
    opt("hm:CountingResource", o.countingResource),
    o.meteringDeviceInformation === undefined ? null : leaf("hm:MeteringDeviceInformation", o.meteringDeviceInformation));
}

function termDay(name: string, t: TermDayInput | undefined): XNode | null {
  if (!t) return null;
  if (!Number.isInteger(t.day) || t.day < -1 || t.day > 30 || t.day === 0) throw new Error(`importSupplyResourceContractData: ${name.slice(3)} — день от 1 до 30 или -1`);
  return el(name, null, leaf("hm:Date", t.day), leaf("hm:DateType", t.nextMonth ? "N" : "C"));
}

function supplyResourceContract(c: SupplyResourceContractInput): XNode {
  const op = "importSupplyResourceContractData";
  const d = c.document;
  checkCount(op, "ContractSubject", c.subjects.length, 1, 100);
  checkCount(op, "ObjectAddress", c.objects?.length ?? 0, 0, 15000);
  checkCount(op, "ContractAttachment", d.attachments?.length ?? 0, d.kind === "contract" ? 1 : 0, 100);
  const rp = c.readingsPeriod;
  return el("hm:SupplyResourceContract", null,
    el(d.kind === "contract" ? "hm:IsContract" : "hm:IsNotContract", null, opt("hm:ContractNumber", d.number), opt("hm:SigningDate", d.signingDate),
      opt("hm:EffectiveDate", d.effectiveDate), (d.attachments ?? []).map((a) => attachment("hm:ContractAttachment", a))),
    "indefinite" in c.term ? leaf("hm:IndefiniteTerm", "true")
      : [flag("hm:AutomaticRollOverOneYear", c.term.automaticRollOverOneYear), opt("hm:ComptetionDate", c.term.completionDate)],
    rp ? el("hm:Period", null, el("hm:Start", null, leaf("hm:StartDate", rp.start), flag("hm:NextMonth", rp.startNextMonth)),
      el("hm:End", null, leaf("hm:EndDate", rp.end), flag("hm:NextMonth", rp.endNextMonth))) : null,
    flag("hm:IndicationsAnyDay", c.indicationsAnyDay),
    (c.contractBase ?? []).map((b) => nsiRef("hm:ContractBase", b)),
    supplyParty(c.party),
    leaf("hm:IsPlannedVolume", c.isPlannedVolume), opt("hm:PlannedVolumeType", c.plannedVolumeType),
    c.subjects.map((s) => el("hm:ContractSubject", null, nsiRef("hm:ServiceType", s.serviceType), nsiRef("hm:MunicipalResource", s.municipalResource),
      leaf("hm:StartSupplyDate", s.startSupplyDate), opt("hm:EndSupplyDate", s.endSupplyDate),
      s.plannedVolume ? plannedVolume("hm:PlannedVolume", s.plannedVolume) : null, transportGuid(s.transportGuid))),
    opt("hm:CountingResource", c.countingResource),
    leaf("hm:SpecifyingQualityIndicators", c.specifyingQualityIndicators),
    flag("hm:NoConnectionToWaterSupply", c.noConnectionToWaterSupply),
    (c.objects ?? []).map(supplyObject),
    termDay("hm:BillingDate", c.billingDate), termDay("hm:PaymentDate", c.paymentDate), termDay("hm:ProvidingInformationDate", c.providingInformationDate),
    c.meteringDeviceInformation === undefined ? null : leaf("hm:MeteringDeviceInformation", c.meteringDeviceInformation),
    c.volumeDepends === undefined ? null : leaf("hm:VolumeDepends", c.volumeDepends),
    c.oneTimePayment === undefined ? null : leaf("hm:OneTimePayment", c.oneTimePayment),
    opt("hm:AccrualProcedure", c.accrualProcedure));
}

export function importSupplyResourceContractBody(i: ImportSupplyResourceContractInput): XNode {
  checkCount("importSupplyResourceContractData", "Contract", i.contracts.length, 1, 1000);
  checkUnique("importSupplyResourceContractData", "ContractGUID", i.contracts.map((c) => c.contractGuid));
  checkUnique("importSupplyResourceContractData", "ContractRootGUID", i.contracts.map((c) => c.contractRootGuid));
  return container("hm:importSupplyResourceContractRequest", VERSIONS.importSupplyResourceContractRequest, i.contracts.map((c) => {
    if (c.contractGuid && c.contractRootGuid) throw new Error("importSupplyResourceContractData: укажите contractGuid либо contractRootGuid");
    return el("hm:Contract", null, transportGuid(c.transportGuid),
      c.contractGuid ? leaf("hm:ContractGUID", c.contractGuid) : opt("hm:ContractRootGUID", c.contractRootGuid),
      "contract" in c ? supplyResourceContract(c.contract)
        : "terminate" in c ? el("hm:TerminateContract", null, leaf("hm:Terminate", c.terminate.date), nsiRef("hm:ReasonRef", c.terminate.reason))
          : "rollOver" in c ? el("hm:RollOverContract", null, leaf("hm:RollOverDate", c.rollOver.date))
            : el("hm:AnnulmentContract", null, leaf("hm:ReasonOfAnnulment", c.annul.reason)));
  }));
}

/** An object (house/premises) added to or changed in a resource supply contract, with its service/resource pairs. */
export interface SupplyObjectLoadInput {
  houseType?: "MKD" | "ZHD" | "ZHDBlockZastroyki";
  fiasHouseGuid: string;
  apartmentNumber?: string;
  roomNumber?: string;
  /** 1..100 pairs, each with its own TransportGUID. */
  pairs: Array<{ transportGuid: string; serviceType: NsiRef; municipalResource: NsiRef; startSupplyDate: string; endSupplyDate?: string; heatingSystem?: HeatingSystemInput }>;
  noConnectionToWaterSupply?: boolean;
  plannedVolumes?: Array<PlannedVolumeInput & { pairKey: string }>;
  countingResource?: "R" | "P";
  meteringDeviceInformation?: boolean;
}

export interface ImportSupplyResourceContractObjectAddressInput {
  /** The contract's last version GUID, or its root GUID. */
  contractGuid?: string;
  contractRootGuid?: string;
  /** 1..1000 objects: load (add/change; objectGuid when changing) or delete (objectGuid). */
  objects: Array<{ transportGuid: string; objectGuid?: string } & ({ load: SupplyObjectLoadInput } | { delete: true })>;
}

export function importSupplyResourceContractObjectAddressBody(i: ImportSupplyResourceContractObjectAddressInput): XNode {
  const op = "importSupplyResourceContractObjectAddressData";
  if (!i.contractGuid === !i.contractRootGuid) throw new Error(`${op}: укажите contractGuid либо contractRootGuid`);
  checkCount(op, "ObjectAddress", i.objects.length, 1, 1000);
  return container("hm:importSupplyResourceContractObjectAddressRequest", VERSIONS.importSupplyResourceContractObjectAddressRequest,
    i.contractGuid ? leaf("hm:ContractGUID", i.contractGuid) : leaf("hm:ContractRootGUID", i.contractRootGuid!),
    i.objects.map((o) => {
      if ("delete" in o && !o.objectGuid) throw new Error(`${op}: для удаления объекта нужен objectGuid`);
      if ("load" in o) checkCount(op, "Pair", o.load.pairs.length, 1, 100);
      return el("hm:ObjectAddress", null, transportGuid(o.transportGuid), opt("hm:ObjectGUID", o.objectGuid),
        "delete" in o ? leaf("hm:DeleteObject", "true") : el("hm:LoadObject", null, objectAddressHead(o.load),
          o.load.pairs.map((p) => el("hm:Pair", null, nsiRef("hm:ServiceType", p.serviceType), nsiRef("hm:MunicipalResource", p.municipalResource),
            leaf("hm:StartSupplyDate", p.startSupplyDate), opt("hm:EndSupplyDate", p.endSupplyDate), heating(p.heatingSystem), transportGuid(p.transportGuid))),
          flag("hm:NoConnectionToWaterSupply", o.load.noConnectionToWaterSupply),
          (o.load.plannedVolumes ?? []).map((v) => plannedVolume("hm:PlannedVolume", v, v.pairKey)),
          opt("hm:CountingResource", o.load.countingResource),
          o.load.meteringDeviceInformation === undefined ? null : leaf("hm:MeteringDeviceInformation", o.load.meteringDeviceInformation)));
    }));
}

export type ExportSupplyResourceContractInput = (
  | { contractRootGuids: string[] }
  | { contractGuids: string[] }
  | {
      /** Paging: the ExportContractRootGUID of the previous page's answer. */
      exportContractRootGuid?: string;
      contractNumber?: string;
      signingDateStart?: string;
      signingDateEnd?: string;
      fiasHouseGuid?: string;
      /** 0..100 service/resource pairs. */
      subjects?: Array<{ serviceType: NsiRef; municipalResource: NsiRef }>;
    }
) & { version?: string };

export function exportSupplyResourceContractBody(i: ExportSupplyResourceContractInput): XNode {
  const op = "exportSupplyResourceContractData";
  return container("hm:exportSupplyResourceContractRequest", i.version ?? VERSIONS.exportSupplyResourceContractRequest,
    "contractRootGuids" in i ? list(op, "hm:ContractRootGUID", i.contractRootGuids, 1, 1000)
      : "contractGuids" in i ? list(op, "hm:ContractGUID", i.contractGuids, 1, 1000)
        : (checkCount(op, "ContractSubject", i.subjects?.length ?? 0, 0, 100),
          [opt("hm:ExportContractRootGUID", i.exportContractRootGuid), opt("hm:ContractNumber", i.contractNumber), opt("hm:SigningDateStart", i.signingDateStart),
            opt("hm:SigningDateEnd", i.signingDateEnd), opt("hm:FIASHouseGuid", i.fiasHouseGuid),
            (i.subjects ?? []).map((s) => el("hm:ContractSubject", null, nsiRef("hm:ServiceType", s.serviceType), nsiRef("hm:MunicipalResource", s.municipalResource)))]));
}

export type ExportSupplyResourceContractObjectAddressInput = (
  | { fiasHouseGuid: string }
  /** Paging: exportObjectGuid from the previous page's ExportObjectGUID. */
  | { contractRootGuid: string; exportObjectGuid?: string }
  | { contractGuid: string; exportObjectGuid?: string }
) & { version?: string };

export function exportSupplyResourceContractObjectAddressBody(i: ExportSupplyResourceContractObjectAddressInput): XNode {
  return container("hm:exportSupplyResourceContractObjectAddressRequest", i.version ?? VERSIONS.exportSupplyResourceContractObjectAddressRequest,
    "fiasHouseGuid" in i ? leaf("hm:FIASHouseGuid", i.fiasHouseGuid)
      : [opt("hm:ExportObjectGUID", i.exportObjectGuid), "contractRootGuid" in i ? leaf("hm:ContractRootGUID", i.contractRootGuid) : leaf("hm:ContractGUID", i.contractGuid)]);
}

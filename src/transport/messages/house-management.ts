/**
 * house-management: the housing fund (importHouseUOData), accounts (importAccountData), meters
 * (importMeteringDeviceData) and the exports used for reconciliation. Elements are emitted in the
 * order of hcs-house-management-types.xsd (14.4.0.1); local elements of lib types carry the lib's
 * namespace (nsi-base:Code, metering-device-base:MeteringValue, ind-base:Surname…).
 */
import { Kid, XNode, decimal, el, leaf, opt } from "../envelope/xml";
import { AttachmentInput, NsiRef, attachment, checkCount, checkUnique, container, flag, list, nsiRef, one, transportGuid } from "./common";

export const VERSIONS = {
  importHouseUORequest: "13.2.3.2",
  exportHouseRequest: "13.2.3.2",
  importAccountRequest: "10.0.1.1",
  exportAccountRequest: "10.0.1.1",
  importMeteringDeviceDataRequest: "11.1.0.8",
  exportMeteringDeviceDataRequest: "11.1.0.2",
} as const;

/** The versions the annotations allow where base:version is not fixed. */
export const ALLOWED_VERSIONS = {
  importHouseUORequest: ["11.0.10.1", "13.2.3.2"],
  exportHouseRequest: ["11.1.0.1", "12.2.0.1", "13.2.3.2"],
} as const;

// ---- fund -------------------------------------------------------------------------------------

/** GKN/EGRP key: a cadastral number, "not registered in GKN/EGRP", or no cadastral number (+ conditional number). */
export type CadastreInput = { cadastralNumber: string } | { notRegistered: true } | { noCadastralNumber: true; conditionalNumber?: string };

function cadastre(c: CadastreInput): Kid {
  if ("cadastralNumber" in c) return leaf("hm:CadastralNumber", c.cadastralNumber);
  if ("notRegistered" in c) return leaf("hm:No_RSO_GKN_EGRP_Registered", "true");
  return [leaf("hm:NoCadastralNumber", "true"), opt("hm:ConditionalNumber", c.conditionalNumber)];
}

export interface OktmoInput { code: string; name?: string }

export interface HouseBasicInput {
  cadastre: CadastreInput;
  fiasHouseGuid: string;
  totalSquare: number;
  /** NSI 24 (состояние дома). */
  state: NsiRef;
  lifeCycleStage?: NsiRef;
  usedYear: number;
  floorCount: number;
  oktmo?: OktmoInput;
  /** NSI 32 (часовая зона по Olson). */
  olsonTZ: NsiRef;
  culturalHeritage: boolean;
}

export type HouseBasicUpdateInput = Partial<Omit<HouseBasicInput, "cadastre" | "fiasHouseGuid">> & { cadastre: CadastreInput; fiasHouseGuid: string };

function houseBasic(b: HouseBasicUpdateInput): Kid[] {
  return [
    cadastre(b.cadastre),
    leaf("hm:FIASHouseGuid", b.fiasHouseGuid),
    b.totalSquare === undefined ? null : leaf("hm:TotalSquare", decimal(b.totalSquare)),
    nsiRef("hm:State", b.state),
    nsiRef("hm:LifeCycleStage", b.lifeCycleStage),
    opt("hm:UsedYear", b.usedYear),
    opt("hm:FloorCount", b.floorCount),
    b.oktmo ? el("hm:OKTMO", null, leaf("base:code", b.oktmo.code), opt("base:name", b.oktmo.name)) : null,
    nsiRef("hm:OlsonTZ", b.olsonTZ),
    b.culturalHeritage === undefined ? null : leaf("hm:CulturalHeritage", b.culturalHeritage),
  ];
}

export interface PremisesCommon {
  transportGuid: string;
  cadastre: CadastreInput;
  premisesNum: string;
  informationConfirmed?: boolean;
  fiasChildHouseGuid?: string;
  totalArea?: number;
}

/** Annulment of a fund object (how GIS "deletes" premises, entrances, rooms): NSI 330 reason and a note. */
export interface AnnulmentInput {
  reason: NsiRef;
  info?: string;
}

const annulment = (a: AnnulmentInput | undefined): Kid => (a ? [nsiRef("hm:AnnulmentReason", a.reason), opt("hm:AnnulmentInfo", a.info)] : null);

export interface ResidentialPremisesInput extends PremisesCommon {
  /** Set to update premises GIS already has. */
  premisesGuid?: string;
  /** Annul (delete) the premises in GIS; only with premisesGuid. */
  annulment?: AnnulmentInput;
  /** Entrance number, or null when the premises has no entrance. */
  entranceNum: string | null;
  /** NSI 30 (характеристика помещения). */
  premisesCharacteristic?: NsiRef;
  /** Living area; null → NoGrossArea. */
  grossArea?: number | null;
}

export interface NonResidentialPremisesInput extends PremisesCommon {
  isCommonProperty?: boolean;
  /** Set to update premises GIS already has. */
  premisesGuid?: string;
  /** Annul (delete) the premises in GIS; only with premisesGuid. */
  annulment?: AnnulmentInput;
}

export interface EntranceInput {
  transportGuid: string;
  entranceNum: string;
  fiasChildHouseGuid?: string;
  storeysCount?: number;
  creationYear?: number;
  informationConfirmed?: boolean;
  /** Set to update an entrance GIS already has. */
  entranceGuid?: string;
  /** Annul the entrance; only with entranceGuid. */
  annulment?: AnnulmentInput;
}

export type ImportHouseUOInput =
  | {
      apartmentHouse: {
        transportGuid: string;
        /** Present → ApartmentHouseToCreate, else ToUpdate (basic then partial). */
        create?: HouseBasicInput & { undergroundFloorCount: number; minFloorCount?: number };
        update?: HouseBasicUpdateInput & { undergroundFloorCount?: number; minFloorCount?: number };
        nonResidentialPremises?: NonResidentialPremisesInput[];
        entrances?: EntranceInput[];
        residentialPremises?: ResidentialPremisesInput[];
      };
      inheritMissingValues?: boolean;
      version?: string;
    }
  | {
      livingHouse: {
        transportGuid: string;
        create?: HouseBasicInput & { hasBlocks?: boolean; hasMultipleHousesWithSameAddress?: boolean };
        update?: HouseBasicUpdateInput & { hasBlocks?: boolean; hasMultipleHousesWithSameAddress?: boolean };
      };
      inheritMissingValues?: boolean;
      version?: string;
    };

function residential(p: ResidentialPremisesInput): XNode {
  const tail: Kid[] = [
    p.entranceNum === null ? leaf("hm:HasNoEntrance", "true") : leaf("hm:EntranceNum", p.entranceNum),
    opt("hm:FIASChildHouseGuid", p.fiasChildHouseGuid),
    nsiRef("hm:PremisesCharacteristic", p.premisesCharacteristic),
    p.totalArea === undefined ? null : leaf("hm:TotalArea", decimal(p.totalArea)),
    p.grossArea === undefined ? null : p.grossArea === null ? leaf("hm:NoGrossArea", "true") : leaf("hm:GrossArea", decimal(p.grossArea)),
  ];
  const head: Kid[] = [cadastre(p.cadastre), leaf("hm:PremisesNum", p.premisesNum)];
  const confirmed = p.informationConfirmed === undefined ? null : leaf("hm:InformationConfirmed", p.informationConfirmed);
  if (p.annulment && !p.premisesGuid) throw new Error(`importHouseUOData: аннулировать можно только помещение с ГУИД (помещение ${p.premisesNum})`);
  return el("hm:ResidentialPremises", null, p.premisesGuid
    ? el("hm:ResidentialPremisesToUpdate", null, head, annulment(p.annulment), confirmed, tail, transportGuid(p.transportGuid), leaf("hm:PremisesGUID", p.premisesGuid))
    : el("hm:ResidentialPremisesToCreate", null, head, confirmed, tail, transportGuid(p.transportGuid)));
}

function nonResidential(p: NonResidentialPremisesInput): XNode {
  if (p.annulment && !p.premisesGuid) throw new Error(`importHouseUOData: аннулировать можно только помещение с ГУИД (помещение ${p.premisesNum})`);
  return el(p.premisesGuid ? "hm:NonResidentialPremiseToUpdate" : "hm:NonResidentialPremiseToCreate", null, cadastre(p.cadastre), leaf("hm:PremisesNum", p.premisesNum),
    annulment(p.annulment),
    p.informationConfirmed === undefined ? null : leaf("hm:InformationConfirmed", p.informationConfirmed),
    opt("hm:FIASChildHouseGuid", p.fiasChildHouseGuid),
    p.totalArea === undefined ? null : leaf("hm:TotalArea", decimal(p.totalArea)),
    p.isCommonProperty === undefined ? null : leaf("hm:IsCommonProperty", p.isCommonProperty),
    transportGuid(p.transportGuid), opt("hm:PremisesGUID", p.premisesGuid));
}

function entrance(e: EntranceInput): XNode {
  if (e.annulment && !e.entranceGuid) throw new Error(`importHouseUOData: аннулировать можно только подъезд с ГУИД (подъезд ${e.entranceNum})`);
  return el(e.entranceGuid ? "hm:EntranceToUpdate" : "hm:EntranceToCreate", null, leaf("hm:EntranceNum", e.entranceNum), opt("hm:FIASChildHouseGuid", e.fiasChildHouseGuid),
    opt("hm:StoreysCount", e.storeysCount), opt("hm:CreationYear", e.creationYear), annulment(e.annulment),
    e.informationConfirmed === undefined ? null : leaf("hm:InformationConfirmed", e.informationConfirmed), transportGuid(e.transportGuid), opt("hm:EntranceGUID", e.entranceGuid));
}

/** The schema wants every …ToCreate before the …ToUpdate of the same kind. */
const createsFirst = <T>(xs: T[] | undefined, isUpdate: (x: T) => boolean): T[] => [...(xs ?? []).filter((x) => !isUpdate(x)), ...(xs ?? []).filter(isUpdate)];

/** One house per request (the schema's shape); each sub-object carries its own TransportGUID. */
export function importHouseUOBody(i: ImportHouseUOInput): XNode {
  let house: XNode;
  if ("apartmentHouse" in i) {
    const a = i.apartmentHouse;
    if (!a.create === !a.update) throw new Error("importHouseUOData: укажите либо create, либо update");
    const head = a.create
      ? el("hm:ApartmentHouseToCreate", null, el("hm:BasicCharacteristicts", null, houseBasic(a.create)),
        leaf("hm:UndergroundFloorCount", a.create.undergroundFloorCount), opt("hm:MinFloorCount", a.create.minFloorCount), transportGuid(a.transportGuid))
      : el("hm:ApartmentHouseToUpdate", null, el("hm:BasicCharacteristicts", null, houseBasic(a.update!)),
        opt("hm:UndergroundFloorCount", a.update!.undergroundFloorCount), opt("hm:MinFloorCount", a.update!.minFloorCount), transportGuid(a.transportGuid));
    house = el("hm:ApartmentHouse", null, head, createsFirst(a.nonResidentialPremises, (p) => !!p.premisesGuid).map(nonResidential),
      createsFirst(a.entrances, (e) => !!e.entranceGuid).map(entrance), (a.residentialPremises ?? []).map(residential));
  } else {
    const l = i.livingHouse;
    if (!l.create === !l.update) throw new Error("importHouseUOData: укажите либо create, либо update");
    const b = (l.create ?? l.update)!;
    house = el("hm:LivingHouse", null, el(l.create ? "hm:LivingHouseToCreate" : "hm:LivingHouseToUpdate", null,
      el("hm:BasicCharacteristicts", null, houseBasic(b)),
      b.hasBlocks === undefined ? null : leaf("hm:HasBlocks", b.hasBlocks),
      b.hasMultipleHousesWithSameAddress === undefined ? null : leaf("hm:HasMultipleHousesWithSameAddress", b.hasMultipleHousesWithSameAddress),
      transportGuid(l.transportGuid)));
  }
  return container("hm:importHouseUORequest", i.version ?? VERSIONS.importHouseUORequest, house, flag("hm:InheritMissingValues", i.inheritMissingValues));
}

export interface ExportHouseInput {
  fiasHouseGuid: string;
  version?: string;
}

export function exportHouseBody(i: ExportHouseInput): XNode {
  return container("hm:exportHouseRequest", i.version ?? VERSIONS.exportHouseRequest, leaf("hm:FIASHouseGuid", i.fiasHouseGuid));
}

// ---- accounts ---------------------------------------------------------------------------------

export type AccountRole = "UO" | "RSO" | "CR" | "RC" | "OGVorOMS" | "TKO";

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

export interface AccommodationInput {
  /** Exactly one of the three. */
  premisesGuid?: string;
  fiasHouseGuid?: string;
  livingRoomGuid?: string;
  /** 0..100, 2 fraction digits. */
  sharePercent?: number;
}

export type SupplyContractReason = { contractGuid: string } | { contractNumber: string; signingDate: string; isContract: boolean };

export interface AccountInput {
  transportGuid: string;
  role: AccountRole;
  livingPersonsNumber?: number;
  totalSquare?: number;
  residentialSquare?: number;
  heatedArea?: number;
  closed?: { reason: NsiRef; date: string; description?: string };
  accommodations: AccommodationInput[];
  payer: { isRenter?: boolean; accountsDivided?: boolean; person?: PersonInput; orgVersionGuid?: string };
  accountNumber?: string;
  /** Set when updating an account GIS already has. */
  accountGuid?: string;
  supplyResourceContracts?: SupplyContractReason[];
}

export interface ImportAccountInput {
  /** 1..100 accounts. */
  accounts: AccountInput[];
}

const ROLE_ELEMENT: Record<AccountRole, string> = {
  UO: "hm:isUOAccount", RSO: "hm:isRSOAccount", CR: "hm:isCRAccount", RC: "hm:isRCAccount", OGVorOMS: "hm:isOGVorOMSAccount", TKO: "hm:isTKOAccount",
};

const area = (name: string, v: number | undefined) => (v === undefined ? null : leaf(name, decimal(v)));

function person(p: PersonInput): Kid[] {
  return [
    leaf("ind-base:Surname", p.surname), leaf("ind-base:FirstName", p.firstName), opt("ind-base:Patronymic", p.patronymic),
    opt("hm:Sex", p.sex), opt("hm:DateOfBirth", p.dateOfBirth),
    p.snils ? leaf("ind-base:SNILS", p.snils)
      : p.document ? el("ind-base:ID", null, nsiRef("ind-base:Type", p.document.type), opt("ind-base:Series", p.document.series),
        leaf("ind-base:Number", p.document.number), leaf("ind-base:IssueDate", p.document.issueDate)) : null,
  ];
}

function account(a: AccountInput): XNode {
  if (a.accommodations.length === 0) throw new Error(`importAccountData: у ЛС ${a.accountNumber ?? a.transportGuid} нет Accommodation`);
  return el("hm:Account", null,
    leaf(ROLE_ELEMENT[a.role], "true"),
    opt("hm:LivingPersonsNumber", a.livingPersonsNumber),
    area("hm:TotalSquare", a.totalSquare), area("hm:ResidentialSquare", a.residentialSquare), area("hm:HeatedArea", a.heatedArea),
    a.closed ? el("hm:Closed", null, nsiRef("hm:CloseReason", a.closed.reason), leaf("hm:CloseDate", a.closed.date), opt("hm:Description", a.closed.description)) : null,
    a.accommodations.map((x) => el("hm:Accommodation", null,
      one("Accommodation", x.premisesGuid ? leaf("hm:PremisesGUID", x.premisesGuid) : x.fiasHouseGuid ? leaf("hm:FIASHouseGuid", x.fiasHouseGuid)
        : x.livingRoomGuid ? leaf("hm:LivingRoomGUID", x.livingRoomGuid) : null),
      x.sharePercent === undefined ? null : leaf("hm:SharePercent", decimal(x.sharePercent)))),
    el("hm:PayerInfo", null, flag("hm:IsRenter", a.payer.isRenter), flag("hm:isAccountsDivided", a.payer.accountsDivided),
      a.payer.person ? el("hm:Ind", null, person(a.payer.person))
        : a.payer.orgVersionGuid ? el("hm:Org", null, leaf("org-reg-base:orgVersionGUID", a.payer.orgVersionGuid)) : null),
    transportGuid(a.transportGuid),
    opt("account-base:AccountNumber", a.accountNumber),
    opt("hm:AccountGUID", a.accountGuid),
    a.supplyResourceContracts?.length ? el("hm:AccountReasons", null, a.supplyResourceContracts.map((c) => el("hm:SupplyResourceContract", null,
      "contractGuid" in c ? leaf("hm:ContractGUID", c.contractGuid)
        : [leaf("hm:ContractNumber", c.contractNumber), leaf("hm:SigningDate", c.signingDate), leaf("hm:IsContract", c.isContract)]))) : null);
}

export function importAccountBody(i: ImportAccountInput): XNode {
  checkCount("importAccountData", "Account", i.accounts.length, 1, 100);
  return container("hm:importAccountRequest", VERSIONS.importAccountRequest, i.accounts.map(account));
}

export type ExportAccountInput =
  | { fiasHouseGuid: string }
  | { accountGuids: string[] }
  | { unifiedAccountNumbers: string[] }
  | { serviceIds: string[] };

export function exportAccountBody(i: ExportAccountInput): XNode {
  const list = (name: string, v: string[]) => { checkCount("exportAccountData", name, v.length, 1, 1000); return v.map((x) => leaf(name, x)); };
  return container("hm:exportAccountRequest", VERSIONS.exportAccountRequest,
    "fiasHouseGuid" in i ? leaf("hm:FIASHouseGuid", i.fiasHouseGuid)
      : "accountGuids" in i ? list("hm:AccountGUID", i.accountGuids)
        : "unifiedAccountNumbers" in i ? list("account-base:UnifiedAccountNumber", i.unifiedAccountNumbers)
          : list("account-base:ServiceID", i.serviceIds));
}

// ---- meters -----------------------------------------------------------------------------------

/** A reading as GIS wants it: up to 15 integer and 7 fraction digits, no exponent. */
export function meteringValue(v: number | string): string {
  const s = typeof v === "number" ? decimal(v) : v;
  if (!/^\d{1,15}(\.\d{1,7})?$/.test(s)) throw new Error(`показание «${s}» не соответствует формату ГИС (до 15 цифр и 7 знаков после точки)`);
  return s;
}

export interface ResourceValueInput {
  /** NSI 2 (коммунальный ресурс). */
  municipalResource: NsiRef;
  value: number | string;
  /** OKEI code of the unit, where the schema lists it. */
  unit?: string;
}

export interface ElectricValueInput {
  t1: number | string;
  t2?: number | string;
  t3?: number | string;
  transformationRatio?: number;
  unit?: string;
}

export type MeterPlacement =
  | { kind: "residentialPremise"; premiseGuids: string[]; accountGuids: string[] }
  | { kind: "nonResidentialPremise"; premiseGuids: string[]; accountGuids: string[] }
  | { kind: "apartmentHouse"; fiasHouseGuids?: string[]; accountGuids: string[] }
  | { kind: "livingRoom"; livingRoomGuids: string[]; accountGuids: string[] }
  | { kind: "collectiveApartment"; premiseGuids: string[]; accountGuids: string[] }
  | { kind: "collective"; fiasHouseGuids?: string[] };

export interface MeteringDeviceInfoInput {
  number: string;
  stamp?: string;
  model?: string;
  installationDate?: string;
  commissioningDate?: string;
  remoteMetering: boolean;
  remoteMeteringInfo?: string;
  firstVerificationDate?: string;
  verificationInterval?: NsiRef;
  factorySealDate?: string;
  temperatureSensor: boolean;
  pressureSensor: boolean;
  consumedVolume?: boolean;
  placement: MeterPlacement;
  /** Linked to another meter (installation place in/out), or not linked. */
  linked?: { installationPlace: "in" | "out"; linkedVersionGuids?: string[] };
  /** Base (initial) readings: by resource for non-electric meters (1..3), or T1..T3 for electricity. */
  resources: { notEnergy: ResourceValueInput[] } | { energy: ElectricValueInput };
}

export type MeteringDeviceInput =
  | { transportGuid: string; create: MeteringDeviceInfoInput }
  /** Archive without replacement; reason: NSI 21 (причина архивации ПУ). */
  | { transportGuid: string; versionGuid: string; archive: { reason: NsiRef } }
  /**
   * Replace: archive this meter and hand over to `replacingVersionGuid`, a meter placed before (the pipeline's
   * "replace" is place-new, then this). Planned verification, or an unplanned one with its reason (NSI 224);
   * the old meter's final readings optional.
   */
  | {
      transportGuid: string;
      versionGuid: string;
      replace: {
        verificationDate: string;
        unplannedReason?: NsiRef;
        finalValues?: { notEnergy: Array<{ municipalResource: NsiRef; value: number | string }> } | { energy: { t1: number | string; t2?: number | string; t3?: number | string } };
        replacingVersionGuid: string;
      };
    }
  /** Correct the characteristics before any readings were entered (all of them again). */
  | { transportGuid: string; versionGuid: string; updateBefore: MeteringDeviceInfoInput };

export interface ImportMeteringDeviceInput {
  fiasHouseGuid?: string;
  /** 1..100 meters. */
  devices: MeteringDeviceInput[];
}

function placement(p: MeterPlacement): XNode {
  const g = (name: string, v: string[] | undefined) => (v ?? []).map((x) => leaf(name, x));
  switch (p.kind) {
    case "residentialPremise": return el("hm:ResidentialPremiseDevice", null, g("hm:PremiseGUID", p.premiseGuids), g("hm:AccountGUID", p.accountGuids));
    case "nonResidentialPremise": return el("hm:NonResidentialPremiseDevice", null, g("hm:PremiseGUID", p.premiseGuids), g("hm:AccountGUID", p.accountGuids));
    case "apartmentHouse": return el("hm:ApartmentHouseDevice", null, g("hm:FIASHouseGuid", p.fiasHouseGuids), g("hm:AccountGUID", p.accountGuids));
    case "livingRoom": return el("hm:LivingRoomDevice", null, g("hm:LivingRoomGUID", p.livingRoomGuids), g("hm:AccountGUID", p.accountGuids));
    case "collectiveApartment": return el("hm:CollectiveApartmentDevice", null, g("hm:PremiseGUID", p.premiseGuids), g("hm:AccountGUID", p.accountGuids));
    case "collective": return el("hm:CollectiveDevice", null, g("hm:FIASHouseGuid", p.fiasHouseGuids));
  }
}

function deviceInfo(d: MeteringDeviceInfoInput): Kid[] {
  const r = d.resources;
  return [
    el("hm:BasicChatacteristicts", null,
      leaf("hm:MeteringDeviceNumber", d.number), opt("hm:MeteringDeviceStamp", d.stamp), opt("hm:MeteringDeviceModel", d.model),
      opt("hm:InstallationDate", d.installationDate), opt("hm:CommissioningDate", d.commissioningDate),
      leaf("hm:RemoteMeteringMode", d.remoteMetering), opt("hm:RemoteMeteringInfo", d.remoteMeteringInfo),
      opt("hm:FirstVerificationDate", d.firstVerificationDate), nsiRef("hm:VerificationInterval", d.verificationInterval),
      opt("hm:FactorySealDate", d.factorySealDate), leaf("hm:TemperatureSensor", d.temperatureSensor), leaf("hm:PressureSensor", d.pressureSensor),
      d.consumedVolume === undefined ? null : leaf("hm:ConsumedVolume", d.consumedVolume),
      placement(d.placement)),
    d.linked
      ? el("hm:LinkedWithMetering", null, leaf("hm:InstallationPlace", d.linked.installationPlace), (d.linked.linkedVersionGuids ?? []).map((x) => leaf("hm:LinkedMeteringDeviceVersionGUID", x)))
      : leaf("hm:NotLinkedWithMetering", "true"),
    "notEnergy" in r
      ? (checkCount("importMeteringDeviceData", "MunicipalResourceNotEnergy", r.notEnergy.length, 1, 3),
        r.notEnergy.map((v) => el("hm:MunicipalResourceNotEnergy", null, nsiRef("metering-device-base:MunicipalResource", v.municipalResource),
          leaf("metering-device-base:MeteringValue", meteringValue(v.value)), opt("hm:Unit", v.unit))))
      : el("hm:MunicipalResourceEnergy", null, leaf("metering-device-base:MeteringValueT1", meteringValue(r.energy.t1)),
        r.energy.t2 === undefined ? null : leaf("metering-device-base:MeteringValueT2", meteringValue(r.energy.t2)),
        r.energy.t3 === undefined ? null : leaf("metering-device-base:MeteringValueT3", meteringValue(r.energy.t3)),
        r.energy.transformationRatio === undefined ? null : leaf("hm:TransformationRatio", decimal(r.energy.transformationRatio)),
        opt("hm:Unit", r.energy.unit)),
  ];
}

export function importMeteringDeviceBody(i: ImportMeteringDeviceInput): XNode {
  checkCount("importMeteringDeviceData", "MeteringDevice", i.devices.length, 1, 100);
  return container("hm:importMeteringDeviceDataRequest", VERSIONS.importMeteringDeviceDataRequest,
    opt("hm:FIASHouseGuid", i.fiasHouseGuid),
    i.devices.map((d) => el("hm:MeteringDevice", null, transportGuid(d.transportGuid),
      "create" in d
        ? el("hm:DeviceDataToCreate", null, deviceInfo(d.create))
        : el("hm:DeviceDataToUpdate", null, leaf("hm:MeteringDeviceVersionGUID", d.versionGuid),
          "archive" in d ? el("hm:ArchiveDevice", null, nsiRef("hm:ArchivingReason", d.archive.reason))
            : "replace" in d ? replaceDevice(d.replace)
              : el("hm:UpdateBeforeDevicesValues", null, deviceInfo(d.updateBefore))))));
}

function replaceDevice(r: Extract<MeteringDeviceInput, { replace: unknown }>["replace"]): XNode {
  const v = r.finalValues;
  if (v && "notEnergy" in v) checkCount("importMeteringDeviceData", "DeviceValueMunicipalResourceNotElectric", v.notEnergy.length, 1, 3);
  return el("hm:ReplaceDevice", null, leaf("hm:VerificationDate", r.verificationDate),
    r.unplannedReason ? nsiRef("hm:ReasonVerification", r.unplannedReason) : leaf("hm:PlannedVerification", "true"),
    !v ? null : "notEnergy" in v
      ? v.notEnergy.map((x) => el("hm:DeviceValueMunicipalResourceNotElectric", null, nsiRef("metering-device-base:MunicipalResource", x.municipalResource),
        leaf("metering-device-base:MeteringValue", meteringValue(x.value))))
      : el("hm:DeviceValueMunicipalResourceElectric", null, leaf("metering-device-base:MeteringValueT1", meteringValue(v.energy.t1)),
        v.energy.t2 === undefined ? null : leaf("metering-device-base:MeteringValueT2", meteringValue(v.energy.t2)),
        v.energy.t3 === undefined ? null : leaf("metering-device-base:MeteringValueT3", meteringValue(v.energy.t3))),
    leaf("hm:ReplacingMeteringDeviceVersionGUID", r.replacingVersionGuid));
}

export type ExportMeteringDeviceInput = (
  | { rootGuid: string }
  | { versionGuid: string }
  | {
      fiasHouseGuid: string;
      currentOrganizationOnly?: boolean;
      updatedSince?: string;
      meteringDeviceType?: NsiRef;
      municipalResource?: NsiRef;
      searchArchived?: boolean;
    }
) & { includeFiasHouseGuid?: boolean };

export function exportMeteringDeviceBody(i: ExportMeteringDeviceInput): XNode {
  return container("hm:exportMeteringDeviceDataRequest", VERSIONS.exportMeteringDeviceDataRequest,
    "rootGuid" in i ? leaf("hm:MeteringDeviceRootGUID", i.rootGuid)
      : "versionGuid" in i ? leaf("hm:MeteringDeviceVersionGUID", i.versionGuid)
        : [flag("hm:IsCurrentOrganization", i.currentOrganizationOnly), leaf("hm:FIASHouseGuid", i.fiasHouseGuid), opt("hm:UpdateDateTime", i.updatedSince),
          i.meteringDeviceType ? nsiRef("hm:MeteringDeviceType", i.meteringDeviceType) : nsiRef("hm:MunicipalResource", i.municipalResource),
          i.searchArchived === undefined ? null : leaf("hm:SearchArchived", i.searchArchived)],
    i.includeFiasHouseGuid === undefined ? null : leaf("hm:IncludeFIASHouseGuid", i.includeFiasHouseGuid));
}

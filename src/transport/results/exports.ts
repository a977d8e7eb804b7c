/**
 * The payloads of export answers as the pipeline needs them: accounts, meters, a house with its
 * entrances/premises/rooms, payment documents, management contracts and charters, resource supply
 * contracts. Each reader takes the getStateResult element (`GisResponse.result` of a state answer,
 * already parsed as untrusted input by parseResponse) and returns plain values; anything the
 * pipeline does not use stays in the archive. GIS special dates (1900-01-01, 5000-01-01) are null.
 */
import { gisDate } from "./results";
import { ResponseError, child, children, descendant, text } from "./safe-xml";

/** An nsiRef as GIS sends it. */
export interface NsiValue {
  code: string;
  guid: string;
  name: string | null;
}

const t = (e: Element | null, name: string) => (e ? text(child(e, name)) : null);
const all = (e: Element, name: string) => children(e, name).map((c) => text(c)).filter((v): v is string => v !== null);
const req = (e: Element, name: string, where: string): string => {
  const v = t(e, name);
  if (v === null) throw new ResponseError(`ответ ГИС ЖКХ: ${where} без ${name}`);
  return v;
};
const num = (v: string | null) => (v === null ? null : Number(v));
const bool = (v: string | null) => (v === null ? null : v === "true" || v === "1");

function nsi(e: Element | null): NsiValue | null {
  if (!e) return null;
  const code = t(e, "Code");
  const guid = t(e, "GUID");
  return code && guid ? { code, guid: guid.toLowerCase(), name: t(e, "Name") } : null;
}

/** The result rows named `name` of a getStateResult (its direct children). */
function rows(result: Element, name: string): Element[] {
  if (result.localName !== "getStateResult") throw new ResponseError(`ответ ГИС ЖКХ: ожидался getStateResult, получен ${result.localName}`);
  return children(result, name);
}

// ---- accounts (hm exportAccountResult) ------------------------------------------------------------

export type AccountRoleKind = "UO" | "RSO" | "CR" | "RC" | "OGVorOMS" | "TKO";

export interface ExportedAccount {
  accountGuid: string;
  accountNumber: string | null;
  /** ЕЛС. */
  unifiedAccountNumber: string;
  /** ИЖКУ. */
  serviceId: string | null;
  role: AccountRoleKind | null;
  creationDate: string | null;
  /** Where the account is: premises, houses (by FIAS), rooms — with shares. */
  premisesGuids: string[];
  fiasHouseGuids: string[];
  livingRoomGuids: string[];
  closed: { date: string; reason: NsiValue | null; description: string | null } | null;
  totalSquare: number | null;
  livingPersonsNumber: number | null;
  /** Resource supply contracts named as reasons (by GUID). */
  supplyResourceContractGuids: string[];
}

const ROLES: Array<[string, AccountRoleKind]> = [["isUOAccount", "UO"], ["isRSOAccount", "RSO"], ["isCRAccount", "CR"], ["isRCAccount", "RC"], ["isOGVorOMSAccount", "OGVorOMS"], ["isTKOAccount", "TKO"]];

export function exportedAccounts(result: Element): ExportedAccount[] {
  return rows(result, "exportAccountResult").map((a) => {
    const acc = children(a, "Accommodation");
    const closed = child(a, "Closed");
    const reasons = child(a, "AccountReasons");
    return {
      accountGuid: req(a, "AccountGUID", "exportAccountResult").toLowerCase(),
      accountNumber: t(a, "AccountNumber"),
      unifiedAccountNumber: req(a, "UnifiedAccountNumber", "exportAccountResult"),
      serviceId: t(a, "ServiceID"),
      role: ROLES.find(([n]) => child(a, n))?.[1] ?? null,
      creationDate: gisDate(t(a, "CreationDate")),
      premisesGuids: acc.flatMap((x) => all(x, "PremisesGUID")).map((g) => g.toLowerCase()),
      fiasHouseGuids: acc.flatMap((x) => all(x, "FIASHouseGuid")).map((g) => g.toLowerCase()),
      livingRoomGuids: acc.flatMap((x) => all(x, "LivingRoomGUID")).map((g) => g.toLowerCase()),
      closed: closed ? { date: req(closed, "CloseDate", "Closed"), reason: nsi(child(closed, "CloseReason")), description: t(closed, "Description") } : null,
      totalSquare: num(t(a, "TotalSquare")),
      livingPersonsNumber: num(t(a, "LivingPersonsNumber")),
      supplyResourceContractGuids: reasons ? children(reasons, "SupplyResourceContract").flatMap((c) => all(c, "ContractGUID")).map((g) => g.toLowerCase()) : [],
    };
  });
}

// ---- meters (hm exportMeteringDeviceDataResult) -----------------------------------------------------

export type MeterPlacementKind = "collective" | "residentialPremise" | "nonResidentialPremise" | "apartmentHouse" | "livingRoom" | "collectiveApartment";

const PLACEMENTS: Array<[string, MeterPlacementKind]> = [["CollectiveDevice", "collective"], ["ResidentialPremiseDevice", "residentialPremise"],
  ["NonResidentialPremiseDevice", "nonResidentialPremise"], ["ApartmentHouseDevice", "apartmentHouse"], ["LivingRoomDevice", "livingRoom"], ["CollectiveApartmentDevice", "collectiveApartment"]];

export interface ExportedMeter {
  rootGuid: string;
  versionGuid: string;
  versionNumber: number | null;
  status: "Active" | "Archival";
  /** Заводской номер. */
  factoryNumber: string;
  stamp: string | null;
  model: string | null;
  gisNumber: string | null;
  placement: MeterPlacementKind | null;
  premiseGuids: string[];
  accountGuids: string[];
  fiasHouseGuids: string[];
  livingRoomGuids: string[];
  /** Resources (NSI 2) the meter measures; electricity meters report `electric` instead. */
  resources: NsiValue[];
  electric: boolean;
  /** Base readings: per resource, or T1..T3 for electricity. */
  baseValues: Array<{ resource: NsiValue | null; value: string }>;
  baseValuesElectric: { t1: string; t2: string | null; t3: string | null } | null;
  installationDate: string | null;
  commissioningDate: string | null;
  firstVerificationDate: string | null;
  updateDateTime: string | null;
}

export function exportedMeters(result: Element): ExportedMeter[] {
  return rows(result, "exportMeteringDeviceDataResult").map((m) => {
    const basic = child(m, "BasicChatacteristicts");
    if (!basic) throw new ResponseError("ответ ГИС ЖКХ: exportMeteringDeviceDataResult без BasicChatacteristicts");
    const place = PLACEMENTS.find(([n]) => child(basic, n));
    const p = place ? child(basic, place[0])! : null;
    const notEnergy = children(m, "MunicipalResourceNotEnergy");
    const energy = child(m, "MunicipalResourceEnergy");
    const resources = [...notEnergy.map((r) => nsi(child(r, "MunicipalResource"))), ...children(m, "MunicipalResources").map((r) => nsi(child(r, "MunicipalResource")))]
      .filter((r): r is NsiValue => r !== null);
    const status = req(m, "StatusRootDoc", "exportMeteringDeviceDataResult");
    if (status !== "Active" && status !== "Archival") throw new ResponseError(`ответ ГИС ЖКХ: StatusRootDoc «${status}»`);
    const lower = (name: string) => (p ? all(p, name).map((g) => g.toLowerCase()) : []);
    return {
      rootGuid: req(m, "MeteringDeviceRootGUID", "exportMeteringDeviceDataResult").toLowerCase(),
      versionGuid: req(m, "MeteringDeviceVersionGUID", "exportMeteringDeviceDataResult").toLowerCase(),
      versionNumber: num(t(m, "VersionNumber")),
      status,
      factoryNumber: req(basic, "MeteringDeviceNumber", "BasicChatacteristicts"),
      stamp: t(basic, "MeteringDeviceStamp"),
      model: t(basic, "MeteringDeviceModel"),
      gisNumber: t(m, "MeteringDeviceGISGKHNumber"),
      placement: place?.[1] ?? null,
      premiseGuids: lower("PremiseGUID"),
      accountGuids: lower("AccountGUID"),
      fiasHouseGuids: lower("FIASHouseGuid"),
      livingRoomGuids: lower("LivingRoomGUID"),
      resources,
      electric: energy !== null,
      baseValues: notEnergy.map((r) => ({ resource: nsi(child(r, "MunicipalResource")), value: req(r, "MeteringValue", "MunicipalResourceNotEnergy") })),
      baseValuesElectric: energy ? { t1: req(energy, "MeteringValueT1", "MunicipalResourceEnergy"), t2: t(energy, "MeteringValueT2"), t3: t(energy, "MeteringValueT3") } : null,
      installationDate: gisDate(t(basic, "InstallationDate")),
      commissioningDate: gisDate(t(basic, "CommissioningDate")),
      firstVerificationDate: gisDate(t(basic, "FirstVerificationDate")),
      updateDateTime: gisDate(t(m, "UpdateDateTime")),
    };
  });
}

// ---- house (hm exportHouseResult) ----------------------------------------------------------------

export interface ExportedRoom {
  guid: string;
  number: string | null;
  uniqueNumber: string | null;
  annulled: boolean;
}

export interface ExportedPremises {
  guid: string;
  number: string | null;
  residential: boolean;
  uniqueNumber: string | null;
  entranceNum: string | null;
  totalArea: number | null;
  annulled: boolean;
  rooms: ExportedRoom[];
}

export interface ExportedHouse {
  /** GIS's house GUID (HouseGUID; living houses only — an apartment house is known by its FIAS GUID). */
  houseGuid: string | null;
  fiasHouseGuid: string;
  houseUniqueNumber: string;
  kind: "apartment" | "living";
  entrances: Array<{ guid: string; number: string | null; annulled: boolean }>;
  premises: ExportedPremises[];
  /** Blocks of a blocked living house (as premises, with their rooms). */
  blocks: ExportedPremises[];
  /** Rooms of a living house without blocks. */
  rooms: ExportedRoom[];
}

/** GIS marks a deleted (annulled / terminated) fund object with TerminationDate or AnnulmentReason. */
const annulled = (e: Element) => child(e, "AnnulmentReason") !== null || gisDate(t(e, "TerminationDate")) !== null;

function room(e: Element): ExportedRoom {
  return { guid: req(e, "LivingRoomGUID", "LivingRoom").toLowerCase(), number: t(e, "RoomNumber"), uniqueNumber: t(e, "LivingRoomUniqueNumber"), annulled: annulled(e) };
}

export function exportedHouse(result: Element): ExportedHouse | null {
  const h = rows(result, "exportHouseResult")[0];
  if (!h) return null;
  const apt = child(h, "ApartmentHouse");
  const living = child(h, "LivingHouse");
  const body = apt ?? living;
  if (!body) throw new ResponseError("ответ ГИС ЖКХ: exportHouseResult без ApartmentHouse/LivingHouse");
  const basic = child(body, "BasicCharacteristicts");
  const premises = (e: Element, residential: boolean): ExportedPremises => ({
    guid: req(e, "PremisesGUID", residential ? "ResidentialPremises" : "NonResidentialPremises").toLowerCase(),
    number: t(e, "PremisesNum"), residential, uniqueNumber: t(e, "PremisesUniqueNumber"), entranceNum: t(e, "EntranceNum"),
    totalArea: num(t(e, "TotalArea")), annulled: annulled(e), rooms: children(e, "LivingRoom").map(room),
  });
  return {
    houseGuid: t(body, "HouseGUID")?.toLowerCase() ?? null,
    fiasHouseGuid: (basic ? req(basic, "FIASHouseGuid", "BasicCharacteristicts") : "").toLowerCase(),
    houseUniqueNumber: req(h, "HouseUniqueNumber", "exportHouseResult"),
    kind: apt ? "apartment" : "living",
    entrances: children(body, "Entrance").map((e) => ({ guid: req(e, "EntranceGUID", "Entrance").toLowerCase(), number: t(e, "EntranceNum"), annulled: annulled(e) })),
    premises: [...children(body, "ResidentialPremises").map((e) => premises(e, true)), ...children(body, "NonResidentialPremises").map((e) => premises(e, false))],
    blocks: children(body, "Block").map((b) => ({
      guid: req(b, "BlockGUID", "Block").toLowerCase(), number: t(b, "BlockNum"), residential: t(b, "Category") !== "NonResidential",
      uniqueNumber: t(b, "BlockUniqueNumber"), entranceNum: null, totalArea: num(t(b, "TotalArea")), annulled: annulled(b), rooms: children(b, "LivingRoom").map(room),
    })),
    rooms: children(body, "LivingRoom").map(room),
  };
}

// ---- payment documents (bills exportPaymentDocResult) ------------------------------------------------

export interface ExportedPaymentDocument {
  /** ИПД — the document's identifier in GIS (GIS gives payment documents no separate GUID). */
  paymentDocumentId: string;
  paymentDocumentNumber: string | null;
  accountGuid: string;
  year: number | null;
  month: number | null;
  /** TotalPayableByPD, rubles. */
  amount: number | null;
  state: "exposed" | "withdrawn" | null;
}

/** Payment documents of an exportPaymentDocumentData answer; a per-row ErrorMessage comes back as `errors`. */
export function exportedPaymentDocuments(result: Element): { documents: ExportedPaymentDocument[]; errors: Array<{ code: string; description: string }> } {
  const documents: ExportedPaymentDocument[] = [];
  const errors: Array<{ code: string; description: string }> = [];
  for (const r of rows(result, "exportPaymentDocResult")) {
    const err = child(r, "ErrorMessage");
    if (err) { errors.push({ code: t(err, "ErrorCode") ?? "?", description: t(err, "Description") ?? "" }); continue; }
    const d = child(r, "PaymentDocument");
    if (!d) continue;
    documents.push({
      paymentDocumentId: req(d, "PaymentDocumentID", "PaymentDocument"),
      paymentDocumentNumber: t(d, "PaymentDocumentNumber"),
      accountGuid: req(d, "AccountGuid", "PaymentDocument").toLowerCase(),
      year: num(t(d, "Year")), month: num(t(d, "Month")),
      amount: num(t(d, "TotalPayableByPD")),
      state: child(d, "Withdraw") ? "withdrawn" : child(d, "Expose") ? "exposed" : null,
    });
  }
  return { documents, errors };
}

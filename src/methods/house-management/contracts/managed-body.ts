/**
 * The request pieces management contracts (importContractData) and charters (importCharterData)
 * share: the managed objects with their services and bases, the readings and payment terms, the
 * changes of an edit, and the keys exportCAChData / exportStatusCAChData look documents up by.
 * Elements follow hcs-house-management-types.xsd.
 */
import { Kid, XNode, el, leaf, opt } from "../../../transport/envelope/xml";
import { AttachmentInput, NsiRef, attachment, nsiRef, transportGuid } from "../../../transport/messages/common";

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

/** A managed object in an edit: added, changed (by its version GUID) or annulled. */
export type ContractObjectChangeInput =
  | { add: ManagedObjectInput }
  | { edit: ManagedObjectInput & { versionGuid: string } }
  | { annul: { transportGuid: string; versionGuid: string } };

/** BaseServiceType / BaseServiceCharterType: the document itself or an attachment. */
export function basis(name: string, b: BasisInput | undefined, charter: boolean): XNode {
  return el(
    name,
    null,
    !b || b === "current"
      ? leaf(charter ? "hm:CurrentCharter" : "hm:CurrentDoc", "true")
      : attachment(charter ? "hm:ProtocolMeetingOwners" : "hm:Agreement", b.attachment),
  );
}

export function contractServices(o: { houseServices?: ContractServiceInput[]; addServices?: ContractServiceInput[] }, charter: boolean): Kid[] {
  const s = (name: string, x: ContractServiceInput) =>
    el(
      name,
      null,
      nsiRef("hm:ServiceType", x.service),
      leaf("hm:StartDate", x.startDate),
      leaf("hm:EndDate", x.endDate),
      basis(charter ? "hm:BaseServiceCharter" : "hm:BaseService", x.basis, charter),
    );
  return [(o.houseServices ?? []).map((x) => s("hm:HouseService", x)), (o.addServices ?? []).map((x) => s("hm:AddService", x))];
}

export const manageObjectHead = (o: ManagedObjectInput): Kid[] => [
  leaf("hm:FIASHouseGuid", o.fiasHouseGuid),
  leaf("hm:StartDate", o.startDate),
  opt("hm:EndDate", o.endDate),
];

/** A managed object of a new contract/charter (TransportGUID inside). */
export function managedObject(o: ManagedObjectInput, charter: boolean, tail?: Kid): XNode {
  return el(
    "hm:ContractObject",
    null,
    manageObjectHead(o),
    transportGuid(o.transportGuid),
    basis("hm:BaseMService", o.basis, charter),
    contractServices(o, charter),
    tail,
  );
}

/** A managed-object change of an edit (TransportGUID on the wrapper). */
export function objectChange(c: ContractObjectChangeInput, charter: boolean): XNode {
  if ("add" in c)
    return el(
      "hm:ContractObject",
      null,
      transportGuid(c.add.transportGuid),
      el("hm:Add", null, manageObjectHead(c.add), basis("hm:BaseMService", c.add.basis, charter), contractServices(c.add, charter)),
    );
  if ("edit" in c)
    return el(
      "hm:ContractObject",
      null,
      transportGuid(c.edit.transportGuid),
      el(
        "hm:Edit",
        null,
        manageObjectHead(c.edit),
        leaf("hm:ContractObjectVersionGUID", c.edit.versionGuid),
        c.edit.basis ? basis("hm:BaseMService", c.edit.basis, charter) : null,
        contractServices(c.edit, charter),
      ),
    );
  return el(
    "hm:ContractObject",
    null,
    transportGuid(c.annul.transportGuid),
    el("hm:Annulment", null, leaf("hm:ContractObjectVersionGUID", c.annul.versionGuid)),
  );
}

function monthDay(dayName: string, d: MonthDay, max: number): XNode {
  if (d !== "last" && (!Number.isInteger(d) || d < 1 || d > max)) throw new Error(`день месяца «${d}» — от 1 до ${max} или "last"`);
  return d === "last" ? leaf("hm:LastDay", "true") : leaf(dayName, d);
}

export function dateDetails(name: string, d: ContractDatesInput | undefined, allRequired: boolean): XNode | null {
  if (!d) return null;
  if (allRequired && (!d.metering || !d.paymentDocument || !d.payment))
    throw new Error("importContractData: DateDetails — нужны сроки показаний, выставления ПД и оплаты");
  const term = (n: string, t: { day: MonthDay; nextMonth: boolean } | undefined) =>
    t ? el(n, null, monthDay("hm:StartDate", t.day, 30), leaf(t.nextMonth ? "hm:NextMounth" : "hm:CurrentMounth", "true")) : null;
  const m = d.metering;
  return el(
    name,
    null,
    m
      ? el(
          "hm:PeriodMetering",
          null,
          el("hm:StartDate", null, monthDay("hm:Date", m.start, 31), leaf("hm:IsNextMonth", m.startNextMonth)),
          el("hm:EndDate", null, monthDay("hm:Date", m.end, 31), leaf("hm:IsNextMonth", m.endNextMonth)),
        )
      : null,
    term("hm:PaymentDocumentInterval", d.paymentDocument),
    term("hm:PaymentInterval", d.payment),
  );
}

/** One criterion of exportCAChData / exportStatusCAChData: a contract or charter by root or version GUID. */
export type CAChKeyInput = { contractGuid: string } | { contractVersionGuid: string } | { charterGuid: string } | { charterVersionGuid: string };

export function cachKey(k: CAChKeyInput): XNode {
  return "contractGuid" in k
    ? leaf("hm:ContractGUID", k.contractGuid)
    : "contractVersionGuid" in k
      ? leaf("hm:ContractVersionGUID", k.contractVersionGuid)
      : "charterGuid" in k
        ? leaf("hm:CharterGUID", k.charterGuid)
        : leaf("hm:CharterVersionGUID", k.charterVersionGuid);
}

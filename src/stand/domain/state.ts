/**
 * What the stand keeps of what organizations placed, as GIS keeps it: the row shapes of the
 * business tables and typed access to them. Rows are plain JSON (the core persists them); request
 * fragments needed to answer exports in GIS's shape are kept packed (`content`; see xml-read.ts).
 * Keys are lower-case GIS GUIDs unless a table says otherwise.
 */
import { StandStore } from "../types";
import { NsiRefValue, Packed } from "./xml-read";

/** Private NSI of an organization: registry 1 (additional services), 51 (municipal services). Key: element GUID. */
export interface NsiItemRow {
  guid: string;
  org: string;
  registry: number;
  /** Element code, a running number within the organization's registry. */
  code: string;
  name: string;
  /** The NSI ref it maps to (municipal services: NSI 3 service, NSI 2 resource). */
  serviceRef: NsiRefValue | null;
  resourceRef: NsiRefValue | null;
  isActual: boolean;
  modified: string;
}

export type ContractStatus = "Project" | "ApprovalProcess" | "Rejected" | "Approved" | "Terminated" | "Reviewed" | "Annul";
export type ContractState = "Running" | "NotRunning" | "Expired";

/** A service of a contract object: its NSI ref (NSI 3 / organization NSI 1, 51) and the resource it supplies. */
export interface ContractService {
  code: string;
  guid: string;
  /** Code of the municipal resource (NSI 2) the service supplies; null for services without one. */
  resourceCode: string | null;
}

export interface ContractObject {
  fiasHouseGuid: string;
  objectVersionGuid: string;
  services: ContractService[];
  /** ManageObjectType fields (FIASHouseGuid, StartDate, EndDate?) and the services part, as placed. */
  head: Packed;
  tail: Packed;
}

/** A management contract or charter (hm contracts/charters). Key: ContractGUID / CharterGUID. */
export interface ContractRow {
  kind: "contract" | "charter";
  guid: string;
  versionGuid: string;
  versionNumber: number;
  org: string;
  status: ContractStatus;
  state: ContractState;
  objects: ContractObject[];
  /** The placed document's fields (ContractType / CharterType children) for exportCAChData. */
  content: Packed;
  updated: string;
}

/** A supply resource contract (договор ресурсоснабжения). Key: ContractRootGUID. */
export interface SupplyContractRow {
  rootGuid: string;
  guid: string;
  versionNumber: number;
  org: string;
  contractNumber: string | null;
  signingDate: string | null;
  versionStatus: "Posted" | "Terminated" | "Draft" | "Annul";
  contractState: "NotTakeEffect" | "Proceed" | "Expired";
  houses: string[];
  subjects: ContractService[];
  content: Packed;
  updated: string;
}

/** A house with its entrances, premises and rooms. Key: FIASHouseGuid. */
export interface HouseRow {
  fiasHouseGuid: string;
  /** HouseGUID: GIS's own identifier of the house object. */
  guid: string;
  kind: "ApartmentHouse" | "LivingHouse";
  uniqueNumber: string;
  /** Who placed it; other organizations see it through their contracts. */
  org: string;
  /** BasicCharacteristicts and the other fields of the house, as placed (for exportHouseData). */
  content: Packed;
  entrances: Array<{ guid: string; number: string; content: Packed; updated: string }>;
  premises: PremisesRow[];
  updated: string;
}

/** Where a premises, room or entrance GUID belongs. Key: its GUID. */
export interface PlaceRow {
  fiasHouseGuid: string;
  kind: "premises" | "room" | "entrance";
}

export interface PremisesRow {
  guid: string;
  residential: boolean;
  number: string;
  uniqueNumber: string;
  totalArea: number | null;
  content: Packed;
  rooms: Array<{ guid: string; number: string; uniqueNumber: string; content: Packed; updated: string }>;
  updated: string;
}

/** A personal account. Key: AccountGUID. Also indexed by ЕЛС in "account-by-els". */
export interface AccountRow {
  guid: string;
  org: string;
  fiasHouseGuid: string;
  accountNumber: string | null;
  /** ЕЛС: 10 characters, unique in GIS. */
  unifiedAccountNumber: string;
  /** ИЖКУ: ЕЛС + "-" + the number of the service in the account. */
  serviceId: string;
  closed: boolean;
  /** AccountType children as placed (role flag … PayerInfo) and AccountReasons, for exportAccountData. */
  content: Packed;
  reasons: Packed;
  created: string;
  updated: string;
}

/** A meter. Key: MeteringDeviceRootGUID. The version GUID changes with each update. */
export interface MeterRow {
  rootGuid: string;
  versionGuid: string;
  versionNumber: number;
  org: string;
  fiasHouseGuid: string;
  number: string;
  /** GIS number of the device (МПУ): unique in the stand. */
  gisNumber: string;
  resourceCodes: string[];
  accountGuids: string[];
  collective: boolean;
  status: "Active" | "Archival";
  /** MeteringDeviceFullInformationType children as placed, for exportMeteringDeviceData. */
  content: Packed;
  updated: string;
}

/** A reading. Key: meter root GUID, kind, date and resource code, joined by "|" (one value per key, never two). */
export interface ReadingRow {
  guid: string;
  meterRootGuid: string;
  org: string;
  kind: "current" | "control" | "verification";
  /** The value element as placed (OneRateDeviceValue/CurrentValue…), re-emitted by exportMeteringDeviceHistory. */
  value: Packed;
  valueKind: "OneRate" | "Electric" | "Volume";
  dateValue: string;
  entered: string;
}

/** A payment document. Key: PaymentDocumentID (ИПД). */
export interface PaymentDocumentRow {
  id: string;
  guid: string;
  org: string;
  accountGuid: string;
  unifiedAccountNumber: string;
  fiasHouseGuid: string;
  number: string | null;
  month: number;
  year: number;
  /** Total to pay, kopecks. */
  totalKopecks: number;
  withdrawn: boolean;
  /** The bank requisites the document is paid to. */
  requisites: Array<{ bik: string; account: string }>;
  /** PaymentDocumentType children as placed, for exportPaymentDocumentData. */
  content: Packed;
  updated: string;
  /** The charges by service (HSType/MSType/ASType and the service GUID), kopecks: automatic kvitirovanie acknowledges them. */
  charges?: Array<{ kind: ServiceAckKind; guid: string; kopecks: number }>;
}

/** The element naming a service in an acknowledgment (HSType housing, MSType municipal, ASType additional). */
export type ServiceAckKind = "HSType" | "MSType" | "ASType";

/** AckStatus of a notification of order execution (bills:AckStatus). */
export type AckStatus = "0" | "1" | "2" | "3" | "4" | "5";

/** A notification of order execution (a payment). Key: NotificationsOfOrderExecutionGUID. */
export interface NotificationRow {
  guid: string;
  org: string;
  orderId: string;
  orderDate: string;
  amountKopecks: number;
  paymentDocumentId: string | null;
  unifiedAccountNumber: string | null;
  status: AckStatus;
  /** Sum acknowledged against payment documents, kopecks. */
  acknowledgedKopecks: number;
  acks: Array<{ paymentDocumentId: string; amountKopecks: number; service?: { kind: ServiceAckKind; guid: string } }>;
  /** SupplierInfo, RecipientInfo, OrderInfo as placed, for exportNotificationsOfOrderExecution. */
  content: Packed;
  created: string;
  cancelled: string | null;
}

const T = {
  nsi: "nsi-items",
  contracts: "contracts",
  supplyContracts: "supply-contracts",
  houses: "houses",
  places: "places",
  accounts: "accounts",
  accountsByEls: "account-by-els",
  meters: "meters",
  meterByVersion: "meter-by-version",
  activeMeterByNumber: "active-meter-by-number",
  readings: "readings",
  currentReadingByPeriod: "current-reading-by-period",
  paymentDocuments: "payment-documents",
  paymentDocumentByPeriod: "payment-document-by-period",
  notifications: "notifications",
  notificationByOrder: "notification-by-order",
} as const;

/** Typed access to the business tables. */
export function tables(store: StandStore) {
  return {
    nsi: store.table<NsiItemRow>(T.nsi),
    contracts: store.table<ContractRow>(T.contracts),
    supplyContracts: store.table<SupplyContractRow>(T.supplyContracts),
    houses: store.table<HouseRow>(T.houses),
    places: store.table<PlaceRow>(T.places),
    accounts: store.table<AccountRow>(T.accounts),
    /** ЕЛС → AccountGUID. */
    accountsByEls: store.table<{ guid: string }>(T.accountsByEls),
    meters: store.table<MeterRow>(T.meters),
    /** MeteringDeviceVersionGUID → root GUID. */
    meterByVersion: store.table<{ rootGuid: string }>(T.meterByVersion),
    /** House + factory number + resource code of an active meter → root GUID (the uniqueness rule, without a scan). */
    activeMeterByNumber: store.table<{ rootGuid: string }>(T.activeMeterByNumber),
    readings: store.table<ReadingRow>(T.readings),
    /** Meter root GUID + period + resource of a current reading → its key in readings (two for one month are a duplicate). */
    currentReadingByPeriod: store.table<{ key: string }>(T.currentReadingByPeriod),
    paymentDocuments: store.table<PaymentDocumentRow>(T.paymentDocuments),
    /** Account + period + number of a document in force → PaymentDocumentID (a document placed again keeps its ИПД). */
    paymentDocumentByPeriod: store.table<{ id: string }>(T.paymentDocumentByPeriod),
    notifications: store.table<NotificationRow>(T.notifications),
    /** org + "/" + OrderID → notification GUID. */
    notificationByOrder: store.table<{ guid: string }>(T.notificationByOrder),
  };
}

export type Tables = ReturnType<typeof tables>;

/** bills: payment documents (importPaymentDocumentData) and acknowledgment (квитирование). */
import { Kid, XNode, decimal, el, leaf, opt } from "../envelope/xml";
import { NsiRef, checkCount, container, list, nsiRef, transportGuid } from "./common";

export const VERSIONS = {
  importPaymentDocumentRequest: "11.2.0.16",
  importAcknowledgmentRequest: "11.0.0.2",
  /** Not fixed: the newest format the annotation lists. */
  exportPaymentDocumentRequest: "13.1.0.1",
  /** Required but neither fixed nor listed by the schema: the service's base format (that of its getStateResult). */
  exportNotificationsOfOrderExecutionRequest: "10.0.1.1",
  exportNotificationsOfOrderExecutionPaginalRequest: "10.0.1.1",
} as const;

/** The versions the annotations allow where base:version is not fixed. */
export const ALLOWED_VERSIONS = { exportPaymentDocumentRequest: ["11.2.0.10", "12.2.0.1", "13.1.0.1"] } as const;

const money = (v: number) => decimal(v, 2);

export interface ChargeInput {
  kind: "housing" | "additional" | "municipal";
  /** The service reference: NSI 50 for housing services, the organization's NSI 1/51 element for additional/municipal. */
  serviceType: NsiRef;
  /** Tariff, up to 6 fraction digits. */
  rate: number;
  /** Amount payable for the period, rubles. */
  totalPayable: number;
  accountingPeriodTotal?: number;
  calcExplanation?: string;
  paymentInformationKey?: string;
}

export interface PaymentDocumentInput {
  transportGuid: string;
  /** The account (ЛС) GUID in GIS. */
  accountGuid: string;
  number?: string;
  charges: ChargeInput[];
  /** Expose (выставить) the document at once. */
  expose?: boolean;
  debtPreviousPeriods?: number;
  advanceBillingPeriod?: number;
  totalPayableByPD?: number;
  /** Requisites: the PaymentInformation TransportGUID of this request (or its GIS GUID). */
  paymentInformationKey: string;
  /** Amount payable by these requisites; omitted → no PaymentInformationDetails. */
  totalPayableByPaymentInformation?: number;
  debtPreviousPeriodsOrAdvance?: number;
  totalPayableWithDebtAndAdvance?: number;
}

export interface PaymentInformationInput {
  transportGuid: string;
  bankBik: string;
  operatingAccountNumber: string;
}

export type ImportPaymentDocumentInput =
  | {
      month: number;
      year: number;
      confirmAmountsCorrect?: boolean;
      paymentInformation: PaymentInformationInput[];
      /** 1..500 documents. */
      documents: PaymentDocumentInput[];
    }
  | { withdraw: Array<{ transportGuid: string; paymentDocumentId: string }> };

const CHARGE_ELEMENT = { housing: "bills:HousingService", additional: "bills:AdditionalService", municipal: "bills:MunicipalService" } as const;

function charge(c: ChargeInput): XNode {
  return el("bills:ChargeInfo", null, el(CHARGE_ELEMENT[c.kind], null,
    nsiRef("bills:ServiceType", c.serviceType), leaf("bills:Rate", decimal(c.rate)), leaf("bills:TotalPayable", money(c.totalPayable)),
    c.accountingPeriodTotal === undefined ? null : leaf("bills:AccountingPeriodTotal", money(c.accountingPeriodTotal)),
    opt("bills:CalcExplanation", c.calcExplanation), opt("bills:PaymentInformationKey", c.paymentInformationKey)));
}

function document(d: PaymentDocumentInput): XNode {
  const m = (name: string, v: number | undefined): Kid => (v === undefined ? null : leaf(name, money(v)));
  return el("bills:PaymentDocument", null,
    leaf("account-base:AccountGuid", d.accountGuid), opt("bills-base:PaymentDocumentNumber", d.number),
    d.charges.map(charge),
    d.expose ? leaf("bills:Expose", "true") : null,
    m("bills:DebtPreviousPeriods", d.debtPreviousPeriods), m("bills:AdvanceBllingPeriod", d.advanceBillingPeriod),
    m("bills:TotalPayableByPD", d.totalPayableByPD),
    transportGuid(d.transportGuid),
    leaf("bills:PaymentInformationKey", d.paymentInformationKey),
    d.totalPayableByPaymentInformation === undefined ? null : el("bills:PaymentInformationDetails", null,
      leaf("bills:TotalPayableByPaymentInformation", money(d.totalPayableByPaymentInformation)),
      m("bills:DebtPreviousPeriodsOrAdvanceBillingPeriod", d.debtPreviousPeriodsOrAdvance),
      m("bills:TotalPayableWithDebtAndAdvance", d.totalPayableWithDebtAndAdvance)));
}

export function importPaymentDocumentBody(i: ImportPaymentDocumentInput): XNode {
  const V = VERSIONS.importPaymentDocumentRequest;
  if ("withdraw" in i) {
    checkCount("importPaymentDocumentData", "WithdrawPaymentDocument", i.withdraw.length, 1, 1000);
    return container("bills:importPaymentDocumentRequest", V, i.withdraw.map((w) =>
      el("bills:WithdrawPaymentDocument", null, transportGuid(w.transportGuid), leaf("bills-base:PaymentDocumentID", w.paymentDocumentId))));
  }
  checkCount("importPaymentDocumentData", "PaymentDocument", i.documents.length, 1, 500);
  checkCount("importPaymentDocumentData", "PaymentInformation", i.paymentInformation.length, 1, Infinity);
  return container("bills:importPaymentDocumentRequest", V,
    i.confirmAmountsCorrect ? leaf("bills:ConfirmAmountsCorrect", "true") : null,
    leaf("base:Month", i.month), leaf("base:Year", i.year),
    i.paymentInformation.map((p) => el("bills:PaymentInformation", null, leaf("payments-base:BankBIK", p.bankBik),
      leaf("payments-base:operatingAccountNumber", p.operatingAccountNumber), transportGuid(p.transportGuid))),
    i.documents.map(document));
}

export interface AcknowledgmentInput {
  transportGuid: string;
  /** The notification: by its GIS GUID, or by OrderID + the payee organization. */
  notificationGuid?: string;
  order?: { orderId: string; orgPPAGUID: string };
  /** Match with a payment document's service, for an amount; or declare acknowledgment impossible. */
  paymentDocument?: {
    paymentDocumentId: string;
    /** The charge's service: housing/municipal/additional service GUIDs or NSI refs. */
    service: { hs: string } | { ms: string } | { as: string } | { pservice: NsiRef } | { tms: NsiRef };
    amount: number;
    paymentDocumentNumber?: string;
  };
  impossible?: { paymentDocumentId?: string; reason?: string };
}

export interface ImportAcknowledgmentInput {
  /** 1..100 requests. */
  acknowledgments: AcknowledgmentInput[];
}

export function importAcknowledgmentBody(i: ImportAcknowledgmentInput): XNode {
  checkCount("importAcknowledgment", "AcknowledgmentRequestInfo", i.acknowledgments.length, 1, 100);
  return container("bills:importAcknowledgmentRequest", VERSIONS.importAcknowledgmentRequest, i.acknowledgments.map((a) => {
    if (!a.notificationGuid === !a.order) throw new Error("importAcknowledgment: укажите notificationGuid либо order");
    if (!a.paymentDocument === !a.impossible) throw new Error("importAcknowledgment: укажите paymentDocument либо impossible");
    const p = a.paymentDocument;
    const s = p?.service;
    return el("bills:AcknowledgmentRequestInfo", null,
      a.notificationGuid ? leaf("payments-base:NotificationsOfOrderExecutionGUID", a.notificationGuid)
        : [leaf("payments-base:OrderID", a.order!.orderId), leaf("base:orgPPAGUID", a.order!.orgPPAGUID)],
      p && s ? el("payments-base:PaymentDocumentAck", null, leaf("bills-base:PaymentDocumentID", p.paymentDocumentId),
        "hs" in s ? leaf("payments-base:HSType", s.hs) : "ms" in s ? leaf("payments-base:MSType", s.ms) : "as" in s ? leaf("payments-base:ASType", s.as)
          : "pservice" in s ? nsiRef("payments-base:PServiceType", s.pservice) : nsiRef("payments-base:TMSType", s.tms),
        leaf("payments-base:Amount", money(p.amount)), opt("bills-base:PaymentDocumentNumber", p.paymentDocumentNumber))
        : el("payments-base:AckImpossible", null, opt("bills-base:PaymentDocumentID", a.impossible!.paymentDocumentId), opt("payments-base:Reason", a.impossible!.reason)),
      transportGuid(a.transportGuid));
  }));
}

/** exportPaymentDocumentData: by document IDs, or for a period by ЕЛС / house + account or document numbers / ИЖКУ / account GUIDs (1..1000 each). */
export type ExportPaymentDocumentInput = (
  | { paymentDocumentIds: string[] }
  | ({ year: number; month: number } & (
      | { unifiedAccountNumbers: string[] }
      | { fiasHouseGuid: string; accountNumbers: string[] }
      | { fiasHouseGuid: string; paymentDocumentNumbers: string[] }
      | { serviceIds: string[] }
      | { accountGuids: string[] }
    ))
) & { version?: string };

export function exportPaymentDocumentBody(i: ExportPaymentDocumentInput): XNode {
  const op = "exportPaymentDocumentData";
  let kids: Kid;
  if ("paymentDocumentIds" in i) kids = list(op, "bills-base:PaymentDocumentID", i.paymentDocumentIds, 1, 1000);
  else {
    kids = [leaf("base:Year", i.year), leaf("base:Month", i.month),
      "unifiedAccountNumbers" in i ? list(op, "account-base:UnifiedAccountNumber", i.unifiedAccountNumbers, 1, 1000)
        : "accountNumbers" in i ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), list(op, "account-base:AccountNumber", i.accountNumbers, 1, 1000)]
          : "paymentDocumentNumbers" in i ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), list(op, "bills-base:PaymentDocumentNumber", i.paymentDocumentNumbers, 1, 1000)]
            : "serviceIds" in i ? list(op, "account-base:ServiceID", i.serviceIds, 1, 1000)
              : list(op, "bills:AccountGUID", i.accountGuids, 1, 1000)];
  }
  return container("bills:exportPaymentDocumentRequest", i.version ?? VERSIONS.exportPaymentDocumentRequest, kids);
}

/** bills:AckStatus: 0 new, 1 annulled, 2 acknowledged, 3 partly, 4 preliminarily, 5 impossible to acknowledge. */
export type AckStatus = 0 | 1 | 2 | 3 | 4 | 5;

/**
 * exportNotificationsOfOrderExecution: payment notices (other organizations' included) by the charge's
 * requisites (a document; or ЕЛС / house + account or document number / ИЖКУ, optionally for a month),
 * or by the notice (its GUID; or a period of 1..7 days from a date with the acknowledgment statuses wanted).
 */
export type ExportNotificationsInput =
  | { paymentDocumentId: string }
  | ({ year?: number; month?: number } & ({ unifiedAccountNumber: string } | { fiasHouseGuid: string; accountNumber: string } | { fiasHouseGuid: string; paymentDocumentNumber: string } | { serviceId: string }))
  | { notificationGuid: string }
  | { dateFrom: string; days: number; ackStatuses: AckStatus[] };

export type ExportNotificationsPaginalInput = ExportNotificationsInput & {
  /** Paging: the ExportNotificationsOfOrderExecutionGUID of the previous page's answer. */
  exportGuid?: string;
  /** 100..1000 notices per page. */
  pageSize?: number;
};

function notificationsCriteria(op: string, i: ExportNotificationsInput): XNode {
  if ("notificationGuid" in i) return el("bills:Notifications", null, leaf("payments-base:NotificationsOfOrderExecutionGUID", i.notificationGuid));
  if ("dateFrom" in i) {
    if (!Number.isInteger(i.days) || i.days < 1 || i.days > 7) throw new Error(`${op}: DaysInterval — от 1 до 7 дней, передано ${i.days}`);
    checkCount(op, "AckStatus", i.ackStatuses.length, 1, 6);
    return el("bills:Notifications", null, leaf("bills:DaysInterval", i.days), i.ackStatuses.map((s) => leaf("bills:AckStatus", s)), leaf("bills:DateFrom", i.dateFrom));
  }
  if ("paymentDocumentId" in i) return el("bills:SupplierIDs", null, leaf("bills-base:PaymentDocumentID", i.paymentDocumentId));
  if ((i.year === undefined) !== (i.month === undefined)) throw new Error(`${op}: год и месяц задаются вместе`);
  return el("bills:SupplierIDs", null, i.year === undefined ? null : [leaf("base:Year", i.year), leaf("base:Month", i.month!)],
    "unifiedAccountNumber" in i ? leaf("account-base:UnifiedAccountNumber", i.unifiedAccountNumber)
      : "accountNumber" in i ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), leaf("account-base:AccountNumber", i.accountNumber)]
        : "paymentDocumentNumber" in i ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), leaf("bills-base:PaymentDocumentNumber", i.paymentDocumentNumber)]
          : leaf("account-base:ServiceID", i.serviceId));
}

export function exportNotificationsOfOrderExecutionBody(i: ExportNotificationsInput): XNode {
  return container("bills:exportNotificationsOfOrderExecutionRequest", VERSIONS.exportNotificationsOfOrderExecutionRequest, notificationsCriteria("exportNotificationsOfOrderExecution", i));
}

export function exportNotificationsOfOrderExecutionPaginalBody(i: ExportNotificationsPaginalInput): XNode {
  const op = "exportNotificationsOfOrderExecutionPaginal";
  if (i.pageSize !== undefined && (!Number.isInteger(i.pageSize) || i.pageSize < 100 || i.pageSize > 1000)) throw new Error(`${op}: PageSize — от 100 до 1000, передано ${i.pageSize}`);
  return container("bills:exportNotificationsOfOrderExecutionPaginalRequest", VERSIONS.exportNotificationsOfOrderExecutionPaginalRequest,
    notificationsCriteria(op, i), opt("bills:ExportNotificationsOfOrderExecutionGUID", i.exportGuid), opt("bills:PageSize", i.pageSize));
}

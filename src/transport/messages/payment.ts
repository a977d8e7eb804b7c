/** payment: notifications of order execution (incoming payments) and their cancellation. */
import { Kid, XNode, el, leaf, opt } from "../envelope/xml";
import { checkCount, container, flag, transportGuid } from "./common";

export const VERSIONS = { importNotificationsOfOrderExecutionRequest: "10.0.1.1", importNotificationsOfOrderExecutionCancellationRequest: "10.0.1.1" } as const;

export interface PaymentRequisites {
  recipientInn: string;
  recipientKpp?: string;
  bankName: string;
  paymentRecipient: string;
  bankBik: string;
  /** 20-digit settlement account. */
  operatingAccountNumber: string;
}

export interface NotificationInput {
  transportGuid: string;
  supplier?: { id?: string; name?: string };
  recipient: {
    inn: string;
    /** A legal entity (KPP + name), an individual entrepreneur by full name, or by FIO parts. */
    legal?: { kpp: string; name: string };
    entrepreneurFio?: string;
    entrepreneur?: { surname: string; firstName: string; patronymic?: string };
    paymentInformation: PaymentRequisites;
  };
  order: {
    /** 32-character payment order id, unique per notification. */
    orderId: string;
    /** xs:date */
    orderDate: string;
    orderNum?: string;
    /** Amount in kopecks (integer). */
    amountKopecks: number;
    paymentPurpose?: string;
    onlinePayment?: boolean;
    comment?: string;
    paymentDocumentId?: string;
    paymentDocumentNumber?: string;
    year?: number;
    month?: number;
    unifiedAccountNumber?: string;
    serviceId?: string;
    accountNumber?: string;
  };
}

export interface ImportNotificationsInput {
  /** 1..500 notifications. */
  notifications: NotificationInput[];
}

export interface CancellationInput {
  transportGuid: string;
  /** The OrderID of the notification to cancel. */
  orderId: string;
  /** xs:date */
  cancellationDate: string;
  comment?: string;
}

export interface ImportCancellationsInput {
  cancellations: CancellationInput[];
}

function requisites(p: PaymentRequisites): Kid[] {
  return [leaf("payments-base:RecipientINN", p.recipientInn), opt("payments-base:RecipientKPP", p.recipientKpp), leaf("payments-base:BankName", p.bankName),
    leaf("payments-base:PaymentRecipient", p.paymentRecipient), leaf("payments-base:BankBIK", p.bankBik),
    leaf("payments-base:operatingAccountNumber", p.operatingAccountNumber)];
}

function notification(n: NotificationInput): XNode {
  const r = n.recipient;
  const o = n.order;
  if (!Number.isInteger(o.amountKopecks) || o.amountKopecks < 0) throw new Error(`importNotificationsOfOrderExecution: сумма «${o.amountKopecks}» — целое число копеек`);
  if ((o.year === undefined) !== (o.month === undefined)) throw new Error("importNotificationsOfOrderExecution: год и месяц задаются вместе");
  return el("pay:NotificationOfOrderExecutionType", null,
    n.supplier ? el("payments-base:SupplierInfo", null, opt("payments-base:SupplierID", n.supplier.id), opt("payments-base:SupplierName", n.supplier.name)) : null,
    el("payments-base:RecipientInfo", null, leaf("org-base:INN", r.inn),
      r.legal ? el("payments-base:Legal", null, leaf("org-base:KPP", r.legal.kpp), leaf("payments-base:Name", r.legal.name))
        : r.entrepreneur ? el("payments-base:Entpr", null, leaf("ind-base:Surname", r.entrepreneur.surname), leaf("ind-base:FirstName", r.entrepreneur.firstName), opt("ind-base:Patronymic", r.entrepreneur.patronymic))
          : leaf("payments-base:EntprFIO", r.entrepreneurFio ?? ""),
      el("payments-base:PaymentInformation", null, requisites(r.paymentInformation))),
    el("payments-base:OrderInfo", null, leaf("payments-base:OrderID", o.orderId), leaf("payments-base:OrderDate", o.orderDate), opt("payments-base:OrderNum", o.orderNum),
      leaf("payments-base:Amount", String(o.amountKopecks)), opt("payments-base:PaymentPurpose", o.paymentPurpose), flag("payments-base:OnlinePayment", o.onlinePayment),
      opt("payments-base:Comment", o.comment), opt("bills-base:PaymentDocumentID", o.paymentDocumentId), opt("bills-base:PaymentDocumentNumber", o.paymentDocumentNumber),
      o.year !== undefined ? [leaf("base:Year", o.year), leaf("base:Month", o.month!)] : null,
      opt("account-base:UnifiedAccountNumber", o.unifiedAccountNumber),
      o.serviceId ? el("payments-base:Service", null, leaf("account-base:ServiceID", o.serviceId)) : null,
      opt("account-base:AccountNumber", o.accountNumber)),
    transportGuid(n.transportGuid));
}

export function importNotificationsOfOrderExecutionBody(i: ImportNotificationsInput): XNode {
  checkCount("importNotificationsOfOrderExecution", "NotificationOfOrderExecutionType", i.notifications.length, 1, 500);
  return container("pay:importNotificationsOfOrderExecutionRequest", VERSIONS.importNotificationsOfOrderExecutionRequest, i.notifications.map(notification));
}

export function importNotificationsOfOrderExecutionCancellationBody(i: ImportCancellationsInput): XNode {
  checkCount("importNotificationsOfOrderExecutionCancellation", "NotificationOfOrderExecutionCancellation", i.cancellations.length, 1, 500);
  return container("pay:importNotificationsOfOrderExecutionCancellationRequest", VERSIONS.importNotificationsOfOrderExecutionCancellationRequest,
    i.cancellations.map((c) => el("pay:NotificationOfOrderExecutionCancellation", null,
      leaf("payments-base:OrderID", c.orderId),
      leaf("payments-base:CancellationDate", c.cancellationDate), opt("payments-base:Comment", c.comment), transportGuid(c.transportGuid))));
}

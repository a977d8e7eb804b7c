/**
 * importNotificationsOfOrderExecution (payment): payments taken at our own cash desks, as
 * notifications of order execution of a payment agent. Amounts travel in kopecks. GIS finds the
 * bill by its ИПД, or the account by its ЕЛС, so one of them must be known; the recipient's
 * requisites come from the bill. An unknown outcome is reconciled by
 * exportNotificationsOfOrderExecution of the days around the send. When the organization posts its
 * payments as the executor (payments.asExecutor), importSupplierNotificationsOfOrderExecution does.
 */
import { Organization, Payment } from "../../../entities";
import { loadAt } from "../../storage/identity/store";
import { Kid, XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { checkCount, container, flag, transportGuid } from "../../transport/messages/common";
import { lower } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE, isBik, isInn, isSettlementAccount } from "../../stages/preflight";
import { ids, whereAccountInScope, whereNeedsSending, whereObjects } from "../../stages/select";
import { ALL_ACK_STATUSES, DAY_MS, exportedNotices } from "../bills/notices";
import { defineMethod } from "../method";
import { DETAILS_CODE } from "./export-payment-document-details";
import { kopecks, postsAsExecutor } from "./payment-requisites";

export { kopecks };

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

const OP = "importNotificationsOfOrderExecution";

function requisites(p: PaymentRequisites): Kid[] {
  return [
    leaf("payments-base:RecipientINN", p.recipientInn),
    opt("payments-base:RecipientKPP", p.recipientKpp),
    leaf("payments-base:BankName", p.bankName),
    leaf("payments-base:PaymentRecipient", p.paymentRecipient),
    leaf("payments-base:BankBIK", p.bankBik),
    leaf("payments-base:operatingAccountNumber", p.operatingAccountNumber),
  ];
}

function notification(n: NotificationInput): XNode {
  const r = n.recipient;
  const o = n.order;
  if (!Number.isInteger(o.amountKopecks) || o.amountKopecks < 0) throw new Error(`${OP}: сумма «${o.amountKopecks}» — целое число копеек`);
  if ((o.year === undefined) !== (o.month === undefined)) throw new Error(`${OP}: год и месяц задаются вместе`);
  return el(
    "pay:NotificationOfOrderExecutionType",
    null,
    n.supplier
      ? el("payments-base:SupplierInfo", null, opt("payments-base:SupplierID", n.supplier.id), opt("payments-base:SupplierName", n.supplier.name))
      : null,
    el(
      "payments-base:RecipientInfo",
      null,
      leaf("org-base:INN", r.inn),
      r.legal
        ? el("payments-base:Legal", null, leaf("org-base:KPP", r.legal.kpp), leaf("payments-base:Name", r.legal.name))
        : r.entrepreneur
          ? el(
              "payments-base:Entpr",
              null,
              leaf("ind-base:Surname", r.entrepreneur.surname),
              leaf("ind-base:FirstName", r.entrepreneur.firstName),
              opt("ind-base:Patronymic", r.entrepreneur.patronymic),
            )
          : leaf("payments-base:EntprFIO", r.entrepreneurFio ?? ""),
      el("payments-base:PaymentInformation", null, requisites(r.paymentInformation)),
    ),
    el(
      "payments-base:OrderInfo",
      null,
      leaf("payments-base:OrderID", o.orderId),
      leaf("payments-base:OrderDate", o.orderDate),
      opt("payments-base:OrderNum", o.orderNum),
      leaf("payments-base:Amount", String(o.amountKopecks)),
      opt("payments-base:PaymentPurpose", o.paymentPurpose),
      flag("payments-base:OnlinePayment", o.onlinePayment),
      opt("payments-base:Comment", o.comment),
      opt("bills-base:PaymentDocumentID", o.paymentDocumentId),
      opt("bills-base:PaymentDocumentNumber", o.paymentDocumentNumber),
      o.year !== undefined ? [leaf("base:Year", o.year), leaf("base:Month", o.month!)] : null,
      opt("account-base:UnifiedAccountNumber", o.unifiedAccountNumber),
      o.serviceId ? el("payments-base:Service", null, leaf("account-base:ServiceID", o.serviceId)) : null,
      opt("account-base:AccountNumber", o.accountNumber),
    ),
    transportGuid(n.transportGuid),
  );
}

function body(i: ImportNotificationsInput, version: string): XNode {
  checkCount(OP, "NotificationOfOrderExecutionType", i.notifications.length, 1, 500);
  return container("pay:importNotificationsOfOrderExecutionRequest", version, i.notifications.map(notification));
}

export const importNotificationsOfOrderExecution = defineMethod<ImportNotificationsInput, Omit<NotificationInput, "transportGuid">>({
  name: OP,
  service: "payment",
  element: "importNotificationsOfOrderExecutionRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  batch: { element: "NotificationOfOrderExecutionType", max: 500 },
  body,

  descriptor: {
    stage: "payments",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "payment",
    batchSetting: "batch.paymentNotices",
    defaultBatch: 500,
    safeToRepeat: false,
    // "Check payments" first, in every mode: our payments are posted only after what GIS has is known.
    after: ["importPaymentDocumentData", "exportNotificationsOfOrderExecution", "exportPaymentDocumentDetails"],

    async select(ds, scope, mode, ctx) {
      if (scope.action || postsAsExecutor(ctx)) return [];
      const qb = ds
        .getRepository(Payment)
        .createQueryBuilder("p")
        .where("p.organizationId = :org", { org: scope.organizationId })
        .andWhere("p.source = 'own'")
        .andWhere("p.annulled = :no", { no: false });
      await whereAccountInScope(qb, "p.accountId", ds, scope);
      return ids(whereNeedsSending(whereObjects(qb, "p", scope), "p", mode, "gisGuid", ctx.stand, scope), "p");
    },

    async prepare(ds, paymentIds, ctx) {
      const payments = [...(await loadAt(ds, "payment", paymentIds, ctx.stand)).values()];
      const docs = await loadAt(
        ds,
        "payment_document",
        payments.map((p) => p.paymentDocumentId),
        ctx.stand,
      );
      const accounts = await loadAt(
        ds,
        "account",
        payments.map((p) => p.accountId),
        ctx.stand,
      );
      const us = await ds.getRepository(Organization).findOneByOrFail({ id: ctx.organizationId });
      const ready: Array<{ objectId: number; data: Omit<NotificationInput, "transportGuid"> }> = [];
      const rejected: Rejection[] = [];
      for (const p of payments) {
        const doc = p.paymentDocumentId !== null ? docs.get(p.paymentDocumentId) : undefined;
        const account = p.accountId !== null ? accounts.get(p.accountId) : undefined;
        const c = new Checks(p.id, [
          ["Платёж", p.orderNumber ?? p.orderId],
          ["Дата", p.orderDate],
          ["Лицевой", account?.number],
        ]);
        c.fail(
          p.sync.errorCode === DETAILS_CODE,
          DETAILS_CODE as (typeof PRE)[keyof typeof PRE],
          "paymentDocumentId",
          p.sync.errorText ?? "Реквизиты платёжного документа в ГИС ЖКХ не совпадают с нашими",
        );
        c.fail(p.amount <= 0, PRE.amount, "amount", "Сумма платежа должна быть больше нуля");
        const pd = p.gisPaymentDocumentId ?? doc?.gisPaymentDocumentId ?? null;
        const els = p.unifiedAccountNumber ?? account?.unifiedNumber ?? null;
        c.fail(!pd && !els, PRE.noParentGuid, "paymentDocumentId", "Отсутствует идентификатор платёжного документа (ИПД) и единый лицевой счёт (ЕЛС)");
        c.fail(!isInn(us.inn), PRE.requisites, "organization.inn", "Не указан или неверен ИНН получателя платежа");
        c.fail(
          !isBik(doc?.bankBik ?? null) || !isSettlementAccount(doc?.operatingAccount ?? null),
          PRE.requisites,
          "paymentDocument.bankBik",
          "Не указаны платёжные реквизиты получателя (БИК и расчётный счёт платёжного документа)",
        );
        if (!c.ok) {
          rejected.push(c.first);
          continue;
        }
        ready.push({
          objectId: p.id,
          data: {
            recipient: {
              inn: us.inn!,
              ...(us.kpp ? { legal: { kpp: us.kpp, name: us.shortName ?? us.fullName } } : { entrepreneurFio: us.fullName }),
              // The model keeps no bank name: GIS requires one, the BIK identifies the bank.
              paymentInformation: {
                recipientInn: us.inn!,
                ...(us.kpp ? { recipientKpp: us.kpp } : {}),
                bankName: `БИК ${doc!.bankBik}`,
                paymentRecipient: us.shortName ?? us.fullName,
                bankBik: doc!.bankBik!,
                operatingAccountNumber: doc!.operatingAccount!,
              },
            },
            order: {
              orderId: p.orderId,
              orderDate: p.orderDate,
              ...(p.orderNumber ? { orderNum: p.orderNumber } : {}),
              amountKopecks: kopecks(p.amount),
              ...(pd ? { paymentDocumentId: pd } : { unifiedAccountNumber: els! }),
              ...(p.periodYear !== null && p.periodMonth !== null ? { year: p.periodYear, month: p.periodMonth } : {}),
              ...(account ? { accountNumber: account.number } : {}),
            },
          },
        });
      }
      return { ready, rejected };
    },

    payload: (batch) => ({ notifications: batch.map((b) => ({ ...b.data, transportGuid: b.transportGuid })) }),

    // A lost answer: the notices GIS created around now (it files them by creation date; a day either
    // side covers the stand's and GIS's clocks and Moscow time) show which of ours arrived, by OrderID.
    reconcile: {
      method: "exportNotificationsOfOrderExecution",
      payload: (_objects, ctx) => ({ dateFrom: new Date(ctx.now.getTime() - DAY_MS).toISOString().slice(0, 10), days: 3, ackStatuses: ALL_ACK_STATUSES }),
      found(answer, objects, ctx) {
        const ours = ctx.orgPPAGUID.toLowerCase();
        const byOrder = new Map(
          exportedNotices(answer)
            .filter((n) => n.orgPPAGUID === ours)
            .map((n) => [n.orderId, n.guid]),
        );
        const found = new Map<number, string>();
        for (const o of objects) {
          const guid = byOrder.get(o.data.order.orderId);
          if (guid) found.set(o.objectId, guid);
        }
        return found;
      },
    },

    async apply(em, _answer, matched, ctx) {
      await writeOutcomes(em, Payment, matched, ctx, (r) => (r.guid ? { gisGuid: lower(r.guid) } : {}));
    },
  },
});

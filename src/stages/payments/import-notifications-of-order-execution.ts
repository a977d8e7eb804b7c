/**
 * importNotificationsOfOrderExecution: payments taken at our own cash desks, as notifications of
 * order execution. Amounts travel in kopecks. GIS finds the bill by its ИПД, or the account by its
 * ЕЛС, so one of them must be known; the recipient's requisites come from the bill. An unknown
 * outcome is reconciled by exportNotificationsOfOrderExecution of the days around the send.
 */
import { Account, Organization, Payment, PaymentDocument } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { NotificationInput } from "../../transport/messages/payment";
import { lower } from "../answer";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId } from "../load";
import { writeOutcomes } from "../outcome";
import { ALL_ACK_STATUSES, DAY_MS, exportedNotices } from "./export-notifications-of-order-execution";
import { Checks, PRE, isBik, isInn, isSettlementAccount } from "../preflight";
import { ids, whereAccountInScope, whereNeedsSending, whereObjects } from "../select";

/** Roubles to the kopecks GIS wants, without float drift (1520.4 → 152040). */
export const kopecks = (roubles: number): number => Math.round(roubles * 100);

export const importNotificationsOfOrderExecution: MethodDescriptor<OperationInputs["importNotificationsOfOrderExecution"], Omit<NotificationInput, "transportGuid">> = {
  method: "importNotificationsOfOrderExecution",
  stage: "payments",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "payment",
  batchSetting: "batch.paymentNotices",
  defaultBatch: 500,
  safeToRepeat: false,
  after: ["importPaymentDocumentData"],

  async select(ds, scope, mode) {
    const qb = ds.getRepository(Payment).createQueryBuilder("p").where("p.organizationId = :org", { org: scope.organizationId })
      .andWhere("p.source = 'own'").andWhere("p.annulled = :no", { no: false });
    await whereAccountInScope(qb, "p.accountId", ds, scope);
    return ids(whereNeedsSending(whereObjects(qb, "p", scope), "p", mode, "gisGuid"), "p");
  },

  async prepare(ds, paymentIds, ctx) {
    const payments = [...(await byId(ds, Payment, paymentIds)).values()];
    const docs = await byId(ds, PaymentDocument, payments.map((p) => p.paymentDocumentId));
    const accounts = await byId(ds, Account, payments.map((p) => p.accountId));
    const us = await ds.getRepository(Organization).findOneByOrFail({ id: ctx.organizationId });
    const ready: Array<{ objectId: number; data: Omit<NotificationInput, "transportGuid"> }> = [];
    const rejected: Rejection[] = [];
    for (const p of payments) {
      const doc = p.paymentDocumentId !== null ? docs.get(p.paymentDocumentId) : undefined;
      const account = p.accountId !== null ? accounts.get(p.accountId) : undefined;
      const c = new Checks(p.id, [["Платёж", p.orderNumber ?? p.orderId], ["Дата", p.orderDate], ["Лицевой", account?.number]]);
      c.fail(p.amount <= 0, PRE.amount, "amount", "Сумма платежа должна быть больше нуля");
      const pd = p.gisPaymentDocumentId ?? doc?.gisPaymentDocumentId ?? null;
      const els = p.unifiedAccountNumber ?? account?.unifiedNumber ?? null;
      c.fail(!pd && !els, PRE.noParentGuid, "paymentDocumentId", "Отсутствует идентификатор платёжного документа (ИПД) и единый лицевой счёт (ЕЛС)");
      c.fail(!isInn(us.inn), PRE.requisites, "organization.inn", "Не указан или неверен ИНН получателя платежа");
      c.fail(!isBik(doc?.bankBik ?? null) || !isSettlementAccount(doc?.operatingAccount ?? null), PRE.requisites, "paymentDocument.bankBik",
        "Не указаны платёжные реквизиты получателя (БИК и расчётный счёт платёжного документа)");
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
            paymentInformation: { recipientInn: us.inn!, ...(us.kpp ? { recipientKpp: us.kpp } : {}), bankName: `БИК ${doc!.bankBik}`, paymentRecipient: us.shortName ?? us.fullName, bankBik: doc!.bankBik!, operatingAccountNumber: doc!.operatingAccount! },
          },
          order: {
            orderId: p.orderId, orderDate: p.orderDate, ...(p.orderNumber ? { orderNum: p.orderNumber } : {}), amountKopecks: kopecks(p.amount),
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
      const byOrder = new Map(exportedNotices(answer).filter((n) => n.orgPPAGUID === ours).map((n) => [n.orderId, n.guid]));
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
};

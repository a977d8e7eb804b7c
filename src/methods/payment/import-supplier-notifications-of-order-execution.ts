/**
 * importSupplierNotificationsOfOrderExecution (payment): notices of payments placed by the executor
 * of the services («размещаемые исполнителем») — our cash desks' payments when the organization
 * places them as the supplier of the bills rather than as a payment agent (setting
 * payments.asExecutor; then importNotificationsOfOrderExecution selects nothing). A notice names
 * the bill by its ИПД or the service by its ИЖКУ, the date and the amount (roubles); GIS gives it
 * its GUID and an OrderID of its own, so a lost answer is reconciled by
 * exportNotificationsOfOrderExecution of the days around the send, matching document (or ИЖКУ),
 * date and amount. Up to 250 notices per request.
 */
import { Payment } from "../../../entities";
import { loadAt } from "../../storage/identity/store";
import { XNode, decimal, el, leaf } from "../../transport/envelope/xml";
import { checkCount, container, flag, transportGuid } from "../../transport/messages/common";
import { lower } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE } from "../../stages/preflight";
import { ids, whereAccountInScope, whereNeedsSending, whereObjects } from "../../stages/select";
import { ALL_ACK_STATUSES, DAY_MS, exportedNotices } from "../bills/notices";
import { defineMethod } from "../method";
import { kopecks, postsAsExecutor } from "./payment-requisites";

export interface SupplierNoticeInput {
  transportGuid: string;
  /** xs:date: when the payer paid (or the money came in). */
  orderDate: string;
  period?: { month: number; year: number };
  /** The bill (ИПД) — or, without one, the service (ИЖКУ). */
  paymentDocumentId?: string;
  serviceId?: string;
  /** Roubles, two decimals. */
  amount: number;
  onlinePayment?: boolean;
}

export interface ImportSupplierNoticesInput {
  /** 1..250 notices. */
  notices: SupplierNoticeInput[];
}

const OP = "importSupplierNotificationsOfOrderExecution";

function notice(n: SupplierNoticeInput): XNode {
  if (!n.paymentDocumentId === !n.serviceId) throw new Error(`${OP}: укажите paymentDocumentId (ИПД) либо serviceId (ИЖКУ)`);
  if (!(n.amount > 0)) throw new Error(`${OP}: сумма «${n.amount}» должна быть больше нуля`);
  return el(
    "pay:SupplierNotificationOfOrderExecution",
    null,
    leaf("pay:OrderDate", n.orderDate),
    n.period ? el("pay:OrderPeriod", null, leaf("base:Month", n.period.month), leaf("base:Year", n.period.year)) : null,
    n.paymentDocumentId ? leaf("bills-base:PaymentDocumentID", n.paymentDocumentId) : leaf("account-base:ServiceID", n.serviceId!),
    leaf("pay:Amount", decimal(n.amount, 2)),
    flag("pay:OnlinePayment", n.onlinePayment),
    transportGuid(n.transportGuid),
  );
}

function body(i: ImportSupplierNoticesInput, version: string): XNode {
  checkCount(OP, "SupplierNotificationOfOrderExecution", i.notices.length, 1, 250);
  return container("pay:importSupplierNotificationsOfOrderExecutionRequest", version, i.notices.map(notice));
}

type NoticeData = Omit<SupplierNoticeInput, "transportGuid">;

/** How a reconciling export recognizes the notice: the bill or service, the date, the amount in kopecks. */
const keyOf = (ref: string | null | undefined, date: string, amountKopecks: number) => `${ref ?? ""}|${date}|${amountKopecks}`;

export const importSupplierNotificationsOfOrderExecution = defineMethod<ImportSupplierNoticesInput, NoticeData>({
  name: OP,
  service: "payment",
  element: "importSupplierNotificationsOfOrderExecutionRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  batch: { element: "SupplierNotificationOfOrderExecution", max: 250 },
  body,

  descriptor: {
    stage: "payments",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "payment",
    batchSetting: "batch.paymentNotices",
    defaultBatch: 250,
    safeToRepeat: false,
    after: ["importPaymentDocumentData", "exportNotificationsOfOrderExecution"],

    async select(ds, scope, mode, ctx) {
      if (scope.action || !postsAsExecutor(ctx)) return [];
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
      const ready: Array<{ objectId: number; data: NoticeData }> = [];
      const rejected: Rejection[] = [];
      for (const p of payments) {
        const doc = p.paymentDocumentId !== null ? docs.get(p.paymentDocumentId) : undefined;
        const account = p.accountId !== null ? accounts.get(p.accountId) : undefined;
        const c = new Checks(p.id, [
          ["Платёж", p.orderNumber ?? p.orderId],
          ["Дата", p.orderDate],
          ["Лицевой", account?.number],
        ]);
        c.fail(p.amount <= 0, PRE.amount, "amount", "Сумма платежа должна быть больше нуля");
        const pd = p.gisPaymentDocumentId ?? doc?.gisPaymentDocumentId ?? null;
        const service = account?.utilityServiceId ?? null;
        c.fail(
          !pd && !service,
          PRE.noParentGuid,
          "paymentDocumentId",
          "Отсутствует идентификатор платёжного документа (ИПД) и идентификатор ЖКУ (ИЖКУ) лицевого счёта",
        );
        if (!c.ok) {
          rejected.push(c.first);
          continue;
        }
        ready.push({
          objectId: p.id,
          data: {
            orderDate: p.orderDate,
            amount: p.amount,
            ...(pd ? { paymentDocumentId: pd } : { serviceId: service! }),
            ...(p.periodYear !== null && p.periodMonth !== null ? { period: { year: p.periodYear, month: p.periodMonth } } : {}),
          },
        });
      }
      return { ready, rejected };
    },

    payload: (batch) => ({ notices: batch.map((b) => ({ ...b.data, transportGuid: b.transportGuid })) }),

    reconcile: {
      method: "exportNotificationsOfOrderExecution",
      payload: (_objects, ctx) => ({ dateFrom: new Date(ctx.now.getTime() - DAY_MS).toISOString().slice(0, 10), days: 3, ackStatuses: ALL_ACK_STATUSES }),
      found(answer, objects, ctx) {
        const ours = ctx.orgPPAGUID.toLowerCase();
        // Identical payments (same bill, day and amount) are told apart by count: each notice is taken once.
        const free = new Map<string, string[]>();
        for (const n of exportedNotices(answer).filter((x) => x.orgPPAGUID === ours)) {
          const k = keyOf(n.paymentDocumentId, n.orderDate, n.amountKopecks);
          free.set(k, [...(free.get(k) ?? []), n.guid]);
        }
        const found = new Map<number, string>();
        for (const o of objects) {
          const guid = free.get(keyOf(o.data.paymentDocumentId ?? o.data.serviceId, o.data.orderDate, kopecks(o.data.amount)))?.shift();
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

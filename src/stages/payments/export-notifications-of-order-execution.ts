/**
 * exportNotificationsOfOrderExecution («Проверить оплату», «Проверить поступление платежей»): the
 * payment notices GIS holds for our bills and accounts over a period, before our own payments are
 * posted (the registry orders it before importNotificationsOfOrderExecution, and it runs in push
 * mode too, so posting never goes first).
 *  - Notices another organization (a bank, a payment agent) placed become payments with source
 *    "other", kept apart from ours and never sent (importNotificationsOfOrderExecution sends "own").
 *  - Notices we placed ourselves link our payment to its GIS GUID: a payment GIS already has is
 *    not posted a second time (the answer of an earlier posting may have been lost).
 *
 * The period: from the first day of the previous month to today. GIS gives notices by creation
 * date for at most 7 days per request (DaysInterval 1..7), so the objects are the 7-day windows of
 * the period, each identified by the day number (days since 1970-01-01) of its first day; objectType
 * "payment_period" has no table, so no object's sync state is touched by these operations.
 */
import { Account, Organization, Payment, PaymentDocument } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { AckStatus } from "../../transport/messages/bills";
import { child, children } from "../../transport/results/safe-xml";
import { lower, valueAt } from "../answer";
import { MethodDescriptor, Rejection } from "../descriptor";
import { findIn } from "../load";
import { acceptedState } from "../outcome";
import { Checks, PRE } from "../preflight";
import { previousMonthStart } from "../readings/export-metering-device-history";
import { StateAnswer } from "../types";

export const DAY_MS = 86_400_000;
const WINDOW_DAYS = 7;
export const ALL_ACK_STATUSES: AckStatus[] = [0, 1, 2, 3, 4, 5];

export interface PeriodWindow {
  dateFrom: string;
  days: number;
}

const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
const isoDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The 7-day windows (by first-day number) covering the check period as of `now`. */
export function checkWindows(now: Date): number[] {
  const first = dayNumber(previousMonthStart(now));
  const today = dayNumber(now.toISOString().slice(0, 10));
  const out: number[] = [];
  for (let d = first; d <= today; d += WINDOW_DAYS) out.push(d);
  return out;
}

/** A notice of an export answer, as the model needs it. */
export interface ExportedNotice {
  guid: string;
  /** Who placed it. */
  orgPPAGUID: string | null;
  orderId: string;
  orderDate: string;
  orderNum: string | null;
  amountKopecks: number;
  paymentDocumentId: string | null;
  unifiedAccountNumber: string | null;
  year: number | null;
  month: number | null;
  /** AckStatus 1: annulled. */
  annulled: boolean;
}

export function exportedNotices(answer: StateAnswer): ExportedNotice[] {
  const out: ExportedNotice[] = [];
  for (const result of children(answer.result, "exportNotificationsOfOrderExecutionResult")) {
    for (const n of children(result, "NotificationOfOrderExecutionWithStatus")) {
      const order = child(n, "OrderInfo");
      const guid = lower(valueAt(n, "NotificationsOfOrderExecutionGUID"));
      const orderId = order ? valueAt(order, "OrderID") : null;
      const amount = order ? Number(valueAt(order, "Amount")) : NaN;
      if (!order || !guid || !orderId || !Number.isFinite(amount)) continue;
      const orderDate = (valueAt(order, "OrderDate") ?? valueAt(n, "CreationDate") ?? "").slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(orderDate)) continue;
      const year = valueAt(order, "Year");
      const month = valueAt(order, "Month");
      out.push({
        guid, orgPPAGUID: lower(valueAt(n, "orgPPAGUID")), orderId, orderDate, orderNum: valueAt(order, "OrderNum"),
        amountKopecks: amount, paymentDocumentId: valueAt(order, "PaymentDocumentID"), unifiedAccountNumber: valueAt(order, "UnifiedAccountNumber"),
        year: year ? Number(year) : null, month: month ? Number(month) : null, annulled: valueAt(n, "AckStatus") === "1",
      });
    }
  }
  return out;
}

export const exportNotificationsOfOrderExecution: MethodDescriptor<OperationInputs["exportNotificationsOfOrderExecution"], PeriodWindow> = {
  method: "exportNotificationsOfOrderExecution",
  stage: "payments",
  kind: "export",
  modes: ["pull", "sync", "push"],
  objectType: "payment_period",
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: true,
  after: ["importPaymentDocumentData", "exportPaymentDocumentData"],

  async select(_ds, scope, _mode, ctx) {
    const windows = checkWindows(ctx.now);
    // Single objects of another kind (payments) do not ask for a check of the whole period.
    return scope.objectIds ? windows.filter((w) => scope.objectIds!.includes(w)) : windows;
  },

  async prepare(_ds, windowIds, ctx) {
    const today = dayNumber(ctx.now.toISOString().slice(0, 10));
    const ready: Array<{ objectId: number; data: PeriodWindow }> = [];
    const rejected: Rejection[] = [];
    for (const w of windowIds) {
      const c = new Checks(w, [["Период", `с ${isoDay(w)}`]]);
      c.fail(!ctx.orgPPAGUID, PRE.orgGuid, "organization.gisOrgPpaGuid", "Отсутствует идентификатор организации в ГИС (orgPPAGUID): сначала запросите сведения об организации");
      if (!c.ok) rejected.push(c.first);
      else ready.push({ objectId: w, data: { dateFrom: isoDay(w), days: Math.max(1, Math.min(WINDOW_DAYS, today - w + 1)) } });
    }
    return { ready, rejected };
  },

  payload: (batch) => ({ dateFrom: batch[0].data.dateFrom, days: batch[0].data.days, ackStatuses: ALL_ACK_STATUSES }),

  async apply(em, answer, _matched, ctx) {
    if (!answer.result || answer.error) return;
    const notices = exportedNotices(answer);
    if (notices.length === 0) return;
    const ours = ctx.orgPPAGUID.toLowerCase();

    // Ours: link the payment GIS already has, so it is not posted again.
    const own = notices.filter((n) => n.orgPPAGUID === ours);
    const ownPayments = await findIn(em, Payment, "orderId", own.map((n) => n.orderId), { organizationId: ctx.organizationId, source: "own" });
    for (const p of ownPayments) {
      const n = own.find((x) => x.orderId === p.orderId)!;
      if (p.gisGuid === n.guid) continue;
      await em.update(Payment, p.id, { gisGuid: n.guid, ...(p.annulled ? {} : { sync: acceptedState(ctx) }) });
    }

    // Others': payments placed by another organization, kept as source "other".
    const others = notices.filter((n) => n.orgPPAGUID !== ours);
    if (others.length === 0) return;
    const existing = new Map((await findIn(em, Payment, "externalId", others.map((n) => `gis:${n.guid}`))).map((p) => [p.externalId, p]));
    const docIds = unique(others.map((n) => n.paymentDocumentId));
    const els = unique(others.map((n) => n.unifiedAccountNumber));
    const placers = unique(others.map((n) => n.orgPPAGUID));
    const docs = await findIn(em, PaymentDocument, "gisPaymentDocumentId", docIds, { organizationId: ctx.organizationId });
    const accounts = await findIn(em, Account, "unifiedNumber", els, { organizationId: ctx.organizationId });
    const orgs = await findIn(em, Organization, "gisOrgPpaGuid", [...placers, ...placers.map((g) => g.toUpperCase())]);
    for (const n of others) {
      const prior = existing.get(`gis:${n.guid}`);
      if (prior) {
        if (prior.annulled !== n.annulled) await em.update(Payment, prior.id, { annulled: n.annulled, ...(n.annulled ? { annulledDate: ctx.now.toISOString().slice(0, 10) } : { annulledDate: null }) });
        continue;
      }
      const doc = n.paymentDocumentId ? docs.find((d) => d.gisPaymentDocumentId === n.paymentDocumentId) : undefined;
      const account = doc ? undefined : accounts.find((a) => a.unifiedNumber === n.unifiedAccountNumber);
      await em.insert(Payment, {
        externalId: `gis:${n.guid}`, organizationId: ctx.organizationId, orderId: n.orderId.slice(0, 32), orderDate: n.orderDate,
        orderNumber: n.orderNum ? n.orderNum.slice(0, 30) : null, amount: n.amountKopecks / 100,
        accountId: doc?.accountId ?? account?.id ?? null, paymentDocumentId: doc?.id ?? null,
        unifiedAccountNumber: n.unifiedAccountNumber, gisPaymentDocumentId: n.paymentDocumentId, serviceId: null,
        periodYear: n.year ?? doc?.periodYear ?? null, periodMonth: n.month ?? doc?.periodMonth ?? null,
        source: "other", sourceOrganizationId: orgs.find((o) => o.gisOrgPpaGuid?.toLowerCase() === n.orgPPAGUID)?.id ?? null,
        gisGuid: n.guid, annulled: n.annulled, annulledDate: n.annulled ? ctx.now.toISOString().slice(0, 10) : null,
        sync: { status: "ok", errorCode: null, errorText: null, transportGuid: null, lastOperationId: null, syncedAt: ctx.now, changedAt: null },
      });
    }
  },
};

const unique = (xs: Array<string | null>): string[] => [...new Set(xs.filter((x): x is string => !!x))];

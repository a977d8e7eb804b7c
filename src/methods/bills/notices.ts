/**
 * Payment notices (извещения о принятии к исполнению распоряжения) as the bills service exports
 * them, shared by exportNotificationsOfOrderExecution(…Paginal) and the methods reconciled through
 * them: the search criteria, the reader (with each notice's kvitirovanie — AckStatus, the amount
 * acknowledged and the per-service acknowledgment list), and the 7-day windows GIS asks by.
 */
import { XNode, el, leaf } from "../../transport/envelope/xml";
import { checkCount } from "../../transport/messages/common";
import { child, children } from "../../transport/results/safe-xml";
import { lower, valueAt } from "../../stages/answer";
import { StateAnswer } from "../../stages/types";

/** bills:AckStatus: 0 new, 1 annulled, 2 acknowledged, 3 partly, 4 preliminarily, 5 impossible to acknowledge. */
export type AckStatus = 0 | 1 | 2 | 3 | 4 | 5;
export const ALL_ACK_STATUSES: AckStatus[] = [0, 1, 2, 3, 4, 5];
export const DAY_MS = 86_400_000;
/** GIS gives notices by creation date for 1..7 days per request (DaysInterval). */
export const WINDOW_DAYS = 7;

/**
 * By the charge's requisites (a document; or ЕЛС / house + account or document number / ИЖКУ,
 * optionally for a month), or by the notice (its GUID; or 1..7 days from a date with the
 * acknowledgment statuses wanted).
 */
export type ExportNotificationsInput =
  | { paymentDocumentId: string }
  | ({ year?: number; month?: number } & (
      | { unifiedAccountNumber: string }
      | { fiasHouseGuid: string; accountNumber: string }
      | { fiasHouseGuid: string; paymentDocumentNumber: string }
      | { serviceId: string }
    ))
  | { notificationGuid: string }
  | { dateFrom: string; days: number; ackStatuses: AckStatus[] };

export function notificationsCriteria(op: string, i: ExportNotificationsInput): XNode {
  if ("notificationGuid" in i) return el("bills:Notifications", null, leaf("payments-base:NotificationsOfOrderExecutionGUID", i.notificationGuid));
  if ("dateFrom" in i) {
    if (!Number.isInteger(i.days) || i.days < 1 || i.days > WINDOW_DAYS) throw new Error(`${op}: DaysInterval — от 1 до 7 дней, передано ${i.days}`);
    checkCount(op, "AckStatus", i.ackStatuses.length, 1, 6);
    return el(
      "bills:Notifications",
      null,
      leaf("bills:DaysInterval", i.days),
      i.ackStatuses.map((s) => leaf("bills:AckStatus", s)),
      leaf("bills:DateFrom", i.dateFrom),
    );
  }
  if ("paymentDocumentId" in i) return el("bills:SupplierIDs", null, leaf("bills-base:PaymentDocumentID", i.paymentDocumentId));
  if ((i.year === undefined) !== (i.month === undefined)) throw new Error(`${op}: год и месяц задаются вместе`);
  return el(
    "bills:SupplierIDs",
    null,
    i.year === undefined ? null : [leaf("base:Year", i.year), leaf("base:Month", i.month!)],
    "unifiedAccountNumber" in i
      ? leaf("account-base:UnifiedAccountNumber", i.unifiedAccountNumber)
      : "accountNumber" in i
        ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), leaf("account-base:AccountNumber", i.accountNumber)]
        : "paymentDocumentNumber" in i
          ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), leaf("bills-base:PaymentDocumentNumber", i.paymentDocumentNumber)]
          : leaf("account-base:ServiceID", i.serviceId),
  );
}

/** One acknowledgment of a notice against a document's service, as GIS lists it. */
export interface NoticeAck {
  paymentDocumentId: string;
  /** HSType / MSType / ASType GUID (lower case), or the code of a PServiceType / TMSType reference. */
  service: string | null;
  /** Amount as the import writes it (roubles). */
  amount: number;
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
  ackStatus: AckStatus | null;
  /** AcknowledgmentAmount, kopecks. */
  acknowledgedKopecks: number;
  acks: NoticeAck[];
}

function acksOf(n: Element): NoticeAck[] {
  const list = child(n, "AcknowledgmentRequestsList");
  if (!list) return [];
  return children(list, "AcknowledgmentRequest").flatMap((r) => {
    const pd = child(r, "PaymentDocumentAck");
    if (!pd) return [];
    const id = valueAt(pd, "PaymentDocumentID");
    const amount = Number(valueAt(pd, "Amount"));
    if (!id || !Number.isFinite(amount)) return [];
    const service =
      lower(valueAt(pd, "HSType") ?? valueAt(pd, "MSType") ?? valueAt(pd, "ASType")) ?? valueAt(pd, "PServiceType/Code") ?? valueAt(pd, "TMSType/Code");
    return [{ paymentDocumentId: id, service, amount }];
  });
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
      const status = valueAt(n, "AckStatus");
      const acknowledged = Number(valueAt(n, "AcknowledgmentAmount") ?? 0);
      out.push({
        guid,
        orgPPAGUID: lower(valueAt(n, "orgPPAGUID")),
        orderId,
        orderDate,
        orderNum: valueAt(order, "OrderNum"),
        amountKopecks: amount,
        paymentDocumentId: valueAt(order, "PaymentDocumentID"),
        unifiedAccountNumber: valueAt(order, "UnifiedAccountNumber"),
        year: year ? Number(year) : null,
        month: month ? Number(month) : null,
        annulled: status === "1",
        ackStatus: status !== null && /^[0-5]$/.test(status) ? (Number(status) as AckStatus) : null,
        acknowledgedKopecks: Number.isFinite(acknowledged) ? acknowledged : 0,
        acks: acksOf(n),
      });
    }
  }
  return out;
}

export const dayNumber = (isoDate: string) => Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
export const isoDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The first day of the month before `now` (the start of the "check payments" period). */
export function previousMonthStart(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
}

/** The 7-day windows (by first-day number) covering the check period as of `now`. */
export function checkWindows(now: Date): number[] {
  const first = dayNumber(previousMonthStart(now));
  const today = dayNumber(now.toISOString().slice(0, 10));
  const out: number[] = [];
  for (let d = first; d <= today; d += WINDOW_DAYS) out.push(d);
  return out;
}

/**
 * The export window that holds a notice GIS accepted at `accepted` (our payment's syncedAt: GIS
 * created it before it answered, and a run's answers come within hours): from five days before to
 * the day after, seven days in all, one request. Notices accepted on the same day share a window.
 */
export function acceptedWindow(accepted: Date | null, now: Date): { dateFrom: string; days: number } {
  const day = dayNumber((accepted ?? now).toISOString().slice(0, 10));
  return { dateFrom: isoDay(day - (WINDOW_DAYS - 2)), days: WINDOW_DAYS };
}

/**
 * A window of a chosen period («Проверить платежи» with its dialog) is identified by its first
 * day, its length and the statuses asked — all of it in the id, because a resend rebuilds the
 * request from the ids alone. Such ids start at CHOSEN_BASE; a plain day number is a default window.
 */
const CHOSEN_BASE = 100_000_000;
const DAY_SPAN = 100_000;

export interface ChosenWindow {
  first: number;
  days: number;
  statuses: AckStatus[];
}

export function chosenWindows(from: string, to: string, statuses: number[] | undefined): number[] {
  const mask = (statuses ?? []).reduce((m, s) => m | (1 << s), 0);
  const out: number[] = [];
  const last = dayNumber(to);
  for (let d = dayNumber(from); d <= last; d += WINDOW_DAYS)
    out.push(CHOSEN_BASE + (mask * DAY_SPAN + d) * WINDOW_DAYS + (Math.min(WINDOW_DAYS, last - d + 1) - 1));
  return out;
}

/** The window an id stands for: a chosen one, or null for a default window (a plain day number). */
export function chosenWindow(id: number): ChosenWindow | null {
  if (id < CHOSEN_BASE) return null;
  const n = id - CHOSEN_BASE;
  const days = (n % WINDOW_DAYS) + 1;
  const rest = Math.floor(n / WINDOW_DAYS);
  const mask = Math.floor(rest / DAY_SPAN);
  const statuses = ALL_ACK_STATUSES.filter((s) => mask & (1 << s));
  return { first: rest % DAY_SPAN, days, statuses: statuses.length ? statuses : ALL_ACK_STATUSES };
}

/**
 * Payments (payment: importNotificationsOfOrderExecution, …Cancellation): a notification of order
 * execution per payment, amounts in kopecks, keyed by the placing organization's OrderID. When it
 * names a payment document whose amount it pays exactly, GIS acknowledges it at once (AckStatus 2);
 * otherwise it waits for importAcknowledgment (AckStatus 0).
 *
 * Codes: SRV009001 — the OrderID was already notified; INT002000 — cancellation of an unknown
 * OrderID; SRV009002 — cancelled twice.
 */
import { XNode } from "../../transport/envelope/xml";
import { NotificationRow, tables } from "../domain/state";
import { child, children, must, num, pack, val } from "../domain/xml-read";
import { sender } from "../domain/request";
import { GIS, STAND } from "./codes";
import { ackStatus } from "./bills";
import { Outcome, attempt, flatResults, refuse, stamp } from "./results";
import { StandRequest, StandStore } from "../types";

const CONTENT = new Set(["SupplierInfo", "RecipientInfo", "OrderInfo"]);

export function importNotificationsOfOrderExecution(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const items = [...children(req.body, "NotificationOfOrderExecutionType"), ...children(req.body, "NotificationOfOrderExecution139Type")];
  const out: Outcome[] = items.map((item) => attempt(must(item, "TransportGUID"), () => {
    const order = child(item, "OrderInfo")!;
    const orderId = must(order, "OrderID");
    const key = `${org}/${orderId}`;
    if (t.notificationByOrder.has(key)) refuse(STAND.orderIdTaken(orderId));
    const pdId = val(order, "PaymentDocumentID");
    const pd = pdId ? t.paymentDocuments.get(pdId) : undefined;
    const amount = num(must(order, "Amount")) ?? 0;
    const row: NotificationRow = {
      guid: store.guid(), org, orderId, orderDate: must(order, "OrderDate"), amountKopecks: amount,
      paymentDocumentId: pdId, unifiedAccountNumber: val(order, "UnifiedAccountNumber") ?? pd?.unifiedAccountNumber ?? null,
      status: "0", acknowledgedKopecks: 0, acks: [],
      content: pack(children(item).filter((c) => CONTENT.has(c.localName))), created: now, cancelled: null,
    };
    // Automatic kvitirovanie: only an exact match of the paid amount and the document's.
    if (pd && !pd.withdrawn && pd.totalKopecks === amount) {
      row.acks.push({ paymentDocumentId: pd.id, amountKopecks: amount });
      row.acknowledgedKopecks = amount;
    }
    row.status = ackStatus(row);
    t.notifications.set(row.guid, row);
    t.notificationByOrder.set(key, { guid: row.guid });
    return { guid: row.guid, updateDate: now };
  }));
  return flatResults("pay", out);
}

export function importNotificationsOfOrderExecutionCancellation(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const out: Outcome[] = children(req.body, "NotificationOfOrderExecutionCancellation").map((item) => attempt(must(item, "TransportGUID"), () => {
    const orderId = must(item, "OrderID");
    const row = t.notifications.get(t.notificationByOrder.get(`${org}/${orderId}`)?.guid ?? "");
    if (!row) refuse(GIS.notFound("извещение о принятии к исполнению распоряжения", orderId));
    if (row.cancelled) refuse(STAND.orderCancelled(orderId));
    row.cancelled = must(item, "CancellationDate");
    row.acks = [];
    row.acknowledgedKopecks = 0;
    row.status = ackStatus(row);
    return { guid: row.guid, updateDate: now };
  }));
  return flatResults("pay", out);
}

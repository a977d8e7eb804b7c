/**
 * importNotificationsOfOrderExecution on the stand: a notice of order execution per payment,
 * amounts in kopecks, keyed by the placing organization's OrderID. When it names a payment document
 * that it pays exactly, GIS acknowledges it at once if the organization has automatic kvitirovanie
 * on (rules/kvitirovanie.ts); otherwise it waits for importAcknowledgment (AckStatus 0).
 *
 * Codes: SRV009001 — the OrderID was already notified (recorded as a duplicate notice).
 */
import { XNode } from "../../../transport/envelope/xml";
import { NotificationRow, tables } from "../../domain/state";
import { child, children, must, num, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { STAND } from "../../rules/codes";
import { acknowledgeAutomatically, ackStatus } from "../../rules/kvitirovanie";
import { Outcome, attempt, flatResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

const CONTENT = new Set(["SupplierInfo", "RecipientInfo", "OrderInfo"]);

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const items = [...children(req.body, "NotificationOfOrderExecutionType"), ...children(req.body, "NotificationOfOrderExecution139Type")];
  const out: Outcome[] = items.map((item) =>
    attempt(must(item, "TransportGUID"), () => {
      const order = child(item, "OrderInfo")!;
      const orderId = must(order, "OrderID");
      const key = `${org}/${orderId}`;
      if (t.notificationByOrder.has(key)) {
        store.duplicate("извещение об оплате", orderId);
        refuse(STAND.orderIdTaken(orderId));
      }
      const pdId = val(order, "PaymentDocumentID");
      const pd = pdId ? t.paymentDocuments.get(pdId) : undefined;
      const amount = num(must(order, "Amount")) ?? 0;
      const row: NotificationRow = {
        guid: store.guid(),
        org,
        orderId,
        orderDate: must(order, "OrderDate"),
        amountKopecks: amount,
        paymentDocumentId: pdId,
        unifiedAccountNumber: val(order, "UnifiedAccountNumber") ?? pd?.unifiedAccountNumber ?? null,
        status: "0",
        acknowledgedKopecks: 0,
        acks: [],
        content: pack(children(item).filter((c) => CONTENT.has(c.localName))),
        created: now,
        cancelled: null,
      };
      row.status = ackStatus(row);
      acknowledgeAutomatically(store, row, pd);
      t.notifications.set(row.guid, row);
      t.notificationByOrder.set(key, { guid: row.guid });
      return { guid: row.guid, updateDate: now };
    }),
  );
  return flatResults("pay", out);
}

export const importNotificationsOfOrderExecution = defineStandMethod({
  service: "payment",
  operation: "importNotificationsOfOrderExecution",
  resultPrefix: "pay",
  resultVersion: "10.0.1.1",
  handle,
});

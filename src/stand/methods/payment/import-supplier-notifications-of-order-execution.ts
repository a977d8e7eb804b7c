/**
 * importSupplierNotificationsOfOrderExecution on the stand: a notice placed by the executor of the
 * services for a payment it took itself — for one of its own documents (ИПД) or services (ИЖКУ).
 * The stand gives it a GUID and an OrderID of its own; it is then a notice like any other
 * (exportNotificationsOfOrderExecution, kvitirovanie, automatic kvitirovanie of an exact payment).
 * The same document, date and amount placed again is recorded as a duplicate notice (GIS cannot
 * tell it from a second payment, and takes it).
 *
 * Codes: INT002000 — a document or service of another organization, or unknown.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { NotificationRow, tables } from "../../domain/state";
import { children, must, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS } from "../../rules/codes";
import { acknowledgeAutomatically, ackStatus, kopecks } from "../../rules/kvitirovanie";
import { Outcome, attempt, flatResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

const SEEN = "supplier-notice-keys";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const seen = store.table<{ guid: string }>(SEEN);
  const out: Outcome[] = children(req.body, "SupplierNotificationOfOrderExecution").map((item) =>
    attempt(must(item, "TransportGUID"), () => {
      const pdId = val(item, "PaymentDocumentID");
      const serviceId = val(item, "ServiceID");
      const pd = pdId ? t.paymentDocuments.get(pdId) : undefined;
      const account = serviceId ? [...t.accounts.values()].find((a) => a.serviceId === serviceId) : undefined;
      if (pdId ? !pd || pd.org !== org : !account || account.org !== org)
        refuse(GIS.notFound(pdId ? "платежный документ" : "жилищно-коммунальная услуга", pdId ?? serviceId ?? ""));
      const amount = kopecks(must(item, "Amount"));
      const orderDate = must(item, "OrderDate");
      const key = `${org}|${pdId ?? serviceId}|${orderDate}|${amount}`;
      if (seen.has(key)) store.duplicate("извещение исполнителя", key);
      const guid = store.guid();
      const orderId = guid.replace(/-/g, "");
      const row: NotificationRow = {
        guid,
        org,
        orderId,
        orderDate,
        amountKopecks: amount,
        paymentDocumentId: pdId,
        unifiedAccountNumber: pd?.unifiedAccountNumber ?? account?.unifiedAccountNumber ?? null,
        status: "0",
        acknowledgedKopecks: 0,
        acks: [],
        content: pack([
          el(
            "payments-base:OrderInfo",
            null,
            leaf("payments-base:OrderID", orderId),
            leaf("payments-base:OrderDate", orderDate),
            leaf("payments-base:Amount", amount),
            pdId ? leaf("bills-base:PaymentDocumentID", pdId) : null,
            serviceId ? el("payments-base:Service", null, leaf("payments-base:ServiceID", serviceId)) : null,
          ),
        ]),
        created: now,
        cancelled: null,
      };
      row.status = ackStatus(row);
      acknowledgeAutomatically(store, row, pd);
      t.notifications.set(row.guid, row);
      t.notificationByOrder.set(`${org}/${orderId}`, { guid });
      seen.set(key, { guid });
      return { guid, updateDate: now };
    }),
  );
  return flatResults("pay", out);
}

export const importSupplierNotificationsOfOrderExecution = defineStandMethod({
  service: "payment",
  operation: "importSupplierNotificationsOfOrderExecution",
  resultPrefix: "pay",
  resultVersion: "10.0.1.1",
  handle,
});

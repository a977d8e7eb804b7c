/**
 * importNotificationsOfOrderExecutionCancellation on the stand: annuls the sender's notice by its
 * OrderID (AckStatus 1, its kvitirovanie dropped).
 *
 * Codes: INT002000 — unknown OrderID; SRV009002 — cancelled twice (recorded as a duplicate cancellation).
 */
import { XNode } from "../../../transport/envelope/xml";
import { tables } from "../../domain/state";
import { children, must } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS, STAND } from "../../rules/codes";
import { ackStatus } from "../../rules/kvitirovanie";
import { Outcome, attempt, flatResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const out: Outcome[] = children(req.body, "NotificationOfOrderExecutionCancellation").map((item) =>
    attempt(must(item, "TransportGUID"), () => {
      const orderId = must(item, "OrderID");
      const row = t.notifications.get(t.notificationByOrder.get(`${org}/${orderId}`)?.guid ?? "");
      if (!row) refuse(GIS.notFound("извещение о принятии к исполнению распоряжения", orderId));
      if (row.cancelled) {
        store.duplicate("аннулирование извещения", orderId);
        refuse(STAND.orderCancelled(orderId));
      }
      row.cancelled = must(item, "CancellationDate");
      row.acks = [];
      row.acknowledgedKopecks = 0;
      row.status = ackStatus(row);
      return { guid: row.guid, updateDate: now };
    }),
  );
  return flatResults("pay", out);
}

export const importNotificationsOfOrderExecutionCancellation = defineStandMethod({
  service: "payment",
  operation: "importNotificationsOfOrderExecutionCancellation",
  resultPrefix: "pay",
  resultVersion: "10.0.1.1",
  handle,
});

/**
 * Kvitirovanie on the stand, shared by the bills and payment methods: a notice's AckStatus from what
 * is acknowledged against its amount, GIS's automatic kvitirovanie (a notice that names a payment
 * document and pays it exactly, when the organization has it on — stand rule
 * automaticAcknowledgment), finding a notice by GUID or OrderID, and amounts. A notice is never
 * acknowledged beyond 100 %; everything sent twice is recorded as a duplicate (`stand inspect`).
 */
import { AckStatus, NotificationRow, PaymentDocumentRow, Tables } from "../domain/state";
import { lower, num, val } from "../domain/xml-read";
import { StandError, StandStore } from "../types";
import { GIS, STAND } from "./codes";
import { refuse } from "./results";
import { standRules } from "./settings";

/** Roubles (as GIS's decimal amounts are written) to kopecks. */
export const kopecks = (rubles: string | null) => Math.round((num(rubles) ?? 0) * 100);

export function noObjects(): never {
  throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
}

/** AckStatus from what is acknowledged against the paid amount. */
export function ackStatus(n: NotificationRow): AckStatus {
  if (n.cancelled) return "1";
  if (n.acknowledgedKopecks === 0) return n.status === "5" ? "5" : "0";
  return n.acknowledgedKopecks >= n.amountKopecks ? "2" : "3";
}

/** GIS's automatic kvitirovanie of a new notice: the document's charges, service by service, when it pays the document exactly. */
export function acknowledgeAutomatically(store: StandStore, n: NotificationRow, pd: PaymentDocumentRow | undefined): void {
  if (!pd || pd.withdrawn || pd.totalKopecks !== n.amountKopecks || !standRules(store).automaticAcknowledgment) return;
  const charges = (pd.charges ?? []).filter((c) => c.kopecks > 0);
  const sum = charges.reduce((s, c) => s + c.kopecks, 0);
  n.acks =
    sum === n.amountKopecks
      ? charges.map((c) => ({ paymentDocumentId: pd.id, amountKopecks: c.kopecks, service: { kind: c.kind, guid: c.guid } }))
      : [{ paymentDocumentId: pd.id, amountKopecks: n.amountKopecks }];
  n.acknowledgedKopecks = n.amountKopecks;
  n.status = ackStatus(n);
}

/** The notice an acknowledgment item names (by GUID, or by OrderID + the placing organization); cancelled ones are refused. */
export function notificationOf(t: Tables, item: Element): NotificationRow {
  const guid = lower(val(item, "NotificationsOfOrderExecutionGUID"));
  const byOrder = `${lower(val(item, "orgPPAGUID")) ?? ""}/${val(item, "OrderID") ?? val(item, "OrderIDMultipurpose") ?? ""}`;
  const row = t.notifications.get(guid ?? t.notificationByOrder.get(byOrder)?.guid ?? "");
  if (!row) refuse(GIS.notFound("извещение о принятии к исполнению распоряжения", guid ?? byOrder));
  if (row.cancelled) refuse(STAND.orderCancelled(row.orderId));
  return row;
}

/** The sender's payment document by its ИПД. */
export function documentOf(t: Tables, org: string, id: string | null): PaymentDocumentRow {
  const pd = id ? t.paymentDocuments.get(id) : undefined;
  if (!pd || pd.org !== org) refuse(GIS.notFound("платежный документ", id ?? ""));
  return pd;
}

/**
 * importAcknowledgment on the stand: AcknowledgmentRequestInfo acknowledges a notice against a
 * document's service (PaymentDocumentAck) or declares it impossible (AckImpossible);
 * AckCancellation cancels every acknowledgment of the notice against the document. A notice is
 * never acknowledged beyond its amount (SRV009003); cancelling what is not acknowledged is
 * SRV009004. The same acknowledgment, impossibility or cancellation sent again is recorded as a
 * duplicate (there must be none: `stand inspect` reports them).
 *
 * Codes: INT002000 — unknown notice or document; SRV009002 — the notice is annulled.
 */
import { XNode } from "../../../transport/envelope/xml";
import { NotificationRow, ServiceAckKind, tables } from "../../domain/state";
import { child, children, lower, must, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { STAND } from "../../rules/codes";
import { ackStatus, documentOf, kopecks, notificationOf } from "../../rules/kvitirovanie";
import { Outcome, attempt, flatResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

const KINDS: ServiceAckKind[] = ["HSType", "MSType", "ASType"];

function serviceOf(ack: Element): { kind: ServiceAckKind; guid: string } | undefined {
  const kind = KINDS.find((k) => child(ack, k));
  return kind ? { kind, guid: lower(val(ack, kind))! } : undefined;
}

function acknowledge(store: StandStore, n: NotificationRow, item: Element, org: string): void {
  const t = tables(store);
  for (const ack of children(item, "PaymentDocumentAck")) {
    const pd = documentOf(t, org, val(ack, "PaymentDocumentID"));
    const amount = kopecks(val(ack, "Amount"));
    const service = serviceOf(ack);
    const same = n.acks.some((a) => a.paymentDocumentId === pd.id && (a.service?.guid ?? null) === (service?.guid ?? null));
    if (same) store.duplicate("квитирование", `${n.guid}/${pd.id}/${service?.guid ?? "-"}`);
    if (n.acknowledgedKopecks + amount > n.amountKopecks) refuse(STAND.ackBeyondAmount(n.orderId));
    n.acks.push({ paymentDocumentId: pd.id, amountKopecks: amount, ...(service ? { service } : {}) });
    n.acknowledgedKopecks += amount;
  }
  if (child(item, "AckImpossible")) {
    if (n.status === "5") store.duplicate("квитирование невозможно", n.guid);
    n.status = "5";
  }
  n.status = ackStatus(n);
}

function cancel(store: StandStore, n: NotificationRow, item: Element, org: string): void {
  const pd = documentOf(tables(store), org, val(item, "PaymentDocumentID"));
  if (!n.acks.some((a) => a.paymentDocumentId === pd.id)) {
    store.duplicate("отмена квитирования", `${n.guid}/${pd.id}`);
    refuse(STAND.nothingToCancel(n.orderId, pd.id));
  }
  n.acks = n.acks.filter((a) => a.paymentDocumentId !== pd.id);
  n.acknowledgedKopecks = n.acks.reduce((s, a) => s + a.amountKopecks, 0);
  n.status = "0";
  n.status = ackStatus(n);
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const out: Outcome[] = [];
  for (const item of children(req.body, "AcknowledgmentRequestInfo")) {
    out.push(
      attempt(must(item, "TransportGUID"), () => {
        const n = notificationOf(t, item);
        acknowledge(store, n, item, org);
        return { guid: n.guid, updateDate: now };
      }),
    );
  }
  for (const item of children(req.body, "AckCancellation")) {
    out.push(
      attempt(must(item, "TransportGUID"), () => {
        const n = notificationOf(t, item);
        cancel(store, n, item, org);
        return { guid: n.guid, updateDate: now };
      }),
    );
  }
  return flatResults("bills", out);
}

export const importAcknowledgment = defineStandMethod({
  service: "bills",
  operation: "importAcknowledgment",
  resultPrefix: "bills",
  resultVersion: "10.0.1.1",
  handle,
});

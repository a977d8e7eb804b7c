/**
 * exportNotificationsOfOrderExecution and …Paginal on the stand: the notices the sender may see
 * (placed by it, or paying its documents and accounts) by document or ЕЛС, by GUID, or by creation
 * date (DateFrom + DaysInterval) and AckStatus; each with its kvitirovanie — AckStatus, the list of
 * acknowledgments by document and service, the amount acknowledged (kopecks). The paginal one gives
 * PageSize (default 1000) at a time. Nothing found → INT002012.
 */
import { XNode, decimal, el, leaf } from "../../../transport/envelope/xml";
import { NotificationRow, Tables, tables } from "../../domain/state";
import { child, children, lower, num, text, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { noObjects } from "../../rules/kvitirovanie";
import { pageFrom } from "../../rules/paging";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

const NOTIFICATIONS_PAGE = 1000;

/** The notifications the sender may see: placed by it, or paying its documents and accounts. */
function visible(t: Tables, org: string, n: NotificationRow): boolean {
  if (n.org === org) return true;
  const pd = n.paymentDocumentId ? t.paymentDocuments.get(n.paymentDocumentId) : undefined;
  if (pd?.org === org) return true;
  const account = n.unifiedAccountNumber ? t.accounts.get(t.accountsByEls.get(n.unifiedAccountNumber)?.guid ?? "") : undefined;
  return account?.org === org;
}

function acknowledgments(n: NotificationRow): XNode {
  return el(
    "bills:AcknowledgmentRequestsList",
    null,
    n.acks
      .filter((a) => a.service)
      .map((a) =>
        el(
          "bills:AcknowledgmentRequest",
          null,
          leaf("payments-base:NotificationsOfOrderExecutionGUID", n.guid),
          el(
            "payments-base:PaymentDocumentAck",
            null,
            leaf("bills-base:PaymentDocumentID", a.paymentDocumentId),
            leaf(`payments-base:${a.service!.kind}`, a.service!.guid),
            leaf("payments-base:Amount", decimal(a.amountKopecks / 100, 2)),
          ),
          leaf("bills:OrderID", n.orderId),
        ),
      ),
  );
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const b = req.body;
  const ids = child(b, "SupplierIDs");
  const filter = child(b, "Notifications");
  const statuses = filter ? children(filter, "AckStatus").map((s) => text(s) ?? "") : [];
  const from = val(filter, "DateFrom");
  const days = num(val(filter, "DaysInterval")) ?? 7;
  const until = from ? Date.parse(from) + days * 86_400_000 : Infinity;
  const rows = [...t.notifications.values()].filter(
    (n) =>
      visible(t, org, n) &&
      (ids
        ? val(ids, "PaymentDocumentID")
          ? n.paymentDocumentId === val(ids, "PaymentDocumentID")
          : n.unifiedAccountNumber === val(ids, "UnifiedAccountNumber")
        : val(filter, "NotificationsOfOrderExecutionGUID")
          ? n.guid === lower(val(filter, "NotificationsOfOrderExecutionGUID"))
          : statuses.includes(n.status) && (!from || (Date.parse(n.created) >= Date.parse(from) && Date.parse(n.created) < until))),
  );
  if (rows.length === 0) noObjects();
  const paginal = req.operation.endsWith("Paginal");
  const page = pageFrom(
    rows,
    (n) => n.guid,
    lower(val(b, "ExportNotificationsOfOrderExecutionGUID")),
    paginal ? (num(val(b, "PageSize")) ?? NOTIFICATIONS_PAGE) : rows.length,
  );
  const result = el(
    "bills:exportNotificationsOfOrderExecutionResult",
    null,
    page.rows.map((n) =>
      el(
        "bills:NotificationOfOrderExecutionWithStatus",
        null,
        unpack(n.content),
        leaf("bills:AckStatus", n.status),
        leaf("bills:CreationDate", n.created),
        acknowledgments(n),
        leaf("bills:AcknowledgmentAmount", n.acknowledgedKopecks),
        leaf("payments-base:NotificationsOfOrderExecutionGUID", n.guid),
        leaf("bills:orgPPAGUID", n.org),
      ),
    ),
  );
  return page.next ? [result, leaf("bills:ExportNotificationsOfOrderExecutionGUID", page.next)] : [result];
}

export const exportNotificationsOfOrderExecution = defineStandMethod({
  service: "bills",
  operation: "exportNotificationsOfOrderExecution",
  resultPrefix: "bills",
  resultVersion: "10.0.1.1",
  handle,
});

export const exportNotificationsOfOrderExecutionPaginal = defineStandMethod({
  service: "bills",
  operation: "exportNotificationsOfOrderExecutionPaginal",
  resultPrefix: "bills",
  resultVersion: "10.0.1.1",
  handle,
});

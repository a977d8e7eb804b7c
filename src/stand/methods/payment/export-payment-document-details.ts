/**
 * exportPaymentDocumentDetails on the stand: what a payment agent is told about a placed payment
 * document — its numbers, the executor (the organization that placed it) with the document's
 * requisites, and the amount due (kopecks). By ИПД, or for a period by ЕЛС or ИЖКУ; withdrawn
 * documents are not offered for payment. Nothing found → INT002012.
 */
import { XNode, el, leaf, opt } from "../../../transport/envelope/xml";
import { PaymentDocumentRow, tables } from "../../domain/state";
import { num, val } from "../../domain/xml-read";
import { noObjects } from "../../rules/kvitirovanie";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function details(store: StandStore, p: PaymentDocumentRow): XNode {
  const t = tables(store);
  const executor = store.organization(p.org);
  const account = t.accounts.get(p.accountGuid);
  return el(
    "pay:PaymentDocument",
    null,
    leaf("bills-base:PaymentDocumentID", p.id),
    opt("bills-base:PaymentDocumentNumber", p.number),
    leaf("account-base:UnifiedAccountNumber", p.unifiedAccountNumber),
    opt("account-base:AccountNumber", account?.accountNumber ?? null),
    opt("account-base:ServiceID", account?.serviceId ?? null),
    el(
      "pay:PaymentDocumentDetails",
      null,
      el(
        "pay:ExecutorInformation",
        null,
        leaf("org-base:INN", executor?.inn ?? "0000000000"),
        el("pay:Legal", null, leaf("org-base:KPP", executor?.kpp ?? "000000000"), leaf("pay:Name", executor?.fullName ?? p.org)),
        p.requisites.map((r) =>
          el(
            "pay:PaymentInformation",
            null,
            opt("payments-base:RecipientINN", executor?.inn ?? null),
            leaf("payments-base:BankBIK", r.bik),
            leaf("payments-base:operatingAccountNumber", r.account),
            leaf("pay:Reminder", p.totalKopecks),
          ),
        ),
        leaf("pay:MailingAddress", `ФИАС ${p.fiasHouseGuid}`),
      ),
      leaf("pay:Reminder", p.totalKopecks),
    ),
    leaf("base:Year", p.year),
    leaf("base:Month", p.month),
    leaf("pay:PaymentDocumentGUID", p.guid),
  );
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const b = req.body;
  const id = val(b, "PaymentDocumentID");
  const month = num(val(b, "Month"));
  const year = num(val(b, "Year"));
  const els = val(b, "UnifiedAccountNumber");
  const serviceId = val(b, "ServiceID");
  const rows = [...t.paymentDocuments.values()].filter(
    (p) =>
      !p.withdrawn &&
      (id
        ? p.id === id
        : (month === null || (p.month === month && p.year === year)) &&
          (els ? p.unifiedAccountNumber === els : serviceId ? t.accounts.get(p.accountGuid)?.serviceId === serviceId : false)),
  );
  if (rows.length === 0) noObjects();
  return [
    el(
      "pay:exportPaymentDocumentDetailsResult",
      null,
      el(
        "pay:Charge",
        null,
        rows.map((p) => details(store, p)),
      ),
    ),
  ];
}

export const exportPaymentDocumentDetails = defineStandMethod({
  service: "payment",
  operation: "exportPaymentDocumentDetails",
  resultPrefix: "pay",
  resultVersion: "10.0.1.1",
  handle,
});

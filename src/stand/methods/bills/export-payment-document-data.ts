/**
 * exportPaymentDocumentData on the stand: the sender's placed documents by ИПД, or for a period by
 * ЕЛС, ИЖКУ, account GUID, or house + account / document number; nothing found → INT002012.
 * A withdrawn document is shown with Withdraw instead of the Expose it was placed with.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { PaymentDocumentRow, tables } from "../../domain/state";
import { children, lower, num, text, unpack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { noObjects } from "../../rules/kvitirovanie";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const b = req.body;
  const list = (name: string) => children(b, name).map((e) => text(e) ?? "");
  const ids = list("PaymentDocumentID");
  const month = num(val(b, "Month"));
  const year = num(val(b, "Year"));
  const els = list("UnifiedAccountNumber");
  const serviceIds = list("ServiceID");
  const accounts = list("AccountGUID").map((g) => g.toLowerCase());
  const fias = lower(val(b, "FIASHouseGuid"));
  const numbers = list("PaymentDocumentNumber");
  const accountNumbers = list("AccountNumber");
  const rows = [...t.paymentDocuments.values()].filter((p) => {
    if (p.org !== org) return false;
    if (ids.length > 0) return ids.includes(p.id);
    if (p.month !== month || p.year !== year) return false;
    const account = t.accounts.get(p.accountGuid)!;
    if (els.length > 0) return els.includes(p.unifiedAccountNumber);
    if (serviceIds.length > 0) return serviceIds.includes(account.serviceId);
    if (accounts.length > 0) return accounts.includes(p.accountGuid);
    return p.fiasHouseGuid === fias && (numbers.includes(p.number ?? "") || accountNumbers.includes(account.accountNumber ?? ""));
  });
  if (rows.length === 0) noObjects();
  // A document withdrawn by WithdrawPaymentDocument keeps the Expose it was placed with: the export says Withdraw.
  const content = (p: PaymentDocumentRow) =>
    p.withdrawn ? unpack(p.content).map((c) => (c.name.endsWith(":Expose") ? leaf("bills:Withdraw", true) : c)) : unpack(p.content);
  return rows.map((p) =>
    el(
      "bills:exportPaymentDocResult",
      null,
      el(
        "bills:PaymentDocument",
        null,
        content(p),
        leaf("base:Month", p.month),
        leaf("base:Year", p.year),
        leaf("bills-base:PaymentDocumentID", p.id),
        p.requisites.map((r) =>
          el("bills:PaymentInformation", null, leaf("payments-base:BankBIK", r.bik), leaf("payments-base:operatingAccountNumber", r.account)),
        ),
      ),
    ),
  );
}

export const exportPaymentDocumentData = defineStandMethod({
  service: "bills",
  operation: "exportPaymentDocumentData",
  resultPrefix: "bills",
  resultVersion: "10.0.1.1",
  handle,
});

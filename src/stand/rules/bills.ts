/**
 * Payment documents and kvitirovanie (bills: importPaymentDocumentData, exportPaymentDocumentData,
 * importAcknowledgment, exportNotificationsOfOrderExecution). A payment document needs a placed,
 * open account of the sender, valid requisites, and only services that an approved contract/charter
 * (or supply contract) of the sender has for the house; it gets a GUID and an ИПД
 * (PaymentDocumentID), kept when the same account and period is placed again. Kvitirovanie links a
 * payment (notification of order execution) to documents: automatic when the paid amount equals the
 * document's (see payment), otherwise by importAcknowledgment; cancellable.
 *
 * Codes: INT002000 — unknown account, document or notification; SRV008002 — closed account;
 * SRV008001 — bad requisites; SRV008076 — services not in the contract (GIS); SRV008070 —
 * withdrawn twice (GIS); SRV009002 — kvitirovanie of a cancelled payment; INT002012 — nothing to export.
 */
import { XNode, el, leaf } from "../../transport/envelope/xml";
import { AckStatus, NotificationRow, PaymentDocumentRow, Tables, tables } from "../domain/state";
import { child, children, lower, must, nsiRefOf, num, text, pack, unpack, val } from "../domain/xml-read";
import { sender } from "../domain/request";
import { paymentDocumentId } from "../domain/numbers";
import { GIS, STAND } from "./codes";
import { servicesInHouse } from "./coverage";
import { pageFrom } from "./paging";
import { validRequisites } from "./requisites";
import { Outcome, attempt, flatResults, refuse, stamp } from "./results";
import { StandError, StandRequest, StandStore } from "../types";

const kopecks = (rubles: string | null) => Math.round((num(rubles) ?? 0) * 100);
/** Import-only parts of a PaymentDocument; the export writes requisites its own way. */
const NOT_CONTENT = new Set(["TransportGUID", "PaymentDocumentID", "PaymentInformationKey", "PaymentInformationDetails", "DetailsPaymentInformation"]);
const CHECKED_SERVICES = ["MunicipalService", "AdditionalService"];

function noObjects(): never {
  throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
}

/** Services of the document that the sender's documents in force do not have for the house. */
function servicesOutsideContract(t: Tables, org: string, fias: string, doc: Element): string[] {
  const contract = servicesInHouse(t, org, fias);
  const guids = new Set(contract.map((s) => s.guid));
  const codes = new Set(contract.map((s) => s.code));
  // A document names the organization's own service (NSI 51); the contract names the common one
  // (NSI 3) it stands for — either match is the same service.
  const covered = (r: { guid: string; code: string }) => {
    if (guids.has(r.guid)) return true;
    const own = t.nsi.get(r.guid);
    return !!own?.serviceRef && (guids.has(own.serviceRef.guid) || codes.has(own.serviceRef.code));
  };
  return children(doc, "ChargeInfo").flatMap((c) => children(c).filter((s) => CHECKED_SERVICES.includes(s.localName)))
    .map((s) => nsiRefOf(s, "ServiceType"))
    .filter((r) => r !== null && !covered(r))
    .map((r) => r!.name ?? r!.code);
}

function withdraw(t: Tables, org: string, id: string | null, now: string) {
  const row = id ? t.paymentDocuments.get(id) : undefined;
  if (!row || row.org !== org) refuse(GIS.notFound("платежный документ", id ?? ""));
  if (row.withdrawn) refuse(GIS.alreadyWithdrawn(row.id));
  row.withdrawn = true;
  row.updated = now;
  t.paymentDocumentByPeriod.delete(`${row.accountGuid}|${row.year}-${row.month}|${row.number ?? ""}`);
  return { guid: row.guid, uniqueNumber: row.id, updateDate: now };
}

interface Requisites {
  bik: string;
  account: string;
}

function placeDocument(req: StandRequest, store: StandStore, doc: Element, requisites: Map<string, Requisites>): PaymentDocumentRow {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const accountGuid = must(doc, "AccountGuid").toLowerCase();
  const account = t.accounts.get(accountGuid);
  if (!account || account.org !== org) refuse(GIS.notFound("лицевой счет", accountGuid));
  if (account.closed) refuse(STAND.accountNotActive(accountGuid));
  const keys = [val(doc, "PaymentInformationKey"), ...children(doc, "DetailsPaymentInformation").map((d) => val(d, "PaymentInformationKey"))];
  const used = keys.map((k) => requisites.get((k ?? "").toLowerCase()) ?? { bik: "—", account: k ?? "—" });
  const bad = used.find((r) => !validRequisites(r.bik, r.account));
  if (bad) refuse(STAND.badRequisites(bad.bik, bad.account));
  const outside = servicesOutsideContract(t, org, account.fiasHouseGuid, doc);
  if (outside.length > 0) refuse(GIS.servicesNotInContract(outside.join(", ")));
  const month = Number(must(req.body, "Month"));
  const year = Number(must(req.body, "Year"));
  const id = val(doc, "PaymentDocumentID");
  const number = val(doc, "PaymentDocumentNumber");
  // The same account, period and number placed again replaces the document and keeps its ИПД.
  const periodKey = `${accountGuid}|${year}-${month}|${number ?? ""}`;
  let row = t.paymentDocuments.get(id ?? t.paymentDocumentByPeriod.get(periodKey)?.id ?? "");
  if (id && (!row || row.org !== org)) refuse(GIS.notFound("платежный документ", id));
  if (row?.withdrawn) refuse(GIS.alreadyWithdrawn(row.id));
  const charges = children(doc, "ChargeInfo").flatMap((c) => children(c)).map((s) => kopecks(val(s, "TotalPayable"))).reduce((a, b) => a + b, 0);
  row ??= { id: paymentDocumentId(store, account.serviceId), guid: store.guid(), org, accountGuid, unifiedAccountNumber: account.unifiedAccountNumber, fiasHouseGuid: account.fiasHouseGuid,
    number, month, year, totalKopecks: 0, withdrawn: false, requisites: [], content: "", updated: now };
  row.requisites = used;
  row.totalKopecks = val(doc, "TotalPayableByPD") !== null ? kopecks(val(doc, "TotalPayableByPD")) : charges;
  row.content = pack(children(doc).filter((c) => !NOT_CONTENT.has(c.localName)), new Set(["PaymentInformationKey"]));
  row.withdrawn = child(doc, "Withdraw") !== null;
  row.updated = now;
  t.paymentDocuments.set(row.id, row);
  if (row.withdrawn) t.paymentDocumentByPeriod.delete(periodKey);
  else t.paymentDocumentByPeriod.set(periodKey, { id: row.id });
  return row;
}

export function importPaymentDocumentData(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const withdrawals = children(req.body, "WithdrawPaymentDocument");
  if (withdrawals.length > 0) {
    return flatResults("bills", withdrawals.map((w) => attempt(must(w, "TransportGUID"), () => withdraw(t, org, val(w, "PaymentDocumentID"), now))));
  }
  const requisites = new Map(children(req.body, "PaymentInformation").map((p) =>
    [must(p, "TransportGUID").toLowerCase(), { bik: must(p, "BankBIK"), account: must(p, "operatingAccountNumber") }] as const));
  const out: Outcome[] = children(req.body, "PaymentDocument").map((doc) => attempt(must(doc, "TransportGUID"), () => {
    const row = placeDocument(req, store, doc, requisites);
    return { guid: row.guid, uniqueNumber: row.id, updateDate: now };
  }));
  return flatResults("bills", out);
}

export function exportPaymentDocumentData(req: StandRequest, store: StandStore): XNode[] {
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
  const content = (p: PaymentDocumentRow) => (p.withdrawn
    ? unpack(p.content).map((c) => (c.name.endsWith(":Expose") ? leaf("bills:Withdraw", true) : c)) : unpack(p.content));
  return rows.map((p) => el("bills:exportPaymentDocResult", null, el("bills:PaymentDocument", null, content(p),
    leaf("base:Month", p.month), leaf("base:Year", p.year), leaf("bills-base:PaymentDocumentID", p.id),
    p.requisites.map((r) => el("bills:PaymentInformation", null, leaf("payments-base:BankBIK", r.bik), leaf("payments-base:operatingAccountNumber", r.account))))));
}

/** AckStatus from what is acknowledged against the paid amount. */
export function ackStatus(n: NotificationRow): AckStatus {
  if (n.cancelled) return "1";
  if (n.acknowledgedKopecks === 0) return n.status === "5" ? "5" : "0";
  return n.acknowledgedKopecks >= n.amountKopecks ? "2" : "3";
}

function notificationOf(t: Tables, item: Element): NotificationRow {
  const guid = lower(val(item, "NotificationsOfOrderExecutionGUID"));
  const byOrder = `${lower(val(item, "orgPPAGUID")) ?? ""}/${val(item, "OrderID") ?? val(item, "OrderIDMultipurpose") ?? ""}`;
  const row = t.notifications.get(guid ?? t.notificationByOrder.get(byOrder)?.guid ?? "");
  if (!row) refuse(GIS.notFound("извещение о принятии к исполнению распоряжения", guid ?? byOrder));
  if (row.cancelled) refuse(STAND.orderCancelled(row.orderId));
  return row;
}

export function importAcknowledgment(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const documentOf = (id: string | null) => {
    const pd = id ? t.paymentDocuments.get(id) : undefined;
    if (!pd || pd.org !== org) refuse(GIS.notFound("платежный документ", id ?? ""));
    return pd;
  };
  const out: Outcome[] = [];
  for (const item of children(req.body, "AcknowledgmentRequestInfo")) {
    out.push(attempt(must(item, "TransportGUID"), () => {
      const n = notificationOf(t, item);
      for (const ack of children(item, "PaymentDocumentAck")) {
        const pd = documentOf(val(ack, "PaymentDocumentID"));
        const amount = kopecks(val(ack, "Amount"));
        n.acks.push({ paymentDocumentId: pd.id, amountKopecks: amount });
        n.acknowledgedKopecks += amount;
      }
      if (child(item, "AckImpossible")) n.status = "5";
      n.status = ackStatus(n);
      return { guid: n.guid, updateDate: now };
    }));
  }
  for (const item of children(req.body, "AckCancellation")) {
    out.push(attempt(must(item, "TransportGUID"), () => {
      const n = notificationOf(t, item);
      const pd = documentOf(val(item, "PaymentDocumentID"));
      n.acks = n.acks.filter((a) => a.paymentDocumentId !== pd.id);
      n.acknowledgedKopecks = n.acks.reduce((s, a) => s + a.amountKopecks, 0);
      n.status = "0";
      n.status = ackStatus(n);
      return { guid: n.guid, updateDate: now };
    }));
  }
  return flatResults("bills", out);
}

const NOTIFICATIONS_PAGE = 1000;

/** The notifications the sender may see: placed by it, or paying its documents and accounts. */
function visible(t: Tables, org: string, n: NotificationRow): boolean {
  if (n.org === org) return true;
  const pd = n.paymentDocumentId ? t.paymentDocuments.get(n.paymentDocumentId) : undefined;
  if (pd?.org === org) return true;
  const account = n.unifiedAccountNumber ? t.accounts.get(t.accountsByEls.get(n.unifiedAccountNumber)?.guid ?? "") : undefined;
  return account?.org === org;
}

export function exportNotificationsOfOrderExecution(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const b = req.body;
  const ids = child(b, "SupplierIDs");
  const filter = child(b, "Notifications");
  const statuses = filter ? children(filter, "AckStatus").map((s) => text(s) ?? "") : [];
  const from = val(filter, "DateFrom");
  const days = num(val(filter, "DaysInterval")) ?? 7;
  const until = from ? Date.parse(from) + days * 86_400_000 : Infinity;
  const rows = [...t.notifications.values()].filter((n) => visible(t, org, n) && (
    ids ? (val(ids, "PaymentDocumentID") ? n.paymentDocumentId === val(ids, "PaymentDocumentID") : n.unifiedAccountNumber === val(ids, "UnifiedAccountNumber"))
      : val(filter, "NotificationsOfOrderExecutionGUID") ? n.guid === lower(val(filter, "NotificationsOfOrderExecutionGUID"))
        : statuses.includes(n.status) && (!from || (Date.parse(n.created) >= Date.parse(from) && Date.parse(n.created) < until))));
  if (rows.length === 0) noObjects();
  const paginal = req.operation.endsWith("Paginal");
  const page = pageFrom(rows, (n) => n.guid, lower(val(b, "ExportNotificationsOfOrderExecutionGUID")), paginal ? num(val(b, "PageSize")) ?? NOTIFICATIONS_PAGE : rows.length);
  const result = el("bills:exportNotificationsOfOrderExecutionResult", null, page.rows.map((n) => el("bills:NotificationOfOrderExecutionWithStatus", null,
    unpack(n.content), leaf("bills:AckStatus", n.status), leaf("bills:CreationDate", n.created),
    el("bills:AcknowledgmentRequestsList", null),
    leaf("bills:AcknowledgmentAmount", n.acknowledgedKopecks),
    leaf("payments-base:NotificationsOfOrderExecutionGUID", n.guid), leaf("bills:orgPPAGUID", n.org))));
  return page.next ? [result, leaf("bills:ExportNotificationsOfOrderExecutionGUID", page.next)] : [result];
}

/**
 * importPaymentDocumentData on the stand: a payment document needs a placed, open account of the
 * sender, valid requisites, and only services that an approved contract/charter (or supply
 * contract) of the sender has for the house; it gets a GUID and an ИПД (PaymentDocumentID), kept
 * when the same account and period is placed again (or when the request names the ИПД).
 * WithdrawPaymentDocument withdraws it.
 *
 * Codes: INT002000 — unknown account or document; SRV008002 — closed account; SRV008001 — bad
 * requisites; SRV008076 — services not in the contract (GIS); SRV008070 — withdrawn twice (GIS).
 */
import { XNode } from "../../../transport/envelope/xml";
import { PaymentDocumentRow, ServiceAckKind, Tables, tables } from "../../domain/state";
import { child, children, must, nsiRefOf, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { paymentDocumentId } from "../../domain/numbers";
import { GIS, STAND } from "../../rules/codes";
import { servicesInHouse } from "../../rules/coverage";
import { kopecks } from "../../rules/kvitirovanie";
import { validRequisites } from "../../rules/requisites";
import { Outcome, attempt, flatResults, refuse, stamp } from "../../rules/results";
import { StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

/** Import-only parts of a PaymentDocument; the export writes requisites its own way. */
const NOT_CONTENT = new Set(["TransportGUID", "PaymentDocumentID", "PaymentInformationKey", "PaymentInformationDetails", "DetailsPaymentInformation"]);
const CHECKED_SERVICES = ["MunicipalService", "AdditionalService"];
const ACK_KIND: Record<string, ServiceAckKind> = { HousingService: "HSType", MunicipalService: "MSType", AdditionalService: "ASType" };

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
  return children(doc, "ChargeInfo")
    .flatMap((c) => children(c).filter((s) => CHECKED_SERVICES.includes(s.localName)))
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

/** The document's charges by service, for automatic kvitirovanie. */
function chargesOf(doc: Element): NonNullable<PaymentDocumentRow["charges"]> {
  return children(doc, "ChargeInfo")
    .flatMap((c) => children(c))
    .flatMap((s) => {
      const kind = ACK_KIND[s.localName];
      const ref = nsiRefOf(s, "ServiceType");
      return kind && ref ? [{ kind, guid: ref.guid, kopecks: kopecks(val(s, "TotalPayable")) }] : [];
    });
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
  const charges = chargesOf(doc);
  const chargesTotal = children(doc, "ChargeInfo")
    .flatMap((c) => children(c))
    .map((s) => kopecks(val(s, "TotalPayable")))
    .reduce((a, b) => a + b, 0);
  row ??= {
    id: paymentDocumentId(store, account.serviceId),
    guid: store.guid(),
    org,
    accountGuid,
    unifiedAccountNumber: account.unifiedAccountNumber,
    fiasHouseGuid: account.fiasHouseGuid,
    number,
    month,
    year,
    totalKopecks: 0,
    withdrawn: false,
    requisites: [],
    content: "",
    updated: now,
  };
  row.requisites = used;
  row.totalKopecks = val(doc, "TotalPayableByPD") !== null ? kopecks(val(doc, "TotalPayableByPD")) : chargesTotal;
  row.charges = charges;
  row.content = pack(
    children(doc).filter((c) => !NOT_CONTENT.has(c.localName)),
    new Set(["PaymentInformationKey"]),
  );
  row.withdrawn = child(doc, "Withdraw") !== null;
  row.updated = now;
  t.paymentDocuments.set(row.id, row);
  if (row.withdrawn) t.paymentDocumentByPeriod.delete(periodKey);
  else t.paymentDocumentByPeriod.set(periodKey, { id: row.id });
  return row;
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const withdrawals = children(req.body, "WithdrawPaymentDocument");
  if (withdrawals.length > 0) {
    return flatResults(
      "bills",
      withdrawals.map((w) => attempt(must(w, "TransportGUID"), () => withdraw(t, org, val(w, "PaymentDocumentID"), now))),
    );
  }
  const requisites = new Map(
    children(req.body, "PaymentInformation").map(
      (p) => [must(p, "TransportGUID").toLowerCase(), { bik: must(p, "BankBIK"), account: must(p, "operatingAccountNumber") }] as const,
    ),
  );
  const out: Outcome[] = children(req.body, "PaymentDocument").map((doc) =>
    attempt(must(doc, "TransportGUID"), () => {
      const row = placeDocument(req, store, doc, requisites);
      return { guid: row.guid, uniqueNumber: row.id, updateDate: now };
    }),
  );
  return flatResults("bills", out);
}

export const importPaymentDocumentData = defineStandMethod({
  service: "bills",
  operation: "importPaymentDocumentData",
  resultPrefix: "bills",
  resultVersion: "10.0.1.1",
  handle,
});

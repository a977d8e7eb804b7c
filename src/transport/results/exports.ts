/**
 * The payloads of export answers as the pipeline needs them: accounts, meters, a house with its
 * entrances/premises/rooms, payment documents, management contracts and charters, resource supply
 * contracts. Each reader takes the getStateResult element (`GisResponse.result` of a state answer,
 * already parsed as untrusted input by parseResponse) and returns plain values; anything the
 * pipeline does not use stays in the archive. GIS special dates (1900-01-01, 5000-01-01) are null.
 */
import { gisDate } from "./results";
import { ResponseError, child, children, descendant, text } from "./safe-xml";

/** An nsiRef as GIS sends it. */
export interface NsiValue {
  code: string;
  guid: string;
  name: string | null;
}

const t = (e: Element | null, name: string) => (e ? text(child(e, name)) : null);
const all = (e: Element, name: string) => children(e, name).map((c) => text(c)).filter((v): v is string => v !== null);
const req = (e: Element, name: string, where: string): string => {
  const v = t(e, name);
  if (v === null) throw new ResponseError(`ответ ГИС ЖКХ: ${where} без ${name}`);
  return v;
};
const num = (v: string | null) => (v === null ? null : Number(v));
const bool = (v: string | null) => (v === null ? null : v === "true" || v === "1");

function nsi(e: Element | null): NsiValue | null {
  if (!e) return null;
  const code = t(e, "Code");
  const guid = t(e, "GUID");
  return code && guid ? { code, guid: guid.toLowerCase(), name: t(e, "Name") } : null;
}

/** The result rows named `name` of a getStateResult (its direct children). */
function rows(result: Element, name: string): Element[] {
  if (result.localName !== "getStateResult") throw new ResponseError(`ответ ГИС ЖКХ: ожидался getStateResult, получен ${result.localName}`);
  return children(result, name);
}

// ---- payment documents (bills exportPaymentDocResult) ------------------------------------------------

export interface ExportedPaymentDocument {
  /** ИПД — the document's identifier in GIS (GIS gives payment documents no separate GUID). */
  paymentDocumentId: string;
  paymentDocumentNumber: string | null;
  accountGuid: string;
  year: number | null;
  month: number | null;
  /** TotalPayableByPD, rubles. */
  amount: number | null;
  state: "exposed" | "withdrawn" | null;
}

/** Payment documents of an exportPaymentDocumentData answer; a per-row ErrorMessage comes back as `errors`. */
export function exportedPaymentDocuments(result: Element): { documents: ExportedPaymentDocument[]; errors: Array<{ code: string; description: string }> } {
  const documents: ExportedPaymentDocument[] = [];
  const errors: Array<{ code: string; description: string }> = [];
  for (const r of rows(result, "exportPaymentDocResult")) {
    const err = child(r, "ErrorMessage");
    if (err) { errors.push({ code: t(err, "ErrorCode") ?? "?", description: t(err, "Description") ?? "" }); continue; }
    const d = child(r, "PaymentDocument");
    if (!d) continue;
    documents.push({
      paymentDocumentId: req(d, "PaymentDocumentID", "PaymentDocument"),
      paymentDocumentNumber: t(d, "PaymentDocumentNumber"),
      accountGuid: req(d, "AccountGuid", "PaymentDocument").toLowerCase(),
      year: num(t(d, "Year")), month: num(t(d, "Month")),
      amount: num(t(d, "TotalPayableByPD")),
      state: child(d, "Withdraw") ? "withdrawn" : child(d, "Expose") ? "exposed" : null,
    });
  }
  return { documents, errors };
}

// ---- management contracts and charters (hm exportCAChResult) -----------------------------------------

export interface ExportedCACh {
  kind: "contract" | "charter";
  /** ContractGUID / CharterGUID (root, stable across versions). */
  guid: string;
  versionGuid: string;
  /** ContractStatus / CharterStatus (Project, ApprovalProcess, Approved, Terminated, Annul…). */
  status: string;
  docNum: string | null;
  signingDate: string | null;
  effectiveDate: string | null;
  planDateCompletion: string | null;
  terminated: string | null;
  objects: Array<{ fiasHouseGuid: string; versionGuid: string; startDate: string; endDate: string | null; status: string | null; houseServices: NsiValue[]; addServices: NsiValue[] }>;
}

export function exportedCACh(result: Element): ExportedCACh[] {
  return rows(result, "exportCAChResult").flatMap((r) => {
    const c = child(r, "Contract");
    const ch = child(r, "Charter");
    const e = c ?? ch;
    if (!e) return [];
    const kind = c ? "contract" : "charter";
    const term = child(e, "Terminate");
    return [{
      kind, guid: req(e, c ? "ContractGUID" : "CharterGUID", "exportCAChResult").toLowerCase(),
      versionGuid: req(e, c ? "ContractVersionGUID" : "CharterVersionGUID", "exportCAChResult").toLowerCase(),
      status: req(e, c ? "ContractStatus" : "CharterStatus", "exportCAChResult"),
      docNum: t(e, "DocNum"), signingDate: t(e, "SigningDate") ?? t(e, "Date"), effectiveDate: t(e, "EffectiveDate"), planDateCompletion: t(e, "PlanDateComptetion"),
      terminated: term ? gisDate(t(term, "Terminate")) : null,
      objects: children(e, "ContractObject").map((o) => ({
        fiasHouseGuid: req(o, "FIASHouseGuid", "ContractObject").toLowerCase(),
        versionGuid: req(o, "ContractObjectVersionGUID", "ContractObject").toLowerCase(),
        startDate: req(o, "StartDate", "ContractObject"), endDate: gisDate(t(o, "EndDate")), status: t(o, "StatusObject"),
        houseServices: children(o, "HouseService").map((s) => nsi(child(s, "ServiceType"))).filter((x): x is NsiValue => x !== null),
        addServices: children(o, "AddService").map((s) => nsi(child(s, "ServiceType"))).filter((x): x is NsiValue => x !== null),
      })),
    }];
  });
}

// ---- resource supply contracts (hm exportSupplyResourceContractResult) ------------------------------

export interface ExportedSupplyResourceContract {
  rootGuid: string;
  versionGuid: string;
  versionNumber: number | null;
  /** NotTakeEffect | Proceed | Expired. */
  state: string;
  /** Posted | Terminated | Draft | Annul. */
  versionStatus: string;
  contractNumber: string | null;
  signingDate: string | null;
  effectiveDate: string | null;
  isContract: boolean;
  subjects: Array<{ transportGuid: string | null; serviceType: NsiValue | null; municipalResource: NsiValue | null; startSupplyDate: string; endSupplyDate: string | null }>;
  countingResource: "R" | "P" | null;
  terminated: string | null;
}

export interface SupplyResourceContractPage {
  contracts: ExportedSupplyResourceContract[];
  /** True on the last page; otherwise ask again with exportContractRootGuid = nextPage. */
  lastPage: boolean;
  nextPage: string | null;
}

export function exportedSupplyResourceContracts(result: Element): SupplyResourceContractPage {
  const out: SupplyResourceContractPage = { contracts: [], lastPage: true, nextPage: null };
  for (const r of rows(result, "exportSupplyResourceContractResult")) {
    for (const c of children(r, "Contract")) {
      const doc = child(c, "IsContract") ?? child(c, "IsNotContract");
      const term = child(c, "TerminateContract");
      const cr = t(c, "CountingResource");
      out.contracts.push({
        rootGuid: req(c, "ContractRootGUID", "Contract").toLowerCase(),
        versionGuid: req(c, "ContractGUID", "Contract").toLowerCase(),
        versionNumber: num(t(c, "VersionNumber")),
        state: req(c, "ContractState", "Contract"),
        versionStatus: req(c, "VersionStatus", "Contract"),
        contractNumber: t(doc, "ContractNumber"), signingDate: t(doc, "SigningDate"), effectiveDate: t(doc, "EffectiveDate"),
        isContract: child(c, "IsContract") !== null,
        subjects: children(c, "ContractSubject").map((s) => ({
          transportGuid: t(s, "TransportGUID"), serviceType: nsi(child(s, "ServiceType")), municipalResource: nsi(child(s, "MunicipalResource")),
          startSupplyDate: req(s, "StartSupplyDate", "ContractSubject"), endSupplyDate: gisDate(t(s, "EndSupplyDate")),
        })),
        countingResource: cr === "R" || cr === "P" ? cr : null,
        terminated: term ? gisDate(t(term, "Terminate")) : null,
      });
    }
    const next = t(r, "ExportContractRootGUID");
    if (next) { out.nextPage = next.toLowerCase(); out.lastPage = false; }
    else if (bool(t(r, "IsLastPage")) === true) out.lastPage = true;
  }
  if (!out.nextPage && rows(result, "exportSupplyResourceContractResult").length > 0 && !descendant(result, "IsLastPage")) out.lastPage = true;
  return out;
}

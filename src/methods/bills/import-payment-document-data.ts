/**
 * importPaymentDocumentData (bills): expose bills (Expose) and withdraw them (WithdrawPaymentDocument).
 * A request carries one period (Month/Year) and either exposes or withdraws, hence the batch key.
 * GIS wants the requisites (BIK + settlement account) registered in the organization's cabinet,
 * the account placed, and every service line mapped to its GIS dictionary element. An unknown
 * outcome is reconciled by exportPaymentDocumentData of the request's period (or its ИПД).
 * Object actions: `expose` (chosen bills exposed again, even those GIS has) and `withdraw` (chosen
 * exposed bills withdrawn), the manual's «Выставить на оплату» / «Отозвать» of a bill's card.
 */
import { In } from "typeorm";
import { PaymentDocument, PaymentDocumentLine, Service } from "../../../entities";
import { identityExpr, loadAt, statusExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";
import { Kid, XNode, decimal, el, leaf, opt } from "../../transport/envelope/xml";
import { NsiRef, checkCount, container, nsiRef, transportGuid } from "../../transport/messages/common";
import { lower } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { byId, findIn, groupBy } from "../../stages/load";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE, isBik, isSettlementAccount } from "../../stages/preflight";
import { ids, whereAccountInScope, whereNotHeld, whereObjects } from "../../stages/select";
import { billingElement, mappedForBilling } from "../../stages/services/private-services";
import { nestedGuid } from "../../stages/transport-guids";
import { defineMethod } from "../method";
import { exportedPaymentDocuments, isSameBill } from "./export-payment-document-data";

const money = (v: number) => decimal(v, 2);

export interface ChargeInput {
  kind: "housing" | "additional" | "municipal";
  /** The service reference: NSI 50 for housing services, the organization's NSI 1/51 element for additional/municipal. */
  serviceType: NsiRef;
  /** Tariff, up to 6 fraction digits. */
  rate: number;
  /** Amount payable for the period, rubles. */
  totalPayable: number;
  accountingPeriodTotal?: number;
  calcExplanation?: string;
  paymentInformationKey?: string;
}

export interface PaymentDocumentInput {
  transportGuid: string;
  /** The account (ЛС) GUID in GIS. */
  accountGuid: string;
  number?: string;
  charges: ChargeInput[];
  /** Expose (выставить) the document at once. */
  expose?: boolean;
  /** The ИПД of a document GIS has: it is replaced (exposed again), keeping its ИПД. */
  paymentDocumentId?: string;
  debtPreviousPeriods?: number;
  advanceBillingPeriod?: number;
  totalPayableByPD?: number;
  /** Requisites: the PaymentInformation TransportGUID of this request (or its GIS GUID). */
  paymentInformationKey: string;
  /** Amount payable by these requisites; omitted → no PaymentInformationDetails. */
  totalPayableByPaymentInformation?: number;
  debtPreviousPeriodsOrAdvance?: number;
  totalPayableWithDebtAndAdvance?: number;
}

export interface PaymentInformationInput {
  transportGuid: string;
  bankBik: string;
  operatingAccountNumber: string;
}

export type ImportPaymentDocumentInput =
  | {
      month: number;
      year: number;
      confirmAmountsCorrect?: boolean;
      paymentInformation: PaymentInformationInput[];
      /** 1..500 documents. */
      documents: PaymentDocumentInput[];
    }
  | { withdraw: Array<{ transportGuid: string; paymentDocumentId: string }> };

const CHARGE_ELEMENT = { housing: "bills:HousingService", additional: "bills:AdditionalService", municipal: "bills:MunicipalService" } as const;

function charge(c: ChargeInput): XNode {
  return el(
    "bills:ChargeInfo",
    null,
    el(
      CHARGE_ELEMENT[c.kind],
      null,
      nsiRef("bills:ServiceType", c.serviceType),
      leaf("bills:Rate", decimal(c.rate)),
      leaf("bills:TotalPayable", money(c.totalPayable)),
      c.accountingPeriodTotal === undefined ? null : leaf("bills:AccountingPeriodTotal", money(c.accountingPeriodTotal)),
      opt("bills:CalcExplanation", c.calcExplanation),
      opt("bills:PaymentInformationKey", c.paymentInformationKey),
    ),
  );
}

function document(d: PaymentDocumentInput): XNode {
  const m = (name: string, v: number | undefined): Kid => (v === undefined ? null : leaf(name, money(v)));
  return el(
    "bills:PaymentDocument",
    null,
    leaf("account-base:AccountGuid", d.accountGuid),
    opt("bills-base:PaymentDocumentNumber", d.number),
    d.charges.map(charge),
    d.expose ? leaf("bills:Expose", "true") : null,
    m("bills:DebtPreviousPeriods", d.debtPreviousPeriods),
    m("bills:AdvanceBllingPeriod", d.advanceBillingPeriod),
    m("bills:TotalPayableByPD", d.totalPayableByPD),
    transportGuid(d.transportGuid),
    opt("bills-base:PaymentDocumentID", d.paymentDocumentId),
    leaf("bills:PaymentInformationKey", d.paymentInformationKey),
    d.totalPayableByPaymentInformation === undefined
      ? null
      : el(
          "bills:PaymentInformationDetails",
          null,
          leaf("bills:TotalPayableByPaymentInformation", money(d.totalPayableByPaymentInformation)),
          m("bills:DebtPreviousPeriodsOrAdvanceBillingPeriod", d.debtPreviousPeriodsOrAdvance),
          m("bills:TotalPayableWithDebtAndAdvance", d.totalPayableWithDebtAndAdvance),
        ),
  );
}

function body(i: ImportPaymentDocumentInput, version: string): XNode {
  if ("withdraw" in i) {
    checkCount("importPaymentDocumentData", "WithdrawPaymentDocument", i.withdraw.length, 1, 1000);
    return container(
      "bills:importPaymentDocumentRequest",
      version,
      i.withdraw.map((w) =>
        el("bills:WithdrawPaymentDocument", null, transportGuid(w.transportGuid), leaf("bills-base:PaymentDocumentID", w.paymentDocumentId)),
      ),
    );
  }
  checkCount("importPaymentDocumentData", "PaymentDocument", i.documents.length, 1, 500);
  checkCount("importPaymentDocumentData", "PaymentInformation", i.paymentInformation.length, 1, Infinity);
  return container(
    "bills:importPaymentDocumentRequest",
    version,
    i.confirmAmountsCorrect ? leaf("bills:ConfirmAmountsCorrect", "true") : null,
    leaf("base:Month", i.month),
    leaf("base:Year", i.year),
    i.paymentInformation.map((p) =>
      el(
        "bills:PaymentInformation",
        null,
        leaf("payments-base:BankBIK", p.bankBik),
        leaf("payments-base:operatingAccountNumber", p.operatingAccountNumber),
        transportGuid(p.transportGuid),
      ),
    ),
    i.documents.map(document),
  );
}

type ExposeData = { expose: Omit<PaymentDocumentInput, "transportGuid" | "paymentInformationKey">; year: number; month: number; bik: string; account: string };
type WithdrawData = { withdraw: { paymentDocumentId: string } };
export type BillData = ExposeData | WithdrawData;

const CHARGE_KIND: Record<Service["kind"], ChargeInput["kind"] | null> = {
  housing: "housing",
  municipal: "municipal",
  additional: "additional",
  capital_repair: null,
};

export const importPaymentDocumentData = defineMethod<ImportPaymentDocumentInput, BillData>({
  name: "importPaymentDocumentData",
  service: "bills",
  element: "importPaymentDocumentRequest",
  versions: { "16.3.0.0": "11.2.0.16", "14.4.0.1": "11.2.0.16" },
  batch: { element: "PaymentDocument", max: 500 },
  body,

  descriptor: {
    stage: "bills",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "payment_document",
    batchSetting: "batch.paymentDocuments",
    defaultBatch: 500,
    safeToRepeat: false,
    actions: ["expose", "withdraw"],
    after: ["importAccountData", "importMeteringDeviceValues", "exportPaymentDocumentData"],

    async select(ds, scope, mode, ctx) {
      const qb = ds.getRepository(PaymentDocument).createQueryBuilder("d").where("d.organizationId = :org", { org: scope.organizationId });
      qb.andWhere(`${statusExpr(qb, "d", ctx.stand)} <> 'in_progress'`);
      // A document loaded from another stand is never exposed (nor withdrawn) here.
      whereOfStand(qb, "d", ctx.stand);
      const ipd = identityExpr(qb, "d", "gisPaymentDocumentId", ctx.stand);
      if ((scope.action === "expose" || scope.action === "withdraw") && scope.objectIds) {
        // An operator's action on chosen bills (or an account's bills: src/stages/belongs.ts): expose any
        // that is not withdrawn (again, if GIS has it); withdraw the exposed ones GIS has — they become
        // "to withdraw", as a billing import would make them.
        whereObjects(qb, "d", scope).andWhere(
          scope.action === "expose" ? "d.state IN ('to_issue', 'issued')" : `(d.state IN ('issued', 'to_withdraw') AND ${ipd} IS NOT NULL)`,
        );
        const found = await ids(qb, "d");
        if (scope.action === "withdraw" && found.length) {
          for (let i = 0; i < found.length; i += 500)
            await ds.getRepository(PaymentDocument).update({ id: In(found.slice(i, i + 500)) }, { state: "to_withdraw" });
        }
        return found;
      }
      qb.andWhere(
        mode === "pull"
          ? "1 = 0"
          : // To expose: bills the stand has not got yet (or refused). To withdraw: bills the stand has.
            `((d.state IN ('to_issue', 'issued') AND ${ipd} IS NULL) OR (d.state = 'to_withdraw' AND ${ipd} IS NOT NULL))`,
      );
      await whereAccountInScope(qb, "d.accountId", ds, scope);
      return ids(whereNotHeld(whereObjects(qb, "d", scope), "d", ctx.stand, scope), "d");
    },

    async prepare(ds, docIds, ctx) {
      const docs = [...(await loadAt(ds, "payment_document", docIds, ctx.stand)).values()];
      const accounts = await loadAt(
        ds,
        "account",
        docs.map((d) => d.accountId),
        ctx.stand,
      );
      const lines = groupBy(await findIn(ds, PaymentDocumentLine, "paymentDocumentId", docIds), (l) => l.paymentDocumentId);
      const services = await loadAt(
        ds,
        "service",
        [...lines.values()].flat().map((l) => l.serviceId),
        ctx.stand,
      );
      const ready: Array<{ objectId: number; data: BillData }> = [];
      const rejected: Rejection[] = [];
      for (const d of docs) {
        if (d.state === "to_withdraw") {
          ready.push({ objectId: d.id, data: { withdraw: { paymentDocumentId: d.gisPaymentDocumentId! } } });
          continue;
        }
        const account = accounts.get(d.accountId);
        const c = new Checks(d.id, [
          ["Платёжный документ", d.number ?? `№ ${d.id}`],
          ["Лицевой", account?.number],
          ["Период", `${String(d.periodMonth).padStart(2, "0")}.${d.periodYear}`],
        ]);
        c.fail(!account?.gisAccountGuid, PRE.noParentGuid, "accountId", "Отсутствует ГУИД у лицевого счёта (лицевой не размещён в ГИС)");
        c.fail(!isBik(d.bankBik), PRE.requisites, "bankBik", "Не указан или неверен БИК банка платёжных реквизитов (9 цифр)");
        c.fail(
          !isSettlementAccount(d.operatingAccount),
          PRE.requisites,
          "operatingAccount",
          "Не указан или неверен расчётный счёт платёжных реквизитов (20 цифр)",
        );
        const ls = lines.get(d.id) ?? [];
        c.fail(ls.length === 0, PRE.noLines, "lines", "В платёжном документе нет начислений");
        const unmapped = ls.map((l) => services.get(l.serviceId)!).find((s) => !mappedForBilling(s) || !CHARGE_KIND[s.kind]);
        c.fail(
          !!unmapped,
          PRE.nsi,
          "serviceId",
          `Услуга «${unmapped?.name ?? ""}» не сопоставлена со справочником услуг ГИС (ЖУ — НСИ 50, КУ — НСИ 51, ДУ — НСИ 1)`,
        );
        if (!c.ok) {
          rejected.push(c.first);
          continue;
        }
        const charges = ls.map((l): ChargeInput => {
          const s = services.get(l.serviceId)!;
          return {
            kind: CHARGE_KIND[s.kind]!,
            serviceType: billingElement(s)!,
            rate: l.tariff ?? 0,
            totalPayable: l.total ?? l.charged ?? 0,
            ...(l.charged !== null ? { accountingPeriodTotal: l.charged } : {}),
          };
        });
        ready.push({
          objectId: d.id,
          data: {
            year: d.periodYear,
            month: d.periodMonth,
            bik: d.bankBik!,
            account: d.operatingAccount!,
            expose: {
              accountGuid: account!.gisAccountGuid!,
              ...(d.number ? { number: d.number } : {}),
              charges,
              expose: true,
              // Exposed again (the `expose` action on a bill GIS has): GIS replaces it and keeps its ИПД.
              ...(d.gisPaymentDocumentId ? { paymentDocumentId: d.gisPaymentDocumentId } : {}),
              ...(d.debt ? { debtPreviousPeriods: d.debt } : {}),
              ...(d.advance ? { advanceBillingPeriod: d.advance } : {}),
              ...(d.totalPayable !== null ? { totalPayableByPD: d.totalPayable, totalPayableByPaymentInformation: d.totalPayable } : {}),
            },
          },
        });
      }
      return { ready, rejected };
    },

    batchKey: (d) => ("withdraw" in d ? "withdraw" : `${d.year}-${d.month}`),

    payload(batch) {
      if ("withdraw" in batch[0].data) {
        return { withdraw: batch.map((b) => ({ transportGuid: b.transportGuid, paymentDocumentId: (b.data as WithdrawData).withdraw.paymentDocumentId })) };
      }
      const docs = batch.map((b) => ({ tg: b.transportGuid, d: b.data as ExposeData }));
      // One PaymentInformation per distinct requisites; its TransportGUID derives from the first bill using it.
      const keys = new Map<string, string>();
      for (const { tg, d } of docs) if (!keys.has(`${d.bik}/${d.account}`)) keys.set(`${d.bik}/${d.account}`, nestedGuid(tg, "payment-information"));
      return {
        year: docs[0].d.year,
        month: docs[0].d.month,
        paymentInformation: [...keys].map(([k, transportGuid]) => ({ transportGuid, bankBik: k.split("/")[0], operatingAccountNumber: k.split("/")[1] })),
        documents: docs.map(({ tg, d }) => ({ ...d.expose, transportGuid: tg, paymentInformationKey: keys.get(`${d.bik}/${d.account}`)! })),
      };
    },

    // A lost answer: exportPaymentDocumentData for the request's period and accounts (or its ИПД when
    // withdrawing) shows what GIS took. Bills have no GUID in that answer; the ИПД identifies them.
    reconcile: {
      method: "exportPaymentDocumentData",
      payload(objects) {
        const first = objects[0].data;
        if ("withdraw" in first) return { paymentDocumentIds: objects.map((o) => (o.data as WithdrawData).withdraw.paymentDocumentId) };
        return {
          year: first.year,
          month: first.month,
          accountGuids: [...new Set(objects.map((o) => (o.data as ExposeData).expose.accountGuid.toLowerCase()))],
        };
      },
      found(answer, objects) {
        const documents = answer.result ? exportedPaymentDocuments(answer.result).documents : [];
        const found = new Map<number, string>();
        for (const o of objects) {
          if ("withdraw" in o.data) {
            const ipd = o.data.withdraw.paymentDocumentId;
            // A withdrawal took effect only if GIS shows the bill withdrawn.
            if (documents.some((d) => d.paymentDocumentId === ipd && d.state === "withdrawn")) found.set(o.objectId, ipd);
            continue;
          }
          const { expose, year, month } = o.data;
          const placed = documents.find(
            (d) =>
              d.state !== "withdrawn" &&
              (expose.paymentDocumentId
                ? d.paymentDocumentId === expose.paymentDocumentId
                : isSameBill(d, { accountGuid: expose.accountGuid.toLowerCase(), year, month, number: expose.number })),
          );
          if (placed) found.set(o.objectId, placed.paymentDocumentId);
        }
        return found;
      },
      result: (ipd) => ({ guid: null, uniqueNumber: ipd, values: { PaymentDocumentID: ipd } }),
    },

    async apply(em, _answer, matched, ctx) {
      const docs = await byId(
        em,
        PaymentDocument,
        matched.map((m) => m.objectId),
      );
      const withdrawing = (m: { objectId: number }) => docs.get(m.objectId)?.state === "to_withdraw";
      // SRV008070: GIS says the bill is already withdrawn — that is what we wanted.
      const alreadyWithdrawn = (m: (typeof matched)[number]) =>
        withdrawing(m) && m.result.errors.length > 0 && m.result.errors.every((e) => e.code === "SRV008070");
      await writeOutcomes(
        em,
        PaymentDocument,
        matched.map((m) => (alreadyWithdrawn(m) ? { ...m, result: { ...m.result, errors: [] } } : m)),
        ctx,
        (r, m) =>
          withdrawing(m)
            ? { state: "withdrawn" as const }
            : {
                state: "issued" as const,
                ...(r.guid ? { gisGuid: lower(r.guid) } : {}),
                ...((r.values.PaymentDocumentID ?? r.uniqueNumber) ? { gisPaymentDocumentId: r.values.PaymentDocumentID ?? r.uniqueNumber } : {}),
              },
      );
    },
  },
});

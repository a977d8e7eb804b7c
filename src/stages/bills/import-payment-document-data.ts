/**
 * importPaymentDocumentData: expose bills (Expose) and withdraw them (WithdrawPaymentDocument).
 * A request carries one period (Month/Year) and either exposes or withdraws, hence the batch key.
 * GIS wants the requisites (BIK + settlement account) registered in the organization's cabinet,
 * the account placed, and every service line mapped to its GIS dictionary element. An unknown
 * outcome is reconciled by exportPaymentDocumentData of the request's period (or its ИПД).
 */
import { Account, PaymentDocument, PaymentDocumentLine, Service } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { ChargeInput, PaymentDocumentInput } from "../../transport/messages/bills";
import { exportedPaymentDocuments } from "../../transport/results/exports";
import { isSameBill } from "./export-payment-document-data";
import { lower } from "../answer";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId, findIn, groupBy } from "../load";
import { writeOutcome } from "../outcome";
import { Checks, PRE, isBik, isSettlementAccount } from "../preflight";
import { ids, whereAccountInScope, whereObjects } from "../select";
import { mappedForBilling } from "../services/private-services";
import { nestedGuid } from "../transport-guids";

type ExposeData = { expose: Omit<PaymentDocumentInput, "transportGuid" | "paymentInformationKey">; year: number; month: number; bik: string; account: string };
type WithdrawData = { withdraw: { paymentDocumentId: string } };
export type BillData = ExposeData | WithdrawData;

const CHARGE_KIND: Record<Service["kind"], ChargeInput["kind"] | null> = { housing: "housing", municipal: "municipal", additional: "additional", capital_repair: null };

export const importPaymentDocumentData: MethodDescriptor<OperationInputs["importPaymentDocumentData"], BillData> = {
  method: "importPaymentDocumentData",
  stage: "bills",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "payment_document",
  batchSetting: "batch.paymentDocuments",
  defaultBatch: 500,
  safeToRepeat: false,
  after: ["importAccountData", "importMeteringDeviceValues"],

  async select(ds, scope, mode) {
    const qb = ds.getRepository(PaymentDocument).createQueryBuilder("d").where("d.organizationId = :org", { org: scope.organizationId })
      .andWhere("d.sync.status <> 'in_progress'")
      .andWhere(mode === "pull" ? "1 = 0"
        // To expose: bills GIS has not got yet (or refused). To withdraw: bills GIS has.
        : "((d.state IN ('to_issue', 'issued') AND d.gisPaymentDocumentId IS NULL) OR (d.state = 'to_withdraw' AND d.gisPaymentDocumentId IS NOT NULL))");
    await whereAccountInScope(qb, "d.accountId", ds, scope);
    return ids(whereObjects(qb, "d", scope), "d");
  },

  async prepare(ds, docIds) {
    const docs = [...(await byId(ds, PaymentDocument, docIds)).values()];
    const accounts = await byId(ds, Account, docs.map((d) => d.accountId));
    const lines = groupBy(await findIn(ds, PaymentDocumentLine, "paymentDocumentId", docIds), (l) => l.paymentDocumentId);
    const services = await byId(ds, Service, [...lines.values()].flat().map((l) => l.serviceId));
    const ready: Array<{ objectId: number; data: BillData }> = [];
    const rejected: Rejection[] = [];
    for (const d of docs) {
      if (d.state === "to_withdraw") {
        ready.push({ objectId: d.id, data: { withdraw: { paymentDocumentId: d.gisPaymentDocumentId! } } });
        continue;
      }
      const account = accounts.get(d.accountId);
      const c = new Checks(d.id, [["Платёжный документ", d.number ?? `№ ${d.id}`], ["Лицевой", account?.number], ["Период", `${String(d.periodMonth).padStart(2, "0")}.${d.periodYear}`]]);
      c.fail(!account?.gisAccountGuid, PRE.noParentGuid, "accountId", "Отсутствует ГУИД у лицевого счёта (лицевой не размещён в ГИС)");
      c.fail(!isBik(d.bankBik), PRE.requisites, "bankBik", "Не указан или неверен БИК банка платёжных реквизитов (9 цифр)");
      c.fail(!isSettlementAccount(d.operatingAccount), PRE.requisites, "operatingAccount", "Не указан или неверен расчётный счёт платёжных реквизитов (20 цифр)");
      const ls = lines.get(d.id) ?? [];
      c.fail(ls.length === 0, PRE.noLines, "lines", "В платёжном документе нет начислений");
      const unmapped = ls.map((l) => services.get(l.serviceId)!).find((s) => !mappedForBilling(s) || !CHARGE_KIND[s.kind]);
      c.fail(!!unmapped, PRE.nsi, "serviceId", `Услуга «${unmapped?.name ?? ""}» не сопоставлена со справочником услуг ГИС (ЖУ — НСИ 50, КУ — НСИ 51, ДУ — НСИ 1)`);
      if (!c.ok) {
        rejected.push(c.first);
        continue;
      }
      const charges = ls.map((l): ChargeInput => {
        const s = services.get(l.serviceId)!;
        return {
          kind: CHARGE_KIND[s.kind]!, serviceType: { code: s.nsiCode!, guid: s.nsiGuid! }, rate: l.tariff ?? 0,
          totalPayable: l.total ?? l.charged ?? 0, ...(l.charged !== null ? { accountingPeriodTotal: l.charged } : {}),
        };
      });
      ready.push({
        objectId: d.id,
        data: {
          year: d.periodYear, month: d.periodMonth, bik: d.bankBik!, account: d.operatingAccount!,
          expose: {
            accountGuid: account!.gisAccountGuid!, ...(d.number ? { number: d.number } : {}), charges, expose: true,
            ...(d.debt ? { debtPreviousPeriods: d.debt } : {}), ...(d.advance ? { advanceBillingPeriod: d.advance } : {}),
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
      return { withdraw: batch.map((b) => ({ transportGuid: b.transportGuid, paymentDocumentId: (b.data as Extract<BillData, { withdraw: unknown }>).withdraw.paymentDocumentId })) };
    }
    const docs = batch.map((b) => ({ tg: b.transportGuid, d: b.data as Extract<BillData, { expose: unknown }> }));
    // One PaymentInformation per distinct requisites; its TransportGUID derives from the first bill using it.
    const keys = new Map<string, string>();
    for (const { tg, d } of docs) if (!keys.has(`${d.bik}/${d.account}`)) keys.set(`${d.bik}/${d.account}`, nestedGuid(tg, "payment-information"));
    return {
      year: docs[0].d.year, month: docs[0].d.month,
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
      return { year: first.year, month: first.month, accountGuids: [...new Set(objects.map((o) => (o.data as ExposeData).expose.accountGuid.toLowerCase()))] };
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
        const placed = documents.find((d) => d.state !== "withdrawn" && isSameBill(d, { accountGuid: expose.accountGuid.toLowerCase(), year, month, number: expose.number }));
        if (placed) found.set(o.objectId, placed.paymentDocumentId);
      }
      return found;
    },
    result: (ipd) => ({ guid: null, uniqueNumber: ipd, values: { PaymentDocumentID: ipd } }),
  },

  async apply(em, _answer, matched, ctx) {
    const docs = await byId(em, PaymentDocument, matched.map((m) => m.objectId));
    for (const m of matched) {
      const withdrawing = docs.get(m.objectId)?.state === "to_withdraw";
      // SRV008070: GIS says the bill is already withdrawn — that is what we wanted.
      const alreadyWithdrawn = withdrawing && m.result.errors.length > 0 && m.result.errors.every((e) => e.code === "SRV008070");
      const result = alreadyWithdrawn ? { ...m, result: { ...m.result, errors: [] } } : m;
      await writeOutcome(em, PaymentDocument, result, ctx, (r) => withdrawing
        ? { state: "withdrawn" as const }
        : {
            state: "issued" as const,
            ...(r.guid ? { gisGuid: lower(r.guid) } : {}),
            ...((r.values.PaymentDocumentID ?? r.uniqueNumber) ? { gisPaymentDocumentId: r.values.PaymentDocumentID ?? r.uniqueNumber } : {}),
          });
    }
  },
};

/**
 * exportPaymentDocumentDetails (payment): what a payment agent asks GIS about a bill before taking
 * a payment for it — the executor, its payment requisites and the amount due. In the pipeline it is
 * the payments stage's check for an organization that posts its payments as a payment agent
 * (setting payments.checkDocumentDetails): before importNotificationsOfOrderExecution, each bill
 * our unposted payments name is asked for by its ИПД (one bill per request, as the schema allows);
 * a payment whose bill GIS does not have, or whose requisites GIS does not list for the bill, is
 * held back with the reason (code GIS_PD_DETAILS) until a later check finds them in order.
 */
import { In } from "typeorm";
import { Payment, PaymentDocument } from "../../../entities";
import { hydrate, identityExpr, loadAt, statusExpr, findByIdentity } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";
import { updateManyAt } from "../../storage/identity/update";
import { Kid, XNode, leaf } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { child, children, text } from "../../transport/results/safe-xml";
import { valueAt } from "../../stages/answer";
import { Rejection } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { defineMethod } from "../method";

export type ExportPaymentDocumentDetailsInput =
  | { paymentDocumentId: string }
  | ({ year?: number; month?: number } & (
      | { unifiedAccountNumber: string }
      | { fiasHouseGuid: string; accountNumber: string }
      | { fiasHouseGuid: string; paymentDocumentNumber: string }
      | { serviceId: string }
    ));

export interface PaymentDocumentDetails {
  paymentDocumentId: string | null;
  paymentDocumentNumber: string | null;
  unifiedAccountNumber: string | null;
  serviceId: string | null;
  /** Reminder: the amount due for the period by the whole document, kopecks. */
  dueKopecks: number | null;
  executorInn: string | null;
  requisites: Array<{ bik: string | null; account: string | null; bankName: string | null }>;
}

/** Held back by the check: the code the payment carries until a later check finds its bill in order. */
export const DETAILS_CODE = "GIS_PD_DETAILS";

const OP = "exportPaymentDocumentDetails";

function body(i: ExportPaymentDocumentDetailsInput, version: string): XNode {
  let kids: Kid;
  if ("paymentDocumentId" in i) kids = leaf("bills-base:PaymentDocumentID", i.paymentDocumentId);
  else {
    if ((i.year === undefined) !== (i.month === undefined)) throw new Error(`${OP}: год и месяц задаются вместе`);
    kids = [
      i.year === undefined ? null : [leaf("base:Year", i.year), leaf("base:Month", i.month!)],
      "unifiedAccountNumber" in i
        ? leaf("account-base:UnifiedAccountNumber", i.unifiedAccountNumber)
        : "accountNumber" in i
          ? [leaf("pay:FIASHouseGuid", i.fiasHouseGuid), leaf("account-base:AccountNumber", i.accountNumber)]
          : "paymentDocumentNumber" in i
            ? [leaf("pay:FIASHouseGuid", i.fiasHouseGuid), leaf("bills-base:PaymentDocumentNumber", i.paymentDocumentNumber)]
            : leaf("account-base:ServiceID", i.serviceId),
    ];
  }
  return container("pay:exportPaymentDocumentDetailsRequest", version, kids);
}

/** The bills of an exportPaymentDocumentDetailsResult (Charge/PaymentDocument). */
export function readDetails(result: Element): PaymentDocumentDetails[] {
  const out: PaymentDocumentDetails[] = [];
  for (const r of children(result, "exportPaymentDocumentDetailsResult")) {
    for (const d of children(child(r, "Charge") ?? r, "PaymentDocument")) {
      const details = child(d, "PaymentDocumentDetails");
      const executor = details ? child(details, "ExecutorInformation") : null;
      const due = details ? valueAt(details, "Reminder") : null;
      out.push({
        paymentDocumentId: valueAt(d, "PaymentDocumentID"),
        paymentDocumentNumber: valueAt(d, "PaymentDocumentNumber"),
        unifiedAccountNumber: valueAt(d, "UnifiedAccountNumber"),
        serviceId: valueAt(d, "ServiceID"),
        dueKopecks: due === null ? null : Number(due),
        executorInn: executor ? valueAt(executor, "INN") : null,
        requisites: executor
          ? children(executor, "PaymentInformation").map((p) => ({
              bik: text(child(p, "BankBIK")),
              account: text(child(p, "operatingAccountNumber")),
              bankName: text(child(p, "BankName")),
            }))
          : [],
      });
    }
  }
  return out;
}

type DetailsData = { paymentDocumentId: string };

export const exportPaymentDocumentDetails = defineMethod<ExportPaymentDocumentDetailsInput, DetailsData, PaymentDocumentDetails[]>({
  name: OP,
  service: "payment",
  element: "exportPaymentDocumentDetailsRequest",
  // Not fixed: the newest the annotation lists (11.0.1.1, 12.2.0.1, 13.1.0.1), in both packages.
  versions: { "16.3.0.0": "13.1.0.1", "14.4.0.1": "13.1.0.1" },
  body,
  read: readDetails,

  descriptor: {
    stage: "payments",
    kind: "export",
    modes: ["push", "sync"],
    // The items are payments, but the check must not mark them placed: a kind without a table keeps their state.
    objectType: "payment_check",
    batchSetting: null,
    defaultBatch: 1000,
    safeToRepeat: true,
    after: ["exportNotificationsOfOrderExecution"],

    async select(ds, scope, mode, ctx) {
      if (scope.action || ctx.setting("payments.checkDocumentDetails") !== true || ctx.setting("payments.asExecutor") === true) return [];
      // Our payments still to be posted that name a bill GIS has given an ИПД.
      const qb = ds
        .getRepository(Payment)
        .createQueryBuilder("p")
        .innerJoin(PaymentDocument, "d", "d.id = p.paymentDocumentId")
        .where("p.organizationId = :org", { org: scope.organizationId })
        .andWhere("p.source = 'own'")
        .andWhere("p.annulled = :no", { no: false });
      // On the run's stand: not posted there yet, and a bill that stand has given an ИПД.
      qb.andWhere(`${identityExpr(qb, "p", "gisGuid", ctx.stand)} IS NULL`)
        .andWhere(`${statusExpr(qb, "p", ctx.stand)} <> 'in_progress'`)
        .andWhere(`${identityExpr(qb, "d", "gisPaymentDocumentId", ctx.stand)} IS NOT NULL`);
      whereOfStand(whereOfStand(qb, "p", ctx.stand), "d", ctx.stand);
      if (scope.objectIds) qb.andWhere("p.id IN (:...chosen)", { chosen: scope.objectIds.length ? scope.objectIds : [-1] });
      void mode;
      const rows = await qb.select("p.id", "id").orderBy("p.id", "ASC").getRawMany<{ id: number }>();
      return rows.map((r) => Number(r.id));
    },

    async prepare(ds, paymentIds, ctx) {
      const payments = await findIn(ds, Payment, "id", paymentIds);
      const docs = await loadAt(
        ds,
        "payment_document",
        payments.map((p) => p.paymentDocumentId),
        ctx.stand,
      );
      const ready: Array<{ objectId: number; data: DetailsData }> = [];
      const rejected: Rejection[] = [];
      for (const p of payments) {
        const ipd = docs.get(p.paymentDocumentId ?? -1)?.gisPaymentDocumentId;
        if (ipd) ready.push({ objectId: p.id, data: { paymentDocumentId: ipd } });
      }
      return { ready, rejected };
    },

    // One bill per request: the payments of one bill share it.
    batchKey: (d) => d.paymentDocumentId,
    payload: (batch) => ({ paymentDocumentId: batch[0].data.paymentDocumentId }),

    async apply(em, answer, _matched, ctx) {
      const asked = answer.result ? readDetails(answer.result) : [];
      const ipd = asked[0]?.paymentDocumentId ?? null;
      if (!ipd) return;
      const docs = await findByIdentity(em, "payment_document", "gisPaymentDocumentId", [ipd], ctx.stand, { organizationId: ctx.organizationId });
      if (docs.length === 0) return;
      const d = docs[0];
      const listed = asked[0].requisites.some((r) => r.bik === d.bankBik && r.account === d.operatingAccount);
      const payments = (
        await hydrate(
          em,
          "payment",
          await em.getRepository(Payment).find({ where: { paymentDocumentId: In(docs.map((x) => x.id)), source: "own" } }),
          ctx.stand,
        )
      ).filter((p) => !p.gisGuid);
      const patches: Array<{ id: number; patch: Record<string, unknown> }> = [];
      for (const p of payments) {
        if (p.sync.status === "in_progress") continue;
        if (!listed) {
          patches.push({
            id: p.id,
            patch: {
              sync: {
                status: "error",
                errorCode: DETAILS_CODE,
                errorText: `Реквизиты платёжного документа ${ipd} в ГИС ЖКХ не совпадают с нашими (БИК ${d.bankBik ?? "—"}, счёт ${d.operatingAccount ?? "—"}): платёж не размещён`,
              },
            },
          });
        } else if (p.sync.errorCode === DETAILS_CODE) {
          patches.push({ id: p.id, patch: { sync: { status: "not_sent", errorCode: null, errorText: null } } });
        }
      }
      await updateManyAt(em, ctx.stand, Payment, patches);
    },
  },
});

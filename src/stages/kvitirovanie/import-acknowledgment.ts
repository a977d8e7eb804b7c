/**
 * importAcknowledgment: match a payment to a bill's service line (квитирование), or declare that
 * it cannot be matched. Both the notification and the bill must be in GIS, and the service mapped
 * to its GIS element (ЖУ: НСИ 50, КУ: the organization's НСИ 51, ДУ: НСИ 1). Amounts in roubles.
 */
import { Acknowledgment, Payment, PaymentDocument, Service } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { AcknowledgmentInput } from "../../transport/messages/bills";
import { matchPayments } from "./match";
import { MethodDescriptor, Rejection } from "../descriptor";
import { byId } from "../load";
import { writeOutcome } from "../outcome";
import { Checks, PRE } from "../preflight";
import { mappedForBilling } from "../services/private-services";
import { ids, whereAccountInScope, whereNeedsSending, whereObjects } from "../select";

const SERVICE_KEY = { housing: "hs", municipal: "ms", additional: "as" } as const;

export const importAcknowledgment: MethodDescriptor<OperationInputs["importAcknowledgment"], Omit<AcknowledgmentInput, "transportGuid">> = {
  method: "importAcknowledgment",
  stage: "kvitirovanie",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "acknowledgment",
  batchSetting: "batch.acknowledgments",
  defaultBatch: 100,
  safeToRepeat: false,
  after: ["importPaymentDocumentData", "importNotificationsOfOrderExecution"],

  async select(ds, scope, mode) {
    // Payments placed since the last run are matched to their bills' service lines first.
    if (mode !== "pull") await matchPayments(ds, scope.organizationId);
    const qb = ds.getRepository(Acknowledgment).createQueryBuilder("k").innerJoin(PaymentDocument, "d", "d.id = k.paymentDocumentId")
      .where("d.organizationId = :org", { org: scope.organizationId }).andWhere("k.state IN ('pending', 'impossible')");
    await whereAccountInScope(qb, "d.accountId", ds, scope);
    return ids(whereNeedsSending(whereObjects(qb, "k", scope), "k", mode, null), "k");
  },

  async prepare(ds, ackIds) {
    const acks = [...(await byId(ds, Acknowledgment, ackIds)).values()];
    const payments = await byId(ds, Payment, acks.map((a) => a.paymentId));
    const docs = await byId(ds, PaymentDocument, acks.map((a) => a.paymentDocumentId));
    const services = await byId(ds, Service, acks.map((a) => a.serviceId));
    const ready: Array<{ objectId: number; data: Omit<AcknowledgmentInput, "transportGuid"> }> = [];
    const rejected: Rejection[] = [];
    for (const a of acks) {
      const p = payments.get(a.paymentId)!;
      const d = docs.get(a.paymentDocumentId)!;
      const s = services.get(a.serviceId)!;
      const c = new Checks(a.id, [["Платёж", p.orderNumber ?? p.orderId], ["Платёжный документ", d.number ?? `№ ${d.id}`], ["Услуга", s.name]]);
      c.fail(!p.gisGuid, PRE.noParentGuid, "paymentId", "Отсутствует ГУИД у извещения о платеже (платёж не размещён в ГИС)");
      c.fail(!d.gisPaymentDocumentId, PRE.noParentGuid, "paymentDocumentId", "Отсутствует идентификатор платёжного документа (ИПД)");
      const key = s.kind === "capital_repair" ? null : SERVICE_KEY[s.kind];
      if (a.state === "pending") c.fail(!key || !mappedForBilling(s), PRE.nsi, "serviceId", `Услуга «${s.name}» не сопоставлена со справочником услуг ГИС`);
      if (!c.ok) {
        rejected.push(c.first);
        continue;
      }
      ready.push({
        objectId: a.id,
        data: {
          notificationGuid: p.gisGuid!,
          ...(a.state === "impossible"
            ? { impossible: { paymentDocumentId: d.gisPaymentDocumentId!, ...(a.impossibleReason ? { reason: a.impossibleReason } : {}) } }
            : { paymentDocument: { paymentDocumentId: d.gisPaymentDocumentId!, service: { [key!]: s.nsiGuid! } as { hs: string }, amount: a.amount, ...(d.number ? { paymentDocumentNumber: d.number } : {}) } }),
        },
      });
    }
    return { ready, rejected };
  },

  payload: (batch) => ({ acknowledgments: batch.map((b) => ({ ...b.data, transportGuid: b.transportGuid })) }),

  async apply(em, _answer, matched, ctx) {
    const acks = await byId(em, Acknowledgment, matched.map((m) => m.objectId));
    for (const m of matched) {
      await writeOutcome(em, Acknowledgment, m, ctx, () => (acks.get(m.objectId)?.state === "pending" ? { state: "acknowledged" as const } : {}));
    }
  },
};

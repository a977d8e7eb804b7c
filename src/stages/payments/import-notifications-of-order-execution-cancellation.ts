/** importNotificationsOfOrderExecutionCancellation: annul in GIS our payments annulled in billing. */
import { Payment } from "../../../entities";
import { OperationInputs } from "../../transport/messages";
import { CancellationInput } from "../../transport/messages/payment";
import { MethodDescriptor } from "../descriptor";
import { byId } from "../load";
import { writeOutcomes } from "../outcome";
import { ids, whereObjects } from "../select";

export const importNotificationsOfOrderExecutionCancellation: MethodDescriptor<OperationInputs["importNotificationsOfOrderExecutionCancellation"], Omit<CancellationInput, "transportGuid">> = {
  method: "importNotificationsOfOrderExecutionCancellation",
  stage: "payments",
  kind: "import",
  modes: ["push", "sync"],
  objectType: "payment",
  batchSetting: "batch.paymentNotices",
  defaultBatch: 500,
  safeToRepeat: false,
  after: ["importNotificationsOfOrderExecution"],

  async select(ds, scope, mode) {
    if (mode === "pull") return [];
    // Annulled after GIS accepted the notification: it changed since, and GIS has it.
    const qb = ds.getRepository(Payment).createQueryBuilder("p").where("p.organizationId = :org", { org: scope.organizationId })
      .andWhere("p.source = 'own'").andWhere("p.annulled = :yes", { yes: true }).andWhere("p.gisGuid IS NOT NULL")
      .andWhere("p.sync.status <> 'in_progress'")
      .andWhere("(p.sync.status = 'error' OR p.sync.changedAt > p.sync.syncedAt)");
    return ids(whereObjects(qb, "p", scope), "p");
  },

  async prepare(ds, paymentIds, ctx) {
    const payments = [...(await byId(ds, Payment, paymentIds)).values()];
    return {
      ready: payments.map((p) => ({ objectId: p.id, data: { orderId: p.orderId, cancellationDate: p.annulledDate ?? ctx.now.toISOString().slice(0, 10) } })),
      rejected: [],
    };
  },

  payload: (batch) => ({ cancellations: batch.map((b) => ({ ...b.data, transportGuid: b.transportGuid })) }),

  async apply(em, _answer, matched, ctx) {
    await writeOutcomes(em, Payment, matched, ctx, () => ({}));
  },
};

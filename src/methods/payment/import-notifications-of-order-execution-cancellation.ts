/**
 * importNotificationsOfOrderExecutionCancellation (payment): annul in GIS our payments annulled in
 * billing — and, as the object action `annul` («Аннулировать» on a payment's card), the chosen
 * placed payments, which are then annulled here too. An unknown outcome is reconciled by
 * exportNotificationsOfOrderExecution of the notices' creation window (cancellations are batched by
 * it): a notice GIS shows annulled (AckStatus 1) took the cancellation.
 */
import { In, IsNull, SelectQueryBuilder } from "typeorm";
import { Payment } from "../../../entities";
import { identityExpr, joinIdentity, loadAt, statusExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";
import { XNode, el, leaf, opt } from "../../transport/envelope/xml";
import { checkCount, container, transportGuid } from "../../transport/messages/common";
import { writeOutcomes } from "../../stages/outcome";
import { ids, whereObjects } from "../../stages/select";
import { acceptedWindow, exportedNotices } from "../bills/notices";
import { defineMethod } from "../method";

export interface CancellationInput {
  transportGuid: string;
  /** The OrderID of the notification to cancel. */
  orderId: string;
  /** xs:date */
  cancellationDate: string;
  comment?: string;
}

export interface ImportCancellationsInput {
  cancellations: CancellationInput[];
}

type CancellationData = Omit<CancellationInput, "transportGuid"> & { notificationGuid: string; window: { dateFrom: string; days: number } };

const OP = "importNotificationsOfOrderExecutionCancellation";

function body(i: ImportCancellationsInput, version: string): XNode {
  checkCount(OP, "NotificationOfOrderExecutionCancellation", i.cancellations.length, 1, 500);
  return container(
    "pay:importNotificationsOfOrderExecutionCancellationRequest",
    version,
    i.cancellations.map((c) =>
      el(
        "pay:NotificationOfOrderExecutionCancellation",
        null,
        leaf("payments-base:OrderID", c.orderId),
        leaf("payments-base:CancellationDate", c.cancellationDate),
        opt("payments-base:Comment", c.comment),
        transportGuid(c.transportGuid),
      ),
    ),
  );
}

/** Keeps the payments the stand has (its notice GUID) that no operation carries; returns the store's join alias. */
function placedOnStand(qb: SelectQueryBuilder<Payment>, stand: string): string {
  qb.andWhere(`${identityExpr(qb, "p", "gisGuid", stand)} IS NOT NULL`).andWhere(`${statusExpr(qb, "p", stand)} <> 'in_progress'`);
  whereOfStand(qb, "p", stand);
  return joinIdentity(qb, "p", stand);
}

export const importNotificationsOfOrderExecutionCancellation = defineMethod<ImportCancellationsInput, CancellationData>({
  name: OP,
  service: "payment",
  element: "importNotificationsOfOrderExecutionCancellationRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  batch: { element: "NotificationOfOrderExecutionCancellation", max: 500 },
  body,

  descriptor: {
    stage: "payments",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "payment",
    batchSetting: "batch.paymentNotices",
    defaultBatch: 500,
    safeToRepeat: false,
    actions: ["annul"],
    after: ["importNotificationsOfOrderExecution", "importSupplierNotificationsOfOrderExecution", "exportNotificationsOfOrderExecution"],

    async select(ds, scope, mode, ctx) {
      if (scope.action === "annul") {
        // The chosen own payments GIS has and that are not annulled there yet: annulled here now, then in GIS.
        const chosen = scope.objectIds?.length ? scope.objectIds : [-1];
        const qb = ds
          .getRepository(Payment)
          .createQueryBuilder("p")
          .where("p.organizationId = :org", { org: scope.organizationId })
          .andWhere("p.source = 'own'");
        const gi = placedOnStand(qb, ctx.stand);
        qb.andWhere(
          scope.objectType === "account"
            ? "p.accountId IN (:...chosen)"
            : scope.objectType === "payment_document"
              ? "p.paymentDocumentId IN (:...chosen)"
              : "p.id IN (:...chosen)",
          { chosen },
        ).andWhere(`(p.annulled = :no OR ${gi}.status = 'error' OR p.sync.changedAt > ${gi}.syncedAt)`, { no: false });
        const found = await ids(qb, "p");
        const today = ctx.now.toISOString().slice(0, 10);
        for (let i = 0; i < found.length; i += 500) {
          const chunk = In(found.slice(i, i + 500));
          await ds.getRepository(Payment).update({ id: chunk, annulledDate: IsNull() }, { annulledDate: today });
          await ds.getRepository(Payment).update({ id: chunk }, { annulled: true });
        }
        return found;
      }
      if (mode === "pull" || scope.action) return [];
      // Annulled after GIS accepted the notification: it changed since, and GIS has it.
      const qb = ds
        .getRepository(Payment)
        .createQueryBuilder("p")
        .where("p.organizationId = :org", { org: scope.organizationId })
        .andWhere("p.source = 'own'")
        .andWhere("p.annulled = :yes", { yes: true });
      const gi = placedOnStand(qb, ctx.stand);
      qb.andWhere(`(${gi}.status = 'error' OR p.sync.changedAt > ${gi}.syncedAt)`);
      return ids(whereObjects(qb, "p", scope), "p");
    },

    async prepare(ds, paymentIds, ctx) {
      const payments = [...(await loadAt(ds, "payment", paymentIds, ctx.stand)).values()];
      return {
        ready: payments.map((p) => ({
          objectId: p.id,
          data: {
            orderId: p.orderId,
            cancellationDate: p.annulledDate ?? ctx.now.toISOString().slice(0, 10),
            notificationGuid: p.gisGuid ?? "",
            window: acceptedWindow(p.sync.syncedAt, ctx.now),
          },
        })),
        rejected: [],
      };
    },

    batchKey: (d) => d.window.dateFrom,

    payload: (batch) => ({
      cancellations: batch.map((b) => ({
        transportGuid: b.transportGuid,
        orderId: b.data.orderId,
        cancellationDate: b.data.cancellationDate,
        ...(b.data.comment ? { comment: b.data.comment } : {}),
      })),
    }),

    reconcile: {
      method: "exportNotificationsOfOrderExecution",
      payload: (objects) => ({ ...objects[0].data.window, ackStatuses: [1] }),
      found(answer, objects, ctx) {
        const ours = ctx.orgPPAGUID.toLowerCase();
        const annulled = new Map(
          exportedNotices(answer)
            .filter((n) => n.annulled && n.orgPPAGUID === ours)
            .map((n) => [n.orderId, n.guid]),
        );
        const found = new Map<number, string>();
        for (const o of objects) {
          const guid = annulled.get(o.data.orderId);
          if (guid) found.set(o.objectId, guid);
        }
        return found;
      },
    },

    async apply(em, _answer, matched, ctx) {
      await writeOutcomes(em, Payment, matched, ctx, () => ({}));
    },
  },
});

/**
 * importAcknowledgment (bills): kvitirovanie — match a payment notice to a bill's service line
 * (AcknowledgmentRequestInfo / PaymentDocumentAck), declare that it cannot be matched
 * (AckImpossible), or cancel it (AckCancellation: the notice × the document, every service). Both
 * the notice and the bill must be in GIS, and the service mapped to its GIS element (ЖУ: НСИ 50,
 * КУ: the organization's НСИ 51, ДУ: НСИ 1). Amounts in roubles.
 *
 * Object actions: `acknowledge` (the chosen payments, bills or acknowledgments, matched and sent
 * now) and `cancelAcknowledgment` (their acknowledgments in GIS cancelled). An unknown outcome is
 * reconciled by exportNotificationsOfOrderExecution of the notices' 7-day creation window
 * (acknowledgments are batched by that window): what GIS lists per notice decides.
 */
import { DataSource, In, SelectQueryBuilder } from "typeorm";
import { Acknowledgment, PaymentDocument } from "../../../entities";
import { AtStand, findAt, identityExpr, loadAt, statusExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";
import { updateAt } from "../../storage/identity/update";
import { XNode, decimal, el, leaf, opt } from "../../transport/envelope/xml";
import { NsiRef, checkCount, container, nsiRef, transportGuid } from "../../transport/messages/common";
import { Rejection, Scope } from "../../stages/descriptor";
import { writeOutcomes } from "../../stages/outcome";
import { Checks, PRE } from "../../stages/preflight";
import { billingElement, mappedForBilling } from "../../stages/services/private-services";
import { ids, whereAccountInScope, whereNeedsSending, whereObjects } from "../../stages/select";
import { defineMethod } from "../method";
import { matchPayments } from "./kvitirovanie-match";
import { ackInGis, automaticInGis, listsAck } from "./kvitirovanie-state";
import { ALL_ACK_STATUSES, acceptedWindow, exportedNotices } from "./notices";

type NoticeKey = { notificationGuid: string; order?: undefined } | { notificationGuid?: undefined; order: { orderId: string; orgPPAGUID: string } };

export type AcknowledgmentInput = NoticeKey & {
  transportGuid: string;
  /** Match with a payment document's service, for an amount; or declare acknowledgment impossible. */
  paymentDocument?: {
    paymentDocumentId: string;
    /** The charge's service: housing/municipal/additional service GUIDs or NSI refs. */
    service: { hs: string } | { ms: string } | { as: string } | { pservice: NsiRef } | { tms: NsiRef };
    amount: number;
    paymentDocumentNumber?: string;
  };
  impossible?: { paymentDocumentId?: string; reason?: string };
};

/** AckCancellation: every acknowledgment of the notice against the document is cancelled. */
export type AckCancellationInput = NoticeKey & { transportGuid: string; paymentDocumentId: string };

export type ImportAcknowledgmentInput =
  /** 1..100 requests. */
  | { acknowledgments: AcknowledgmentInput[] }
  /** 1..100 cancellations. */
  | { cancellations: AckCancellationInput[] };

const OP = "importAcknowledgment";

function noticeKey(a: NoticeKey): XNode[] {
  if (!a.notificationGuid === !a.order) throw new Error(`${OP}: укажите notificationGuid либо order`);
  return a.notificationGuid
    ? [leaf("payments-base:NotificationsOfOrderExecutionGUID", a.notificationGuid)]
    : [leaf("payments-base:OrderID", a.order!.orderId), leaf("base:orgPPAGUID", a.order!.orgPPAGUID)];
}

function acknowledgment(a: AcknowledgmentInput): XNode {
  if (!a.paymentDocument === !a.impossible) throw new Error(`${OP}: укажите paymentDocument либо impossible`);
  const p = a.paymentDocument;
  const s = p?.service;
  return el(
    "bills:AcknowledgmentRequestInfo",
    null,
    noticeKey(a),
    p && s
      ? el(
          "payments-base:PaymentDocumentAck",
          null,
          leaf("bills-base:PaymentDocumentID", p.paymentDocumentId),
          "hs" in s
            ? leaf("payments-base:HSType", s.hs)
            : "ms" in s
              ? leaf("payments-base:MSType", s.ms)
              : "as" in s
                ? leaf("payments-base:ASType", s.as)
                : "pservice" in s
                  ? nsiRef("payments-base:PServiceType", s.pservice)
                  : nsiRef("payments-base:TMSType", s.tms),
          leaf("payments-base:Amount", decimal(p.amount, 2)),
          opt("bills-base:PaymentDocumentNumber", p.paymentDocumentNumber),
        )
      : el(
          "payments-base:AckImpossible",
          null,
          opt("bills-base:PaymentDocumentID", a.impossible!.paymentDocumentId),
          opt("payments-base:Reason", a.impossible!.reason),
        ),
    transportGuid(a.transportGuid),
  );
}

function body(i: ImportAcknowledgmentInput, version: string): XNode {
  if ("cancellations" in i) {
    checkCount(OP, "AckCancellation", i.cancellations.length, 1, 100);
    return container(
      "bills:importAcknowledgmentRequest",
      version,
      i.cancellations.map((c) =>
        el("bills:AckCancellation", null, noticeKey(c), leaf("bills-base:PaymentDocumentID", c.paymentDocumentId), transportGuid(c.transportGuid)),
      ),
    );
  }
  checkCount(OP, "AcknowledgmentRequestInfo", i.acknowledgments.length, 1, 100);
  return container("bills:importAcknowledgmentRequest", version, i.acknowledgments.map(acknowledgment));
}

/** One acknowledgment row as sent: its notice, its window (for reconciling), and what to do. */
export type AckData = {
  notificationGuid: string;
  window: { dateFrom: string; days: number };
  /** For reconciling: the document's ИПД and the service GUID the row acknowledges. */
  paymentDocumentId: string;
  serviceGuid: string | null;
} & (
  | { kind: "ack"; paymentDocument: NonNullable<AcknowledgmentInput["paymentDocument"]> }
  | { kind: "impossible"; impossible: NonNullable<AcknowledgmentInput["impossible"]> }
  | { kind: "cancel" }
);

const SERVICE_KEY = { housing: "hs", municipal: "ms", additional: "as" } as const;
const ACTIONS = ["acknowledge", "cancelAcknowledgment"] as const;

/** The stand's state of acknowledgments `k` (pending until acknowledged there). */
const ackStateExpr = (qb: SelectQueryBuilder<Acknowledgment>, stand: string): string => `COALESCE(${identityExpr(qb, "k", "state", stand)}, 'pending')`;

/** Acknowledgment rows of the chosen objects (payments, bills, accounts or the rows themselves). */
function whereChosen(scope: Scope): { column: string; ids: number[] } {
  const column =
    scope.objectType === "payment"
      ? "k.paymentId"
      : scope.objectType === "payment_document"
        ? "k.paymentDocumentId"
        : scope.objectType === "account"
          ? "d.accountId"
          : "k.id";
  return { column, ids: scope.objectIds?.length ? scope.objectIds : [-1] };
}

async function selectForAction(ds: DataSource, scope: Scope, automatic: boolean, stand: string): Promise<number[]> {
  const chosen = whereChosen(scope);
  const qb = ds
    .getRepository(Acknowledgment)
    .createQueryBuilder("k")
    .innerJoin(PaymentDocument, "d", "d.id = k.paymentDocumentId")
    .where("d.organizationId = :org", { org: scope.organizationId });
  qb.andWhere(`${statusExpr(qb, "k", stand)} <> 'in_progress'`).andWhere(`${chosen.column} IN (:...chosen)`, { chosen: chosen.ids });
  whereOfStand(qb, "d", stand);
  if (scope.action === "acknowledge") {
    if (scope.objectType === "payment") await matchPayments(ds, scope.organizationId, { stand, automaticInGis: automatic, paymentIds: chosen.ids });
    return ids(qb.andWhere(`${ackStateExpr(qb, stand)} IN ('pending', 'impossible')`), "k");
  }
  // One AckCancellation cancels the notice × document: the row with the lowest id carries it.
  const rows = await qb
    .andWhere(`${ackStateExpr(qb, stand)} IN ('acknowledged', 'to_cancel')`)
    .select(["k.id AS id", "k.paymentId AS paymentId", "k.paymentDocumentId AS docId"])
    .orderBy("k.id", "ASC")
    .getRawMany<{ id: number; paymentId: number; docId: number }>();
  const carriers = new Map<string, number>();
  for (const r of rows) if (!carriers.has(`${r.paymentId}/${r.docId}`)) carriers.set(`${r.paymentId}/${r.docId}`, Number(r.id));
  return [...carriers.values()];
}

export const importAcknowledgment = defineMethod<ImportAcknowledgmentInput, AckData>({
  name: OP,
  service: "bills",
  element: "importAcknowledgmentRequest",
  versions: { "16.3.0.0": "11.0.0.2", "14.4.0.1": "11.0.0.2" },
  batch: { element: "AcknowledgmentRequestInfo", max: 100 },
  body,

  descriptor: {
    stage: "kvitirovanie",
    kind: "import",
    modes: ["push", "sync"],
    objectType: "acknowledgment",
    batchSetting: "batch.acknowledgments",
    defaultBatch: 100,
    safeToRepeat: false,
    actions: [...ACTIONS],
    after: ["importPaymentDocumentData", "importNotificationsOfOrderExecution", "exportNotificationsOfOrderExecution"],

    async select(ds, scope, mode, ctx) {
      if (scope.action && (ACTIONS as readonly string[]).includes(scope.action)) return selectForAction(ds, scope, automaticInGis(ctx), ctx.stand);
      // Payments placed since the last run are matched to their bills' service lines first.
      if (mode !== "pull") await matchPayments(ds, scope.organizationId, { stand: ctx.stand, automaticInGis: automaticInGis(ctx) });
      const qb = ds
        .getRepository(Acknowledgment)
        .createQueryBuilder("k")
        .innerJoin(PaymentDocument, "d", "d.id = k.paymentDocumentId")
        .where("d.organizationId = :org", { org: scope.organizationId });
      qb.andWhere(`${ackStateExpr(qb, ctx.stand)} IN ('pending', 'impossible')`);
      whereOfStand(qb, "d", ctx.stand);
      if (scope.month) qb.andWhere("d.periodYear = :year AND d.periodMonth = :month", scope.month);
      await whereAccountInScope(qb, "d.accountId", ds, scope);
      return ids(whereNeedsSending(whereObjects(qb, "k", scope), "k", mode, null, ctx.stand, scope), "k");
    },

    async prepare(ds, ackIds, ctx) {
      const acks = [...(await loadAt(ds, "acknowledgment", ackIds, ctx.stand)).values()];
      const payments = await loadAt(
        ds,
        "payment",
        acks.map((a) => a.paymentId),
        ctx.stand,
      );
      const docs = await loadAt(
        ds,
        "payment_document",
        acks.map((a) => a.paymentDocumentId),
        ctx.stand,
      );
      const services = await loadAt(
        ds,
        "service",
        acks.map((a) => a.serviceId),
        ctx.stand,
      );
      const ready: Array<{ objectId: number; data: AckData }> = [];
      const rejected: Rejection[] = [];
      for (const a of acks) {
        const p = payments.get(a.paymentId)!;
        const d = docs.get(a.paymentDocumentId)!;
        const s = services.get(a.serviceId)!;
        const c = new Checks(a.id, [
          ["Платёж", p.orderNumber ?? p.orderId],
          ["Платёжный документ", d.number ?? `№ ${d.id}`],
          ["Услуга", s.name],
        ]);
        c.fail(!p.gisGuid, PRE.noParentGuid, "paymentId", "Отсутствует ГУИД у извещения о платеже (платёж не размещён в ГИС)");
        c.fail(!d.gisPaymentDocumentId, PRE.noParentGuid, "paymentDocumentId", "Отсутствует идентификатор платёжного документа (ИПД)");
        const key = s.kind === "capital_repair" ? null : SERVICE_KEY[s.kind];
        if (a.state === "pending") c.fail(!key || !mappedForBilling(s), PRE.nsi, "serviceId", `Услуга «${s.name}» не сопоставлена со справочником услуг ГИС`);
        if (!c.ok) {
          rejected.push(c.first);
          continue;
        }
        const common = {
          notificationGuid: p.gisGuid!,
          window: acceptedWindow(p.sync.syncedAt, ctx.now),
          paymentDocumentId: d.gisPaymentDocumentId!,
          serviceGuid: billingElement(s)?.guid.toLowerCase() ?? null,
        };
        const data: AckData =
          a.state === "acknowledged" || a.state === "to_cancel"
            ? { ...common, kind: "cancel" }
            : a.state === "impossible"
              ? {
                  ...common,
                  kind: "impossible",
                  impossible: { paymentDocumentId: d.gisPaymentDocumentId!, ...(a.impossibleReason ? { reason: a.impossibleReason } : {}) },
                }
              : {
                  ...common,
                  kind: "ack",
                  paymentDocument: {
                    paymentDocumentId: d.gisPaymentDocumentId!,
                    service: { [key!]: billingElement(s)!.guid } as { hs: string },
                    amount: a.amount,
                    ...(d.number ? { paymentDocumentNumber: d.number } : {}),
                  },
                };
        ready.push({ objectId: a.id, data });
      }
      return { ready, rejected };
    },

    // Cancellations and acknowledgments are different request branches; one reconciling export covers one creation window.
    batchKey: (d) => `${d.kind === "cancel" ? "cancel" : "ack"}|${d.window.dateFrom}`,

    payload(batch) {
      if (batch[0].data.kind === "cancel") {
        return {
          cancellations: batch.map((b) => ({
            transportGuid: b.transportGuid,
            notificationGuid: b.data.notificationGuid,
            paymentDocumentId: b.data.paymentDocumentId,
          })),
        };
      }
      return {
        acknowledgments: batch.map((b) => {
          const d = b.data;
          return d.kind === "impossible"
            ? { transportGuid: b.transportGuid, notificationGuid: d.notificationGuid, impossible: d.impossible }
            : {
                transportGuid: b.transportGuid,
                notificationGuid: d.notificationGuid,
                paymentDocument: (d as Extract<AckData, { kind: "ack" }>).paymentDocument,
              };
        }),
      };
    },

    // A lost answer: the notices of the batch's window, with GIS's kvitirovanie of each, show what took effect.
    reconcile: {
      method: "exportNotificationsOfOrderExecution",
      payload: (objects) => ({ ...objects[0].data.window, ackStatuses: ALL_ACK_STATUSES }),
      found(answer, objects) {
        const notices = new Map(exportedNotices(answer).map((n) => [n.guid, n]));
        const found = new Map<number, string>();
        for (const o of objects) {
          const n = notices.get(o.data.notificationGuid.toLowerCase());
          if (!n) continue;
          const d = o.data;
          const took =
            d.kind === "cancel"
              ? !listsAck(n, d.paymentDocumentId, null)
              : d.kind === "impossible"
                ? n.ackStatus === 5
                : ackInGis(n, d.paymentDocumentId, d.serviceGuid);
          if (took) found.set(o.objectId, n.guid);
        }
        return found;
      },
    },

    async apply(em, _answer, matched, ctx) {
      const acks = await loadAt(
        em,
        "acknowledgment",
        matched.map((m) => m.objectId),
        ctx.stand,
      );
      const cancelling = (a: AtStand<"acknowledgment"> | undefined) => !!a && (a.state === "acknowledged" || a.state === "to_cancel");
      const ours = matched.filter((m) => acks.has(m.objectId));
      await writeOutcomes(em, Acknowledgment, ours, ctx, (_r, m) => {
        const a = acks.get(m.objectId)!;
        return a.state === "pending" ? { state: "acknowledged" as const } : cancelling(a) ? { state: "cancelled" as const, gisAckStatus: null } : {};
      });
      // The cancellation covered every service of the notice × document: the carrier's siblings follow it.
      for (const m of ours) {
        const a = acks.get(m.objectId)!;
        if (!cancelling(a) || m.result.errors.length > 0) continue;
        const siblings = (await findAt(em, "acknowledgment", "paymentId", [a.paymentId], ctx.stand, { paymentDocumentId: a.paymentDocumentId })).filter(
          (x) => x.state === "acknowledged" || x.state === "to_cancel",
        );
        await updateAt(
          em,
          ctx.stand,
          Acknowledgment,
          siblings.map((x) => x.id),
          { state: "cancelled", gisAckStatus: null },
        );
      }
    },
  },
});

/**
 * exportNotificationsOfOrderExecution (bills; «Проверить оплату», «Проверить поступление платежей»):
 * the payment notices GIS holds for our bills and accounts over a period, before our own payments
 * are posted (importNotificationsOfOrderExecution runs after it, in every mode — push included).
 *  - Notices another organization (a bank, a payment agent) placed become payments with source
 *    "other", kept apart from ours and never sent.
 *  - Notices we placed ourselves link our payment to its GIS GUID: a payment GIS already has is
 *    not posted a second time (the answer of an earlier posting may have been lost); and their
 *    kvitirovanie as GIS shows it settles our acknowledgments (see kvitirovanie-state.ts).
 *
 * The period: from the first day of the previous month to today, in 7-day windows (DaysInterval
 * 1..7), each identified by the day number of its first day; objectType "payment_period" has no
 * table, so no object's sync state is touched by these operations. Notices are matched to our
 * payments, bills, accounts and organizations by what the run's stand knows of them.
 */
import { Payment } from "../../../entities";
import { IdentityWrite, findAt, writeIdentities, findByIdentity } from "../../storage/identity/store";
import { updateAt, updateManyAt } from "../../storage/identity/update";
import { XNode } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { Rejection } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { acceptedState } from "../../stages/outcome";
import { Checks, PRE } from "../../stages/preflight";
import { defineMethod } from "../method";
import { settleFromGis } from "./kvitirovanie-state";
import {
  ALL_ACK_STATUSES,
  ExportNotificationsInput,
  ExportedNotice,
  WINDOW_DAYS,
  checkWindows,
  chosenWindow,
  chosenWindows,
  AckStatus,
  dayNumber,
  exportedNotices,
  isoDay,
  notificationsCriteria,
} from "./notices";

export interface PeriodWindow {
  dateFrom: string;
  days: number;
  /** Only these kvitirovanie statuses (a chosen window); all of them by default. */
  ackStatuses?: AckStatus[];
}

function body(i: ExportNotificationsInput, version: string): XNode {
  return container("bills:exportNotificationsOfOrderExecutionRequest", version, notificationsCriteria("exportNotificationsOfOrderExecution", i));
}

const unique = (xs: Array<string | null>): string[] => [...new Set(xs.filter((x): x is string => !!x))];

export const exportNotificationsOfOrderExecution = defineMethod<ExportNotificationsInput, PeriodWindow>({
  name: "exportNotificationsOfOrderExecution",
  service: "bills",
  element: "exportNotificationsOfOrderExecutionRequest",
  // Required but neither fixed nor listed by the schema: the service's base format (that of its getStateResult).
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  body,

  descriptor: {
    stage: "payments",
    kind: "export",
    modes: ["pull", "sync", "push"],
    objectType: "payment_period",
    batchSetting: null,
    defaultBatch: 1,
    safeToRepeat: true,
    after: ["importPaymentDocumentData", "exportPaymentDocumentData"],

    async select(_ds, scope, _mode, ctx) {
      // An object action (annul, acknowledge…) is about its own objects, not the whole period.
      if (scope.action) return [];
      // The operator's period and statuses («Проверить платежи» dialog), or the default period.
      const windows = scope.period ? chosenWindows(scope.period.from, scope.period.to, scope.ackStatuses) : checkWindows(ctx.now);
      // Single objects of another kind (payments) do not ask for a check of the whole period.
      return scope.objectIds ? windows.filter((w) => scope.objectIds!.includes(w)) : windows;
    },

    async prepare(_ds, windowIds, ctx) {
      const today = dayNumber(ctx.now.toISOString().slice(0, 10));
      const ready: Array<{ objectId: number; data: PeriodWindow }> = [];
      const rejected: Rejection[] = [];
      for (const w of windowIds) {
        const chosen = chosenWindow(w);
        const c = new Checks(w, [["Период", `с ${isoDay(chosen?.first ?? w)}`]]);
        c.fail(
          !ctx.orgPPAGUID,
          PRE.orgGuid,
          "organization.gisOrgPpaGuid",
          "Отсутствует идентификатор организации в ГИС (orgPPAGUID): сначала запросите сведения об организации",
        );
        if (!c.ok) rejected.push(c.first);
        else if (chosen) ready.push({ objectId: w, data: { dateFrom: isoDay(chosen.first), days: chosen.days, ackStatuses: chosen.statuses } });
        else ready.push({ objectId: w, data: { dateFrom: isoDay(w), days: Math.max(1, Math.min(WINDOW_DAYS, today - w + 1)) } });
      }
      return { ready, rejected };
    },

    payload: (batch) => ({ dateFrom: batch[0].data.dateFrom, days: batch[0].data.days, ackStatuses: batch[0].data.ackStatuses ?? ALL_ACK_STATUSES }),

    async apply(em, answer, _matched, ctx) {
      if (!answer.result || answer.error) return;
      const notices = exportedNotices(answer);
      if (notices.length === 0) return;
      const ours = ctx.orgPPAGUID.toLowerCase();

      // Ours: link the payment GIS already has, so it is not posted again; settle its kvitirovanie.
      const own = notices.filter((n) => n.orgPPAGUID === ours);
      const ownPayments = await findAt(
        em,
        "payment",
        "orderId",
        own.map((n) => n.orderId),
        ctx.stand,
        { organizationId: ctx.organizationId, source: "own" },
      );
      const byOrder = new Map(own.map((n) => [n.orderId, n]));
      await updateManyAt(
        em,
        ctx.stand,
        Payment,
        ownPayments
          .filter((p) => p.gisGuid !== byOrder.get(p.orderId)!.guid)
          .map((p) => ({ id: p.id, patch: { gisGuid: byOrder.get(p.orderId)!.guid, ...(p.annulled ? {} : { sync: acceptedState(ctx) }) } })),
      );
      await settleFromGis(
        em,
        ownPayments.map((p) => ({ paymentId: p.id, notice: byOrder.get(p.orderId)! })),
        ctx,
      );

      // Others': payments placed by another organization, kept as source "other".
      const others = notices.filter((n) => n.orgPPAGUID !== ours);
      if (others.length > 0) await keepOthers(em, others, ctx);
    },
  },
});

async function keepOthers(
  em: Parameters<NonNullable<typeof exportNotificationsOfOrderExecution.descriptor>["apply"]>[0],
  others: ExportedNotice[],
  ctx: { organizationId: number; now: Date; stand: string },
): Promise<void> {
  const existing = new Map(
    (
      await findIn(
        em,
        Payment,
        "externalId",
        others.map((n) => `gis:${n.guid}`),
      )
    ).map((p) => [p.externalId, p]),
  );
  const placers = unique(others.map((n) => n.orgPPAGUID));
  const docs = await findByIdentity(em, "payment_document", "gisPaymentDocumentId", unique(others.map((n) => n.paymentDocumentId)), ctx.stand, {
    organizationId: ctx.organizationId,
  });
  const accounts = await findByIdentity(em, "account", "unifiedNumber", unique(others.map((n) => n.unifiedAccountNumber)), ctx.stand, {
    organizationId: ctx.organizationId,
  });
  const orgs = await findByIdentity(em, "organization", "gisOrgPpaGuid", [...placers, ...placers.map((g) => g.toUpperCase())], ctx.stand);
  // GIS's notice GUID, the ИПД it names and "in GIS" are the stand's: filed in its identity store, in one write.
  const placed: IdentityWrite[] = [];
  for (const n of others) {
    const prior = existing.get(`gis:${n.guid}`);
    if (prior) {
      if (prior.annulled !== n.annulled)
        await updateAt(em, ctx.stand, Payment, prior.id, {
          annulled: n.annulled,
          ...(n.annulled ? { annulledDate: ctx.now.toISOString().slice(0, 10) } : { annulledDate: null }),
        });
      continue;
    }
    const doc = n.paymentDocumentId ? docs.find((d) => d.gisPaymentDocumentId === n.paymentDocumentId) : undefined;
    const account = doc ? undefined : accounts.find((a) => a.unifiedNumber === n.unifiedAccountNumber);
    const inserted = await em.insert(Payment, {
      externalId: `gis:${n.guid}`,
      organizationId: ctx.organizationId,
      orderId: n.orderId.slice(0, 32),
      orderDate: n.orderDate,
      orderNumber: n.orderNum ? n.orderNum.slice(0, 30) : null,
      amount: n.amountKopecks / 100,
      accountId: doc?.accountId ?? account?.id ?? null,
      paymentDocumentId: doc?.id ?? null,
      unifiedAccountNumber: n.unifiedAccountNumber,
      serviceId: null,
      periodYear: n.year ?? doc?.periodYear ?? null,
      periodMonth: n.month ?? doc?.periodMonth ?? null,
      source: "other",
      // Made from this stand's notice: no other stand lists, counts or sends it.
      originStand: ctx.stand,
      sourceOrganizationId: orgs.find((o) => o.gisOrgPpaGuid?.toLowerCase() === n.orgPPAGUID)?.id ?? null,
      annulled: n.annulled,
      annulledDate: n.annulled ? ctx.now.toISOString().slice(0, 10) : null,
      sync: { changedAt: null },
    });
    placed.push({
      kind: "payment",
      objectId: Number(inserted.identifiers[0].id),
      fields: { gisGuid: n.guid, gisPaymentDocumentId: n.paymentDocumentId },
      sync: { status: "ok", errorCode: null, errorText: null, transportGuid: null, lastOperationId: null, syncedAt: ctx.now },
    });
  }
  await writeIdentities(em, ctx.stand, placed);
}

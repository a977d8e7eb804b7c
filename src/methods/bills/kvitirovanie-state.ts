/**
 * What GIS shows of a notice's kvitirovanie, applied to our acknowledgment rows. GIS acknowledges
 * a notice by itself when the organization has automatic kvitirovanie on in its cabinet («Настройки
 * организации», on by default; the manual has operators switch it off before acknowledging through
 * integration) and the paid amount equals the payment document's amount. Rows we did not send for
 * that reason wait in state "acknowledged" with sync "not_sent" until GIS's export confirms them —
 * or, when GIS did not acknowledge the notice after all, go back to "pending" and are sent.
 */
import { EntityManager, In } from "typeorm";
import { Acknowledgment } from "../../../entities";
import { hydrate, loadAt } from "../../storage/identity/store";
import { updateManyAt } from "../../storage/identity/update";
import { StageContext } from "../../stages/descriptor";
import { billingElement } from "../../stages/services/private-services";
import { acceptedState } from "../../stages/outcome";
import { ExportedNotice } from "./notices";

/** The notice is acknowledged in full: acknowledging more of it could only go beyond 100 %. */
export const fullyAcknowledged = (n: ExportedNotice): boolean => n.ackStatus === 2 || (n.acknowledgedKopecks > 0 && n.acknowledgedKopecks >= n.amountKopecks);

/** GIS lists this document's service among the notice's acknowledgments. */
export function listsAck(n: ExportedNotice, paymentDocumentId: string, serviceGuid: string | null): boolean {
  return n.acks.some((a) => a.paymentDocumentId === paymentDocumentId && (!serviceGuid || a.service === serviceGuid.toLowerCase()));
}

/** Our acknowledgment of `serviceGuid` on document `paymentDocumentId` is already in GIS (or cannot be added any more). */
export function ackInGis(n: ExportedNotice, paymentDocumentId: string, serviceGuid: string | null): boolean {
  return listsAck(n, paymentDocumentId, serviceGuid) || fullyAcknowledged(n);
}

/** Setting: GIS acknowledges exact payments by itself (default, as GIS's cabinet is by default). */
export function automaticInGis(ctx: Pick<StageContext, "setting">): boolean {
  return ctx.setting("kvit.automaticInGis") !== false;
}

/** Settles the rows of our payments by what GIS shows for their notices, on the run's stand. */
export async function settleFromGis(em: EntityManager, pairs: Array<{ paymentId: number; notice: ExportedNotice }>, ctx: StageContext): Promise<void> {
  if (pairs.length === 0) return;
  const notices = new Map(pairs.map((p) => [p.paymentId, p.notice]));
  const found: Acknowledgment[] = [];
  const ids = [...notices.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    found.push(...(await em.getRepository(Acknowledgment).find({ where: { paymentId: In(ids.slice(i, i + 500)) } })));
  }
  const rows = (await hydrate(em, "acknowledgment", found, ctx.stand)).filter((r) => r.state === "pending" || r.state === "acknowledged");
  if (rows.length === 0) return;
  const docs = await loadAt(
    em,
    "payment_document",
    rows.map((r) => r.paymentDocumentId),
    ctx.stand,
  );
  const services = await loadAt(
    em,
    "service",
    rows.map((r) => r.serviceId),
    ctx.stand,
  );
  const patches: Array<{ id: number; patch: Record<string, unknown> }> = [];
  for (const r of rows) {
    const n = notices.get(r.paymentId)!;
    const ipd = docs.get(r.paymentDocumentId)?.gisPaymentDocumentId;
    if (r.sync.status === "in_progress" || !ipd) continue;
    const inGis = ackInGis(n, ipd, (services.has(r.serviceId) ? billingElement(services.get(r.serviceId)!)?.guid : null) ?? null);
    if (r.state === "acknowledged" && r.sync.status === "ok") {
      if (r.gisAckStatus !== n.ackStatus) patches.push({ id: r.id, patch: { gisAckStatus: n.ackStatus } });
    } else if (inGis) {
      patches.push({ id: r.id, patch: { state: "acknowledged", gisAckStatus: n.ackStatus, sync: acceptedState(ctx) } });
    } else if (r.state === "acknowledged" && n.ackStatus === 0) {
      // GIS did not acknowledge the notice by itself (automatic kvitirovanie is off there): we send it.
      patches.push({ id: r.id, patch: { state: "pending", gisAckStatus: 0 } });
    }
  }
  await updateManyAt(em, ctx.stand, Acknowledgment, patches);
}

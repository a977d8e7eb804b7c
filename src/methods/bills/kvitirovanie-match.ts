/**
 * Matching payments to bills before kvitirovanie: a payment placed in GIS (it has its GUID) that
 * pays a payment document with an ИПД is split over the document's service lines — each line gets
 * what it is owed, in line order, until the payment is spent (an overpayment goes to the last
 * line). One acknowledgment row per payment × document × service, made once: the unique index
 * (paymentId, paymentDocumentId, serviceId) and the "not yet matched" selection keep re-runs idempotent.
 * "Placed" and "with an ИПД" are the stand's: the payment's notice GUID and the document's ИПД there.
 *
 * A payment that names its document and pays it exactly is acknowledged by GIS itself when the
 * organization has automatic kvitirovanie on (kvitirovanie-state.ts): its rows are made
 * "acknowledged", not sent, and wait for GIS's export to confirm them — acknowledging them again
 * would take the notice to 200 %.
 */
import { DataSource } from "typeorm";
import { Acknowledgment, Payment, PaymentDocument, PaymentDocumentLine } from "../../../entities";
import { IdentityWrite, identityExpr, loadAt, writeIdentities } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";
import { findIn, groupBy } from "../../stages/load";

const CHUNK = 500;

export interface MatchedCount {
  payments: number;
  acknowledgments: number;
}

const kopecks = (roubles: number) => Math.round(roubles * 100);

/** Splits an amount (rubles) over what each line is owed, in kopecks so the parts add up exactly. */
export function splitPayment(amount: number, owed: number[]): number[] {
  let left = kopecks(amount);
  const parts = owed.map((o) => {
    const take = Math.max(0, Math.min(left, kopecks(o)));
    left -= take;
    return take;
  });
  if (left > 0 && parts.length) parts[parts.length - 1] += left;
  return parts.map((k) => k / 100);
}

/** What GIS holds as the document's amount: TotalPayableByPD as we sent it, else the sum of its charges. */
export function documentTotal(doc: Pick<PaymentDocument, "totalPayable">, lines: PaymentDocumentLine[]): number {
  return doc.totalPayable ?? lines.reduce((s, l) => s + (l.total ?? l.charged ?? 0), 0);
}

export async function matchPayments(
  ds: DataSource,
  organizationId: number,
  opts: { stand: string; automaticInGis?: boolean; paymentIds?: number[] },
): Promise<MatchedCount> {
  // Placed own payments with a document, not annulled, and with no acknowledgment yet.
  const qb = ds
    .getRepository(Payment)
    .createQueryBuilder("p")
    .where("p.organizationId = :org AND p.source = 'own' AND p.annulled = :no", { org: organizationId, no: false })
    .andWhere("p.paymentDocumentId IS NOT NULL")
    .andWhere((q) => `NOT EXISTS ${q.subQuery().select("1").from(Acknowledgment, "k").where("k.paymentId = p.id").getQuery()}`);
  qb.andWhere(`${identityExpr(qb, "p", "gisGuid", opts.stand)} IS NOT NULL`);
  whereOfStand(qb, "p", opts.stand);
  if (opts.paymentIds) qb.andWhere("p.id IN (:...chosen)", { chosen: opts.paymentIds.length ? opts.paymentIds : [-1] });
  const payments = await qb.getMany();
  let made = 0;
  let paid = 0;
  for (let i = 0; i < payments.length; i += CHUNK) {
    const chunk = payments.slice(i, i + CHUNK);
    const docIds = [...new Set(chunk.map((p) => p.paymentDocumentId!))];
    const docs = await loadAt(ds, "payment_document", docIds, opts.stand);
    const lines = groupBy(await findIn(ds, PaymentDocumentLine, "paymentDocumentId", docIds), (l) => l.paymentDocumentId);
    const rows: Array<Partial<Acknowledgment> & { acknowledgedByGis: boolean }> = [];
    for (const p of chunk) {
      const doc = docs.get(p.paymentDocumentId!);
      // A document without ИПД is not in GIS yet: the payment waits for the next run.
      if (!doc?.gisPaymentDocumentId) continue;
      const docLines = lines.get(doc.id) ?? [];
      const own = docLines.filter((l) => (l.total ?? l.charged ?? 0) > 0 && (p.serviceId === null || l.serviceId === p.serviceId));
      if (own.length === 0) continue;
      // GIS acknowledges by itself a notice naming its document (we send the ИПД) that pays it exactly.
      const byGis = opts.automaticInGis !== false && p.serviceId === null && kopecks(p.amount) === kopecks(documentTotal(doc, docLines));
      const byService = new Map<number, number>();
      for (const l of own) byService.set(l.serviceId, (byService.get(l.serviceId) ?? 0) + (l.total ?? l.charged ?? 0));
      const services = [...byService.keys()];
      const parts = splitPayment(
        p.amount,
        services.map((s) => byService.get(s)!),
      );
      services.forEach((serviceId, n) => {
        if (parts[n] > 0)
          rows.push({
            paymentId: p.id,
            paymentDocumentId: doc.id,
            serviceId,
            amount: parts[n],
            acknowledgedByGis: byGis,
            impossibleReason: null,
          });
      });
      paid++;
    }
    // GIS's own kvitirovanie is the stand's: acknowledged there, pending on any other.
    for (let j = 0; j < rows.length; j += 200) {
      const slice = rows.slice(j, j + 200);
      const inserted = await ds.getRepository(Acknowledgment).insert(slice.map(({ acknowledgedByGis: _, ...row }) => row));
      const byGis = slice.flatMap((r, n) => (r.acknowledgedByGis ? [Number(inserted.identifiers[n].id)] : []));
      await writeIdentities(
        ds,
        opts.stand,
        byGis.map((objectId) => ({ kind: "acknowledgment", objectId, fields: { state: "acknowledged" } }) as IdentityWrite),
      );
    }
    made += rows.length;
  }
  return { payments: paid, acknowledgments: made };
}

/**
 * «Загрузить недостающие квитанции»: payment documents of a month that GIS has and we do not.
 * exportPaymentDocumentData asks for the month by the GUIDs of our accounts placed on the run's stand
 * (probes: −account id, as objects of the export's kind), and a document of the answer that no bill
 * of ours matches — not by its ИПД on that stand, nor as one of our bills without an ИПД — is created
 * here: linked to our account by the account GUID on the stand, its ИПД filed on the stand, number,
 * amount and period as GIS gives them. GIS's export answer carries no document GUID (the schema's
 * PaymentDocument has the ИПД only), so none is filed. A withdrawn document is not loaded; a document
 * whose account we do not know (or without a period) is refused, named.
 */
import { EntityManager } from "typeorm";
import { PaymentDocument } from "../../../entities";
import { AtStand, IdentityWrite, writeIdentities } from "../../storage/identity/store";
import { StageContext } from "../../stages/descriptor";
import type { ExportedPaymentDocument } from "./export-payment-document-data";

/**
 * A probe's id: −(account id × 1200 + months since 2000-01) — the request is rebuilt from ids alone,
 * so the month travels in it; negative, unlike the export's own bills. Object ids are 32-bit: accounts
 * up to id 1,789,569 can be probed (PROBE_MAX_ACCOUNT).
 */
const MONTHS = 1200;
export const PROBE_MAX_ACCOUNT = Math.floor(2 ** 31 / MONTHS) - 1;
export const probeId = (accountId: number, m: { year: number; month: number }): number => -(accountId * MONTHS + (m.year - 2000) * 12 + m.month - 1);
export const isProbe = (id: number): boolean => id < 0;
export function probed(id: number): { accountId: number; year: number; month: number } {
  const n = -id;
  const m = n % MONTHS;
  return { accountId: Math.floor(n / MONTHS), year: 2000 + Math.floor(m / 12), month: (m % 12) + 1 };
}

const period = (d: ExportedPaymentDocument) => `${String(d.month).padStart(2, "0")}.${d.year}`;

/** Why a document GIS has is not loaded, or null when it can be. */
export function refusal(d: ExportedPaymentDocument, account: AtStand<"account"> | undefined, stand: string): string | null {
  if (!account)
    return `Платёжный документ ИПД «${d.paymentDocumentId}»${d.year ? ` за ${period(d)}` : ""} не загружен: лицевой счёт с ГУИД «${d.accountGuid}» не найден у организации на стенде «${stand}»`;
  if (!d.year || !d.month) return `Платёжный документ ИПД «${d.paymentDocumentId}» не загружен: ГИС ЖКХ не указала его период (год и месяц)`;
  return null;
}

export interface Loaded {
  created: number[];
  refused: string[];
}

/**
 * Creates our copy of each document GIS has that we lack (`missing`, withdrawn ones left out),
 * on account `accounts` (ours, by lower-case GUID on the stand). One identity write for all.
 */
export async function createMissing(
  em: EntityManager,
  missing: ExportedPaymentDocument[],
  accounts: Map<string, AtStand<"account">>,
  ctx: Pick<StageContext, "organizationId" | "stand" | "now">,
): Promise<Loaded> {
  const out: Loaded = { created: [], refused: [] };
  const writes: IdentityWrite[] = [];
  const seen = new Set<string>();
  for (const d of missing) {
    if (d.state === "withdrawn" || seen.has(d.paymentDocumentId)) continue;
    seen.add(d.paymentDocumentId);
    const account = accounts.get(d.accountGuid);
    const why = refusal(d, account, ctx.stand);
    if (why) {
      out.refused.push(why);
      continue;
    }
    const externalId = `gis:${ctx.stand}:${d.paymentDocumentId}`.slice(0, 64);
    const prior = await em.getRepository(PaymentDocument).findOne({ select: { id: true }, where: { externalId } });
    const id =
      prior?.id ??
      Number(
        (
          await em.insert(PaymentDocument, {
            externalId,
            organizationId: ctx.organizationId,
            accountId: account!.id,
            periodYear: d.year!,
            periodMonth: d.month!,
            number: d.paymentDocumentNumber ? d.paymentDocumentNumber.slice(0, 30) : null,
            state: "issued",
            // Only this stand has it: the other stands neither list nor send it.
            originStand: ctx.stand,
            totalCharged: null,
            totalPayable: d.amount,
            debt: null,
            advance: null,
            bankBik: null,
            operatingAccount: null,
            recipientOrganizationId: null,
            sync: { changedAt: null },
          })
        ).identifiers[0].id,
      );
    writes.push({
      kind: "payment_document",
      objectId: id,
      fields: { gisPaymentDocumentId: d.paymentDocumentId },
      sync: { status: "ok", errorCode: null, errorText: null, syncedAt: ctx.now },
    });
    out.created.push(id);
  }
  await writeIdentities(em, ctx.stand, writes);
  return out;
}

/**
 * exportPaymentDocumentData (bills, «Запросить данные о квитанциях»): what GIS holds for our bills.
 * A bill gets its ИПД (PaymentDocumentID) and its state from GIS: exposed there → issued here,
 * withdrawn there → withdrawn here. Runs in pull and sync modes (sync: before
 * importPaymentDocumentData, so only bills GIS lacks are exposed).
 *
 * Two kinds of request, never mixed (batchKey): bills that have an ИПД are asked for by it (up to
 * batch.receivePaymentDocuments, 1..1000 = the schema's maxOccurs); bills without one by period and
 * account GUID (Year, Month, AccountGUID[1..1000]), matched back by account, period and number. A
 * bill without an ИПД whose account GIS does not know yet cannot be asked for and is not selected;
 * an ИПД that is not GIS's 18 characters would spoil the whole request and is rejected.
 *
 * A run for one month (scope.month: «Загрузить недостающие квитанции») also asks by every account of
 * the scope placed on the stand, and creates the month's documents GIS has and we lack (missing-documents.ts).
 */
import { Account, PaymentDocument } from "../../../entities";
import { log } from "../../log";
import { AtStand, findAt, identityExpr, idsByIdentity, loadAt, statusExpr, findByIdentity } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";
import { updateManyAt } from "../../storage/identity/update";
import { Kid, XNode, leaf } from "../../transport/envelope/xml";
import { container, list } from "../../transport/messages/common";
import { ResponseError, child, children, text } from "../../transport/results/safe-xml";
import { Rejection } from "../../stages/descriptor";
import { Checks, PRE } from "../../stages/preflight";
import { ids, whereAccountInScope, whereObjects } from "../../stages/select";
import { defineMethod } from "../method";
import { PROBE_MAX_ACCOUNT, createMissing, isProbe, probeId, probed } from "./missing-documents";

/** By document IDs, or for a period by ЕЛС / house + account or document numbers / ИЖКУ / account GUIDs (1..1000 each). */
export type ExportPaymentDocumentInput =
  | { paymentDocumentIds: string[] }
  | ({ year: number; month: number } & (
      | { unifiedAccountNumbers: string[] }
      | { fiasHouseGuid: string; accountNumbers: string[] }
      | { fiasHouseGuid: string; paymentDocumentNumbers: string[] }
      | { serviceIds: string[] }
      | { accountGuids: string[] }
    ));

export interface ExportedPaymentDocument {
  /** ИПД — the document's identifier in GIS (GIS gives payment documents no separate GUID). */
  paymentDocumentId: string;
  paymentDocumentNumber: string | null;
  accountGuid: string;
  year: number | null;
  month: number | null;
  /** TotalPayableByPD, rubles. */
  amount: number | null;
  state: "exposed" | "withdrawn" | null;
}

const OP = "exportPaymentDocumentData";

function body(i: ExportPaymentDocumentInput, version: string): XNode {
  let kids: Kid;
  if ("paymentDocumentIds" in i) kids = list(OP, "bills-base:PaymentDocumentID", i.paymentDocumentIds, 1, 1000);
  else {
    kids = [
      leaf("base:Year", i.year),
      leaf("base:Month", i.month),
      "unifiedAccountNumbers" in i
        ? list(OP, "account-base:UnifiedAccountNumber", i.unifiedAccountNumbers, 1, 1000)
        : "accountNumbers" in i
          ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), list(OP, "account-base:AccountNumber", i.accountNumbers, 1, 1000)]
          : "paymentDocumentNumbers" in i
            ? [leaf("bills:FIASHouseGuid", i.fiasHouseGuid), list(OP, "bills-base:PaymentDocumentNumber", i.paymentDocumentNumbers, 1, 1000)]
            : "serviceIds" in i
              ? list(OP, "account-base:ServiceID", i.serviceIds, 1, 1000)
              : list(OP, "bills:AccountGUID", i.accountGuids, 1, 1000),
    ];
  }
  return container("bills:exportPaymentDocumentRequest", version, kids);
}

const t = (e: Element | null, name: string) => (e ? text(child(e, name)) : null);
const num = (v: string | null) => (v === null ? null : Number(v));
function req(e: Element, name: string, where: string): string {
  const v = t(e, name);
  if (v === null) throw new ResponseError(`ответ ГИС ЖКХ: ${where} без ${name}`);
  return v;
}

/** Payment documents of an exportPaymentDocumentData answer; a per-row ErrorMessage comes back as `errors`. */
export function exportedPaymentDocuments(result: Element): { documents: ExportedPaymentDocument[]; errors: Array<{ code: string; description: string }> } {
  if (result.localName !== "getStateResult") throw new ResponseError(`ответ ГИС ЖКХ: ожидался getStateResult, получен ${result.localName}`);
  const documents: ExportedPaymentDocument[] = [];
  const errors: Array<{ code: string; description: string }> = [];
  for (const r of children(result, "exportPaymentDocResult")) {
    const err = child(r, "ErrorMessage");
    if (err) {
      errors.push({ code: t(err, "ErrorCode") ?? "?", description: t(err, "Description") ?? "" });
      continue;
    }
    const d = child(r, "PaymentDocument");
    if (!d) continue;
    documents.push({
      paymentDocumentId: req(d, "PaymentDocumentID", "PaymentDocument"),
      paymentDocumentNumber: t(d, "PaymentDocumentNumber"),
      accountGuid: req(d, "AccountGuid", "PaymentDocument").toLowerCase(),
      year: num(t(d, "Year")),
      month: num(t(d, "Month")),
      amount: num(t(d, "TotalPayableByPD")),
      state: child(d, "Withdraw") ? "withdrawn" : child(d, "Expose") ? "exposed" : null,
    });
  }
  return { documents, errors };
}

export type BillExportData = { paymentDocumentId: string } | { year: number; month: number; accountGuid: string };

/** bills-base:PaymentDocumentIDType is a string of exactly 18 characters. */
const IPD_LENGTH = 18;

const period = (y: number, m: number) => `${y}-${String(m).padStart(2, "0")}`;

/** GIS's document is our bill without an ИПД: the same account and period, and the same number when both have one. */
export function isSameBill(
  f: ExportedPaymentDocument,
  bill: { accountGuid: string | undefined; year: number; month: number; number: string | null | undefined },
): boolean {
  return (
    f.accountGuid === bill.accountGuid &&
    f.year === bill.year &&
    f.month === bill.month &&
    (!bill.number || !f.paymentDocumentNumber || f.paymentDocumentNumber === bill.number)
  );
}

const rank = (f: ExportedPaymentDocument) => (f.state === "withdrawn" ? 1 : 0);

/** What GIS's copy of a bill changes in ours; null when nothing. */
export function patchFor(
  d: Pick<PaymentDocument, "state">,
  gis: ExportedPaymentDocument,
): Partial<Pick<PaymentDocument, "gisPaymentDocumentId" | "state">> | null {
  if (gis.state === "withdrawn") {
    // A bill still to be exposed is exposed anew by the import: a withdrawn ИПД must not stop it.
    if (d.state === "to_issue") return null;
    return { gisPaymentDocumentId: gis.paymentDocumentId, state: "withdrawn" };
  }
  // Exposed (or state unknown) in GIS: a bill to be withdrawn stays so, the import withdraws it by this ИПД.
  return { gisPaymentDocumentId: gis.paymentDocumentId, state: d.state === "to_withdraw" ? "to_withdraw" : "issued" };
}

export const exportPaymentDocumentData = defineMethod<ExportPaymentDocumentInput, BillExportData, ReturnType<typeof exportedPaymentDocuments>>({
  name: "exportPaymentDocumentData",
  service: "bills",
  element: "exportPaymentDocumentRequest",
  // Not fixed: the newest format the annotation lists (11.2.0.10, 12.2.0.1, 13.1.0.1), in both packages.
  versions: { "16.3.0.0": "13.1.0.1", "14.4.0.1": "13.1.0.1" },
  body,
  read: exportedPaymentDocuments,

  descriptor: {
    stage: "bills",
    kind: "export",
    modes: ["pull", "sync"],
    objectType: "payment_document",
    batchSetting: "batch.receivePaymentDocuments",
    defaultBatch: 1000,
    safeToRepeat: true,
    after: ["importAccountData", "exportAccountData"],

    async select(ds, scope, mode, ctx) {
      if (mode === "push") return [];
      // Withdrawn bills are settled; the rest may have changed in GIS (or be there already).
      const qb = ds
        .getRepository(PaymentDocument)
        .createQueryBuilder("d")
        .innerJoin(Account, "a", "a.id = d.accountId")
        .where("d.organizationId = :org", { org: scope.organizationId })
        .andWhere("d.state IN ('to_issue', 'issued', 'to_withdraw')");
      qb.andWhere(`${statusExpr(qb, "d", ctx.stand)} <> 'in_progress'`).andWhere(
        `(${identityExpr(qb, "d", "gisPaymentDocumentId", ctx.stand)} IS NOT NULL OR ${identityExpr(qb, "a", "gisAccountGuid", ctx.stand)} IS NOT NULL)`,
      );
      if (scope.month) qb.andWhere("d.periodYear = :year AND d.periodMonth = :month", scope.month);
      whereOfStand(qb, "d", ctx.stand);
      await whereAccountInScope(qb, "d.accountId", ds, scope);
      const own = await ids(whereObjects(qb, "d", scope), "d");
      if (!scope.month || scope.objectIds) return own;
      // The month's documents GIS has and we may lack: asked by each account the stand has.
      const accounts = ds.getRepository(Account).createQueryBuilder("a").where("a.organizationId = :org", { org: scope.organizationId });
      accounts.andWhere(`${identityExpr(accounts, "a", "gisAccountGuid", ctx.stand)} IS NOT NULL`);
      await whereAccountInScope(accounts, "a.id", ds, scope);
      accounts.andWhere("a.id <= :max", { max: PROBE_MAX_ACCOUNT });
      return [...(await ids(accounts, "a")).map((a) => probeId(a, scope.month!)).reverse(), ...own];
    },

    async prepare(ds, allIds, ctx) {
      const docs = [
        ...(
          await loadAt(
            ds,
            "payment_document",
            allIds.filter((i) => !isProbe(i)),
            ctx.stand,
          )
        ).values(),
      ];
      const probes = allIds.filter(isProbe);
      const accounts = await loadAt(ds, "account", [...docs.map((d) => d.accountId), ...probes.map((p) => probed(p).accountId)], ctx.stand);
      const ready: Array<{ objectId: number; data: BillExportData }> = [];
      const rejected: Rejection[] = [];
      for (const id of probes) {
        const { accountId, year, month } = probed(id);
        const guid = accounts.get(accountId)?.gisAccountGuid;
        if (guid) ready.push({ objectId: id, data: { year, month, accountGuid: guid.toLowerCase() } });
      }
      for (const d of docs) {
        const account = accounts.get(d.accountId);
        const c = new Checks(d.id, [
          ["Платёжный документ", d.number ?? `№ ${d.id}`],
          ["Лицевой", account?.number],
          ["Период", `${String(d.periodMonth).padStart(2, "0")}.${d.periodYear}`],
        ]);
        if (d.gisPaymentDocumentId) {
          if (
            c.fail(
              d.gisPaymentDocumentId.length !== IPD_LENGTH,
              PRE.noNumber,
              "gisPaymentDocumentId",
              `Неверный идентификатор платёжного документа (ИПД) «${d.gisPaymentDocumentId}»: в ГИС ЖКХ он из ${IPD_LENGTH} символов`,
            )
          )
            rejected.push(c.first);
          else ready.push({ objectId: d.id, data: { paymentDocumentId: d.gisPaymentDocumentId } });
          continue;
        }
        if (
          c.fail(
            !account?.gisAccountGuid,
            PRE.noParentGuid,
            "accountId",
            "Отсутствует ГУИД у лицевого счёта: платёжный документ без ИПД нельзя запросить из ГИС",
          )
        )
          rejected.push(c.first);
        else ready.push({ objectId: d.id, data: { year: d.periodYear, month: d.periodMonth, accountGuid: account!.gisAccountGuid!.toLowerCase() } });
      }
      return { ready, rejected };
    },

    batchKey: (d) => ("paymentDocumentId" in d ? "by-id" : period(d.year, d.month)),

    payload(batch) {
      const first = batch[0].data;
      if ("paymentDocumentId" in first) {
        return { paymentDocumentIds: [...new Set(batch.map((b) => (b.data as { paymentDocumentId: string }).paymentDocumentId))] };
      }
      const guids = batch.map((b) => (b.data as { accountGuid: string }).accountGuid);
      return { year: first.year, month: first.month, accountGuids: [...new Set(guids)] };
    },

    async apply(em, answer, _matched, ctx) {
      if (!answer.result || answer.error) return;
      const found = exportedPaymentDocuments(answer.result).documents;
      if (found.length === 0) return;
      // Export answers carry no TransportGUIDs: our bills are found by ИПД, or by account and period, on the run's stand.
      const known = await idsByIdentity(
        em,
        "payment_document",
        "gisPaymentDocumentId",
        found.map((f) => f.paymentDocumentId),
        ctx.stand,
      );
      const byIpd = await findAt(em, "payment_document", "id", [...known.values()].flat(), ctx.stand, { organizationId: ctx.organizationId });
      const accountsByGuid = await findByIdentity(
        em,
        "account",
        "gisAccountGuid",
        found.map((f) => f.accountGuid),
        ctx.stand,
        { organizationId: ctx.organizationId },
      );
      const withoutIpd = (
        await findAt(
          em,
          "payment_document",
          "accountId",
          accountsByGuid.map((a) => a.id),
          ctx.stand,
          { organizationId: ctx.organizationId },
        )
      ).filter((d) => !d.gisPaymentDocumentId);
      const periods = new Set(found.map((f) => `${f.accountGuid}|${f.year}-${f.month}`));
      const accounts = new Map(accountsByGuid.map((a) => [a.id, a]));
      const docs: AtStand<"payment_document">[] = [
        ...byIpd,
        ...withoutIpd.filter((d) => periods.has(`${accounts.get(d.accountId)!.gisAccountGuid!.toLowerCase()}|${d.periodYear}-${d.periodMonth}`)),
      ];
      const patches: Array<{ id: number; patch: Record<string, unknown> }> = [];
      const matchedHere = new Set<string>();
      for (const d of docs) {
        const guid = accounts.get(d.accountId)?.gisAccountGuid?.toLowerCase();
        if (d.state === "withdrawn") continue;
        const candidates = d.gisPaymentDocumentId
          ? found.filter((f) => f.paymentDocumentId === d.gisPaymentDocumentId)
          : found.filter((f) => isSameBill(f, { accountGuid: guid, year: d.periodYear, month: d.periodMonth, number: d.number }));
        // The same account and period may have a withdrawn bill and its exposed successor: the exposed one wins.
        const gis = candidates.sort((a, b) => rank(a) - rank(b))[0];
        if (!gis) continue;
        const patch = patchFor(d, gis);
        if (patch) patches.push({ id: d.id, patch });
        if (!d.gisPaymentDocumentId) matchedHere.add(gis.paymentDocumentId);
      }
      await updateManyAt(em, ctx.stand, PaymentDocument, patches);
      // What GIS has and no bill of ours is: created (a month's «недостающие квитанции»).
      const loaded = await createMissing(
        em,
        found.filter((f) => !known.has(f.paymentDocumentId) && !matchedHere.has(f.paymentDocumentId)),
        new Map(accountsByGuid.filter((a) => a.gisAccountGuid).map((a) => [a.gisAccountGuid!.toLowerCase(), a])),
        ctx,
      );
      for (const text of loaded.refused) log.warn(text, { method: "exportPaymentDocumentData", stand: ctx.stand });
    },
  },
});

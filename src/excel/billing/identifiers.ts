/**
 * ЕЛС, ИЖКУ and ИПД for the billing program, so receipts carry them (Приказ Минстроя №43/пр):
 * one row per payment document of the month, and one row for an account without a document.
 * They are one stand's identifiers (prod's for real receipts).
 */
import { DataSource } from "typeorm";
import { Account, PaymentDocument } from "../../../entities";
import { accountsInHouses } from "../export/scope";
import { pageBatches } from "../export/paging";
import { accountAddresses, documentNumber } from "../export/payment-documents";
import { HouseSelection } from "../export/selection";
import { TableColumn, TableFormat, writeTable } from "../table-writer";
import { identityExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";

export const IDS_COLUMNS: TableColumn[] = [
  { key: "account", header: "Номер ЛС", width: 14 },
  { key: "unified", header: "ЕЛС", width: 12 },
  { key: "service", header: "ИЖКУ", width: 16 },
  { key: "period", header: "Период", width: 10 },
  { key: "document", header: "Номер ПД", width: 16 },
  { key: "ipd", header: "ИПД", width: 20 },
  { key: "address", header: "Адрес", width: 50 },
];

export async function* identifierRows(ds: DataSource, stand: string, year: number, month: number, houses: HouseSelection) {
  const period = `${String(month).padStart(2, "0")}.${year}`;
  const make = () => {
    const qb = accountsInHouses(ds.createQueryBuilder().select("a.number", "number").from(Account, "a"), "a.id", houses);
    return qb.addSelect(identityExpr(qb, "a", "unifiedNumber", stand), "unified").addSelect(identityExpr(qb, "a", "utilityServiceId", stand), "service");
  };
  for await (const page of pageBatches(make, "a")) {
    const ids = page.map((r) => Number(r._id));
    const docsQuery = ds
      .createQueryBuilder()
      .select("d.accountId", "accountId")
      .addSelect("d.number", "number")
      .addSelect("d.externalId", "externalId")
      .from(PaymentDocument, "d");
    docsQuery.where("d.accountId IN (:...ids)", { ids });
    // Documents loaded from another stand are not this stand's.
    whereOfStand(docsQuery, "d", stand);
    const docs = await docsQuery
      .addSelect(identityExpr(docsQuery, "d", "gisPaymentDocumentId", stand), "ipd")
      .andWhere("d.periodYear = :year AND d.periodMonth = :month", { year, month })
      .andWhere("d.state <> 'withdrawn'")
      .orderBy("d.id")
      .getRawMany();
    const byAccount = new Map<number, typeof docs>();
    for (const d of docs) {
      const k = Number(d.accountId);
      if (!byAccount.has(k)) byAccount.set(k, []);
      byAccount.get(k)!.push(d);
    }
    const addresses = await accountAddresses(ds, ids);
    for (const a of page) {
      const base = { account: a.number, unified: a.unified, service: a.service, period, address: addresses.get(Number(a._id)) ?? null };
      const list = byAccount.get(Number(a._id)) ?? [];
      if (!list.length) yield base;
      for (const d of list) yield { ...base, document: documentNumber(d.number, d.externalId), ipd: d.ipd };
    }
  }
}

export async function exportIdentifiers(
  ds: DataSource,
  stand: string,
  year: number,
  month: number,
  houses: HouseSelection,
  out: string,
  format: TableFormat,
): Promise<number> {
  const [n] = await writeTable(
    out,
    [
      {
        name: "ЕЛС ИПД ИЖКУ",
        caption: format === "xlsx" ? [`Идентификаторы ГИС ЖКХ для платёжных документов за ${String(month).padStart(2, "0")}.${year}`] : undefined,
        columns: IDS_COLUMNS,
        rows: identifierRows(ds, stand, year, month, houses),
      },
    ],
    format,
  );
  return n;
}

/**
 * ЕЛС, ИЖКУ and ИПД for the billing program, so receipts carry them (Приказ Минстроя №43/пр):
 * one row per payment document of the month, and one row for an account without a document.
 */
import { DataSource } from "typeorm";
import { Account, PaymentDocument } from "../../../entities";
import { accountsInHouses } from "../export/scope";
import { pageBatches } from "../export/paging";
import { accountAddresses, documentNumber } from "../export/payment-documents";
import { HouseSelection } from "../export/selection";
import { TableColumn, TableFormat, writeTable } from "../table-writer";

export const IDS_COLUMNS: TableColumn[] = [
  { key: "account", header: "Номер ЛС", width: 14 },
  { key: "unified", header: "ЕЛС", width: 12 },
  { key: "service", header: "ИЖКУ", width: 16 },
  { key: "period", header: "Период", width: 10 },
  { key: "document", header: "Номер ПД", width: 16 },
  { key: "ipd", header: "ИПД", width: 20 },
  { key: "address", header: "Адрес", width: 50 },
];

export async function* identifierRows(ds: DataSource, year: number, month: number, houses: HouseSelection) {
  const period = `${String(month).padStart(2, "0")}.${year}`;
  const make = () =>
    accountsInHouses(
      ds
        .createQueryBuilder()
        .select("a.number", "number")
        .addSelect("a.unifiedNumber", "unified")
        .addSelect("a.utilityServiceId", "service")
        .from(Account, "a"),
      "a.id",
      houses,
    );
  for await (const page of pageBatches(make, "a")) {
    const ids = page.map((r) => Number(r._id));
    const docs = await ds
      .createQueryBuilder()
      .select("d.accountId", "accountId")
      .addSelect("d.number", "number")
      .addSelect("d.externalId", "externalId")
      .addSelect("d.gisPaymentDocumentId", "ipd")
      .from(PaymentDocument, "d")
      .where("d.accountId IN (:...ids)", { ids })
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
        rows: identifierRows(ds, year, month, houses),
      },
    ],
    format,
  );
  return n;
}

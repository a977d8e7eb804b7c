/**
 * «Отчёт по ошибкам квитирования»: acknowledgments GIS refused or we could not send, and payments
 * that cannot be acknowledged at all because no payment document matches them.
 */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { Account, Acknowledgment, Payment, PaymentDocument, Service } from "../../../entities";
import { identityExpr, joinIdentity, statusExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";
import { gisDate, num } from "../format";
import { accountsInHouses } from "../export/scope";
import { pages } from "../export/paging";
import { HouseSelection } from "../export/selection";
import { TableColumn, writeTable } from "../table-writer";

export const KVIT_COLUMNS: TableColumn[] = [
  { key: "account", header: "Номер ЛС", width: 14 },
  { key: "unified", header: "ЕЛС", width: 12 },
  { key: "period", header: "Период ПД", width: 10 },
  { key: "document", header: "Номер ПД", width: 16 },
  { key: "ipd", header: "ИПД", width: 20 },
  { key: "service", header: "Услуга", width: 26 },
  { key: "orderDate", header: "Дата оплаты", width: 12 },
  { key: "orderId", header: "Идентификатор платежа", width: 34 },
  { key: "paid", header: "Сумма платежа", width: 12 },
  { key: "amount", header: "Сумма квитирования", width: 12 },
  { key: "state", header: "Состояние", width: 18 },
  { key: "reason", header: "Причина", width: 60 },
];

const STATE: Record<string, string> = {
  impossible: "Квитирование невозможно",
  pending: "Не сквитировано",
  to_cancel: "Ожидает отмены",
};
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : (v as string | null));

async function* failedAcknowledgments(ds: DataSource, houses: HouseSelection, stand: string) {
  const make = () => {
    const qb = ds
      .createQueryBuilder()
      .from(Acknowledgment, "k")
      .innerJoin(Payment, "p", "p.id = k.paymentId")
      .innerJoin(PaymentDocument, "d", "d.id = k.paymentDocumentId")
      .innerJoin(Account, "a", "a.id = d.accountId")
      .leftJoin(Service, "s", "s.id = k.serviceId");
    // The ЕЛС, the ИПД and the acknowledgment's outcome as the report's stand knows them.
    const ack = joinIdentity(qb, "k", stand);
    const status = statusExpr(qb, "k", stand);
    const ackState = `COALESCE(${ack}.gisState, 'pending')`;
    // Another stand's pulled payments and loaded documents are not this stand's report (after the where below).
    const ofStand = <T extends ObjectLiteral>(q: SelectQueryBuilder<T>) => whereOfStand(whereOfStand(q, "p", stand), "d", stand);
    return ofStand(
      accountsInHouses(
        qb
          .select("a.number", "account")
          .addSelect(identityExpr(qb, "a", "unifiedNumber", stand), "unified")
          .addSelect("d.periodYear", "y")
          .addSelect("d.periodMonth", "m")
          .addSelect("d.number", "document")
          .addSelect("d.externalId", "docExternal")
          .addSelect(identityExpr(qb, "d", "gisPaymentDocumentId", stand), "ipd")
          .addSelect("s.name", "service")
          .addSelect("p.orderDate", "orderDate")
          .addSelect("p.orderId", "orderId")
          .addSelect("p.amount", "paid")
          .addSelect("k.amount", "amount")
          .addSelect(ackState, "state")
          .addSelect("k.impossibleReason", "reason")
          .addSelect(status, "syncStatus")
          .addSelect(`${ack}.errorCode`, "errorCode")
          .addSelect(`${ack}.errorText`, "errorText")
          .where(`(${ackState} = 'impossible' OR ${status} = 'error')`),
        "a.id",
        houses,
      ),
    );
  };
  for await (const r of pages(make, "k")) {
    const gisText = [r.errorCode, r.errorText].filter(Boolean).join(": ");
    yield {
      account: r.account,
      unified: r.unified,
      period: `${String(r.m).padStart(2, "0")}.${r.y}`,
      document: r.document || r.docExternal,
      ipd: r.ipd,
      service: r.service,
      orderDate: gisDate(day(r.orderDate)),
      orderId: r.orderId,
      paid: num(r.paid),
      amount: num(r.amount),
      state: r.syncStatus === "error" && r.state !== "impossible" ? "Ошибка ГИС ЖКХ" : (STATE[r.state] ?? r.state),
      reason: r.reason || gisText || "ГИС ЖКХ не приняла квитирование",
    };
  }
}

/** Our payments that no payment document matches: nothing to acknowledge them against. */
async function* unmatchedPayments(ds: DataSource, houses: HouseSelection, stand: string) {
  const make = () => {
    const qb = ds.createQueryBuilder().from(Payment, "p").leftJoin(Account, "a", "a.id = p.accountId");
    qb.select("a.number", "account")
      .addSelect(identityExpr(qb, "a", "unifiedNumber", stand), "unified")
      .addSelect("p.orderDate", "orderDate")
      .addSelect("p.orderId", "orderId")
      .addSelect("p.amount", "paid")
      .addSelect("p.periodYear", "y")
      .addSelect("p.periodMonth", "m")
      .addSelect(identityExpr(qb, "p", "gisPaymentDocumentId", stand), "ipd")
      .where("p.paymentDocumentId IS NULL")
      .andWhere("p.annulled = :no", { no: false });
    whereOfStand(qb, "p", stand);
    const acked = qb.subQuery().select("k2.id").from(Acknowledgment, "k2").where("k2.paymentId = p.id").getQuery();
    return accountsInHouses(qb.andWhere(`NOT EXISTS ${acked}`), "p.accountId", houses);
  };
  for await (const r of pages(make, "p")) {
    yield {
      account: r.account,
      unified: r.unified,
      period: r.m ? `${String(r.m).padStart(2, "0")}.${r.y}` : null,
      ipd: r.ipd,
      orderDate: gisDate(day(r.orderDate)),
      orderId: r.orderId,
      paid: num(r.paid),
      state: "Не сквитировано",
      reason: r.account ? "Платёж не сопоставлен с платёжным документом (нет ПД за период оплаты)" : "Платёж без лицевого счёта",
    };
  }
}

async function* allRows(ds: DataSource, houses: HouseSelection, stand: string) {
  yield* failedAcknowledgments(ds, houses, stand);
  yield* unmatchedPayments(ds, houses, stand);
}

/** The report of one stand: its kvitirovanie outcomes, and the ЕЛС and ИПД it gave. */
export async function exportKvitReport(ds: DataSource, houses: HouseSelection, out: string, stand: string, now = new Date()): Promise<number> {
  const [n] = await writeTable(
    out,
    [
      {
        name: "Ошибки квитирования",
        caption: ["Отчёт по ошибкам квитирования", `Сформирован: ${gisDate(now.toISOString())}`],
        columns: KVIT_COLUMNS,
        rows: allRows(ds, houses, stand),
      },
    ],
    "xlsx",
  );
  return n;
}

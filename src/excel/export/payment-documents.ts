/** Rows of the payment documents template for one month. */
import { DataSource } from "typeorm";
import { Account, AccountAccommodation, House, PaymentDocument, PaymentDocumentLine, Premise, Room, Service } from "../../../entities";
import { num } from "../format";
import { RowValues } from "../template-writer";
import { pageBatches, pages } from "./paging";
import { ExportScope, accountsInHouses } from "./scope";
import { identityExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";

/** The address each account pays for (first accommodation), for one page of accounts. */
export async function accountAddresses(ds: DataSource, accountIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!accountIds.length) return out;
  const rows = await ds
    .createQueryBuilder()
    .select("acc.accountId", "accountId")
    .addSelect("h.address", "address")
    .addSelect("COALESCE(p.number, rp.number)", "premise")
    .addSelect("COALESCE(p.kind, rp.kind)", "kind")
    .addSelect("r.number", "room")
    .from(AccountAccommodation, "acc")
    .leftJoin(Premise, "p", "p.id = acc.premiseId")
    .leftJoin(Room, "r", "r.id = acc.roomId")
    .leftJoin(Premise, "rp", "rp.id = r.premiseId")
    .innerJoin(House, "h", "h.id = COALESCE(acc.houseId, p.houseId, r.houseId)")
    .where("acc.accountId IN (:...ids)", { ids: accountIds })
    .orderBy("acc.id")
    .getRawMany();
  for (const r of rows) {
    const id = Number(r.accountId);
    if (out.has(id)) continue;
    out.set(
      id,
      [r.address, r.premise ? `${r.kind && r.kind !== "residential" ? "пом." : "кв."} ${r.premise}` : null, r.room ? `комн. ${r.room}` : null]
        .filter(Boolean)
        .join(", "),
    );
  }
  return out;
}

function documents(ds: DataSource, scope: ExportScope) {
  const qb = ds
    .createQueryBuilder()
    .from(PaymentDocument, "d")
    .innerJoin(Account, "a", "a.id = d.accountId")
    .where("d.periodYear = :y AND d.periodMonth = :m", { y: scope.year, m: scope.month })
    .andWhere("d.state <> 'withdrawn'");
  // Documents loaded from another stand are not this stand's.
  whereOfStand(qb, "d", scope.stand);
  return accountsInHouses(qb, "a.id", scope.houses);
}

export const documentNumber = (number: string | null, externalId: string) => number || externalId;

export async function* paymentDocumentRows(ds: DataSource, scope: ExportScope): AsyncGenerator<RowValues> {
  const make = () => {
    const qb = documents(ds, scope).select("a.number", "account");
    return qb
      .addSelect(identityExpr(qb, "a", "unifiedNumber", scope.stand), "els")
      .addSelect("a.id", "accountId")
      .addSelect("d.number", "number")
      .addSelect("d.externalId", "externalId")
      .addSelect("d.totalPayable", "payable")
      .addSelect("d.totalCharged", "charged")
      .addSelect("d.debt", "debt")
      .addSelect("d.advance", "advance")
      .addSelect("d.bankBik", "bik")
      .addSelect("d.operatingAccount", "rs");
  };
  const period = `${String(scope.month).padStart(2, "0")}.${scope.year}`;
  for await (const page of pageBatches(make, "d")) {
    const addresses = await accountAddresses(
      ds,
      page.map((r) => Number(r.accountId)),
    );
    for (const r of page) {
      yield {
        accountNumber: r.account,
        unifiedNumber: r.els,
        address: addresses.get(Number(r.accountId)) ?? null,
        period,
        documentNumber: documentNumber(r.number, r.externalId),
        totalPayable: num(r.payable ?? r.charged),
        debt: num(r.debt),
        advance: num(r.advance),
        bankBik: r.bik,
        operatingAccount: r.rs,
      };
    }
  }
}

export async function* paymentDocumentLineRows(ds: DataSource, scope: ExportScope): AsyncGenerator<RowValues> {
  const make = () =>
    documents(ds, scope)
      .innerJoin(PaymentDocumentLine, "l", "l.paymentDocumentId = d.id")
      .innerJoin(Service, "s", "s.id = l.serviceId")
      .select("d.number", "number")
      .addSelect("d.externalId", "externalId")
      .addSelect("s.name", "service")
      .addSelect("l.volume", "volume")
      .addSelect("l.tariff", "tariff")
      .addSelect("l.charged", "charged")
      .addSelect("l.recalculation", "recalculation")
      .addSelect("l.total", "total");
  for await (const r of pages(make, "l")) {
    yield {
      documentNumber: documentNumber(r.number, r.externalId),
      service: r.service,
      volume: num(r.volume),
      tariff: num(r.tariff),
      charged: num(r.charged),
      recalculation: num(r.recalculation),
      total: num(r.total ?? r.charged),
    };
  }
}

/** The latest month that has payment documents of the stand, when none is asked for. */
export async function latestPeriod(ds: DataSource, stand: string): Promise<{ year: number; month: number } | null> {
  const qb = ds.createQueryBuilder().select("d.periodYear", "y").addSelect("d.periodMonth", "m").from(PaymentDocument, "d");
  const r = await whereOfStand(qb, "d", stand).orderBy("d.periodYear", "DESC").addOrderBy("d.periodMonth", "DESC").limit(1).getRawOne();
  return r ? { year: Number(r.y), month: Number(r.m) } : null;
}

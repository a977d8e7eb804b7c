/**
 * Objects named the way an operator knows them — «ЛС 1600000004», a house's address, «ПУ № 123»,
 * «ПД 45 за 03.2025» — instead of internal ids: the exchange viewer's objects, a card's links.
 * Set-based: one query per kind, whatever the number of objects. Own columns only (no GIS
 * identity), so no stand is needed.
 */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import {
  Account,
  Acknowledgment,
  Contract,
  Entrance,
  House,
  Meter,
  MeterReading,
  Organization,
  Payment,
  PaymentDocument,
  Premise,
  Room,
  Service,
} from "../../entities";
import { organizationVisible } from "./org-scope";

export interface ObjectName {
  kind: string;
  id: number;
  name: string;
  /** The UI's hash route of the object's card (or of the card holding it), when there is one. */
  href: string | null;
  houseId: number | null;
}

type Row = Record<string, unknown>;
type Namer = {
  query(ds: DataSource): SelectQueryBuilder<ObjectLiteral>;
  /** The column holding the object's organization, when it has one (rows of others are left out). */
  org?: boolean;
  name(r: Row): string;
  href?(r: Row): string | null;
};

const CHUNK = 500;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
/** A date column as дд.мм.гггг. */
export function day(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
  const [y, m, d] = s.split("-");
  return d ? `${d}.${m}.${y}` : s;
}
const period = (r: Row) => (r.periodmonth ? `${String(r.periodmonth).padStart(2, "0")}.${r.periodyear}` : "");
const money = (v: unknown) => (v === null || v === undefined ? "" : Number(v).toLocaleString("ru-RU", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

function inHouse(ds: DataSource, entity: typeof Entrance | typeof Premise | typeof Room) {
  return ds
    .createQueryBuilder()
    .from(entity, "t")
    .leftJoin(House, "h", "h.id = t.houseId")
    .select("t.id", "id")
    .addSelect("t.number", "number")
    .addSelect("t.houseId", "houseid")
    .addSelect("h.address", "address");
}
const at = (r: Row, what: string) => [r.address, `${what} ${r.number}`].filter(Boolean).join(", ");

const NAMERS: Record<string, Namer> = {
  account: {
    query: (ds) => ds.createQueryBuilder().from(Account, "t").select("t.id", "id").addSelect("t.number", "number").addSelect("t.organizationId", "org"),
    org: true,
    name: (r) => `ЛС ${r.number}`,
    href: (r) => `#/accounts/${r.id}`,
  },
  house: {
    query: (ds) => ds.createQueryBuilder().from(House, "t").select("t.id", "id").addSelect("t.address", "address").addSelect("t.id", "houseid"),
    name: (r) => String(r.address ?? `дом без адреса (${r.id})`),
    href: (r) => `#/houses/${r.id}`,
  },
  entrance: { query: (ds) => inHouse(ds, Entrance), name: (r) => at(r, "подъезд"), href: (r) => `#/entrance/${r.id}` },
  premise: { query: (ds) => inHouse(ds, Premise), name: (r) => at(r, "пом."), href: (r) => `#/premise/${r.id}` },
  room: { query: (ds) => inHouse(ds, Room), name: (r) => at(r, "комн."), href: (r) => `#/room/${r.id}` },
  meter: {
    query: (ds) =>
      ds
        .createQueryBuilder()
        .from(Meter, "t")
        .select("t.id", "id")
        .addSelect("t.factoryNumber", "number")
        .addSelect("t.houseId", "houseid")
        .addSelect("t.organizationId", "org"),
    org: true,
    name: (r) => `ПУ № ${r.number}`,
    href: (r) => `#/meter/${r.id}`,
  },
  meter_reading: {
    query: (ds) =>
      ds
        .createQueryBuilder()
        .from(MeterReading, "t")
        .innerJoin(Meter, "m", "m.id = t.meterId")
        .select("t.id", "id")
        .addSelect("t.readingDate", "readingdate")
        .addSelect("m.id", "meterid")
        .addSelect("m.factoryNumber", "number")
        .addSelect("m.houseId", "houseid")
        .addSelect("m.organizationId", "org"),
    org: true,
    name: (r) => `показание ПУ № ${r.number} от ${day(r.readingdate)}`,
    href: (r) => `#/meter/${r.meterid}`,
  },
  payment_document: {
    query: (ds) =>
      ds
        .createQueryBuilder()
        .from(PaymentDocument, "t")
        .leftJoin(Account, "a", "a.id = t.accountId")
        .select("t.id", "id")
        .addSelect("t.number", "number")
        .addSelect("t.periodYear", "periodyear")
        .addSelect("t.periodMonth", "periodmonth")
        .addSelect("t.accountId", "accountid")
        .addSelect("a.number", "account")
        .addSelect("t.organizationId", "org"),
    org: true,
    name: (r) => `ПД ${r.number ?? "б/н"} за ${period(r)}${r.account ? ` (ЛС ${r.account})` : ""}`,
    href: (r) => (r.accountid ? `#/accounts/${r.accountid}` : null),
  },
  payment: {
    query: (ds) =>
      ds
        .createQueryBuilder()
        .from(Payment, "t")
        .leftJoin(Account, "a", "a.id = t.accountId")
        .select("t.id", "id")
        .addSelect("t.orderNumber", "number")
        .addSelect("t.orderDate", "orderdate")
        .addSelect("t.amount", "amount")
        .addSelect("t.accountId", "accountid")
        .addSelect("a.number", "account")
        .addSelect("t.organizationId", "org"),
    org: true,
    name: (r) => `платёж${r.number ? ` № ${r.number}` : ""} от ${day(r.orderdate)} на ${money(r.amount)} ₽${r.account ? ` (ЛС ${r.account})` : ""}`,
    href: (r) => (r.accountid ? `#/accounts/${r.accountid}` : null),
  },
  acknowledgment: {
    query: (ds) =>
      ds
        .createQueryBuilder()
        .from(Acknowledgment, "t")
        .innerJoin(Payment, "p", "p.id = t.paymentId")
        .leftJoin(PaymentDocument, "d", "d.id = t.paymentDocumentId")
        .select("t.id", "id")
        .addSelect("p.orderDate", "orderdate")
        .addSelect("p.accountId", "accountid")
        .addSelect("d.number", "number")
        .addSelect("d.periodYear", "periodyear")
        .addSelect("d.periodMonth", "periodmonth")
        .addSelect("p.organizationId", "org"),
    org: true,
    name: (r) => `квитирование платежа от ${day(r.orderdate)} с ПД ${r.number ?? "б/н"}${period(r) ? ` за ${period(r)}` : ""}`,
    href: (r) => (r.accountid ? `#/accounts/${r.accountid}` : null),
  },
  contract: {
    query: (ds) => ds.createQueryBuilder().from(Contract, "t").select("t.id", "id").addSelect("t.number", "number").addSelect("t.organizationId", "org"),
    org: true,
    name: (r) => `договор ${r.number ?? "б/н"}`,
    href: (r) => `#/contracts/${r.id}`,
  },
  organization: {
    query: (ds) =>
      ds
        .createQueryBuilder()
        .from(Organization, "t")
        .select("t.id", "id")
        .addSelect("t.shortName", "number")
        .addSelect("t.fullName", "full")
        .addSelect("t.id", "org"),
    org: true,
    name: (r) => String(r.number ?? r.full ?? `организация ${r.id}`),
    href: (r) => `#/organizations/${r.id}`,
  },
  service: {
    query: (ds) => ds.createQueryBuilder().from(Service, "t").select("t.id", "id").addSelect("t.name", "number").addSelect("t.organizationId", "org"),
    org: true,
    name: (r) => `услуга «${r.number}»`,
  },
};

/** Kinds that can be named. */
export const NAMED_KINDS = Object.keys(NAMERS);

/**
 * Names of objects given as (kind, id): one query per kind. Objects of an organization the user
 * is not given (`orgs`, null: all) and objects that do not exist are left out of the map, keyed "kind:id".
 */
export async function objectNames(ds: DataSource, refs: ReadonlyArray<{ kind: string; id: number }>, orgs: number[] | null): Promise<Map<string, ObjectName>> {
  const byKind = new Map<string, Set<number>>();
  for (const r of refs) if (NAMERS[r.kind]) byKind.set(r.kind, (byKind.get(r.kind) ?? new Set()).add(r.id));
  const out = new Map<string, ObjectName>();
  for (const [kind, set] of byKind) {
    const n = NAMERS[kind];
    const ids = [...set];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await n
        .query(ds)
        .where("t.id IN (:...ids)", { ids: ids.slice(i, i + CHUNK) })
        .getRawMany<Row>();
      for (const r of rows) {
        if (n.org && !organizationVisible(orgs, num(r.org))) continue;
        const id = Number(r.id);
        out.set(`${kind}:${id}`, { kind, id, name: n.name(r), href: n.href?.(r) ?? null, houseId: num(r.houseid) });
      }
    }
  }
  return out;
}

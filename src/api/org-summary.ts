/**
 * The dashboard's objects by kind and status (on the request's stand) for some organizations only (a user limited to
 * organizations, or the picker's `?org=`): the same rows as src/status/database-summary.ts, each
 * kind counted through its way to an organization — its own column, its house, its meter or payment.
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
  SYNC_STATUSES,
  Service,
  SyncStatus,
} from "../../entities";
import { KindSummary, SYNCED_KINDS } from "../status/database-summary";
import { statusExpr } from "../storage/identity/store";
import { whereOfStand } from "../storage/identity/origin";
import { whereHouseOfOrganizations, whereOrganizations } from "./org-scope";

type Narrow = (qb: SelectQueryBuilder<ObjectLiteral>, orgs: number[]) => SelectQueryBuilder<ObjectLiteral>;

const own = (entity: unknown): [unknown, Narrow] => [entity, (qb, orgs) => whereOrganizations(qb, "t.organizationId", orgs)];
const inHouse = (entity: unknown): [unknown, Narrow] => [entity, (qb, orgs) => whereHouseOfOrganizations(qb, "t.houseId", orgs)];
const via = (entity: unknown, column: string, parent: typeof Meter | typeof Payment): [unknown, Narrow] => [
  entity,
  (qb, orgs) => {
    const sub = whereOrganizations(qb.subQuery().select("sp.id").from(parent, "sp"), "sp.organizationId", orgs);
    return qb.andWhere(`t.${column} IN ${sub.getQuery()}`).setParameters(sub.getParameters());
  },
];

const KINDS: Record<string, [unknown, Narrow]> = {
  organization: [Organization, (qb, orgs) => whereOrganizations(qb, "t.id", orgs)],
  service: own(Service),
  contract: own(Contract),
  house: [House, (qb, orgs) => whereHouseOfOrganizations(qb, "t.id", orgs)],
  entrance: inHouse(Entrance),
  premise: inHouse(Premise),
  room: inHouse(Room),
  account: own(Account),
  meter: own(Meter),
  meter_reading: via(MeterReading, "meterId", Meter),
  payment_document: own(PaymentDocument),
  payment: own(Payment),
  acknowledgment: via(Acknowledgment, "paymentId", Payment),
};

/** The kinds' objects of some organizations by their sync status on one stand. */
export async function organizationsSummary(ds: DataSource, orgs: number[], stand: string): Promise<KindSummary[]> {
  const out: KindSummary[] = [];
  for (const k of SYNCED_KINDS) {
    const byStatus = Object.fromEntries(SYNC_STATUSES.map((s) => [s, 0])) as Record<SyncStatus, number>;
    const kind = KINDS[k.table];
    if (kind) {
      const [entity, narrow] = kind;
      const qb = ds.getRepository(entity as typeof Account).createQueryBuilder("t") as unknown as SelectQueryBuilder<ObjectLiteral>;
      const status = statusExpr(qb, "t", stand);
      whereOfStand(qb, "t", stand);
      qb.select(status, "status").addSelect("COUNT(*)", "n").groupBy(status);
      const rows = await narrow(qb, orgs).getRawMany<{ status: SyncStatus; n: string | number }>();
      for (const r of rows) byStatus[r.status] = Number(r.n);
    }
    out.push({ ...k, total: Object.values(byStatus).reduce((a, b) => a + b, 0), byStatus });
  }
  return out;
}

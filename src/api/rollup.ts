/**
 * The house directory's six status columns: for a page of houses, where the house itself, its
 * entrances, premises, rooms, accounts and meters stand with GIS — one state per column (the
 * manual's icons) plus the counts behind it. Grouped queries over the page's house ids only.
 */
import { DataSource } from "typeorm";
import { Account, AccountAccommodation, Entrance, House, Meter, Premise, Room, SyncStatus } from "../../entities";

export const ROLLUP_KINDS = ["house", "entrance", "premise", "room", "account", "meter"] as const;
export type RollupKind = (typeof ROLLUP_KINDS)[number];

export interface Rollup {
  /** none: the house has no such objects. */
  state: SyncStatus | "none";
  counts: Partial<Record<SyncStatus, number>>;
}

/** One state for many objects: any error wins, then unsent, in progress, nested errors; ok only when all are. */
export function rollupState(counts: Partial<Record<SyncStatus, number>>): Rollup["state"] {
  for (const s of ["error", "not_sent", "in_progress", "ok_nested_errors", "ok"] as const) if (counts[s]) return s;
  return "none";
}

type Row = { houseId: number | string; status: SyncStatus; n: number | string };

async function grouped(ds: DataSource, kind: Exclude<RollupKind, "house" | "account">, ids: number[]): Promise<Row[]> {
  const entity = { entrance: Entrance, premise: Premise, room: Room, meter: Meter }[kind];
  return ds
    .getRepository(entity as typeof Entrance)
    .createQueryBuilder("t")
    .select("t.houseId", "houseId")
    .addSelect("t.sync.status", "status")
    .addSelect("COUNT(*)", "n")
    .where("t.houseId IN (:...ids)", { ids })
    .groupBy("t.houseId")
    .addGroupBy("t.sync.status")
    .getRawMany<Row>();
}

/** Accounts reach a house through accommodations of the house itself, one of its premises or rooms. */
async function accountRows(ds: DataSource, ids: number[]): Promise<Row[]> {
  const repo = ds.getRepository(AccountAccommodation);
  const base = () => repo.createQueryBuilder("x").innerJoin(Account, "a", "a.id = x.accountId");
  const direct = await base()
    .select("x.houseId", "houseId")
    .addSelect("a.sync.status", "status")
    .addSelect("COUNT(DISTINCT a.id)", "n")
    .where("x.houseId IN (:...ids)", { ids })
    .groupBy("x.houseId")
    .addGroupBy("a.sync.status")
    .getRawMany<Row>();
  const viaPremise = await base()
    .innerJoin(Premise, "p", "p.id = x.premiseId")
    .select("p.houseId", "houseId")
    .addSelect("a.sync.status", "status")
    .addSelect("COUNT(DISTINCT a.id)", "n")
    .where("p.houseId IN (:...ids)", { ids })
    .groupBy("p.houseId")
    .addGroupBy("a.sync.status")
    .getRawMany<Row>();
  const viaRoom = await base()
    .innerJoin(Room, "r", "r.id = x.roomId")
    .select("r.houseId", "houseId")
    .addSelect("a.sync.status", "status")
    .addSelect("COUNT(DISTINCT a.id)", "n")
    .where("r.houseId IN (:...ids)", { ids })
    .andWhere("x.premiseId IS NULL")
    .groupBy("r.houseId")
    .addGroupBy("a.sync.status")
    .getRawMany<Row>();
  return [...direct, ...viaPremise, ...viaRoom];
}

export async function houseRollups(ds: DataSource, houses: House[]): Promise<Map<number, Record<RollupKind, Rollup>>> {
  const out = new Map<number, Record<RollupKind, Rollup>>();
  const counts = new Map<number, Record<RollupKind, Partial<Record<SyncStatus, number>>>>();
  for (const h of houses) {
    counts.set(h.id, { house: { [h.sync.status]: 1 }, entrance: {}, premise: {}, room: {}, account: {}, meter: {} });
  }
  const ids = houses.map((h) => h.id);
  if (ids.length) {
    const add = (kind: RollupKind, rows: Row[]) => {
      for (const r of rows) {
        const c = counts.get(Number(r.houseId))?.[kind];
        if (c) c[r.status] = (c[r.status] ?? 0) + Number(r.n);
      }
    };
    for (const kind of ["entrance", "premise", "room", "meter"] as const) add(kind, await grouped(ds, kind, ids));
    add("account", await accountRows(ds, ids));
  }
  for (const [id, c] of counts) {
    out.set(id, Object.fromEntries(ROLLUP_KINDS.map((k) => [k, { state: rollupState(c[k]), counts: c[k] }])) as Record<RollupKind, Rollup>);
  }
  return out;
}

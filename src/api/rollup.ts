/**
 * The house directory's six status columns: for a page of houses, where the house itself, its
 * entrances, premises, rooms, accounts and meters stand with GIS — one state per column (the
 * manual's icons) plus the counts behind it, as one stand sees them. Grouped queries over the
 * page's house ids only.
 */
import { DataSource } from "typeorm";
import { Account, AccountAccommodation, Entrance, House, Meter, Premise, Room, SyncStatus } from "../../entities";
import { identitiesAt, statusExpr } from "../storage/identity/store";

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

async function grouped(ds: DataSource, kind: Exclude<RollupKind, "house" | "account">, ids: number[], stand: string): Promise<Row[]> {
  const entity = { entrance: Entrance, premise: Premise, room: Room, meter: Meter }[kind];
  const qb = ds.getRepository(entity as typeof Entrance).createQueryBuilder("t");
  const status = statusExpr(qb, "t", stand);
  return qb
    .select("t.houseId", "houseId")
    .addSelect(status, "status")
    .addSelect("COUNT(*)", "n")
    .where("t.houseId IN (:...ids)", { ids })
    .groupBy("t.houseId")
    .addGroupBy(status)
    .getRawMany<Row>();
}

/** Accounts reach a house through accommodations of the house itself, one of its premises or rooms. */
async function accountRows(ds: DataSource, ids: number[], stand: string): Promise<Row[]> {
  const repo = ds.getRepository(AccountAccommodation);
  const base = () => {
    const qb = repo.createQueryBuilder("x").innerJoin(Account, "a", "a.id = x.accountId");
    return { qb, status: statusExpr(qb, "a", stand) };
  };
  const d = base();
  const direct = await d.qb
    .select("x.houseId", "houseId")
    .addSelect(d.status, "status")
    .addSelect("COUNT(DISTINCT a.id)", "n")
    .where("x.houseId IN (:...ids)", { ids })
    .groupBy("x.houseId")
    .addGroupBy(d.status)
    .getRawMany<Row>();
  const p = base();
  const viaPremise = await p.qb
    .innerJoin(Premise, "p", "p.id = x.premiseId")
    .select("p.houseId", "houseId")
    .addSelect(p.status, "status")
    .addSelect("COUNT(DISTINCT a.id)", "n")
    .where("p.houseId IN (:...ids)", { ids })
    .groupBy("p.houseId")
    .addGroupBy(p.status)
    .getRawMany<Row>();
  const r = base();
  const viaRoom = await r.qb
    .innerJoin(Room, "r", "r.id = x.roomId")
    .select("r.houseId", "houseId")
    .addSelect(r.status, "status")
    .addSelect("COUNT(DISTINCT a.id)", "n")
    .where("r.houseId IN (:...ids)", { ids })
    .andWhere("x.premiseId IS NULL")
    .groupBy("r.houseId")
    .addGroupBy(r.status)
    .getRawMany<Row>();
  return [...direct, ...viaPremise, ...viaRoom];
}

/** The roll-ups of houses on a stand (the houses' own status read there too). */
export async function houseRollups(ds: DataSource, houses: Pick<House, "id">[], stand: string): Promise<Map<number, Record<RollupKind, Rollup>>> {
  const out = new Map<number, Record<RollupKind, Rollup>>();
  const counts = new Map<number, Record<RollupKind, Partial<Record<SyncStatus, number>>>>();
  const own = await identitiesAt(
    ds,
    "house",
    houses.map((h) => h.id),
    stand,
  );
  for (const h of houses) {
    counts.set(h.id, { house: { [own.get(h.id)?.sync.status ?? "not_sent"]: 1 }, entrance: {}, premise: {}, room: {}, account: {}, meter: {} });
  }
  const ids = houses.map((h) => h.id);
  if (ids.length) {
    const add = (kind: RollupKind, rows: Row[]) => {
      for (const r of rows) {
        const c = counts.get(Number(r.houseId))?.[kind];
        if (c) c[r.status] = (c[r.status] ?? 0) + Number(r.n);
      }
    };
    for (const kind of ["entrance", "premise", "room", "meter"] as const) add(kind, await grouped(ds, kind, ids, stand));
    add("account", await accountRows(ds, ids, stand));
  }
  for (const [id, c] of counts) {
    out.set(id, Object.fromEntries(ROLLUP_KINDS.map((k) => [k, { state: rollupState(c[k]), counts: c[k] }])) as Record<RollupKind, Rollup>);
  }
  return out;
}

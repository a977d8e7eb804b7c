/**
 * Shared selection: which objects of a scope need a method now (by their SyncState), and which
 * houses a scope covers. Houses carry no organization: an organization's houses are those under
 * its contracts, where its accounts live, or where its meters stand.
 */
import { DataSource, In, SelectQueryBuilder, ObjectLiteral } from "typeorm";
import { UNKNOWN_OUTCOME } from "../../entities/gis-operation";
import { AccountAccommodation, Account, Contract, ContractObject, Meter, Premise, Room } from "../../entities";
import { identityExpr, joinIdentity, statusExpr } from "../storage/identity/store";
import { whereOfStand } from "../storage/identity/origin";
import { belongingTo } from "./belongs";
import { Mode, Scope } from "./descriptor";

/**
 * Restricts `qb` to objects that need sending to `stand` in `mode` (by that stand's identity and
 * sync state, src/storage/identity/):
 * - push: never accepted (not sent / failed) or changed locally since GIS last accepted them;
 * - sync: missing in GIS (no GIS identifier) after the pull has matched what GIS has; objects
 *   without an identifier of their own (gisIdProperty null) behave as in push;
 * - pull: nothing (imports do not run in pull).
 * Objects an operation is carrying (in progress) are never selected twice, and held objects
 * (whereNotHeld) only when the scope names them. Rows made from another stand's answer
 * (origin.ts) are never sent to this one.
 */
export function whereNeedsSending<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  mode: Mode,
  gisIdProperty: string | null,
  stand: string,
  scope: Scope,
): SelectQueryBuilder<E> {
  const gi = joinIdentity(qb, alias, stand);
  const status = statusExpr(qb, alias, stand);
  qb.andWhere(`${status} <> 'in_progress'`);
  whereOfStand(qb, alias, stand);
  whereNotHeld(qb, alias, stand, scope);
  if (mode === "pull") return qb.andWhere("1 = 0");
  if (mode === "sync" && gisIdProperty) return qb.andWhere(`${identityExpr(qb, alias, gisIdProperty, stand)} IS NULL`);
  return qb.andWhere(`(${status} IN ('not_sent', 'error') OR ${alias}.sync.changedAt > ${gi}.syncedAt OR ${gi}.syncedAt IS NULL)`);
}

/**
 * Leaves out objects whose last send's outcome stayed unknown (UNKNOWN_OUTCOME on `stand`): GIS may
 * hold them already, so only an operator's run that names them (scope.objectIds) sends them again.
 */
export function whereNotHeld<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, stand: string, scope: Scope): SelectQueryBuilder<E> {
  if (scope.objectIds) return qb;
  const gi = joinIdentity(qb, alias, stand);
  return qb.andWhere(`(${gi}.errorCode IS NULL OR ${gi}.errorCode <> :heldCode)`, { heldCode: UNKNOWN_OUTCOME });
}

/**
 * Keeps single objects when the scope names them: of `alias`'s kind by id, of another kind (a card's
 * run) what belongs to them (./belongs.ts) — nothing when nothing of this kind does.
 */
export function whereObjects<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, scope: Scope): SelectQueryBuilder<E> {
  if (!scope.objectIds) return qb;
  const kind = qb.expressionMap.findAliasByName(alias).metadata.tableName;
  const q = (name: string) => qb.connection.driver.escape(name);
  const belonging = belongingTo(kind, scope.objectType ?? kind, q);
  if (belonging === null) return qb.andWhere("1 = 0");
  return qb.andWhere(`${alias}.id IN ${belonging}`, { objectIds: scope.objectIds.length ? scope.objectIds : [-1] });
}

const unique = (xs: Array<number | null>): number[] => [...new Set(xs.filter((x): x is number => x !== null))].sort((a, b) => a - b);

/** Bound parameters per query: SQL Server takes at most 2100. */
const CHUNK = 1000;

/**
 * Houses of an organization: under its contracts, with its accounts, or with its meters. `within`
 * restricts the answer to those houses and the queries with it (a lane's step asks about its own
 * houses, not the whole organization's each time).
 */
export async function organizationHouseIds(ds: DataSource, organizationId: number, within?: readonly number[]): Promise<number[]> {
  if (within === undefined) return unique(await houseIdsOf(ds, organizationId));
  const wanted = new Set(within);
  const list = [...wanted];
  const found: Array<number | null> = [];
  for (let i = 0; i < list.length; i += CHUNK) found.push(...(await houseIdsOf(ds, organizationId, list.slice(i, i + CHUNK))));
  return unique(found.filter((h) => h !== null && wanted.has(h)));
}

/** The house ids (with repeats) of organizationHouseIds, among `within` when given (a chunk of it). */
async function houseIdsOf(ds: DataSource, organizationId: number, within?: number[]): Promise<Array<number | null>> {
  if (within !== undefined && within.length === 0) return [];
  const contracts = await ds.getRepository(Contract).find({ select: { id: true }, where: { organizationId } });
  const objects: Array<{ houseId: number }> = [];
  for (let i = 0; i < contracts.length; i += CHUNK) {
    const contractId = In(contracts.slice(i, i + CHUNK).map((c) => c.id));
    objects.push(
      ...(await ds.getRepository(ContractObject).find({ select: { houseId: true }, where: within ? { contractId, houseId: In(within) } : { contractId } })),
    );
  }
  const accounts = ds
    .getRepository(AccountAccommodation)
    .createQueryBuilder("x")
    .innerJoin(Account, "a", "a.id = x.accountId")
    .leftJoin(Premise, "p", "p.id = x.premiseId")
    .leftJoin(Room, "r", "r.id = x.roomId")
    .select("COALESCE(x.houseId, p.houseId, r.houseId)", "houseId")
    .where("a.organizationId = :organizationId", { organizationId })
    .distinct(true);
  // Any of the three in `within` (the COALESCE's value then is one of them; the caller keeps only those in `within`).
  if (within) accounts.andWhere("(x.houseId IN (:...within) OR p.houseId IN (:...within) OR r.houseId IN (:...within))", { within });
  const viaAccounts = await accounts.getRawMany<{ houseId: number | string | null }>();
  const meters = ds
    .getRepository(Meter)
    .createQueryBuilder("m")
    .select("m.houseId", "houseId")
    .distinct(true)
    .where("m.organizationId = :organizationId", { organizationId });
  if (within) meters.andWhere("m.houseId IN (:...within)", { within });
  const viaMeters = await meters.getRawMany<{ houseId: number | string | null }>();
  return [
    ...objects.map((o) => o.houseId),
    ...viaAccounts.map((r) => (r.houseId === null ? null : Number(r.houseId))),
    ...viaMeters.map((r) => (r.houseId === null ? null : Number(r.houseId))),
  ];
}

/** The houses a scope covers: the organization's, narrowed to the listed houses and to the contract's objects. */
export async function housesInScope(ds: DataSource, scope: Scope): Promise<number[]> {
  // Listed houses (a lane's, a schedule's): only those are looked up, in the order organizationHouseIds gives.
  let houses = await organizationHouseIds(ds, scope.organizationId, scope.houseIds);
  if (scope.contractId !== undefined) {
    const objects = await ds.getRepository(ContractObject).find({ select: { houseId: true }, where: { contractId: scope.contractId } });
    const ofContract = new Set(objects.map((o) => o.houseId));
    houses = houses.filter((h) => ofContract.has(h));
  }
  return houses;
}

/** True when the scope narrows to some houses (a list or a contract), so house filters apply. */
export const narrowsHouses = (scope: Scope): boolean => scope.houseIds !== undefined || scope.contractId !== undefined;

/** Keeps the rows whose house (`column`, e.g. "m.houseId") is in the scope, when the scope narrows houses. */
export async function whereHouseInScope<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  column: string,
  ds: DataSource,
  scope: Scope,
): Promise<SelectQueryBuilder<E>> {
  if (!narrowsHouses(scope)) return qb;
  const houses = await housesInScope(ds, scope);
  return qb.andWhere(`${column} IN (:...scopeHouses)`, { scopeHouses: houses.length ? houses : [-1] });
}

/** Keeps the rows whose account (`column`, e.g. "d.accountId") lives in the scope's houses, when the scope narrows houses. */
export async function whereAccountInScope<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  column: string,
  ds: DataSource,
  scope: Scope,
): Promise<SelectQueryBuilder<E>> {
  if (!narrowsHouses(scope)) return qb;
  const accounts = await accountIdsInHouses(ds, scope.organizationId, await housesInScope(ds, scope));
  return qb.andWhere(`${column} IN (:...scopeAccounts)`, { scopeAccounts: accounts.length ? accounts : [-1] });
}

/** Accounts of the organization placed in any of the houses (through a premise, a room or the house itself). */
export async function accountIdsInHouses(ds: DataSource, organizationId: number, houseIds: number[]): Promise<number[]> {
  if (houseIds.length === 0) return [];
  const rows: Array<{ id: number }> = await ds
    .getRepository(AccountAccommodation)
    .createQueryBuilder("x")
    .innerJoin(Account, "a", "a.id = x.accountId")
    .leftJoin(Premise, "p", "p.id = x.premiseId")
    .leftJoin(Room, "r", "r.id = x.roomId")
    .select("a.id", "id")
    .where("a.organizationId = :organizationId", { organizationId })
    .andWhere("COALESCE(x.houseId, p.houseId, r.houseId) IN (:...houseIds)", { houseIds })
    .distinct(true)
    .getRawMany();
  return unique(rows.map((r) => Number(r.id)));
}

/** Plain ids from a query builder selecting `alias.id`, ordered. */
export async function ids<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string): Promise<number[]> {
  const rows = await qb.select(`${alias}.id`, "id").orderBy(`${alias}.id`, "ASC").getRawMany<{ id: number | string }>();
  return rows.map((r) => Number(r.id));
}

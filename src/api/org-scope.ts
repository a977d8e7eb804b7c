/**
 * Users limited to organizations and stands: the one place every route asks what a user may see
 * and do. A user's limits live on app_user (organizationIds, stands; null = no limit); the header's
 * picker narrows lists further with `?org=` (never widens them). An object of an organization the
 * user is not given answers 404 — its existence is not told; a run or an object action for such an
 * organization or stand answers 403. Houses carry no organization: an organization's houses are
 * those under its contracts, where its accounts live, or where its meters stand (as in
 * src/stages/select.ts), found here by set-based sub-queries, never by loading ids.
 */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import {
  Account,
  AccountAccommodation,
  Acknowledgment,
  Contract,
  ContractObject,
  Entrance,
  House,
  Meter,
  MeterReading,
  Payment,
  PaymentDocument,
  Premise,
  Room,
  Service,
} from "../../entities";
import { STANDS, Stand } from "../../entities/gis-operation";
import { User } from "../../entities/user";
import { ApiError, badRequest, notFound } from "./http";
import type { Ctx } from "./router";

/** What a user is limited to; null: everything. */
export interface Limits {
  organizationIds: number[] | null;
  stands: Stand[] | null;
}

/** "3,7" → [3, 7]; null or empty → null (no limit). */
export function parseOrganizationIds(text: string | null | undefined): number[] | null {
  if (text == null || text.trim() === "") return null;
  return [
    ...new Set(
      text
        .split(",")
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n) && n > 0),
    ),
  ].sort((a, b) => a - b);
}

export function parseStands(text: string | null | undefined): Stand[] | null {
  if (text == null || text.trim() === "") return null;
  return STANDS.filter((s) => text.split(",").some((x) => x.trim() === s));
}

/** The columns' text for limits (null: no limit). */
export const limitText = (xs: ReadonlyArray<number | string> | null): string | null => (xs === null ? null : xs.join(","));

export function userLimits(u: Pick<User, "organizationIds" | "stands"> | null): Limits {
  return { organizationIds: parseOrganizationIds(u?.organizationIds), stands: parseStands(u?.stands) };
}

/** The organizations a user is given (null: all) — for cards and actions, whatever the picker says. */
export const userOrganizations = (ctx: Pick<Ctx, "user">): number[] | null => userLimits(ctx.user).organizationIds;

/**
 * The organizations a list or a dashboard figure covers: the user's, narrowed by the picker's
 * `?org=`. An organization outside the user's limits gives an empty list, not an error.
 */
export function listOrganizations(ctx: Pick<Ctx, "user" | "query">): number[] | null {
  const mine = userOrganizations(ctx);
  const picked = ctx.query.int("org", { min: 1 });
  if (picked === undefined) return mine;
  return mine === null || mine.includes(picked) ? [picked] : [];
}

/** The stands a user may see and run on (null: all). */
export const userStands = (ctx: Pick<Ctx, "user">): Stand[] | null => userLimits(ctx.user).stands;

/** May the user see an object of this organization? Objects of no organization only a user with no limit. */
export function organizationVisible(orgs: number[] | null, organizationId: number | null | undefined): boolean {
  return orgs === null || (organizationId != null && orgs.includes(Number(organizationId)));
}

let seq = 0;
const paramName = () => `scope${(seq = (seq + 1) % 1_000_000)}`;

/** Keeps rows whose organization column is one of `orgs` (null: no filter; empty: no rows). */
export function whereOrganizations<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, orgs: number[] | null): SelectQueryBuilder<T> {
  if (orgs === null) return qb;
  if (!orgs.length) return qb.andWhere("1 = 0");
  const p = paramName();
  return qb.andWhere(`${column} IN (:...${p})`, { [p]: orgs });
}

/** Keeps rows whose stand column is one of `stands` (null: no filter). */
export function whereStands<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, column: string, stands: Stand[] | null): SelectQueryBuilder<T> {
  if (stands === null) return qb;
  if (!stands.length) return qb.andWhere("1 = 0");
  const p = paramName();
  return qb.andWhere(`${column} IN (:...${p})`, { [p]: stands });
}

/** The sub-queries giving the houses of the organizations in parameter `p`: contracts, accounts (house, premise, room), meters. */
function organizationHouseQueries<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, p: string): string[] {
  const a = `${p}_`;
  return [
    qb
      .subQuery()
      .select(`${a}co.houseId`)
      .from(ContractObject, `${a}co`)
      .innerJoin(Contract, `${a}c`, `${a}c.id = ${a}co.contractId`)
      .where(`${a}c.organizationId IN (:...${p})`)
      .getQuery(),
    qb
      .subQuery()
      .select(`${a}x1.houseId`)
      .from(AccountAccommodation, `${a}x1`)
      .innerJoin(Account, `${a}a1`, `${a}a1.id = ${a}x1.accountId`)
      .where(`${a}a1.organizationId IN (:...${p}) AND ${a}x1.houseId IS NOT NULL`)
      .getQuery(),
    qb
      .subQuery()
      .select(`${a}p2.houseId`)
      .from(AccountAccommodation, `${a}x2`)
      .innerJoin(Account, `${a}a2`, `${a}a2.id = ${a}x2.accountId`)
      .innerJoin(Premise, `${a}p2`, `${a}p2.id = ${a}x2.premiseId`)
      .where(`${a}a2.organizationId IN (:...${p})`)
      .getQuery(),
    qb
      .subQuery()
      .select(`${a}r3.houseId`)
      .from(AccountAccommodation, `${a}x3`)
      .innerJoin(Account, `${a}a3`, `${a}a3.id = ${a}x3.accountId`)
      .innerJoin(Room, `${a}r3`, `${a}r3.id = ${a}x3.roomId`)
      .where(`${a}a3.organizationId IN (:...${p})`)
      .getQuery(),
    qb.subQuery().select(`${a}m.houseId`).from(Meter, `${a}m`).where(`${a}m.organizationId IN (:...${p}) AND ${a}m.houseId IS NOT NULL`).getQuery(),
  ];
}

/** Keeps rows whose house (`houseColumn`, e.g. "h.id" or "t.houseId") is a house of one of `orgs`. */
export function whereHouseOfOrganizations<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  houseColumn: string,
  orgs: number[] | null,
): SelectQueryBuilder<T> {
  if (orgs === null) return qb;
  if (!orgs.length) return qb.andWhere("1 = 0");
  const p = paramName();
  const branches = organizationHouseQueries(qb, p).map((sql) => `${houseColumn} IN ${sql}`);
  return qb.andWhere(`(${branches.join(" OR ")})`, { [p]: orgs });
}

/** Is the house one of the organizations' houses? */
export async function houseVisible(ds: DataSource, houseId: number, orgs: number[] | null): Promise<boolean> {
  if (orgs === null) return true;
  const qb = ds.getRepository(House).createQueryBuilder("h").where("h.id = :houseId", { houseId });
  return (await whereHouseOfOrganizations(qb, "h.id", orgs).getCount()) > 0;
}

/** 404 unless the user may see an object of this organization. */
export function assertOrganizationVisible(ctx: Pick<Ctx, "user">, organizationId: number | null | undefined, what: string): void {
  if (!organizationVisible(userOrganizations(ctx), organizationId)) throw notFound(what);
}

/** 404 unless the house is one of the user's organizations' houses. */
export async function assertHouseVisible(ctx: Pick<Ctx, "user" | "ds">, houseId: number, what = `Дом ${houseId}`): Promise<void> {
  if (!(await houseVisible(ctx.ds, houseId, userOrganizations(ctx)))) throw notFound(what);
}

const OWNED = { service: Service, contract: Contract, account: Account, meter: Meter, payment_document: PaymentDocument, payment: Payment } as const;
const IN_HOUSE = { entrance: Entrance, premise: Premise, room: Room } as const;

/**
 * May the user see an object named by kind and id (attempts, field history)? Objects that do not
 * exist answer the same as another organization's: 404 either way is decided by the caller.
 */
export async function objectVisible(ds: DataSource, type: string, id: number, orgs: number[] | null): Promise<boolean> {
  if (orgs === null) return true;
  if (type === "organization") return orgs.includes(id);
  if (type === "nsi_registry") return true; // GIS's common directories
  if (type === "house") return houseVisible(ds, id, orgs);
  if (type in OWNED) {
    const row = await ds
      .getRepository(OWNED[type as keyof typeof OWNED] as typeof Account)
      .findOne({ where: { id }, select: { id: true, organizationId: true } });
    return organizationVisible(orgs, row?.organizationId);
  }
  if (type in IN_HOUSE) {
    const row = await ds
      .getRepository(IN_HOUSE[type as keyof typeof IN_HOUSE] as typeof Entrance)
      .findOne({ where: { id }, select: { id: true, houseId: true } });
    return !!row && houseVisible(ds, row.houseId, orgs);
  }
  if (type === "meter_reading") {
    const row = await ds
      .getRepository(MeterReading)
      .createQueryBuilder("r")
      .innerJoin(Meter, "m", "m.id = r.meterId")
      .select("m.organizationId", "org")
      .where("r.id = :id", { id })
      .getRawOne<{ org: number }>();
    return organizationVisible(orgs, row?.org);
  }
  if (type === "acknowledgment") {
    const row = await ds
      .getRepository(Acknowledgment)
      .createQueryBuilder("k")
      .innerJoin(Payment, "p", "p.id = k.paymentId")
      .select("p.organizationId", "org")
      .where("k.id = :id", { id })
      .getRawOne<{ org: number }>();
    return organizationVisible(orgs, row?.org);
  }
  return false;
}

/** 404 unless the user may see the object. */
export async function assertObjectVisible(ctx: Pick<Ctx, "user" | "ds">, type: string, id: number, what = `Объект ${type} ${id}`): Promise<void> {
  if (!(await objectVisible(ctx.ds, type, id, userOrganizations(ctx)))) throw notFound(what);
}

/**
 * 403 unless the user may start work for this organization on this stand: a run, an object
 * action, a retry. `what` names the request for the message.
 */
export function assertMayAct(ctx: Pick<Ctx, "user">, organizationId: number | null, stand: string | null, what: string): void {
  const login = ctx.user?.login ?? "anonymous";
  const orgs = userOrganizations(ctx);
  if (orgs !== null && (organizationId === null || !orgs.includes(organizationId)))
    throw new ApiError(
      403,
      "forbidden",
      `${what}: пользователю ${login} не дана организация ${organizationId ?? "(все организации)"} — доступны ${orgs.join(", ") || "никакие"}`,
    );
  const stands = userStands(ctx);
  if (stands !== null && stand !== null && !stands.includes(stand as Stand))
    throw new ApiError(403, "forbidden", `${what}: пользователю ${login} не дан стенд ${stand} — доступны ${stands.join(", ") || "никакие"}`);
}

/** 403 unless every named object is one the user may see (an object action from a card). */
export async function assertObjectsActionable(ctx: Pick<Ctx, "user" | "ds">, type: string, ids: number[], what: string): Promise<void> {
  const orgs = userOrganizations(ctx);
  if (orgs === null) return;
  for (const id of ids)
    if (!(await objectVisible(ctx.ds, type, id, orgs)))
      throw new ApiError(403, "forbidden", `${what}: объект ${type} ${id} не относится к организациям пользователя ${ctx.user?.login ?? ""}`);
}

/** An admin's input of organization ids checked against the organization table (the CLI takes OGRNs and resolves them first). */
export function organizationIdsInput(v: unknown, what: string): number[] | null {
  if (v === null || v === "all") return null;
  if (!Array.isArray(v) || v.some((x) => !Number.isInteger(x) || x < 1))
    throw badRequest(`${what}, поле organizationIds: ожидается список идентификаторов организаций или null (все организации)`);
  return [...new Set(v as number[])].sort((a, b) => a - b);
}

export function standsInput(v: unknown, what: string): Stand[] | null {
  if (v === null || v === "all") return null;
  if (!Array.isArray(v) || v.some((x) => !(STANDS as readonly unknown[]).includes(x)))
    throw badRequest(`${what}, поле stands: ожидается список стендов (${STANDS.join(", ")}) или null (все стенды)`);
  return STANDS.filter((s) => (v as string[]).includes(s));
}

/** Справочник домов: search, the six status columns, the house card's tabs and the errors behind a status. */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import {
  Account,
  AccountAccommodation,
  Contract,
  ContractObject,
  Entrance,
  FieldHistory,
  House,
  Meter,
  Organization,
  Premise,
  Room,
  SYNC_STATUSES,
  SyncStatus,
} from "../../../entities";
import { badRequest, notFound } from "../http";
import { PAGED_QUERY, paged } from "../paging";
import { ROLLUP_KINDS, houseRollups } from "../rollup";
import { assertHouseVisible, listOrganizations, whereHouseOfOrganizations, whereOrganizations } from "../org-scope";
import { Ctx, Route } from "../router";
import { STAND_QUERY, pagedAt, requestStand, whereStatus } from "../stand";
import { AtStand, hydrate, idsByIdentity, identityExpr, oneAt } from "../../storage/identity/store";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const idParam = (v: string, what: string): number => {
  if (!/^\d{1,10}$/.test(v)) throw badRequest(`${what}: идентификатор должен быть целым числом, получено «${v}»`);
  return Number(v);
};

/** LIKE that ignores case where the database can (PostgreSQL ILIKE; SQLite LIKE already does for Latin). */
export function like(ds: DataSource): string {
  return ds.options.type === "postgres" ? "ILIKE" : "LIKE";
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Accounts living in a house: through the house itself, one of its premises or one of its rooms. */
export function whereAccountInHouses<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, param: string): SelectQueryBuilder<T> {
  // Sub-queries built on the entities, so every dialect gets its identifiers quoted.
  const direct = qb.subQuery().select("x1.accountId").from(AccountAccommodation, "x1").where(`x1.houseId IN (:...${param})`).getQuery();
  const viaPremise = qb
    .subQuery()
    .select("x2.accountId")
    .from(AccountAccommodation, "x2")
    .innerJoin(Premise, "p2", "p2.id = x2.premiseId")
    .where(`p2.houseId IN (:...${param})`)
    .getQuery();
  const viaRoom = qb
    .subQuery()
    .select("x3.accountId")
    .from(AccountAccommodation, "x3")
    .innerJoin(Room, "r3", "r3.id = x3.roomId")
    // Room-only accommodations (no premise): "premiseId IS NULL" lets the premiseId index narrow them.
    .where(`r3.houseId IN (:...${param}) AND x3.premiseId IS NULL`)
    .getQuery();
  return qb.andWhere(`(${alias}.id IN ${direct} OR ${alias}.id IN ${viaPremise} OR ${alias}.id IN ${viaRoom})`);
}

/** Houses a search term points at: FIAS/GIS GUID (the stand's), ЕЛС (the stand's), account number, else part of the address. */
async function searchHouseIds(ds: DataSource, q: string, stand: string): Promise<number[] | "address"> {
  if (GUID.test(q)) {
    const qb = ds.getRepository(House).createQueryBuilder("h").select("h.id", "id");
    const rows = await qb
      .where(`h.fiasHouseGuid = :g OR ${identityExpr(qb, "h", "gisHouseGuid", stand)} = :g`, { g: q.toLowerCase() })
      .getRawMany<{ id: number }>();
    return rows.map((r) => Number(r.id));
  }
  if (/^[0-9A-Za-zА-Яа-я/-]{1,30}$/.test(q) && /\d/.test(q)) {
    const orgIds = (await ds.getRepository(Organization).find({ select: { id: true } })).map((o) => o.id);
    const byUnified = (await idsByIdentity(ds, "account", "unifiedNumber", [q.toUpperCase()], stand)).get(q.toUpperCase()) ?? [];
    const accounts = ds
      .getRepository(Account)
      .createQueryBuilder("a")
      .select("a.id", "id")
      .where(byUnified.length ? "a.id IN (:...byUnified)" : "1 = 0", { byUnified });
    // (organizationId, number) is the index: naming every organization lets the database use it.
    if (orgIds.length) accounts.orWhere("(a.organizationId IN (:...orgIds) AND a.number = :q)", { orgIds, q });
    const accountIds = (await accounts.limit(100).getRawMany<{ id: number }>()).map((r) => Number(r.id));
    if (accountIds.length) {
      const rows = await ds
        .getRepository(AccountAccommodation)
        .createQueryBuilder("x")
        .leftJoin(Premise, "p", "p.id = x.premiseId")
        .leftJoin(Room, "r", "r.id = x.roomId")
        .select("x.houseId", "h")
        .addSelect("p.houseId", "ph")
        .addSelect("r.houseId", "rh")
        .where("x.accountId IN (:...accountIds)", { accountIds })
        .getRawMany<{ h: number | null; ph: number | null; rh: number | null }>();
      const ids = new Set(rows.map((r) => Number(r.h ?? r.ph ?? r.rh)).filter((n) => n > 0));
      if (ids.size) return [...ids];
    }
  }
  return "address";
}

async function listHouses(ctx: Ctx) {
  const { ds, query } = ctx;
  const stand = requestStand(ctx);
  const qb = ds.getRepository(House).createQueryBuilder("h").orderBy("h.address", "ASC").addOrderBy("h.id", "ASC");
  whereHouseOfOrganizations(qb, "h.id", listOrganizations(ctx));
  const q = query.str("q", { max: 200 });
  if (q) {
    const found = await searchHouseIds(ds, q.trim(), stand);
    if (found === "address") qb.andWhere(`h.address ${like(ds)} :addr ESCAPE '\\'`, { addr: `%${escapeLike(q.trim())}%` });
    else if (found.length === 0) qb.andWhere("1 = 0");
    else qb.andWhere("h.id IN (:...found)", { found });
  }
  const status = query.str("status", { values: SYNC_STATUSES });
  whereStatus(qb, "h", status, stand);
  const district = query.str("district", { max: 100 });
  if (district) qb.andWhere("h.district = :district", { district });
  const houseType = query.str("houseType", { values: ["MKD", "ZHD"] });
  if (houseType) qb.andWhere("h.houseType = :houseType", { houseType });
  return pagedAt(qb, query, "house", stand, async (houses) => {
    const rollups = await houseRollups(ds, houses, stand);
    return houses.map((h) => ({ ...h, statuses: rollups.get(h.id) }));
  });
}

/** The house as the request's stand sees it, if it exists and is one of the user's organizations' houses (else 404 either way). */
async function houseOrFail(ctx: Ctx, id: string): Promise<AtStand<"house">> {
  const h = await oneAt(ctx.ds, "house", idParam(id, "Дом"), requestStand(ctx));
  if (!h) throw notFound(`Дом ${id}`);
  await assertHouseVisible(ctx, h.id, `Дом ${id}`);
  return h;
}

const HOUSE_CHILD = { entrance: Entrance, premise: Premise, room: Room, meter: Meter } as const;

export const houseRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/houses",
    access: "accountant",
    tag: "Дома",
    paged: true,
    summary: "Справочник домов: поиск по адресу, ФИАС, ЕЛС или номеру ЛС; шесть столбцов статусов",
    query: {
      ...PAGED_QUERY,
      ...STAND_QUERY,
      q: { type: "string", description: "Адрес (часть), ФИАС/ГИС ГУИД дома, ЕЛС или номер лицевого счёта" },
      status: { type: "string", enum: SYNC_STATUSES, description: "Статус выгрузки самого дома" },
      district: { type: "string", description: "Участок" },
      houseType: { type: "string", enum: ["MKD", "ZHD"], description: "Тип строения" },
    },
    handler: listHouses,
  },
  {
    method: "GET",
    path: "/api/houses/{id}",
    access: "accountant",
    tag: "Дома",
    summary: "Карточка дома: характеристики и статусы",
    query: { ...STAND_QUERY },
    handler: async (ctx) => {
      const { ds, params } = ctx;
      const h = await houseOrFail(ctx, params.id);
      return { ...h, statuses: (await houseRollups(ds, [h], requestStand(ctx))).get(h.id) };
    },
  },
  ...(Object.entries(HOUSE_CHILD) as Array<[keyof typeof HOUSE_CHILD, typeof Entrance]>).map(
    ([kind, entity]): Route => ({
      method: "GET",
      path: `/api/houses/{id}/${kind}s`,
      access: "accountant",
      tag: "Дома",
      paged: true,
      summary: `Вкладка карточки дома: ${{ entrance: "подъезды", premise: "помещения", room: "комнаты", meter: "приборы учёта" }[kind]}`,
      query: { ...PAGED_QUERY, ...STAND_QUERY, status: { type: "string", enum: SYNC_STATUSES, description: "Статус выгрузки" } },
      handler: async (ctx) => {
        const { ds, params, query } = ctx;
        const stand = requestStand(ctx);
        const h = await houseOrFail(ctx, params.id);
        const qb = ds.getRepository(entity).createQueryBuilder("t").where("t.houseId = :id", { id: h.id }).orderBy("t.id", "ASC");
        if (kind === "meter") whereOrganizations(qb, "t.organizationId", listOrganizations(ctx));
        whereStatus(qb, "t", query.str("status", { values: SYNC_STATUSES }), stand);
        return pagedAt(qb, query, kind, stand);
      },
    }),
  ),
  {
    method: "GET",
    path: "/api/houses/{id}/accounts",
    access: "accountant",
    tag: "Дома",
    paged: true,
    summary: "Вкладка карточки дома: лицевые счета",
    query: { ...PAGED_QUERY, ...STAND_QUERY, status: { type: "string", enum: SYNC_STATUSES, description: "Статус выгрузки" } },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const stand = requestStand(ctx);
      const h = await houseOrFail(ctx, params.id);
      const qb = whereAccountInHouses(ds.getRepository(Account).createQueryBuilder("a").where("1 = 1"), "a", "houseIds")
        .setParameter("houseIds", [h.id])
        .orderBy("a.number", "ASC");
      whereOrganizations(qb, "a.organizationId", listOrganizations(ctx));
      whereStatus(qb, "a", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "account", stand);
    },
  },
  {
    method: "GET",
    path: "/api/houses/{id}/contracts",
    access: "accountant",
    tag: "Дома",
    paged: true,
    summary: "Вкладка карточки дома: история договоров (объекты управления/поставки)",
    query: { ...PAGED_QUERY, ...STAND_QUERY },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const h = await houseOrFail(ctx, params.id);
      const qb = ds
        .getRepository(ContractObject)
        .createQueryBuilder("co")
        .leftJoinAndMapOne("co.contract", Contract, "c", "c.id = co.contractId")
        .where("co.houseId = :id", { id: h.id })
        .orderBy("co.startDate", "DESC")
        .addOrderBy("co.id", "DESC");
      whereOrganizations(qb, "c.organizationId", listOrganizations(ctx));
      const stand = requestStand(ctx);
      return pagedAt(qb, query, "contract_object", stand, async (rows) => {
        const contracts = rows.map((r) => (r as ContractObject & { contract?: Contract }).contract).filter((c): c is Contract => !!c);
        await hydrate(ds, "contract", contracts, stand);
        return rows;
      });
    },
  },
  {
    method: "GET",
    path: "/api/houses/{id}/errors",
    access: "accountant",
    tag: "Дома",
    paged: true,
    summary: "Ошибки за статусом: объекты дома указанного вида с ошибкой выгрузки, с кодом и текстом ГИС",
    query: {
      ...PAGED_QUERY,
      ...STAND_QUERY,
      kind: { type: "string", required: true, enum: ROLLUP_KINDS, description: "Столбец статуса: house, entrance, premise, room, account, meter" },
    },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const stand = requestStand(ctx);
      const h = await houseOrFail(ctx, params.id);
      const orgs = listOrganizations(ctx);
      const kind = query.str("kind", { values: ROLLUP_KINDS });
      if (!kind) throw badRequest("Параметр kind: обязательный (house, entrance, premise, room, account, meter)");
      const bad: SyncStatus[] = ["error", "ok_nested_errors"];
      const map = (t: { id: number; sync: House["sync"] } & Record<string, unknown>) => ({
        objectType: kind,
        objectId: t.id,
        name: String(t.address ?? t.number ?? t.factoryNumber ?? t.id),
        status: t.sync.status,
        errorCode: t.sync.errorCode,
        errorText: t.sync.errorText,
        lastOperationId: t.sync.lastOperationId,
      });
      if (kind === "house") {
        const items = bad.includes(h.sync.status) ? [map(h as never)] : [];
        return { items, limit: 1, offset: 0, hasMore: false };
      }
      if (kind === "account") {
        const qb = whereAccountInHouses(ds.getRepository(Account).createQueryBuilder("a").where("1 = 1"), "a", "houseIds")
          .setParameter("houseIds", [h.id])
          .orderBy("a.id", "ASC");
        whereStatus(qb, "a", bad, stand);
        whereOrganizations(qb, "a.organizationId", orgs);
        return pagedAt(qb, query, "account", stand, (rows) => rows.map((r) => map(r as never)));
      }
      const qb = ds
        .getRepository(HOUSE_CHILD[kind as keyof typeof HOUSE_CHILD] as typeof Entrance)
        .createQueryBuilder("t")
        .where("t.houseId = :id", { id: h.id })
        .orderBy("t.id", "ASC");
      whereStatus(qb, "t", bad, stand);
      if (kind === "meter") whereOrganizations(qb, "t.organizationId", orgs);
      return pagedAt(qb, query, kind as keyof typeof HOUSE_CHILD, stand, (rows) => rows.map((r) => map(r as never)));
    },
  },
  {
    method: "GET",
    path: "/api/houses/{id}/history",
    access: "accountant",
    tag: "Дома",
    paged: true,
    summary: "Вкладка карточки дома: история изменения полей",
    query: { ...PAGED_QUERY },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const h = await houseOrFail(ctx, params.id);
      return paged(
        ds
          .getRepository(FieldHistory)
          .createQueryBuilder("f")
          .where("f.entityType = 'house' AND f.entityId = :id", { id: h.id })
          .orderBy("f.changedAt", "DESC")
          .addOrderBy("f.id", "DESC"),
        query,
      );
    },
  },
];

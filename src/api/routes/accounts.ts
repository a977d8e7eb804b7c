/** Лицевые счета, приборы учёта and every object's attempts and field history. */
import { DataSource } from "typeorm";
import {
  Account,
  AccountAccommodation,
  FieldHistory,
  GisOperation,
  GisOperationItem,
  House,
  MessageLog,
  Meter,
  MeterAccount,
  MeterReading,
  Organization,
  Payment,
  PaymentDocument,
  Premise,
  Room,
  SYNC_STATUSES,
} from "../../../entities";
import { audit } from "../audit";
import { badRequest, notFound } from "../http";
import { canSeePersonalData, holdsPersonalData } from "../personal-data";
import { assertObjectVisible, assertOrganizationVisible, listOrganizations, whereOrganizations } from "../org-scope";
import { PAGED_QUERY, paged, pagedRaw } from "../paging";
import { Ctx, Route } from "../router";
import { STAND_QUERY, pagedAt, requestStand, whereStatus } from "../stand";
import { whereRecordsOfOrganizations } from "../org-records";
import { AtStand, idsByIdentity, oneAt } from "../../storage/identity/store";
import { escapeLike, idParam, like, whereAccountInHouses } from "./houses";

/** Object types an attempt or a history row can be about (gis_operation_item.objectType, field_history.entityType). */
export const OBJECT_TYPES = [
  "organization",
  "service",
  "contract",
  "house",
  "entrance",
  "premise",
  "room",
  "account",
  "meter",
  "meter_reading",
  "payment_document",
  "payment",
  "acknowledgment",
  "nsi_registry",
] as const;

/** The account as the request's stand sees it, if it exists and belongs to one of the user's organizations (else 404 either way). */
async function accountOrFail(ctx: Ctx, id: string): Promise<AtStand<"account">> {
  const a = await oneAt(ctx.ds, "account", idParam(id, "Лицевой счёт"), requestStand(ctx));
  if (!a) throw notFound(`Лицевой счёт ${id}`);
  assertOrganizationVisible(ctx, a.organizationId, `Лицевой счёт ${id}`);
  return a;
}

async function meterOrFail(ctx: Ctx, id: string): Promise<AtStand<"meter">> {
  const m = await oneAt(ctx.ds, "meter", idParam(id, "Прибор учёта"), requestStand(ctx));
  if (!m) throw notFound(`Прибор учёта ${id}`);
  assertOrganizationVisible(ctx, m.organizationId, `Прибор учёта ${id}`);
  return m;
}

/** Where an account lives, in words: "ул. Садовая, д. 10, кв. 5, комн. 2". */
async function accountAddress(ds: DataSource, accountId: number): Promise<{ houseId: number | null; address: string | null }> {
  const x = await ds.getRepository(AccountAccommodation).findOne({ where: { accountId }, order: { id: "ASC" } });
  if (!x) return { houseId: null, address: null };
  const room = x.roomId ? await ds.getRepository(Room).findOneBy({ id: x.roomId }) : null;
  const premise = (x.premiseId ?? room?.premiseId) ? await ds.getRepository(Premise).findOneBy({ id: (x.premiseId ?? room?.premiseId)! }) : null;
  const houseId = x.houseId ?? premise?.houseId ?? room?.houseId ?? null;
  const house = houseId ? await ds.getRepository(House).findOneBy({ id: houseId }) : null;
  const parts = [house?.address, premise ? `кв. ${premise.number}` : null, room ? `комн. ${room.number}` : null].filter(Boolean);
  return { houseId, address: parts.length ? parts.join(", ") : null };
}

/** A read of SNILS / identity documents by a role allowed to see them leaves an audit row. */
async function auditPersonalRead(ctx: Ctx, target: string, answer: unknown): Promise<void> {
  if (canSeePersonalData(ctx.user) && holdsPersonalData(answer)) await audit(ctx.ds, ctx.actor, "personal-data.read", target, { ip: ctx.ip });
}

const statusQuery = { ...STAND_QUERY, status: { type: "string", enum: SYNC_STATUSES, description: "Статус выгрузки" } } as const;

export const accountRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/accounts",
    access: "accountant",
    tag: "Лицевые счета",
    paged: true,
    summary: "Лицевые счета: поиск по номеру или ЕЛС, фильтры по дому, организации и статусу",
    query: {
      ...PAGED_QUERY,
      ...statusQuery,
      q: { type: "string", description: "Номер лицевого счёта или ЕЛС (точно)" },
      houseId: { type: "integer", description: "Дом" },
      organizationId: { type: "integer", description: "Организация" },
    },
    handler: async (ctx) => {
      const { ds, query } = ctx;
      const stand = requestStand(ctx);
      const qb = ds.getRepository(Account).createQueryBuilder("a").where("1 = 1").orderBy("a.id", "ASC");
      whereOrganizations(qb, "a.organizationId", listOrganizations(ctx));
      const q = query.str("q", { max: 30 });
      const orgId = query.int("organizationId", { min: 1 });
      if (q) {
        const orgIds = orgId ? [orgId] : (await ds.getRepository(Organization).find({ select: { id: true } })).map((o) => o.id);
        // ЕЛС is the stand's: the accounts it names there, by the store's index.
        const unified = (await idsByIdentity(ds, "account", "unifiedNumber", [q.toUpperCase()], stand)).get(q.toUpperCase()) ?? [];
        const byUnified = unified.length ? "a.id IN (:...unified)" : "1 = 0";
        qb.andWhere(orgIds.length ? `(${byUnified} OR (a.organizationId IN (:...orgIds) AND a.number = :q))` : byUnified, { unified, q, orgIds });
      }
      if (orgId) qb.andWhere("a.organizationId = :orgId", { orgId });
      whereStatus(qb, "a", query.str("status", { values: SYNC_STATUSES }), stand);
      const houseId = query.int("houseId", { min: 1 });
      if (houseId) whereAccountInHouses(qb, "a", "houseIds").setParameter("houseIds", [houseId]);
      return pagedAt(qb, query, "account", stand);
    },
  },
  {
    method: "GET",
    path: "/api/accounts/{id}",
    access: "accountant",
    tag: "Лицевые счета",
    personalData: true,
    summary: "Карточка лицевого счёта; СНИЛС и документ плательщика — только оператору и администратору (чтение записывается в журнал аудита)",
    query: { ...STAND_QUERY },
    handler: async (ctx) => {
      const a = await accountOrFail(ctx, ctx.params.id);
      const answer = { ...a, ...(await accountAddress(ctx.ds, a.id)) };
      await auditPersonalRead(ctx, `account:${a.id}`, answer);
      return answer;
    },
  },
  {
    method: "GET",
    path: "/api/accounts/{id}/meters",
    access: "accountant",
    tag: "Лицевые счета",
    paged: true,
    summary: "Карточка ЛС: приборы учёта",
    query: { ...PAGED_QUERY, ...STAND_QUERY },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const a = await accountOrFail(ctx, params.id);
      const sub = ds.getRepository(MeterAccount).createQueryBuilder("ma").select("ma.meterId").where("ma.accountId = :aid");
      const qb = ds.getRepository(Meter).createQueryBuilder("m").where(`m.id IN (${sub.getQuery()})`, { aid: a.id }).orderBy("m.id", "ASC");
      return pagedAt(qb, query, "meter", requestStand(ctx));
    },
  },
  {
    method: "GET",
    path: "/api/accounts/{id}/readings",
    access: "accountant",
    tag: "Лицевые счета",
    paged: true,
    summary: "Карточка ЛС: показания приборов учёта",
    query: { ...PAGED_QUERY, ...statusQuery },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const a = await accountOrFail(ctx, params.id);
      const meterIds = (await ds.getRepository(MeterAccount).find({ where: { accountId: a.id }, select: { meterId: true } })).map((m) => m.meterId);
      if (!meterIds.length) return { items: [], limit: 0, offset: 0, hasMore: false };
      const qb = ds
        .getRepository(MeterReading)
        .createQueryBuilder("r")
        .where("r.meterId IN (:...meterIds)", { meterIds })
        .orderBy("r.readingDate", "DESC")
        .addOrderBy("r.id", "DESC");
      const stand = requestStand(ctx);
      whereStatus(qb, "r", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "meter_reading", stand);
    },
  },
  {
    method: "GET",
    path: "/api/accounts/{id}/payment-documents",
    access: "accountant",
    tag: "Лицевые счета",
    paged: true,
    summary: "Карточка ЛС: платёжные документы (квитанции)",
    query: { ...PAGED_QUERY, ...statusQuery },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const a = await accountOrFail(ctx, params.id);
      const qb = ds
        .getRepository(PaymentDocument)
        .createQueryBuilder("d")
        .where("d.accountId = :id", { id: a.id })
        .orderBy("d.periodYear", "DESC")
        .addOrderBy("d.periodMonth", "DESC")
        .addOrderBy("d.id", "DESC");
      const stand = requestStand(ctx);
      whereStatus(qb, "d", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "payment_document", stand);
    },
  },
  {
    method: "GET",
    path: "/api/accounts/{id}/payments",
    access: "accountant",
    tag: "Лицевые счета",
    paged: true,
    summary: "Карточка ЛС: платежи",
    query: { ...PAGED_QUERY, ...statusQuery },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const a = await accountOrFail(ctx, params.id);
      const qb = ds
        .getRepository(Payment)
        .createQueryBuilder("p")
        .where("p.accountId = :id", { id: a.id })
        .orderBy("p.orderDate", "DESC")
        .addOrderBy("p.id", "DESC");
      const stand = requestStand(ctx);
      whereStatus(qb, "p", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "payment", stand);
    },
  },
  {
    method: "GET",
    path: "/api/meters",
    access: "accountant",
    tag: "Приборы учёта",
    paged: true,
    summary: "Приборы учёта: поиск по заводскому номеру, фильтры по дому и статусу",
    query: { ...PAGED_QUERY, ...statusQuery, q: { type: "string", description: "Заводской номер (начало)" }, houseId: { type: "integer", description: "Дом" } },
    handler: async (ctx) => {
      const { ds, query } = ctx;
      const qb = ds.getRepository(Meter).createQueryBuilder("m").where("1 = 1").orderBy("m.id", "ASC");
      whereOrganizations(qb, "m.organizationId", listOrganizations(ctx));
      const q = query.str("q", { max: 50 });
      if (q) qb.andWhere(`m.factoryNumber ${like(ds)} :q ESCAPE '\\'`, { q: `${escapeLike(q)}%` });
      const houseId = query.int("houseId", { min: 1 });
      if (houseId) qb.andWhere("m.houseId = :houseId", { houseId });
      const stand = requestStand(ctx);
      whereStatus(qb, "m", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "meter", stand);
    },
  },
  {
    method: "GET",
    path: "/api/meters/{id}",
    access: "accountant",
    tag: "Приборы учёта",
    summary: "Карточка прибора учёта",
    query: { ...STAND_QUERY },
    handler: (ctx) => meterOrFail(ctx, ctx.params.id),
  },
  {
    method: "GET",
    path: "/api/meters/{id}/readings",
    access: "accountant",
    tag: "Приборы учёта",
    paged: true,
    summary: "Показания прибора учёта",
    query: { ...PAGED_QUERY, ...statusQuery },
    handler: async (ctx) => {
      const { ds, query } = ctx;
      const m = await meterOrFail(ctx, ctx.params.id);
      const qb = ds
        .getRepository(MeterReading)
        .createQueryBuilder("r")
        .where("r.meterId = :id", { id: m.id })
        .orderBy("r.readingDate", "DESC")
        .addOrderBy("r.id", "DESC");
      const stand = requestStand(ctx);
      whereStatus(qb, "r", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "meter_reading", stand);
    },
  },
  {
    method: "GET",
    path: "/api/objects/{type}/{id}/attempts",
    access: "accountant",
    tag: "Объекты",
    paged: true,
    summary: "Попытки отправить объект на стенд: операция, время, итог, код и текст ГИС (и отказы предварительной проверки)",
    query: { ...PAGED_QUERY, ...STAND_QUERY },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      if (!(OBJECT_TYPES as readonly string[]).includes(params.type)) throw badRequest(`Вид объекта «${params.type}» неизвестен: ${OBJECT_TYPES.join(", ")}`);
      const id = idParam(params.id, "Объект");
      await assertObjectVisible(ctx, params.type, id);
      const stand = requestStand(ctx);
      const qb = ds
        .getRepository(GisOperationItem)
        .createQueryBuilder("i")
        .innerJoin(GisOperation, "o", "o.id = i.operationId")
        .select([
          "i.id AS itemId",
          "i.operationId AS operationId",
          "i.outcome AS outcome",
          "i.errorCode AS errorCode",
          "i.errorText AS errorText",
          "i.gisGuid AS gisGuid",
        ])
        .addSelect([
          "o.method AS method",
          "o.stage AS stage",
          "o.state AS state",
          "o.stand AS stand",
          "o.createdAt AS createdAt",
          "o.sentAt AS sentAt",
          "o.finishedAt AS finishedAt",
          "o.author AS author",
        ])
        .where("i.objectType = :t AND i.objectId = :id AND o.stand = :stand", { t: params.type, id, stand })
        .orderBy("o.createdAt", "DESC")
        .addOrderBy("i.id", "DESC");
      const page = await pagedRaw(qb, query, (r) => ({
        operationId: r.operationid ?? r.operationId,
        method: r.method,
        stage: r.stage,
        state: r.state,
        stand: r.stand,
        createdAt: r.createdat ?? r.createdAt,
        sentAt: r.sentat ?? r.sentAt,
        finishedAt: r.finishedat ?? r.finishedAt,
        author: r.author,
        outcome: r.outcome,
        errorCode: r.errorcode ?? r.errorCode,
        errorText: r.errortext ?? r.errorText,
        gisGuid: r.gisguid ?? r.gisGuid,
      }));
      // Pre-flight rejections never reached GIS: they are in the message log, not in an operation.
      const rejections =
        page.offset === 0
          ? await whereRecordsOfOrganizations(ds.getRepository(MessageLog).createQueryBuilder("m"), "m", null, [stand])
              .andWhere("m.objectType = :t AND m.objectId = :id AND m.level = 'error'", { t: params.type, id })
              .orderBy("m.createdAt", "DESC")
              .take(20)
              .getMany()
          : [];
      return {
        ...page,
        rejections: rejections.map((m) => ({ createdAt: m.createdAt, code: m.code, text: m.text, runId: m.runId, operationId: m.operationId })),
      };
    },
  },
  {
    method: "GET",
    path: "/api/objects/{type}/{id}/history",
    access: "accountant",
    tag: "Объекты",
    paged: true,
    personalData: true,
    summary: "История изменения полей объекта (прежние СНИЛС и документы плательщика — только оператору и администратору, с записью в журнал аудита)",
    query: { ...PAGED_QUERY },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      if (!(OBJECT_TYPES as readonly string[]).includes(params.type)) throw badRequest(`Вид объекта «${params.type}» неизвестен: ${OBJECT_TYPES.join(", ")}`);
      const id = idParam(params.id, "Объект");
      await assertObjectVisible(ctx, params.type, id);
      const page = await paged(
        ds
          .getRepository(FieldHistory)
          .createQueryBuilder("f")
          .where("f.entityType = :t AND f.entityId = :id", { t: params.type, id })
          .orderBy("f.changedAt", "DESC")
          .addOrderBy("f.id", "DESC"),
        query,
      );
      await auditPersonalRead(ctx, `${params.type}:${id}:history`, page.items);
      return page;
    },
  },
];

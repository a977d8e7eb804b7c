/** Договоры, Организации, Справочник услуг, Справочники ГИС. */
import { In } from "typeorm";
import { AuditLog, Contract, ContractObject, ContractObjectService, House, NsiItem, Organization, Service, SYNC_STATUSES } from "../../../entities";
import { CONTRACT_KINDS } from "../../../entities/contract";
import { audit } from "../audit";
import { badRequest, notFound } from "../http";
import { assertOrganizationVisible, listOrganizations, whereOrganizations } from "../org-scope";
import { PAGED_QUERY, paged } from "../paging";
import { Ctx, Route } from "../router";
import { STAND_QUERY, pagedAt, requestStand, whereStatus } from "../stand";
import { AtStand, hydrate, identityExpr, oneAt } from "../../storage/identity/store";
import { escapeLike, idParam, like } from "./houses";

const statusQuery = { ...STAND_QUERY, status: { type: "string", enum: SYNC_STATUSES, description: "Статус выгрузки" } } as const;

/** The contract as the request's stand sees it (404 when not the user's). */
async function contractOrFail(ctx: Ctx, id: string): Promise<AtStand<"contract">> {
  const c = await oneAt(ctx.ds, "contract", idParam(id, "Договор"), requestStand(ctx));
  if (!c) throw notFound(`Договор ${id}`);
  assertOrganizationVisible(ctx, c.organizationId, `Договор ${id}`);
  return c;
}

interface NsiMapping {
  nsiRegistry: number | null;
  nsiCode: string | null;
  nsiGuid: string | null;
}

const mappingOf = (s: Service): NsiMapping => ({ nsiRegistry: s.nsiRegistry, nsiCode: s.nsiCode, nsiGuid: s.nsiGuid });
const MAP_ACTIONS = ["service.map", "service.map.restore"];

async function serviceOrFail(ctx: Ctx): Promise<AtStand<"service">> {
  const s = await oneAt(ctx.ds, "service", idParam(ctx.params.id, "Услуга"), requestStand(ctx));
  if (!s) throw notFound(`Услуга ${ctx.params.id}`);
  assertOrganizationVisible(ctx, s.organizationId, `Услуга ${ctx.params.id}`);
  return s;
}

/** Write a mapping and its audit row; the row keeps the whole mapping before and after, so any change can be undone. */
async function applyMapping(ctx: Ctx, s: Service, to: NsiMapping, action: string, extra: Record<string, unknown> = {}) {
  await ctx.ds.getRepository(Service).update({ id: s.id }, to);
  await audit(ctx.ds, ctx.actor, action, `service:${s.id}`, { from: mappingOf(s), to, ...extra });
  return (await oneAt(ctx.ds, "service", s.id, requestStand(ctx)))!;
}

/**
 * Back to an earlier mapping: the one before a given change (auditId), else before the latest
 * change. The earlier mapping is restored as it was — a private NSI item GIS gave the organization
 * need not be in our copy of the common directories.
 */
async function restoreMapping(ctx: Ctx) {
  const s = await serviceOrFail(ctx);
  const auditId = ctx.json(`Услуга «${s.name}»`).int("auditId", { min: 1 });
  const qb = ctx.ds
    .getRepository(AuditLog)
    .createQueryBuilder("a")
    .where({ target: `service:${s.id}`, action: In(MAP_ACTIONS) })
    .orderBy("a.id", "DESC");
  if (auditId) qb.andWhere("a.id = :auditId", { auditId });
  const row = await qb.getOne();
  if (!row)
    throw badRequest(
      auditId
        ? `Услуга «${s.name}», поле auditId: запись журнала ${auditId} — не изменение соответствия этой услуги`
        : `Услуга «${s.name}»: соответствие НСИ не менялось, восстанавливать нечего`,
    );
  const from = (JSON.parse(row.details ?? "{}") as { from?: Partial<NsiMapping> }).from ?? {};
  const to: NsiMapping = { nsiRegistry: from.nsiRegistry ?? null, nsiCode: from.nsiCode ?? null, nsiGuid: from.nsiGuid ?? null };
  // Rows written before the whole mapping was kept name the item only: its GUID from the directory.
  if (!("nsiGuid" in from) && to.nsiRegistry && to.nsiCode)
    to.nsiGuid = (await ctx.ds.getRepository(NsiItem).findOneBy({ registryNumber: to.nsiRegistry, code: to.nsiCode }))?.guid ?? null;
  return applyMapping(ctx, s, to, "service.map.restore", { auditId: row.id });
}

export const referenceRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/contracts",
    access: "accountant",
    tag: "Договоры",
    paged: true,
    summary: "Договоры управления, ресурсоснабжения и уставы",
    query: {
      ...PAGED_QUERY,
      ...statusQuery,
      kind: { type: "string", enum: CONTRACT_KINDS, description: "Вид: management, supply, charter" },
      organizationId: { type: "integer", description: "Организация" },
      q: { type: "string", description: "Номер договора (часть)" },
    },
    handler: async (ctx) => {
      const { ds, query } = ctx;
      const qb = ds.getRepository(Contract).createQueryBuilder("c").orderBy("c.id", "ASC");
      whereOrganizations(qb, "c.organizationId", listOrganizations(ctx));
      const kind = query.str("kind", { values: CONTRACT_KINDS });
      if (kind) qb.andWhere("c.kind = :kind", { kind });
      const org = query.int("organizationId", { min: 1 });
      if (org) qb.andWhere("c.organizationId = :org", { org });
      const stand = requestStand(ctx);
      whereStatus(qb, "c", query.str("status", { values: SYNC_STATUSES }), stand);
      const q = query.str("q", { max: 100 });
      if (q) qb.andWhere(`c.number ${like(ds)} :q ESCAPE '\\'`, { q: `%${escapeLike(q)}%` });
      return pagedAt(qb, query, "contract", stand);
    },
  },
  {
    method: "GET",
    path: "/api/contracts/{id}",
    access: "accountant",
    tag: "Договоры",
    summary: "Карточка договора",
    query: { ...STAND_QUERY },
    handler: async (ctx) => {
      const { ds, params } = ctx;
      const c = await contractOrFail(ctx, params.id);
      const objects = await ds.getRepository(ContractObject).count({ where: { contractId: c.id } });
      return { ...c, objectCount: objects };
    },
  },
  {
    method: "GET",
    path: "/api/contracts/{id}/objects",
    access: "accountant",
    tag: "Договоры",
    paged: true,
    summary: "Объекты договора (дома, помещения) с их услугами",
    query: { ...PAGED_QUERY, ...STAND_QUERY },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const c = await contractOrFail(ctx, params.id);
      const qb = ds
        .getRepository(ContractObject)
        .createQueryBuilder("co")
        .leftJoinAndMapOne("co.house", House, "h", "h.id = co.houseId")
        .where("co.contractId = :id", { id: c.id })
        .orderBy("co.id", "ASC");
      const stand = requestStand(ctx);
      return pagedAt(qb, query, "contract_object", stand, async (rows) => {
        const houses = rows.map((r) => (r as ContractObject & { house?: House }).house).filter((h): h is House => !!h);
        await hydrate(ds, "house", houses, stand);
        const ids = rows.map((r) => r.id);
        const services = ids.length
          ? await ds
              .getRepository(ContractObjectService)
              .createQueryBuilder("s")
              .leftJoinAndMapOne("s.service", Service, "sv", "sv.id = s.serviceId")
              .where("s.contractObjectId IN (:...ids)", { ids })
              .getMany()
          : [];
        return rows.map((r) => ({ ...r, services: services.filter((s) => s.contractObjectId === r.id) }));
      });
    },
  },
  {
    method: "GET",
    path: "/api/organizations",
    access: "accountant",
    tag: "Организации",
    paged: true,
    summary: "Справочник организаций",
    query: {
      ...PAGED_QUERY,
      ...statusQuery,
      q: { type: "string", description: "Название, ИНН или ОГРН (часть)" },
      ours: { type: "boolean", description: "Только наши" },
    },
    handler: async (ctx) => {
      const { ds, query } = ctx;
      const qb = ds.getRepository(Organization).createQueryBuilder("o").orderBy("o.fullName", "ASC").addOrderBy("o.id", "ASC");
      whereOrganizations(qb, "o.id", listOrganizations(ctx));
      const q = query.str("q", { max: 200 });
      if (q)
        qb.andWhere(`(o.fullName ${like(ds)} :q ESCAPE '\\' OR o.shortName ${like(ds)} :q ESCAPE '\\' OR o.inn = :exact OR o.ogrn = :exact)`, {
          q: `%${escapeLike(q)}%`,
          exact: q,
        });
      if (query.bool("ours")) qb.andWhere("o.isOurs = :t", { t: true });
      const stand = requestStand(ctx);
      whereStatus(qb, "o", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "organization", stand);
    },
  },
  {
    method: "GET",
    path: "/api/organizations/{id}",
    access: "accountant",
    tag: "Организации",
    summary: "Карточка организации",
    query: { ...STAND_QUERY },
    handler: async (ctx) => {
      const o = await oneAt(ctx.ds, "organization", idParam(ctx.params.id, "Организация"), requestStand(ctx));
      if (!o) throw notFound(`Организация ${ctx.params.id}`);
      assertOrganizationVisible(ctx, o.id, `Организация ${ctx.params.id}`);
      return o;
    },
  },
  {
    method: "GET",
    path: "/api/services",
    access: "accountant",
    tag: "Справочник услуг",
    paged: true,
    summary: "Услуги организации и их соответствие справочникам ГИС (НСИ)",
    query: {
      ...PAGED_QUERY,
      ...statusQuery,
      organizationId: { type: "integer", description: "Организация" },
      unmapped: { type: "boolean", description: "Только без соответствия НСИ" },
    },
    handler: async (ctx) => {
      const { ds, query } = ctx;
      const qb = ds.getRepository(Service).createQueryBuilder("s").orderBy("s.code", "ASC").addOrderBy("s.id", "ASC");
      whereOrganizations(qb, "s.organizationId", listOrganizations(ctx));
      const org = query.int("organizationId", { min: 1 });
      if (org) qb.andWhere("s.organizationId = :org", { org });
      const stand = requestStand(ctx);
      // Without a mapping and without an element of the stand's own dictionary.
      if (query.bool("unmapped")) qb.andWhere(`s.nsiGuid IS NULL AND ${identityExpr(qb, "s", "gisElementGuid", stand)} IS NULL`);
      whereStatus(qb, "s", query.str("status", { values: SYNC_STATUSES }), stand);
      return pagedAt(qb, query, "service", stand);
    },
  },
  {
    method: "PATCH",
    path: "/api/services/{id}",
    access: "accountant",
    tag: "Справочник услуг",
    summary:
      "Сопоставить услугу с элементом справочника ГИС (реестр и код НСИ); null в обоих полях снимает соответствие. Прежнее соответствие восстанавливается: POST /api/services/{id}/nsi/restore",
    body: {
      nsiRegistry: { type: "integer", required: true, description: "Номер справочника НСИ (null — снять соответствие)" },
      nsiCode: { type: "string", required: true, description: "Код элемента (null — снять соответствие)" },
    },
    handler: async (ctx) => {
      const s = await serviceOrFail(ctx);
      const b = ctx.json(`Услуга «${s.name}»`);
      if (b.obj.nsiRegistry === null && b.obj.nsiCode === null) return applyMapping(ctx, s, { nsiRegistry: null, nsiCode: null, nsiGuid: null }, "service.map");
      const nsiRegistry = b.int("nsiRegistry", { required: true, min: 1, max: 100000 })!;
      const nsiCode = b.str("nsiCode", { required: true, max: 20 })!;
      const item = await ctx.ds.getRepository(NsiItem).findOneBy({ registryNumber: nsiRegistry, code: nsiCode });
      if (!item)
        throw badRequest(`Услуга «${s.name}», поле nsiCode: в справочнике НСИ ${nsiRegistry} нет элемента с кодом «${nsiCode}» (обновите справочники ГИС)`);
      return applyMapping(ctx, s, { nsiRegistry, nsiCode, nsiGuid: item.guid }, "service.map");
    },
  },
  {
    method: "POST",
    path: "/api/services/{id}/nsi/restore",
    access: "accountant",
    tag: "Справочник услуг",
    summary: "Вернуть соответствие НСИ, бывшее до последнего изменения (или до изменения auditId из журнала аудита)",
    body: { auditId: { type: "integer", description: "Запись журнала аудита (service.map): вернуть соответствие, бывшее до неё" } },
    handler: restoreMapping,
  },
  {
    method: "GET",
    path: "/api/services/{id}/nsi/history",
    access: "accountant",
    tag: "Справочник услуг",
    summary: "Изменения соответствия НСИ услуги: кто, когда, с какого на какое (для восстановления)",
    handler: async (ctx) => {
      const s = await serviceOrFail(ctx);
      const rows = await ctx.ds
        .getRepository(AuditLog)
        .find({ where: { target: `service:${s.id}`, action: In(MAP_ACTIONS) }, order: { id: "DESC" }, take: 100 });
      return rows.map((r) => ({ auditId: r.id, action: r.action, actor: r.actor, createdAt: r.createdAt, ...(JSON.parse(r.details ?? "{}") as object) }));
    },
  },
  {
    method: "GET",
    path: "/api/nsi",
    access: "accountant",
    tag: "Справочники ГИС",
    summary: "Справочники ГИС (НСИ): номер, группа, число элементов",
    handler: async ({ ds }) => {
      const rows = await ds
        .getRepository(NsiItem)
        .createQueryBuilder("n")
        .select("n.registryNumber", "registry")
        .addSelect("n.listGroup", "listGroup")
        .addSelect("COUNT(*)", "n")
        .addSelect("MAX(n.modifiedAt)", "modifiedAt")
        .groupBy("n.registryNumber")
        .addGroupBy("n.listGroup")
        .orderBy("n.registryNumber", "ASC")
        .getRawMany<{ registry: number; listGroup: string; n: string; modifiedAt: string | null }>();
      return rows.map((r) => ({ registryNumber: Number(r.registry), listGroup: r.listGroup, items: Number(r.n), modifiedAt: r.modifiedAt }));
    },
  },
  {
    method: "GET",
    path: "/api/nsi/{registry}",
    access: "accountant",
    tag: "Справочники ГИС",
    paged: true,
    summary: "Элементы справочника ГИС",
    query: { ...PAGED_QUERY, q: { type: "string", description: "Название (часть) или код" }, actual: { type: "boolean", description: "Только актуальные" } },
    handler: async ({ ds, params, query }) => {
      const registry = idParam(params.registry, "Справочник НСИ");
      const qb = ds
        .getRepository(NsiItem)
        .createQueryBuilder("n")
        .where("n.registryNumber = :registry", { registry })
        .orderBy("n.code", "ASC")
        .addOrderBy("n.id", "ASC");
      const q = query.str("q", { max: 200 });
      if (q) qb.andWhere(`(n.name ${like(ds)} :q ESCAPE '\\' OR n.code = :exact)`, { q: `%${escapeLike(q)}%`, exact: q });
      if (query.bool("actual")) qb.andWhere("n.isActual = :t", { t: true });
      return paged(qb, query);
    },
  },
];

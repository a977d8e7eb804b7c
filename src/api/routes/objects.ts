/**
 * Objects of one kind in one sync status, whatever house they belong to (or none: an account
 * without premises, readings): the list behind each number of the dashboard's «Объекты и их статус
 * в ГИС», so every object in error is reachable from a list. Plain ids and GIS's error; the
 * object's own card, where it has one, is linked by the UI.
 */
import { DataSource } from "typeorm";
import { SYNC_STATUSES } from "../../../entities";
import { SYNCED_KINDS } from "../../status/database-summary";
import { Query, badRequest } from "../http";
import { PAGED_QUERY, pagedRaw } from "../paging";
import { Route } from "../router";
import { STAND_QUERY, requestStand, whereStatus } from "../stand";
import { joinIdentity, statusExpr } from "../../storage/identity/store";
import { whereOfStand } from "../../storage/identity/origin";

const KIND_TABLES = SYNCED_KINDS.map((k) => k.table);
// What names an object to a person, first that the table has.
const TITLE_COLUMNS = ["number", "address", "factoryNumber", "shortName", "fullName", "name", "externalId"];

async function listObjects(ds: DataSource, query: Query, stand: string) {
  const table = query.str("kind", { values: KIND_TABLES });
  if (!table) throw badRequest("Объекты, параметр kind: обязателен");
  const meta = ds.entityMetadatas.find((m) => m.tableName === table)!;
  const has = (name: string) => meta.columns.find((c) => c.databaseName === name);
  const title = TITLE_COLUMNS.find((c) => has(c));
  const qb = ds.getRepository(table).createQueryBuilder("t").select("t.id", "id");
  const gi = joinIdentity(qb, "t", stand);
  qb.addSelect(statusExpr(qb, "t", stand), "status");
  qb.addSelect(`${gi}.errorCode`, "errorCode").addSelect(`${gi}.errorText`, "errorText").addSelect(`${gi}.syncedAt`, "syncedAt");
  if (title) qb.addSelect(`t.${title}`, "title");
  for (const c of ["externalId", "organizationId", "houseId"]) if (has(c)) qb.addSelect(`t.${c}`, c);
  const status = query.str("status", { values: SYNC_STATUSES });
  whereStatus(qb, "t", status, stand);
  whereOfStand(qb, "t", stand);
  const org = query.int("organizationId", { min: 1 });
  if (org !== undefined) {
    if (!has("organizationId")) throw badRequest(`Объекты, параметр organizationId: у объектов «${table}» нет организации`);
    qb.andWhere("t.organizationId = :org", { org });
  }
  const code = query.str("errorCode", { max: 20 });
  if (code) qb.andWhere(`${gi}.errorCode = :code`, { code });
  qb.orderBy("t.id", "ASC");
  return pagedRaw(qb, query, (r) => ({
    kind: table,
    id: Number(r.id),
    title: r.title ?? null,
    externalId: r.externalId ?? null,
    organizationId: r.organizationId === undefined || r.organizationId === null ? null : Number(r.organizationId),
    houseId: r.houseId === undefined || r.houseId === null ? null : Number(r.houseId),
    status: r.status,
    errorCode: r.errorCode ?? null,
    errorText: r.errorText ?? null,
    syncedAt: r.syncedAt ?? null,
  }));
}

export const objectRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/objects",
    access: "accountant",
    tag: "Сводка",
    paged: true,
    summary: "Объекты одного вида по статусу выгрузки (список за числом Сводки), с ошибкой ГИС; в том числе без дома",
    query: {
      ...PAGED_QUERY,
      ...STAND_QUERY,
      kind: { type: "string", enum: KIND_TABLES, required: true, description: "Вид объектов (таблица)" },
      status: { type: "string", enum: SYNC_STATUSES, description: "Статус выгрузки" },
      organizationId: { type: "integer", description: "Организация" },
      errorCode: { type: "string", description: "Код ошибки ГИС" },
    },
    handler: (ctx) => listObjects(ctx.ds, ctx.query, requestStand(ctx)),
  },
];

/**
 * Обмен с ГИС: the queue and the archive of operations, an operation's card (messages, items),
 * the XML itself, zip downloads (audited: the archive holds personal data), retry and cancel;
 * and the message log.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { In, Not } from "typeorm";
import { ArchiveEntry, GisOperation, GisOperationItem, MessageLog } from "../../../entities";
import { OPERATION_STATES, STANDS, Stand } from "../../../entities/gis-operation";
import { exportArchive } from "../../archive/export";
import { FINAL_STATES, RECONCILE_TRIGGER, transition } from "../../exchange/operation-store";
import { audit } from "../audit";
import { zipFiles } from "../zip";
import { badRequest, conflict, notFound, raw } from "../http";
import { whereRecordsOfOrganizations } from "../org-records";
import { assertOrganizationVisible, listOrganizations, userOrganizations, userStands, whereOrganizations, whereStands } from "../org-scope";
import { PAGED_QUERY, paged } from "../paging";
import { Ctx, ParamSpec, Route } from "../router";
import { escapeLike, like } from "./houses";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ZIP_OPERATIONS = 500;

const guidParam = (v: string, what: string) => {
  if (!GUID.test(v)) throw badRequest(`${what}: ожидается ГУИД, получено «${v}»`);
  return v;
};

/** The operation, if it exists and is of the user's organizations and stands (else 404 either way). */
async function operationOrFail(ctx: Pick<Ctx, "ds" | "user">, id: string): Promise<GisOperation> {
  const op = await ctx.ds.getRepository(GisOperation).findOneBy({ id: guidParam(id, "Операция") });
  if (!op) throw notFound(`Операция ${id}`);
  assertOrganizationVisible(ctx, op.organizationId, `Операция ${id}`);
  const stands = userStands(ctx);
  if (stands && !stands.includes(op.stand as Stand)) throw notFound(`Операция ${id}`);
  return op;
}

const OPERATION_FILTERS: Record<string, ParamSpec> = {
  view: { type: "string", enum: ["queue", "archive"], description: "queue — операции в работе, archive — завершённые" },
  state: { type: "string", enum: OPERATION_STATES, description: "Состояние" },
  service: { type: "string", description: "Сервис ГИС (house-management, device-metering…)" },
  method: { type: "string", description: "Метод (importAccountData…)" },
  stage: { type: "string", description: "Этап" },
  author: { type: "string", description: "Автор" },
  organizationId: { type: "integer", description: "Организация" },
  stand: { type: "string", enum: STANDS, description: "Стенд" },
  runId: { type: "string", description: "Запуск" },
  from: { type: "string", description: "Создана не раньше (ГГГГ-ММ-ДД или ISO 8601)" },
  to: { type: "string", description: "Создана не позже" },
};

function listOperations(ctx: Ctx) {
  const { ds, query } = ctx;
  const qb = ds.getRepository(GisOperation).createQueryBuilder("o").orderBy("o.createdAt", "DESC").addOrderBy("o.id", "ASC");
  whereOrganizations(qb, "o.organizationId", listOrganizations(ctx));
  whereStands(qb, "o.stand", userStands(ctx));
  const view = query.str("view", { values: ["queue", "archive"] });
  if (view === "queue") qb.andWhere({ state: Not(In(FINAL_STATES)) });
  if (view === "archive") qb.andWhere({ state: In(FINAL_STATES) });
  const eq = (name: string, col: string, value: string | number | undefined) => value !== undefined && qb.andWhere(`o.${col} = :${name}`, { [name]: value });
  eq("state", "state", query.str("state", { values: OPERATION_STATES }));
  eq("service", "service", query.str("service", { max: 60 }));
  eq("method", "method", query.str("method", { max: 80 }));
  eq("stage", "stage", query.str("stage", { max: 20 }));
  eq("author", "author", query.str("author", { max: 100 }));
  eq("organizationId", "organizationId", query.int("organizationId", { min: 1 }));
  eq("stand", "stand", query.str("stand", { values: STANDS }));
  const runId = query.str("runId", { max: 36 });
  if (runId) eq("runId", "runId", guidParam(runId, "Параметр runId"));
  const from = query.date("from");
  if (from) qb.andWhere("o.createdAt >= :from", { from });
  const to = query.date("to");
  if (to) qb.andWhere("o.createdAt <= :to", { to });
  return paged(qb, query);
}

/** The operations' messages as the files GIS support asks for, zipped (via the archive's own export). */
async function zipOperations(ctx: Ctx, ids: string[]) {
  for (const id of ids) await operationOrFail(ctx, id);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-zip-"));
  try {
    const result = await exportArchive(ctx.ds, dir, { operationIds: ids });
    const zip = await zipFiles(result.files.map((name) => ({ name, data: fs.readFileSync(path.join(dir, name)) })));
    await audit(ctx.ds, ctx.actor, "archive.export", ids.length === 1 ? `operation:${ids[0]}` : `operations:${ids.length}`, {
      operationIds: ids,
      files: result.files.length,
      ip: ctx.ip,
    });
    const name = ids.length === 1 ? `gis-${ids[0]}.zip` : `gis-operations-${new Date().toISOString().slice(0, 10)}.zip`;
    return raw({ "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${name}"` }, zip);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const RETRYABLE = ["failed", "done_with_errors", "cancelled"] as const;

/**
 * A retry sends the objects of the operation that did not succeed again, under a new MessageGUID
 * (back to signed). It is the operator's call: an import that failed with an unknown outcome is not
 * checked in GIS first — its error told them to look there before retrying.
 */
async function retryOperation(ctx: Ctx) {
  const op = await operationOrFail(ctx, ctx.params.id);
  if (!(RETRYABLE as readonly string[]).includes(op.state))
    throw conflict(`Операция ${op.id}: повторить можно завершённую с ошибкой или отменённую, сейчас «${op.state}»`);
  if (op.trigger === RECONCILE_TRIGGER && op.parentId)
    throw conflict(`Операция ${op.id} — проверочная выгрузка операции ${op.parentId}: повторите саму операцию`);
  const moved = await ctx.ds.transaction(async (em) => {
    const res = await em
      .getRepository(GisOperation)
      .createQueryBuilder()
      .update()
      .set({
        state: "signed",
        messageGuid: crypto.randomUUID(),
        attempts: op.attempts + 1,
        gisMessageGuid: null,
        nextPollAt: null,
        appliedAt: null,
        finishedAt: null,
        errorCode: null,
        errorText: null,
      })
      .where({ id: op.id, state: op.state, attempts: op.attempts })
      .execute();
    if ((res.affected ?? 0) !== 1) return false;
    await em
      .getRepository(GisOperationItem)
      .createQueryBuilder()
      .update()
      .set({ outcome: "pending", errorCode: null, errorText: null })
      .where({ operationId: op.id, outcome: Not(In(["ok", "reconciled"])) })
      .execute();
    return true;
  });
  if (!moved) throw conflict(`Операция ${op.id} изменилась, пока её повторяли: обновите карточку`);
  const rt = await ctx.services.runtime(op.stand as Stand);
  await rt.pipeline.schedule(op.id);
  await audit(ctx.ds, ctx.actor, "operation.retry", `operation:${op.id}`, { method: op.method, previousState: op.state });
  return ctx.ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
}

async function cancelOperation(ctx: Ctx) {
  const op = await operationOrFail(ctx, ctx.params.id);
  if (FINAL_STATES.includes(op.state)) throw conflict(`Операция ${op.id} уже завершена (${op.state})`);
  if (!(await transition(ctx.ds, op.id, [op.state], "cancelled", { errorText: `Отменено: ${ctx.actor}` })))
    throw conflict(`Операция ${op.id} изменилась, пока её отменяли: обновите карточку`);
  await audit(ctx.ds, ctx.actor, "operation.cancel", `operation:${op.id}`, { method: op.method, previousState: op.state });
  return ctx.ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
}

export const exchangeRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/operations",
    access: "operator",
    tag: "Обмен с ГИС",
    paged: true,
    summary: "Очередь и архив операций с фильтрами по состоянию, сервису, методу, автору, организации, времени",
    query: { ...PAGED_QUERY, ...OPERATION_FILTERS },
    handler: listOperations,
  },
  {
    method: "GET",
    path: "/api/operations/{id}",
    access: "operator",
    tag: "Обмен с ГИС",
    summary: "Карточка операции: состояние, сообщения архива (без тел), дочерние операции, итоги по объектам",
    handler: async (ctx) => {
      const { ds, params } = ctx;
      const op = await operationOrFail(ctx, params.id);
      const messages = await ds.getRepository(ArchiveEntry).find({
        where: { operationId: op.id },
        order: { seq: "ASC" },
        select: { id: true, seq: true, kind: true, messageGuid: true, httpStatus: true, sizeBytes: true, createdAt: true },
      });
      const children = (await ds.getRepository(GisOperation).find({ where: { parentId: op.id }, order: { createdAt: "ASC" }, take: 100 })).filter(
        (c) => c.organizationId === op.organizationId || userOrganizations(ctx) === null,
      );
      const outcomes = await ds
        .getRepository(GisOperationItem)
        .createQueryBuilder("i")
        .select("i.outcome", "outcome")
        .addSelect("COUNT(*)", "n")
        .where("i.operationId = :id", { id: op.id })
        .groupBy("i.outcome")
        .getRawMany<{ outcome: string; n: string }>();
      return { ...op, messages, children, itemOutcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.n)])) };
    },
  },
  {
    method: "GET",
    path: "/api/operations/{id}/items",
    access: "operator",
    tag: "Обмен с ГИС",
    paged: true,
    summary: "Объекты операции и их результаты (TransportGUID, итог, ГУИД, код и текст ошибки)",
    query: { ...PAGED_QUERY, outcome: { type: "string", enum: ["pending", "ok", "error", "skipped", "reconciled"], description: "Итог" } },
    handler: async (ctx) => {
      const { ds, params, query } = ctx;
      const op = await operationOrFail(ctx, params.id);
      const qb = ds.getRepository(GisOperationItem).createQueryBuilder("i").where("i.operationId = :id", { id: op.id }).orderBy("i.id", "ASC");
      const outcome = query.str("outcome", { values: ["pending", "ok", "error", "skipped", "reconciled"] });
      if (outcome) qb.andWhere("i.outcome = :outcome", { outcome });
      return paged(qb, query);
    },
  },
  {
    method: "GET",
    path: "/api/operations/{id}/messages/{messageId}",
    access: "operator",
    tag: "Обмен с ГИС",
    produces: "application/xml",
    summary: "XML сообщения операции (запрос, подписанный запрос, квитанция, ответ getState, результат)",
    handler: async (ctx) => {
      const { ds, params } = ctx;
      const op = await operationOrFail(ctx, params.id);
      if (!/^\d{1,12}$/.test(params.messageId)) throw badRequest(`Сообщение: идентификатор должен быть целым числом, получено «${params.messageId}»`);
      const e = await ds.getRepository(ArchiveEntry).findOneBy({ id: Number(params.messageId), operationId: op.id });
      if (!e) throw notFound(`Сообщение ${params.messageId} операции ${op.id}`);
      return raw({ "Content-Type": "application/xml; charset=utf-8", "Content-Disposition": `inline; filename="${op.id}-${e.kind}-${e.seq}.xml"` }, e.body);
    },
  },
  {
    method: "GET",
    path: "/api/operations/{id}/zip",
    access: "operator",
    tag: "Обмен с ГИС",
    produces: "application/zip",
    summary: "XML-файлы операции одним архивом zip (для техподдержки ГИС); выгрузка записывается в журнал аудита",
    handler: async (ctx) => zipOperations(ctx, [(await operationOrFail(ctx, ctx.params.id)).id]),
  },
  {
    method: "POST",
    path: "/api/operations/export",
    access: "operator",
    tag: "Обмен с ГИС",
    produces: "application/zip",
    summary: `XML-файлы выбранных операций (до ${MAX_ZIP_OPERATIONS}) одним архивом zip; выгрузка записывается в журнал аудита`,
    body: { ids: { type: "array", items: "string", required: true, description: "Идентификаторы операций" } },
    handler: async (ctx) => {
      const ids = ctx.json("Выгрузка операций").strList("ids", { required: true, max: MAX_ZIP_OPERATIONS })!;
      if (!ids.length) throw badRequest("Выгрузка операций, поле ids: выберите хотя бы одну операцию");
      ids.forEach((id) => guidParam(id, "Выгрузка операций, поле ids"));
      return zipOperations(ctx, ids);
    },
  },
  {
    method: "POST",
    path: "/api/operations/{id}/retry",
    access: "operator",
    tag: "Обмен с ГИС",
    summary: "Повторить операцию (завершённую с ошибкой или отменённую) под новым MessageGUID",
    handler: retryOperation,
  },
  {
    method: "POST",
    path: "/api/operations/{id}/cancel",
    access: "operator",
    tag: "Обмен с ГИС",
    summary: "Отменить операцию, которая ещё не завершена",
    handler: cancelOperation,
  },
  {
    method: "GET",
    path: "/api/messages",
    access: "accountant",
    tag: "Журнал сообщений",
    paged: true,
    summary: "Журнал сообщений с фильтрами",
    query: {
      ...PAGED_QUERY,
      level: { type: "string", enum: ["info", "warning", "error"], description: "Уровень" },
      group: { type: "string", description: "Группа" },
      subgroup: { type: "string", description: "Подгруппа" },
      author: { type: "string", description: "Автор" },
      code: { type: "string", description: "Код ошибки" },
      objectType: { type: "string", description: "Вид объекта" },
      objectId: { type: "integer", description: "Объект" },
      operationId: { type: "string", description: "Операция" },
      runId: { type: "string", description: "Запуск" },
      q: { type: "string", description: "Текст сообщения (часть)" },
      from: { type: "string", description: "Не раньше (ГГГГ-ММ-ДД или ISO 8601)" },
      to: { type: "string", description: "Не позже" },
    },
    handler: async (ctx) => {
      const { ds, query } = ctx;
      const qb = ds.getRepository(MessageLog).createQueryBuilder("m").orderBy("m.createdAt", "DESC").addOrderBy("m.id", "DESC");
      whereRecordsOfOrganizations(qb, "m", listOrganizations(ctx), userStands(ctx));
      const eq = (name: string, value: string | number | undefined) => value !== undefined && qb.andWhere(`m.${name} = :${name}`, { [name]: value });
      eq("level", query.str("level", { values: ["info", "warning", "error"] }));
      eq("group", query.str("group", { max: 50 }));
      eq("subgroup", query.str("subgroup", { max: 100 }));
      eq("author", query.str("author", { max: 100 }));
      eq("code", query.str("code", { max: 20 }));
      eq("objectType", query.str("objectType", { max: 40 }));
      eq("objectId", query.int("objectId", { min: 1 }));
      eq("operationId", query.str("operationId", { max: 36 }));
      eq("runId", query.str("runId", { max: 36 }));
      const q = query.str("q", { max: 200 });
      if (q) qb.andWhere(`m.text ${like(ds)} :q ESCAPE '\\'`, { q: `%${escapeLike(q)}%` });
      const from = query.date("from");
      if (from) qb.andWhere("m.createdAt >= :from", { from });
      const to = query.date("to");
      if (to) qb.andWhere("m.createdAt <= :to", { to });
      return paged(qb, query);
    },
  },
];

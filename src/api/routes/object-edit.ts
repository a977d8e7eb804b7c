/**
 * Entry and editing of the objects the pipeline sends (the manual's «Справочник домов»,
 * «Добавление договоров…», «Заполнение справочника организаций»): POST creates, PUT changes, one
 * pair per kind, checked like the billing import (src/edit/). GET /api/edit/schema describes the
 * forms: each field's type, Russian name and sync markers, so a replicated field shows read-only.
 */
import { FieldType } from "../../bundle/format";
import { EDIT_KINDS, EditKind, editFields } from "../../edit/kinds";
import { fieldLabel } from "../../edit/labels";
import { MANUAL_PREFIX, saveEntry } from "../../edit/save";
import { FieldPolicies } from "../../history/policy";
import { resolveOrganization } from "../../runtime/pipeline-runtime";
import { badRequest } from "../http";
import { Ctx, ParamSpec, Route } from "../router";
import { requestStand } from "../stand";
import { hydrate, isKind } from "../../storage/identity/store";
import { idParam } from "./houses";

/** Kinds whose objects belong to one organization: a new one is ours unless the body says otherwise. */
const OWNED = new Set(["account", "meter", "contract"]);

const TYPE: Record<FieldType["kind"], ParamSpec["type"]> = {
  string: "string",
  int: "integer",
  decimal: "string",
  reading: "string",
  date: "string",
  bool: "boolean",
  guid: "string",
  enum: "string",
  ref: "integer",
};

function bodySpec(k: EditKind): Record<string, ParamSpec> {
  const out: Record<string, ParamSpec> = {};
  for (const f of editFields(k)) {
    out[f.property] = {
      type: TYPE[f.type.kind],
      description: `${fieldLabel(k.entity, f.property)}${f.type.kind === "ref" ? ` (идентификатор: ${f.type.file})` : ""}${f.note ? `; ${f.note}` : ""}`,
      ...(f.type.kind === "enum" ? { enum: f.type.values } : {}),
    };
  }
  if (k.entity === "account") out.accommodation = { type: "object", description: "Помещение лицевого счёта: {houseId | premiseId | roomId, sharePercent}" };
  if (k.entity === "meter") out.accountIds = { type: "array", items: "integer", description: "Лицевые счета прибора учёта" };
  return out;
}

async function save(ctx: Ctx, k: EditKind, id: number | null) {
  const body = ctx.json(k.title).obj;
  const defaults: Record<string, unknown> = {};
  if (id === null && OWNED.has(k.entity) && body.organizationId === undefined) {
    const org = await resolveOrganization(ctx.ds).catch((e: Error) => {
      throw badRequest(`${k.title}, поле «Организация» (organizationId): ${e.message}`);
    });
    defaults.organizationId = org.id;
  }
  const r = await saveEntry(ctx.ds, k, id, body, ctx.actor, defaults);
  if (r.created) ctx.res.statusCode = 201;
  // The saved object as the request's stand sees it (its identity and status there).
  if (isKind(k.entity)) await hydrate(ctx.ds, k.entity, [r.object as never], requestStand(ctx));
  return r;
}

function kindRoutes(k: EditKind): Route[] {
  const tag = "Ввод и изменение";
  return [
    {
      method: "POST",
      path: `/api/${k.plural}`,
      access: "operator",
      tag,
      summary: `Добавить: ${k.title.toLowerCase()} — поля и проверки как в выгрузке учётной системы (${k.file}); ответ 201 {object, changed, warnings}; ошибки 400 {errors: [{field, label, message}]}`,
      body: bodySpec(k),
      handler: (ctx) => save(ctx, k, null),
    },
    {
      method: "PUT",
      path: `/api/${k.plural}/{id}`,
      access: "operator",
      tag,
      summary: `Изменить: ${k.title.toLowerCase()} — только переданные поля; репликационное поле или присвоенное ГИС — 409 read_only; объект отмечается изменённым для «Отправить изменения»`,
      body: bodySpec(k),
      handler: (ctx) => save(ctx, k, idParam(ctx.params.id, k.title)),
    },
  ];
}

/** One field of a form, with its markers. */
function fieldView(k: EditKind, f: ReturnType<typeof editFields>[number], p: FieldPolicies) {
  return {
    field: f.property,
    column: f.column,
    label: fieldLabel(k.entity, f.property),
    type: f.type.kind,
    ...(f.type.kind === "enum" ? { values: f.type.values } : {}),
    ...(f.type.kind === "ref" ? { ref: f.type.file } : {}),
    ...(f.type.kind === "string" ? { max: f.type.max } : {}),
    required: !!f.required,
    fixed: k.fixed.includes(f.property),
    note: f.note ?? null,
    ...p.flags(k.entity, f.property),
  };
}

export const objectEditRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/edit/schema",
    access: "accountant",
    tag: "Ввод и изменение",
    summary:
      "Формы ввода: по каждому виду объектов — поля (тип, название, обязательность, отметки «Репликация», «История», «Импорт»); объекты, внесённые вручную, имеют externalId с префиксом manual:",
    handler: async ({ ds }) => {
      const p = await FieldPolicies.load(ds);
      return {
        manualPrefix: MANUAL_PREFIX,
        kinds: EDIT_KINDS.map((k) => ({
          entity: k.entity,
          plural: k.plural,
          title: k.title,
          stage: k.stage,
          fields: editFields(k).map((f) => fieldView(k, f, p)),
        })),
      };
    },
  },
  ...EDIT_KINDS.flatMap(kindRoutes),
];

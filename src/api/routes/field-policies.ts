/**
 * «Поля для синхронизации» (the manual's «Настройки» → «Поля для синхронизации»): per kind of
 * object and field, the markers «Репликация» (from billing, read-only here), «История» (earlier
 * values kept) and «Импорт» (GIS is the source, never overwritten by an import); templates to
 * choose from. Reading is for everyone; changing the markers is the administrator's.
 */
import { DataSource } from "typeorm";
import { FieldPolicy } from "../../../entities/field-policy";
import { EDIT_KINDS, editFields } from "../../edit/kinds";
import { fieldLabel } from "../../edit/labels";
import { metadataFor } from "../../importer/import-file";
import { FieldPolicies } from "../../history/policy";
import { FIELD_TEMPLATES, applyTemplate } from "../../history/templates";
import { audit } from "../audit";
import { badRequest } from "../http";
import { Route } from "../router";

/** The fields on screen per entity: the form's and those GIS assigns. */
export function screenFields(ds: DataSource): Record<string, Array<{ field: string; source: "billing" | "manual" | "gis" }>> {
  const out: Record<string, Array<{ field: string; source: "billing" | "manual" | "gis" }>> = {};
  for (const k of EDIT_KINDS) {
    const list: Array<{ field: string; source: "billing" | "manual" | "gis" }> = editFields(k).map((f) => ({
      field: f.property,
      source: k.extra.some((x) => x.property === f.property) && !FieldPolicies.defaultFlags(k.entity, f.property).replicated ? "manual" : "billing",
    }));
    for (const c of metadataFor(ds, k.entity).columns) {
      if (c.embeddedMetadata || list.some((x) => x.field === c.propertyName)) continue;
      if (FieldPolicies.defaultFlags(k.entity, c.propertyName).importedFromGis) list.push({ field: c.propertyName, source: "gis" });
    }
    out[k.entity] = list;
  }
  return out;
}

const fieldNames = (ds: DataSource) => Object.fromEntries(Object.entries(screenFields(ds)).map(([e, l]) => [e, l.map((x) => x.field)]));

export const fieldPolicyRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/field-policies",
    access: "accountant",
    tag: "Поля для синхронизации",
    summary:
      "Отметки полей по видам объектов: replicated («Репликация»), history («История»), importedFromGis («Импорт»), overridden (изменено относительно установки); шаблоны",
    handler: async ({ ds }) => {
      const p = await FieldPolicies.load(ds);
      const fields = screenFields(ds);
      return {
        templates: FIELD_TEMPLATES.map(({ id, title, description }) => ({ id, title, description })),
        entities: EDIT_KINDS.map((k) => ({
          entity: k.entity,
          title: k.title,
          fields: fields[k.entity].map((x) => ({
            field: x.field,
            label: fieldLabel(k.entity, x.field),
            source: x.source,
            ...p.flags(k.entity, x.field),
            overridden: p.isOverridden(k.entity, x.field),
          })),
        })),
      };
    },
  },
  {
    method: "PUT",
    path: "/api/field-policies",
    access: "admin",
    tag: "Поля для синхронизации",
    summary:
      "Изменить отметки полей: changes — [{entityType, field, replicated, history, importedFromGis}]; поле не может быть одновременно репликационным и импортируемым из ГИС",
    body: { changes: { type: "array", required: true, description: "Изменения: [{entityType, field, replicated, history, importedFromGis}]" } },
    handler: async (ctx) => {
      const b = ctx.json("Поля для синхронизации");
      const changes = b.obj.changes;
      if (!Array.isArray(changes) || changes.length === 0 || changes.length > 1000)
        throw badRequest("Поля для синхронизации, поле changes: ожидается список изменений (1…1000)");
      const known = screenFields(ctx.ds);
      const rows: Array<Omit<FieldPolicy, "id">> = changes.map((c, i) => {
        const at = `Поля для синхронизации, изменение ${i + 1}`;
        if (!c || typeof c !== "object") throw badRequest(`${at}: ожидается объект`);
        const { entityType, field, replicated, history, importedFromGis } = c as Record<string, unknown>;
        if (typeof entityType !== "string" || !known[entityType])
          throw badRequest(`${at}, поле entityType: допустимые значения ${Object.keys(known).join(", ")}`);
        if (typeof field !== "string" || !known[entityType].some((x) => x.field === field))
          throw badRequest(`${at}, поле field: у вида «${entityType}» нет поля «${String(field)}»`);
        for (const [name, v] of Object.entries({ replicated, history, importedFromGis }))
          if (typeof v !== "boolean") throw badRequest(`${at} (${fieldLabel(entityType, field)}), поле ${name}: ожидается true или false`);
        if (replicated && importedFromGis)
          throw badRequest(
            `${at}: поле «${fieldLabel(entityType, field)}» не может одновременно загружаться из учётной системы («Репликация») и из ГИС («Импорт»)`,
          );
        return { entityType, field, replicated: replicated as boolean, history: history as boolean, importedFromGis: importedFromGis as boolean };
      });
      await ctx.ds.transaction(async (em) => {
        const repo = em.getRepository(FieldPolicy);
        for (const r of rows) {
          await repo.delete({ entityType: r.entityType, field: r.field });
          await repo.insert(r);
        }
      });
      await audit(ctx.ds, ctx.actor, "field-policy.change", null, { changes: rows });
      return { changed: rows.length };
    },
  },
  {
    method: "POST",
    path: "/api/field-policies/template",
    access: "admin",
    tag: "Поля для синхронизации",
    summary: `Выбрать шаблон отметок (заменяет все отметки установки): ${FIELD_TEMPLATES.map((t) => `${t.id} — «${t.title}»`).join(", ")}`,
    body: { template: { type: "string", required: true, enum: FIELD_TEMPLATES.map((t) => t.id), description: "Шаблон" } },
    handler: async (ctx) => {
      const id = ctx.json("Выбор шаблона").str("template", { required: true, values: FIELD_TEMPLATES.map((t) => t.id) });
      const t = FIELD_TEMPLATES.find((x) => x.id === id)!;
      const rows = await ctx.ds.transaction((em) => applyTemplate(em, t, fieldNames(ctx.ds)));
      await audit(ctx.ds, ctx.actor, "field-policy.template", null, { template: t.id, rows });
      return { template: t.id, title: t.title, rows };
    },
  },
];

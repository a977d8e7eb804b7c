/**
 * The operator's own templates of the sync-field markers, besides the manual's three: a name and
 * the markers (the field_policy rows: fields whose markers differ from the installation's
 * defaults). Saved as settings rows `fieldTemplate.N` (JSON: title, author, createdAt, markers);
 * applying one replaces the installation's markers with its own, like a manual template.
 */
import { DataSource, EntityManager, Like } from "typeorm";
import { FieldPolicy } from "../../../entities/field-policy";
import { Setting } from "../../../entities/setting";
import { fieldLabel } from "../../edit/labels";
import { FIELD_TEMPLATES } from "../../history/templates";
import { audit } from "../audit";
import { ApiError, badRequest, notFound } from "../http";
import { ROLE_RANK, Route } from "../router";
import { screenFields } from "./field-policies";

const PREFIX = "fieldTemplate.";
type Marker = Omit<FieldPolicy, "id">;
interface Stored {
  title: string;
  author: string;
  createdAt: string;
  markers: Marker[];
}

async function storedTemplates(db: DataSource | EntityManager): Promise<Array<Stored & { id: number }>> {
  const rows = await db.getRepository(Setting).find({ where: { key: Like(`${PREFIX}%`) } });
  return rows
    .map((r) => ({ id: Number(r.key.slice(PREFIX.length)), ...(JSON.parse(r.value) as Stored) }))
    .filter((t) => Number.isInteger(t.id))
    .sort((a, b) => a.id - b.id);
}

/** The markers of a request, checked like «Поля для синхронизации» checks a change. */
function checkMarkers(ds: DataSource, list: unknown): Marker[] {
  if (!Array.isArray(list) || list.length > 2000) throw badRequest("Шаблон, поле markers: ожидается список отметок (не больше 2000)");
  const known = screenFields(ds);
  const seen = new Set<string>();
  return list.map((c, i) => {
    const at = `Шаблон, отметка ${i + 1}`;
    if (!c || typeof c !== "object") throw badRequest(`${at}: ожидается объект`);
    const { entityType, field, replicated, history, importedFromGis } = c as Record<string, unknown>;
    if (typeof entityType !== "string" || !known[entityType]) throw badRequest(`${at}, поле entityType: допустимые значения ${Object.keys(known).join(", ")}`);
    if (typeof field !== "string" || !known[entityType].some((x) => x.field === field))
      throw badRequest(`${at}, поле field: у вида «${entityType}» нет поля «${String(field)}»`);
    for (const [name, v] of Object.entries({ replicated, history, importedFromGis }))
      if (typeof v !== "boolean") throw badRequest(`${at} (${fieldLabel(entityType, field)}), поле ${name}: ожидается true или false`);
    if (replicated && importedFromGis)
      throw badRequest(`${at}: поле «${fieldLabel(entityType, field)}» не может одновременно загружаться из учётной системы и из ГИС`);
    if (seen.has(`${entityType}.${field}`)) throw badRequest(`${at}: поле «${fieldLabel(entityType, field)}» названо дважды`);
    seen.add(`${entityType}.${field}`);
    return { entityType, field, replicated: replicated as boolean, history: history as boolean, importedFromGis: importedFromGis as boolean };
  });
}

const idOf = (v: string) => {
  if (!/^\d+$/.test(v)) throw badRequest(`Шаблон: ожидается номер, получено «${v}»`);
  return Number(v);
};

const brief = (t: Stored & { id: number }) => ({ id: t.id, title: t.title, author: t.author, createdAt: t.createdAt, markers: t.markers.length });

export const fieldTemplateRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/field-templates",
    access: "accountant",
    tag: "Поля для синхронизации",
    summary: "Шаблоны отметок полей, сохранённые операторами (кроме трёх шаблонов руководства): название, автор, число отметок",
    handler: async ({ ds }) => ({ items: (await storedTemplates(ds)).map(brief) }),
  },
  {
    method: "POST",
    path: "/api/field-templates",
    access: "operator",
    tag: "Поля для синхронизации",
    summary:
      "Сохранить свой шаблон отметок: title и markers — [{entityType, field, replicated, history, importedFromGis}] (без markers — текущие отметки установки)",
    body: {
      title: { type: "string", required: true, description: "Название шаблона" },
      markers: { type: "array", description: "Отметки полей, отличные от умолчаний" },
    },
    handler: async (ctx) => {
      const b = ctx.json("Шаблон");
      const title = b.str("title", { required: true, max: 100 })!.trim();
      if (!title) throw badRequest("Шаблон, поле title: укажите название");
      const markers =
        b.obj.markers === undefined
          ? (await ctx.ds.getRepository(FieldPolicy).find({ order: { id: "ASC" } })).map(({ id: _, ...m }) => m)
          : checkMarkers(ctx.ds, b.obj.markers);
      return ctx.ds.transaction(async (em) => {
        const all = await storedTemplates(em);
        const same = (x: string) => x.toLowerCase() === title.toLowerCase();
        if (all.some((t) => same(t.title)) || FIELD_TEMPLATES.some((t) => same(t.title)))
          throw new ApiError(409, "conflict", `Шаблон «${title}» уже есть: выберите другое название`);
        const id = all.reduce((m, t) => Math.max(m, t.id), 0) + 1;
        const stored: Stored = { title, author: ctx.actor, createdAt: new Date().toISOString(), markers };
        await em.getRepository(Setting).insert({ key: `${PREFIX}${id}`, value: JSON.stringify(stored), updatedAt: new Date(), updatedBy: ctx.actor });
        await audit(em, ctx.actor, "field-template.save", `field-template:${id}`, { title, markers: markers.length });
        return brief({ id, ...stored });
      });
    },
  },
  {
    method: "POST",
    path: "/api/field-templates/{id}/apply",
    access: "admin",
    tag: "Поля для синхронизации",
    summary: "Выбрать сохранённый шаблон: отметки всех полей заменяются отметками шаблона",
    handler: async (ctx) => {
      const id = idOf(ctx.params.id);
      const t = (await storedTemplates(ctx.ds)).find((x) => x.id === id);
      if (!t) throw notFound(`Шаблон ${id}`);
      // Fields gone from the screen since the template was saved are left out, not refused.
      const known = screenFields(ctx.ds);
      const rows = t.markers.filter((m) => known[m.entityType]?.some((x) => x.field === m.field));
      await ctx.ds.transaction(async (em) => {
        await em.getRepository(FieldPolicy).createQueryBuilder().delete().execute();
        for (let i = 0; i < rows.length; i += 100) await em.getRepository(FieldPolicy).insert(rows.slice(i, i + 100));
      });
      await audit(ctx.ds, ctx.actor, "field-policy.template", `field-template:${id}`, { template: t.title, rows: rows.length });
      return { id, title: t.title, rows: rows.length };
    },
  },
  {
    method: "DELETE",
    path: "/api/field-templates/{id}",
    access: "operator",
    tag: "Поля для синхронизации",
    summary: "Удалить сохранённый шаблон (свой; администратор — любой); отметки полей не меняются",
    handler: async (ctx) => {
      const id = idOf(ctx.params.id);
      const t = (await storedTemplates(ctx.ds)).find((x) => x.id === id);
      if (!t) throw notFound(`Шаблон ${id}`);
      if (t.author !== ctx.actor && (!ctx.user || ROLE_RANK[ctx.user.role] < ROLE_RANK.admin))
        throw new ApiError(403, "forbidden", `Шаблон «${t.title}» сохранил ${t.author}: удалить его может он или администратор`);
      await ctx.ds.getRepository(Setting).delete({ key: `${PREFIX}${id}` });
      await audit(ctx.ds, ctx.actor, "field-template.delete", `field-template:${id}`, { title: t.title });
      return { deleted: id };
    },
  },
];

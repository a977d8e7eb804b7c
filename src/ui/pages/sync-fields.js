// «Поля для синхронизации» (the manual's «Настройки» → «Поля для синхронизации»): per kind of
// object, each field's markers «Репликация» (from billing, read-only in the cards), «История»
// (earlier values kept) and «Импорт» (from GIS, never overwritten by an import); a template to
// choose; the administrator saves, and is warned before leaving unsaved marks.
import { get, post, put } from "../api.js";
import { h, clear, table, toast } from "../dom.js";
import { dialog } from "./common.js";
import { editSchema } from "./object-edit.js";
import { ownTemplates } from "./sync-field-templates.js";

const SOURCE = { billing: "учётная система", manual: "вносится вручную", gis: "присваивает ГИС" };
const MARKS = [
  ["replicated", "Репликация"],
  ["history", "История"],
  ["importedFromGis", "Импорт"],
];

export async function render(main, ctx) {
  const admin = ctx.can("admin");
  let data = await get("/api/field-policies");
  let entity = data.entities[0].entity;
  /** entity.field → {replicated, history, importedFromGis} not saved yet. */
  const pending = new Map();
  ctx.guardLeave(() => pending.size === 0 || confirm("Отметки полей не сохранены. Уйти без сохранения?"));
  const panel = h("div");
  const save = h("button.primary", { type: "button", id: "save-field-policies", disabled: true, on: { click: () => saveAll() } }, "Сохранить");
  const counter = h("span.muted");
  const touched = () => {
    save.disabled = pending.size === 0;
    counter.textContent = pending.size ? ` изменено полей: ${pending.size}` : "";
  };

  const draw = () => {
    const e = data.entities.find((x) => x.entity === entity);
    const mark = (f, key) => {
      const k = `${entity}.${f.field}`;
      const now = pending.get(k) ?? { replicated: f.replicated, history: f.history, importedFromGis: f.importedFromGis };
      return h("input", {
        type: "checkbox",
        checked: now[key],
        disabled: !admin,
        "data-field": f.field,
        "data-mark": key,
        "aria-label": `${f.label}: ${MARKS.find((m) => m[0] === key)[1]}`,
        on: {
          change: (ev) => {
            const next = { ...now, [key]: ev.target.checked };
            // A field comes from billing or from GIS, not both.
            if (key === "replicated" && next.replicated) next.importedFromGis = false;
            if (key === "importedFromGis" && next.importedFromGis) next.replicated = false;
            const same = next.replicated === f.replicated && next.history === f.history && next.importedFromGis === f.importedFromGis;
            if (same) pending.delete(k);
            else pending.set(k, next);
            touched();
            draw();
          },
        },
      });
    };
    clear(
      panel,
      table(
        [
          { title: "Поле", get: (f) => [f.label, " ", h("code.muted", f.field)] },
          { title: "Источник", get: (f) => SOURCE[f.source] ?? f.source },
          ...MARKS.map(([key, title]) => ({ title, class: "center", get: (f) => mark(f, key) })),
          { title: "", get: (f) => (f.overridden ? h("span.badge", "изменено") : "") },
        ],
        e.fields,
        { label: `Поля: ${e.title}`, rowClass: (f) => (pending.has(`${entity}.${f.field}`) ? "dirty" : null) },
      ),
    );
  };

  const reload = async () => {
    data = await get("/api/field-policies");
    pending.clear();
    touched();
    await editSchema(true);
    draw();
  };

  const saveAll = async () => {
    const changes = [...pending].map(([k, v]) => {
      const [entityType, field] = k.split(".");
      return { entityType, field, ...v };
    });
    try {
      await put("/api/field-policies", { changes });
      toast(`Отметки сохранены: ${changes.length}`);
      await reload();
    } catch (e) {
      toast(e.message, "error");
    }
  };

  const chooseTemplate = () => {
    const select = h(
      "select",
      { id: "template", "aria-label": "Шаблон" },
      data.templates.map((t) => h("option", { value: t.id }, t.title)),
    );
    const about = h("p.muted", data.templates[0].description);
    select.addEventListener("change", () => (about.textContent = data.templates.find((t) => t.id === select.value).description));
    const d = dialog(
      "Выбор шаблона",
      h("p", "Отметки всех полей будут заменены отметками шаблона."),
      select,
      about,
      h(
        "div.toolbar",
        h(
          "button.primary",
          {
            type: "button",
            id: "template-ok",
            on: {
              click: async () => {
                try {
                  const r = await post("/api/field-policies/template", { template: select.value });
                  toast(`Шаблон «${r.title}» установлен`);
                  d.close();
                  await reload();
                } catch (e) {
                  toast(e.message, "error");
                }
              },
            },
          },
          "ОК",
        ),
        h("button", { type: "button", on: { click: () => d.close() } }, "Отменить"),
      ),
    );
  };

  const tabs = h(
    "div.tabs",
    { role: "tablist" },
    data.entities.map((e) =>
      h(
        "button",
        {
          type: "button",
          role: "tab",
          "data-id": e.entity,
          "aria-selected": String(e.entity === entity),
          on: {
            click: (ev) => {
              entity = e.entity;
              for (const b of tabs.children) b.setAttribute("aria-selected", String(b === ev.currentTarget));
              draw();
            },
          },
        },
        e.title,
      ),
    ),
  );
  clear(
    main,
    h("h1", "Поля для синхронизации"),
    h(
      "p.muted",
      "«Репликация» — поле загружается из учётной системы и в карточках не редактируется; «История» — прежние значения хранятся с периодом действия; «Импорт» — значение присваивает ГИС, загрузка из учётной системы его не перезаписывает. Поле без «Репликации» ведётся вручную: загрузка его не меняет.",
    ),
    admin ? h("div.toolbar", h("button", { type: "button", id: "choose-template", on: { click: chooseTemplate } }, "Выбрать шаблон"), save, counter) : null,
    tabs,
    panel,
    ownTemplates(ctx, () => ({ data, pending }), reload),
  );
  draw();
}

// «Поля для синхронизации»: the operator's own marker templates besides the manual's three — save
// the markers on screen (saved and not yet saved) under a name, apply one (the administrator: it
// replaces every field's markers), delete one. Stored on the server (/api/field-templates).
import { del, get, post } from "../api.js";
import { h, clear, fmtTime, table, toast } from "../dom.js";

/** The markers on screen that differ from the installation's defaults: saved overrides and pending edits. */
function markersOnScreen(data, pending) {
  const out = [];
  for (const e of data.entities)
    for (const f of e.fields) {
      const k = `${e.entity}.${f.field}`;
      const now = pending.get(k);
      if (now) out.push({ entityType: e.entity, field: f.field, ...now });
      else if (f.overridden)
        out.push({ entityType: e.entity, field: f.field, replicated: f.replicated, history: f.history, importedFromGis: f.importedFromGis });
    }
  return out;
}

/**
 * The «Свои шаблоны» block. `state()` gives {data, pending} as the screen has them now;
 * `onApplied()` reloads the screen after a template replaced the markers.
 */
export function ownTemplates(ctx, state, onApplied) {
  const box = h("section.card.own-templates", { "aria-label": "Свои шаблоны" });
  const name = h("input", { id: "own-template-name", placeholder: "Название шаблона", "aria-label": "Название шаблона", maxLength: 100 });
  const saveBtn = h(
    "button",
    {
      type: "button",
      id: "own-template-save",
      on: {
        click: async () => {
          const { data, pending } = state();
          try {
            const t = await post("/api/field-templates", { title: name.value, markers: markersOnScreen(data, pending) });
            toast(`Шаблон «${t.title}» сохранён: отметок ${t.markers}`);
            name.value = "";
            await load();
          } catch (e) {
            toast(e.message, "error");
          }
        },
      },
    },
    "Сохранить как шаблон",
  );
  const list = h("div");
  const load = async () => {
    const { items } = await get("/api/field-templates");
    clear(
      list,
      table(
        [
          { title: "Шаблон", get: (t) => t.title },
          { title: "Отметок", class: "num", get: (t) => String(t.markers) },
          { title: "Автор", get: (t) => t.author },
          { title: "Сохранён", get: (t) => fmtTime(t.createdAt) },
          {
            title: "",
            get: (t) => [
              ctx.can("admin")
                ? h(
                    "button.link",
                    {
                      type: "button",
                      "data-apply": t.id,
                      on: {
                        click: async () => {
                          if (!confirm(`Отметки всех полей будут заменены отметками шаблона «${t.title}». Применить?`)) return;
                          try {
                            const r = await post(`/api/field-templates/${t.id}/apply`);
                            toast(`Шаблон «${r.title}» установлен`);
                            await onApplied();
                          } catch (e) {
                            toast(e.message, "error");
                          }
                        },
                      },
                    },
                    "Применить",
                  )
                : null,
              " ",
              h(
                "button.link",
                {
                  type: "button",
                  "data-delete": t.id,
                  on: {
                    click: async () => {
                      if (!confirm(`Удалить шаблон «${t.title}»? Отметки полей не изменятся.`)) return;
                      try {
                        await del(`/api/field-templates/${t.id}`);
                        toast(`Шаблон «${t.title}» удалён`);
                        await load();
                      } catch (e) {
                        toast(e.message, "error");
                      }
                    },
                  },
                },
                "Удалить",
              ),
            ],
          },
        ],
        items,
        { empty: "Своих шаблонов нет", label: "Свои шаблоны", rowClass: (t) => `own-template-${t.id}` },
      ),
    );
  };
  clear(
    box,
    h("h2", "Свои шаблоны"),
    h("p.muted", "Отметки на экране (в том числе не сохранённые) можно сохранить под своим названием и выбрать позже."),
    ctx.can("operator") ? h("div.toolbar", name, saveBtn) : null,
    list,
  );
  load().catch((e) => toast(e.message, "error"));
  return box;
}

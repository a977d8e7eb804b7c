// A card's tab listing objects of one kind with what an operator does to them: tick rows and run
// an action on the selection, «Изменить» per row, «Добавить» for a new one (its parent fixed).
import { get } from "../api.js";
import { h, clear, pager, table } from "../dom.js";
import { actionBar } from "./actions.js";
import { addButton, editDialog } from "./object-edit.js";

/**
 * @param {any} ctx
 * @param {HTMLElement} panel
 * @param {{url: string, type: string, columns: any[], name: (row: any) => string, add?: {title: string, defaults?: any, extra?: any}, editable?: boolean, empty?: string}} o
 */
export function objectsTab(ctx, panel, o) {
  let offset = 0;
  let rows = [];
  const checked = new Set();
  const load = async () => {
    const page = await get(o.url, { limit: 50, offset });
    rows = page.items;
    const selection = () => rows.filter((r) => checked.has(r.id)).map((r) => ({ ...r, name: o.name(r) }));
    const tick = (r) =>
      h("input", {
        type: "checkbox",
        "data-id": r.id,
        "aria-label": `Отметить: ${o.name(r)}`,
        checked: checked.has(r.id),
        on: { change: (e) => (e.target.checked ? checked.add(r.id) : checked.delete(r.id)) },
      });
    const edit = (r) =>
      ctx.can("operator") && o.editable !== false
        ? h(
            "button.link",
            {
              type: "button",
              "data-edit": r.id,
              on: {
                click: async () => {
                  if (await editDialog(o.type, r)) load();
                },
              },
            },
            "Изменить",
          )
        : "";
    clear(
      panel,
      h(
        "div.toolbar",
        o.add ? addButton(ctx, o.type, o.add.title, o.add.defaults ?? {}, () => load(), o.add.extra) : null,
        ctx.can("operator")
          ? h(
              "button",
              {
                type: "button",
                on: {
                  click: () => {
                    for (const r of rows) checked.add(r.id);
                    load();
                  },
                },
              },
              "Отметить все",
            )
          : null,
      ),
      actionBar(ctx, o.type, selection, () => load(), `${o.type}:${o.url}`),
      table([{ title: "", get: tick }, ...o.columns, { title: "", get: edit }], rows, { empty: o.empty, rowClass: (r) => `${o.type}-${r.id}` }),
      pager(page, (x) => {
        offset = x;
        load();
      }),
    );
  };
  return load();
}

// A generic filtered, paged list screen.
import { get } from "../api.js";
import { h, clear, pager, table } from "../dom.js";

/** filters: [{name, el}] ; columns as for table(). */
/**
 * @param {HTMLElement} main
 * @param {{title: string, url: string, filters?: any[], columns: any[], onRow?: (row: any) => void, before?: any[], empty?: string, sort?: (a: any, b: any) => number}} o
 */
export async function listScreen(main, { title, url, filters = [], columns, onRow, before = [], empty, sort }) {
  const results = h("div");
  let offset = 0;
  const load = async () => {
    const params = Object.fromEntries(filters.map((f) => [f.name, f.el.type === "checkbox" ? (f.el.checked ? "true" : "") : f.el.value.trim()]));
    const page = await get(url, { ...params, limit: 50, offset });
    if (sort) page.items.sort(sort);
    clear(
      results,
      table(columns, page.items, { onRow, empty }),
      pager(page, (o) => {
        offset = o;
        load();
      }),
    );
  };
  clear(
    main,
    h("h1", title),
    ...before,
    filters.length
      ? h(
          "form.filters",
          {
            on: {
              submit: (e) => {
                e.preventDefault();
                offset = 0;
                load();
              },
            },
          },
          filters.map((f) => (f.label ? h("label.inline", f.el, " ", f.label) : f.el)),
          h("button", { type: "submit" }, "Показать"),
        )
      : null,
    results,
  );
  await load();
  return load;
}

// Small DOM helpers: elements are built with textContent, never from HTML strings, so data
// (addresses, GIS error texts, XML) can never inject markup.

/**
 * h("tag.class#id", {attrs, on: {click}}, ...children). The element's type follows the tag in the
 * spec string, which the checker cannot read: callers get `any` and use it as the tag they wrote.
 * @param {string} spec
 * @param {any} [attrs]
 * @param {...any} children
 * @returns {any}
 */
export function h(spec, attrs, ...children) {
  const [, tag = "div", rest = ""] = /^([a-z0-9]+)?(.*)$/i.exec(spec);
  const el = document.createElement(tag);
  for (const part of rest.match(/[.#][^.#]+/g) ?? []) {
    if (part[0] === ".") el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === "class") el.className = v;
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// Every screen shows moments the one way labels.js does (Moscow time, zone-less SQLite times as UTC).
export { fmtTime } from "./labels.js";

export function fmtDay(v) {
  if (!v) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v));
  return m ? `${m[3]}.${m[2]}.${m[1]}` : String(v);
}

export const fmtNum = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("ru-RU"));

/** The manual's status icons (plus "in progress"), with text for screen readers. */
export const STATUS = {
  ok: { icon: "✔", label: "выгружено" },
  ok_nested_errors: { icon: "◐", label: "выгружено, ошибки во вложенных" },
  error: { icon: "✖", label: "ошибка" },
  not_sent: { icon: "○", label: "не выгружалось" },
  in_progress: { icon: "⟳", label: "в обработке" },
  none: { icon: "·", label: "нет объектов" },
};

export function statusIcon(state, extra) {
  const s = STATUS[state] ?? { icon: "?", label: state };
  return h(`span.st.st-${state}`, { role: "img", "aria-label": s.label, title: extra ? `${s.label}: ${extra}` : s.label }, s.icon);
}

/**
 * A table from rows and column definitions {title, get(row) → node|text, class}.
 * @param {Array<{title: string, get: (row: any) => any, class?: string}>} columns
 * @param {any[]} rows
 * @param {{label?: string, onRow?: (row: any) => void, rowClass?: (row: any) => string | null | undefined, empty?: string}} [o]
 */
export function table(columns, rows, o = {}) {
  return h(
    "table.grid",
    { "aria-label": o.label },
    h(
      "thead",
      h(
        "tr",
        columns.map((c) => h("th", { scope: "col", class: c.class }, c.title)),
      ),
    ),
    h(
      "tbody",
      rows.length
        ? rows.map((r) => {
            const tr = h(
              "tr",
              columns.map((c) => h("td", { class: c.class }, c.get(r))),
            );
            if (o.onRow) {
              tr.classList.add("clickable");
              tr.tabIndex = 0;
              tr.addEventListener("click", (e) => {
                if (!(/** @type {Element} */ (e.target).closest("a,button,input,select"))) o.onRow(r);
              });
              tr.addEventListener("keydown", (e) => {
                if (e.key === "Enter" && e.target === tr) o.onRow(r);
              });
            }
            if (o.rowClass) {
              const cls = o.rowClass(r);
              if (cls) tr.classList.add(cls);
            }
            return tr;
          })
        : h("tr", h("td.empty", { colSpan: columns.length }, o.empty ?? "Нет данных")),
    ),
  );
}

/** Previous / next buttons for {limit, offset, hasMore} pages. */
export function pager(page, go) {
  const from = page.items.length ? page.offset + 1 : 0;
  return h(
    "nav.pager",
    { "aria-label": "Страницы" },
    h("button", { type: "button", disabled: page.offset === 0, on: { click: () => go(Math.max(0, page.offset - page.limit)) } }, "← Назад"),
    h("span", `${from}–${page.offset + page.items.length}${page.total !== undefined ? ` из ${fmtNum(page.total)}` : ""}`),
    h("button", { type: "button", disabled: !page.hasMore, on: { click: () => go(page.offset + page.limit) } }, "Вперёд →"),
  );
}

/** Pop-up messages belong to the screen that raised them: the shell clears them on every route. */
export function clearToasts() {
  document.getElementById("toasts")?.replaceChildren();
}

export function toast(text, kind = "info") {
  const box = document.getElementById("toasts");
  const t = h(`div.toast.toast-${kind}`, { role: kind === "error" ? "alert" : "status" }, text);
  box.append(t);
  setTimeout(() => t.remove(), kind === "error" ? 8000 : 4000);
}

export function tabs(list, onSelect, selected = list[0].id) {
  const bar = h("div.tabs", { role: "tablist" });
  const panel = h("div.tabpanel", { role: "tabpanel" });
  const select = (id) => {
    for (const b of bar.children) b.setAttribute("aria-selected", String(b.getAttribute("data-id") === id));
    clear(panel, h("p.muted", "Загрузка…"));
    Promise.resolve(onSelect(id, panel)).catch((e) => clear(panel, h("p.error", e.message)));
  };
  for (const t of list) {
    bar.append(h("button", { type: "button", role: "tab", "data-id": t.id, "aria-selected": "false", on: { click: () => select(t.id) } }, t.title));
  }
  queueMicrotask(() => select(selected));
  return h("div", bar, panel);
}

/** Label/value pairs as a definition list. */
export function fields(pairs) {
  return h(
    "dl.fields",
    pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [h("dt", k), h("dd", v === null || v === "" ? "—" : v)]),
  );
}

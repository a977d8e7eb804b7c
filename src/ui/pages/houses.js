// Справочник домов: search, six status columns (click → the errors behind), actions on a selection.
import { get } from "../api.js";
import { h, clear, fmtNum, table, pager, statusIcon, STATUS } from "../dom.js";
import { dialog, runStarter } from "./common.js";
import { addButton } from "./object-edit.js";

export const COLUMNS = [
  ["house", "дом"],
  ["entrance", "подъезды"],
  ["premise", "помещения"],
  ["room", "комнаты"],
  ["account", "ЛС"],
  ["meter", "ПУ"],
];

export async function showErrors(houseId, kind, title) {
  const list = h("div", h("p.muted", "Загрузка…"));
  dialog(`Ошибки: ${title}`, list);
  const page = await get(`/api/houses/${houseId}/errors`, { kind, limit: 200 });
  clear(
    list,
    table(
      [
        { title: "Объект", get: (r) => (kind === "account" ? h("a", { href: `#/accounts/${r.objectId}` }, r.name) : r.name) },
        { title: "Статус", get: (r) => statusIcon(r.status) },
        { title: "Код", get: (r) => h("code", r.errorCode ?? "") },
        { title: "Текст ошибки", get: (r) => r.errorText ?? "" },
      ],
      page.items,
      { empty: "Ошибок нет" },
    ),
    page.hasMore ? h("p.muted", "Показаны первые 200") : null,
  );
}

export function statusCell(house, kind, title) {
  const s = house.statuses?.[kind] ?? { state: "none", counts: {} };
  const detail = Object.entries(s.counts)
    .map(([k, n]) => `${STATUS[k]?.label ?? k}: ${fmtNum(n)}`)
    .join(", ");
  if (s.state === "error" || s.state === "ok_nested_errors") {
    return h(
      "button.icon",
      {
        type: "button",
        "data-kind": kind,
        "data-state": s.state,
        "aria-label": `${title}: ${STATUS[s.state].label}. Показать ошибки`,
        on: { click: () => showErrors(house.id, kind, `${house.address} — ${title}`) },
      },
      statusIcon(s.state, detail),
    );
  }
  return h("span", { "data-kind": kind, "data-state": s.state }, statusIcon(s.state, detail));
}

export async function render(main, ctx) {
  const params = new URLSearchParams(sessionStorage.getItem("houses.filter") ?? "");
  const q = h("input", {
    type: "search",
    id: "house-search",
    value: params.get("q") ?? "",
    placeholder: "Адрес, ФИАС ГУИД, ЕЛС или номер ЛС",
    "aria-label": "Поиск домов",
  });
  const status = h(
    "select",
    { "aria-label": "Статус дома" },
    h("option", { value: "" }, "Любой статус"),
    Object.entries(STATUS)
      .filter(([k]) => k !== "none")
      .map(([k, v]) => h("option", { value: k, selected: params.get("status") === k }, v.label)),
  );
  const selected = new Set();
  const results = h("div");
  let offset = 0;
  const load = async () => {
    sessionStorage.setItem("houses.filter", new URLSearchParams({ q: q.value, status: status.value }).toString());
    const page = await get("/api/houses", { q: q.value.trim(), status: status.value, limit: 50, offset });
    const all = h("input", {
      type: "checkbox",
      "aria-label": "Выбрать все на странице",
      on: {
        change: (e) => {
          for (const hs of page.items) e.target.checked ? selected.add(hs.id) : selected.delete(hs.id);
          for (const cb of results.querySelectorAll("input[data-id]")) cb.checked = e.target.checked;
        },
      },
    });
    clear(
      results,
      table(
        [
          {
            title: all,
            class: "sel",
            get: (r) =>
              h("input", {
                type: "checkbox",
                "data-id": r.id,
                checked: selected.has(r.id),
                "aria-label": `Выбрать ${r.address}`,
                on: { change: (e) => (e.target.checked ? selected.add(r.id) : selected.delete(r.id)) },
              }),
          },
          { title: "Участок", get: (r) => r.district ?? "" },
          { title: "Адрес", get: (r) => h("a", { href: `#/houses/${r.id}` }, r.address) },
          { title: "Тип", get: (r) => (r.houseType === "MKD" ? "МКД" : "ЖД") },
          { title: "ФИАС ГУИД", class: "mono", get: (r) => r.fiasHouseGuid ?? "" },
          { title: "ГИС ИД", class: "mono", get: (r) => r.gisUniqueNumber ?? "" },
          ...COLUMNS.map(([k, t]) => ({ title: t, class: "status", get: (r) => statusCell(r, k, t) })),
        ],
        page.items,
        { label: "Дома", empty: "Дома не найдены", rowClass: (r) => `house-${r.id}` },
      ),
      pager(page, (o) => {
        offset = o;
        load();
      }),
    );
  };
  const form = h(
    "form.filters",
    {
      role: "search",
      on: {
        submit: (e) => {
          e.preventDefault();
          offset = 0;
          load();
        },
      },
    },
    q,
    status,
    h("button", { type: "submit" }, "Найти"),
  );
  const starter = runStarter(
    ctx,
    () => {
      if (!selected.size) {
        alert("Выберите дома флажками");
        return null;
      }
      return { houseIds: [...selected] };
    },
    () => load(),
    { onTick: () => load() },
  );
  clear(
    main,
    h("h1", "Справочник домов"),
    h(
      "div.toolbar",
      addButton(ctx, "house", "Добавить дом", {}, (r) => {
        location.hash = `#/houses/${r.object.id}`;
      }),
    ),
    form,
    starter,
    results,
    h(
      "p.legend.muted",
      "Статусы: ",
      Object.entries(STATUS).map(([k, v]) => h("span", statusIcon(k), ` ${v.label} `)),
    ),
  );
  await load();
}

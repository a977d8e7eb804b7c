// Обмен с ГИС: the queue (operations in work) and the archive, with filters, selection and zip download.
import { get, download } from "../api.js";
import { h, clear, fmtTime, pager, table, toast } from "../dom.js";
import { STAGE_LABEL } from "./common.js";
import { LABELS, label } from "../labels.js";

export const STATE_LABEL = LABELS.operationState;
export const stateCell = (s) => h(`span.opstate.op-${s}`, STATE_LABEL[s] ?? s);

export async function render(main, ctx) {
  const f = {
    view: h(
      "select",
      { "aria-label": "Раздел" },
      h("option", { value: "" }, "Все"),
      h("option", { value: "queue" }, "Очередь заданий"),
      h("option", { value: "archive" }, "Архив"),
    ),
    state: h(
      "select",
      { "aria-label": "Состояние" },
      h("option", { value: "" }, "Любое состояние"),
      Object.entries(STATE_LABEL).map(([k, v]) => h("option", { value: k }, v)),
    ),
    service: h("input", { placeholder: "Сервис", "aria-label": "Сервис" }),
    method: h("input", { placeholder: "Метод", "aria-label": "Метод" }),
    author: h("input", { placeholder: "Автор", "aria-label": "Автор" }),
    organizationId: h("input", { placeholder: "Организация (№)", "aria-label": "Организация", inputMode: "numeric", size: 6 }),
    from: h("input", { type: "date", "aria-label": "С даты" }),
    to: h("input", { type: "date", "aria-label": "По дату" }),
  };
  const selected = new Set();
  const results = h("div.dense");
  let offset = 0;
  const load = async () => {
    const params = Object.fromEntries(Object.entries(f).map(([k, el]) => [k, el.value.trim()]));
    if (params.to) params.to = `${params.to}T23:59:59.999Z`;
    const page = await get("/api/operations", { ...params, limit: 50, offset });
    clear(
      results,
      table(
        [
          {
            title: "",
            class: "sel",
            get: (r) =>
              h("input", {
                type: "checkbox",
                "aria-label": `Выбрать операцию ${r.id}`,
                checked: selected.has(r.id),
                on: { change: (e) => (e.target.checked ? selected.add(r.id) : selected.delete(r.id)) },
              }),
          },
          { title: "Создана", class: "time", get: (r) => h("a", { href: `#/exchange/${r.id}` }, fmtTime(r.createdAt)) },
          { title: "Запрос", class: "time", get: (r) => fmtTime(r.sentAt) },
          { title: "Ответ", class: "time", get: (r) => fmtTime(r.answeredAt) },
          { title: "Статус", get: (r) => stateCell(r.state) },
          { title: "Сервис", class: "ident", get: (r) => r.service },
          { title: "Метод", class: "ident", get: (r) => r.method },
          { title: "Этап", get: (r) => STAGE_LABEL[r.stage] ?? r.stage ?? "" },
          { title: "Объектов", class: "num", get: (r) => r.itemCount },
          { title: "Автор", get: (r) => r.author ?? "" },
          { title: "Попыток", class: "num", get: (r) => r.attempts },
          { title: "Стенд", get: (r) => label("stand", r.stand) },
        ],
        page.items,
        {
          label: "Операции",
          empty: "Операций нет",
          onRow: (r) => {
            location.hash = `#/exchange/${r.id}`;
          },
          rowClass: (r) => `op-row-${r.state}`,
        },
      ),
      pager(page, (o) => {
        offset = o;
        load();
      }),
    );
  };
  const zip = async () => {
    if (!selected.size) {
      toast("Выберите операции флажками", "error");
      return;
    }
    const name = await download("POST", "/api/operations/export", { ids: [...selected] }, "gis-operations.zip");
    toast(`Скачан ${name}`);
  };
  clear(
    main,
    h("h1", "Обмен с ГИС"),
    h(
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
      Object.values(f),
      h("button", { type: "submit" }, "Показать"),
    ),
    h(
      "div.toolbar",
      h("button", { type: "button", on: { click: zip } }, "Сохранить XML выбранных (zip)"),
      h("span.muted", "Архив содержит персональные данные; выгрузка записывается в журнал аудита."),
    ),
    results,
  );
  await load();
}

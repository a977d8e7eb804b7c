import { h, fmtTime } from "../dom.js";
import { listScreen } from "./list.js";
import { label } from "../labels.js";

// #/messages/LEVEL/GROUP/CODE opens the list already filtered (the dashboard's counts link here).
const LEVEL = { error: "ошибка", warning: "предупреждение", info: "сведения" };

export async function render(main, ctx) {
  await listScreen(main, {
    title: "Журнал сообщений",
    url: "/api/messages",
    filters: [
      {
        name: "level",
        el: h(
          "select",
          { "aria-label": "Уровень" },
          h("option", { value: "" }, "Все уровни"),
          Object.entries(LEVEL).map(([v, w]) => h("option", { value: v, selected: ctx.id === v }, w)),
        ),
      },
      { name: "group", el: h("input", { placeholder: "Группа", "aria-label": "Группа", value: ctx.rest?.[0] ?? "" }) },
      { name: "author", el: h("input", { placeholder: "Автор", "aria-label": "Автор" }) },
      { name: "code", el: h("input", { placeholder: "Код", "aria-label": "Код ошибки", size: 10, value: ctx.rest?.[1] ?? "" }) },
      { name: "q", el: h("input", { type: "search", placeholder: "Текст", "aria-label": "Текст сообщения" }) },
      { name: "from", el: h("input", { type: "date", "aria-label": "С даты" }) },
    ],
    columns: [
      { title: "Время", get: (m) => fmtTime(m.createdAt) },
      { title: "Уровень", get: (m) => h(`span.lvl-${m.level}`, LEVEL[m.level] ?? m.level) },
      { title: "Группа", get: (m) => label("stage", m.group) },
      { title: "Подгруппа", get: (m) => m.subgroup ?? "" },
      { title: "Автор", get: (m) => m.author ?? "" },
      { title: "Код", get: (m) => (m.code ? h("code", m.code) : "") },
      { title: "Сообщение", get: (m) => m.text },
      { title: "Операция", get: (m) => (m.operationId && ctx.can("operator") ? h("a", { href: `#/exchange/${m.operationId}` }, "открыть") : "") },
    ],
  });
}

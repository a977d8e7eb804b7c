import { h, fmtTime } from "../dom.js";
import { listScreen } from "./list.js";

export async function render(main) {
  await listScreen(main, {
    title: "Журнал аудита", url: "/api/audit",
    filters: [{ name: "actor", el: h("input", { placeholder: "Пользователь", "aria-label": "Пользователь" }) }, { name: "action", el: h("input", { placeholder: "Действие", "aria-label": "Действие" }) }],
    columns: [
      { title: "Время", get: (a) => fmtTime(a.createdAt) }, { title: "Кто", get: (a) => a.actor }, { title: "Действие", get: (a) => h("code", a.action) },
      { title: "Объект", get: (a) => a.target ?? "" }, { title: "Подробности", class: "details", get: (a) => a.details ?? "" },
    ],
  });
}

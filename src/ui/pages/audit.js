import { h, fmtTime } from "../dom.js";
import { label, options, readableDetails } from "../labels.js";
import { listScreen } from "./list.js";

export async function render(main) {
  await listScreen(main, {
    title: "Журнал аудита",
    url: "/api/audit",
    filters: [
      { name: "actor", el: h("input", { placeholder: "Пользователь", "aria-label": "Пользователь" }) },
      {
        name: "action",
        el: h(
          "select",
          { "aria-label": "Действие" },
          h("option", { value: "" }, "все действия"),
          options("auditAction").map(([v, w]) => h("option", { value: v }, w)),
        ),
      },
    ],
    columns: [
      { title: "Время", get: (a) => fmtTime(a.createdAt) },
      { title: "Кто", get: (a) => a.actor },
      { title: "Действие", get: (a) => h("span", { title: a.action, "data-action": a.action }, label("auditAction", a.action)) },
      { title: "Объект", get: (a) => a.target ?? "" },
      { title: "Подробности", class: "details", get: (a) => readableDetails(a.details) },
    ],
  });
}

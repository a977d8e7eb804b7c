import { h, fmtDay, statusIcon } from "../dom.js";
import { listScreen } from "./list.js";
import { LABELS } from "../labels.js";
import { addButton } from "./object-edit.js";

export const KIND = LABELS.contractKind;

export async function render(main, ctx) {
  const open = (r) => {
    location.hash = `#/contracts/${r.object.id}`;
  };
  await listScreen(main, {
    title: "Договоры",
    before: [
      h(
        "div.toolbar",
        addButton(ctx, "contract", "Добавить договор управления", { kind: "management" }, open),
        addButton(ctx, "contract", "Добавить договор ресурсоснабжения", { kind: "supply" }, open),
        addButton(ctx, "contract", "Добавить устав", { kind: "charter" }, open),
      ),
    ],
    url: "/api/contracts",
    filters: [
      {
        name: "kind",
        el: h(
          "select",
          { "aria-label": "Вид" },
          h("option", { value: "" }, "Все виды"),
          Object.entries(KIND).map(([k, v]) => h("option", { value: k }, v)),
        ),
      },
      { name: "q", el: h("input", { type: "search", placeholder: "Номер", "aria-label": "Номер договора" }) },
    ],
    columns: [
      { title: "Номер", get: (c) => h("a", { href: `#/contracts/${c.id}` }, c.number ?? "б/н") },
      { title: "Вид", get: (c) => KIND[c.kind] ?? c.kind },
      { title: "Заключён", get: (c) => fmtDay(c.signedDate) },
      { title: "Вступает в силу", get: (c) => fmtDay(c.effectiveDate) },
      { title: "Окончание", get: (c) => fmtDay(c.plannedEndDate) },
      { title: "Статус ГИС", get: (c) => c.gisStatus ?? "" },
      { title: "Состояние", get: (c) => c.gisState ?? "" },
      { title: "Выгрузка", get: (c) => statusIcon(c.sync.status, c.sync.errorText ?? undefined) },
    ],
    onRow: (c) => {
      location.hash = `#/contracts/${c.id}`;
    },
  });
}

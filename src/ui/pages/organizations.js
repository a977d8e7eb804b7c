import { h, statusIcon } from "../dom.js";
import { label } from "../labels.js";
import { listScreen } from "./list.js";
import { addButton, editDialog } from "./object-edit.js";

export async function render(main, ctx) {
  let reload = () => undefined;
  const edit = (o) =>
    ctx.can("operator")
      ? h(
          "button.link",
          {
            type: "button",
            "data-edit": o.id,
            on: {
              click: async () => {
                if (await editDialog("organization", o)) reload();
              },
            },
          },
          "Изменить",
        )
      : "";
  reload = await listScreen(main, {
    title: "Организации",
    before: [
      h(
        "div.toolbar",
        addButton(ctx, "organization", "Добавить организацию", {}, () => reload()),
      ),
    ],
    url: "/api/organizations",
    filters: [
      { name: "q", el: h("input", { type: "search", placeholder: "Название, ИНН, ОГРН", "aria-label": "Поиск организаций" }) },
      { name: "ours", label: "только наши", el: h("input", { type: "checkbox" }) },
    ],
    columns: [
      {
        title: "Наименование",
        get: (o) => [h("a", { href: `#/organizations/${o.id}` }, o.shortName ?? o.fullName ?? String(o.id)), o.isOurs ? h("span.badge", "наша") : null],
      },
      { title: "ИНН", class: "mono", get: (o) => o.inn ?? "" },
      { title: "КПП", class: "mono", get: (o) => o.kpp ?? "" },
      { title: "ОГРН", class: "mono", get: (o) => o.ogrn ?? "" },
      { title: "Роль", get: (o) => label("orgRole", o.role) },
      { title: "ГИС (ppaGuid)", class: "mono", get: (o) => o.gisOrgPpaGuid ?? "" },
      { title: "Статус", get: (o) => statusIcon(o.sync.status, o.sync.errorText ?? undefined) },
      { title: "", get: edit },
    ],
  });
}

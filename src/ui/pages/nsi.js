import { get } from "../api.js";
import { h, clear, fmtTime, table } from "../dom.js";
import { listScreen } from "./list.js";
import { byCode } from "../labels.js";

export async function render(main, ctx) {
  if (ctx.id) {
    await listScreen(main, {
      title: `Справочник НСИ ${ctx.id}`,
      url: `/api/nsi/${ctx.id}`,
      sort: (a, b) => byCode(a.code, b.code),
      before: [h("p", h("a", { href: "#/nsi" }, "← Справочники ГИС"))],
      filters: [
        { name: "q", el: h("input", { type: "search", placeholder: "Название или код", "aria-label": "Поиск" }) },
        { name: "actual", label: "только актуальные", el: h("input", { type: "checkbox" }) },
      ],
      columns: [
        { title: "Код", get: (n) => n.code },
        { title: "Наименование", get: (n) => n.name ?? "" },
        { title: "ГУИД", class: "mono", get: (n) => n.guid },
        { title: "Актуален", get: (n) => (n.isActual ? "да" : "нет") },
      ],
    });
    return;
  }
  const list = (await get("/api/nsi")).sort((a, b) => byCode(a.registryNumber, b.registryNumber));
  clear(
    main,
    h("h1", "Справочники ГИС"),
    table(
      [
        { title: "Справочник", get: (r) => h("a", { href: `#/nsi/${r.registryNumber}` }, `НСИ ${r.registryNumber}`) },
        { title: "Группа", get: (r) => r.listGroup },
        { title: "Элементов", class: "num", get: (r) => r.items },
        { title: "Обновлён", get: (r) => fmtTime(r.modifiedAt) },
      ],
      list,
      { empty: "Справочники ещё не получены: запустите этап «Услуги и НСИ» в режиме «Запросить из ГИС»" },
    ),
  );
}

// Карточка дома: characteristics, statuses, and tabs for what the house holds.
import { get } from "../api.js";
import { h, clear, fmtDay, fmtTime, fields, pager, statusIcon, table, tabs } from "../dom.js";
import { runStarter } from "./common.js";
import { COLUMNS, statusCell } from "./houses.js";
import { label } from "../labels.js";
import { editButton } from "./object-edit.js";
import { numberedAttempts } from "./actions.js";
import { objectsTab } from "./object-lists.js";

const st = (r) => statusIcon(r.sync.status, r.sync.errorText ?? undefined);
const err = (r) => (r.sync.errorCode ? h("span", h("code", r.sync.errorCode), " ", r.sync.errorText ?? "") : "");

/** A paged list inside a tab. */
export function pagedTab(panel, url, columns, o = {}) {
  let offset = 0;
  const load = async () => {
    const page = await get(url, { limit: 50, offset });
    clear(
      panel,
      table(columns, page.items, o),
      pager(page, (x) => {
        offset = x;
        load();
      }),
    );
  };
  return load();
}

export function historyTab(panel, url) {
  return pagedTab(
    panel,
    url,
    [
      { title: "Поле", get: (r) => r.field },
      { title: "Прежнее значение", get: (r) => (r.value === null ? "—" : JSON.parse(r.value)) },
      { title: "Действовало с", get: (r) => fmtDay(r.validFrom) },
      { title: "по", get: (r) => fmtDay(r.validTo) },
      { title: "Изменено", get: (r) => fmtTime(r.changedAt) },
      { title: "Кем", get: (r) => r.changedBy ?? "" },
    ],
    { empty: "Изменений не было" },
  );
}

export async function render(main, ctx) {
  const house = await get(`/api/houses/${ctx.id}`);
  const id = house.id;
  const tab = (t, p) => {
    switch (t) {
      case "main":
        return clear(
          p,
          fields([
            ["Адрес", house.address],
            ["Участок", house.district],
            ["Тип", house.houseType === "MKD" ? "МКД" : "ЖД"],
            ["ФИАС ГУИД", house.fiasHouseGuid],
            ["ОКТМО", house.oktmo],
            ["ГИС ГУИД", house.gisHouseGuid],
            ["ГИС ИД", house.gisUniqueNumber],
            ["Год постройки", house.builtYear],
            ["Год ввода в эксплуатацию", house.commissionedYear],
            ["Этажей", house.floors],
            ["Подземных этажей", house.undergroundFloors],
            ["Подъездов", house.entrancesCount],
            ["Общая площадь", house.totalArea],
            ["Жилая площадь", house.residentialArea],
            ["Нежилая площадь", house.nonResidentialArea],
            ["Кадастровый номер", house.cadastralNumber],
            ["Часовой пояс", house.timeZone],
            ["Объект культурного наследия", house.culturalHeritage ? "да" : "нет"],
            ["Статус в ГИС", h("span", st(house), " ", err(house))],
            ["Последняя выгрузка", fmtTime(house.sync.syncedAt)],
          ]),
        );
      case "entrances":
        return objectsTab(ctx, p, {
          url: `/api/houses/${id}/entrances`,
          type: "entrance",
          name: (r) => `Подъезд ${r.number}`,
          add: { title: "Добавить подъезд", defaults: { houseId: id } },
          columns: [
            { title: "Подъезд", get: (r) => h("a", { href: `#/entrance/${r.id}` }, r.number) },
            { title: "Этажей", get: (r) => r.floors ?? "" },
            { title: "ГИС ГУИД", class: "mono", get: (r) => r.gisGuid ?? "" },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
        });
      case "premises":
        return objectsTab(ctx, p, {
          url: `/api/houses/${id}/premises`,
          type: "premise",
          name: (r) => `Помещение ${r.number}`,
          add: { title: "Добавить помещение", defaults: { houseId: id } },
          columns: [
            { title: "Помещение", get: (r) => h("a", { href: `#/premise/${r.id}` }, r.number) },
            { title: "Вид", get: (r) => label("premiseKind", r.kind) },
            { title: "Этаж", get: (r) => r.floor ?? "" },
            { title: "Площадь", class: "num", get: (r) => r.totalArea ?? "" },
            { title: "ГИС ГУИД", class: "mono", get: (r) => r.gisGuid ?? "" },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
        });
      case "rooms":
        return objectsTab(ctx, p, {
          url: `/api/houses/${id}/rooms`,
          type: "room",
          name: (r) => `Комната ${r.number}`,
          add: { title: "Добавить комнату", defaults: { houseId: id } },
          columns: [
            { title: "Комната", get: (r) => h("a", { href: `#/room/${r.id}` }, r.number) },
            { title: "Площадь", class: "num", get: (r) => r.area ?? "" },
            { title: "ГИС ГУИД", class: "mono", get: (r) => r.gisGuid ?? "" },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
        });
      case "accounts":
        return objectsTab(ctx, p, {
          url: `/api/houses/${id}/accounts`,
          type: "account",
          name: (r) => `Лицевой счёт ${r.number}`,
          add: { title: "Добавить лицевой счёт", extra: { accommodation: { houseId: id } } },
          columns: [
            { title: "Номер", get: (r) => h("a", { href: `#/accounts/${r.id}` }, r.number) },
            { title: "ЕЛС", class: "mono", get: (r) => r.unifiedNumber ?? "" },
            { title: "Плательщик", get: (r) => [r.payerLastName, r.payerFirstName, r.payerMiddleName].filter(Boolean).join(" ") },
            { title: "Открыт", get: (r) => fmtDay(r.openedDate) },
            { title: "Закрыт", get: (r) => fmtDay(r.closedDate) },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
        });
      case "meters":
        return objectsTab(ctx, p, {
          url: `/api/houses/${id}/meters`,
          type: "meter",
          name: (r) => `Прибор учёта ${r.factoryNumber}`,
          add: { title: "Добавить прибор учёта", defaults: { houseId: id } },
          columns: [
            { title: "Заводской номер", get: (r) => h("a", { href: `#/meter/${r.id}` }, r.factoryNumber) },
            { title: "Вид", get: (r) => label("meterType", r.meterType) },
            { title: "Ресурс", get: (r) => r.municipalResourceCode ?? "" },
            { title: "Поверка", get: (r) => fmtDay(r.lastVerificationDate) },
            { title: "Состояние", get: (r) => (r.state === "archived" ? "в архиве" : "действует") },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
        });
      case "contracts":
        return pagedTab(
          p,
          `/api/houses/${id}/contracts`,
          [
            {
              title: "Договор",
              get: (r) =>
                r.contract ? h("a", { href: `#/contracts/${r.contract.id}` }, `${r.contract.number ?? "б/н"} (${label("contractKind", r.contract.kind)})`) : "",
            },
            { title: "С", get: (r) => fmtDay(r.startDate) },
            { title: "По", get: (r) => fmtDay(r.endDate) },
            { title: "Состояние в ГИС", get: (r) => r.contract?.gisState ?? "" },
          ],
          { empty: "Договоров нет" },
        );
      case "history":
        return historyTab(p, `/api/objects/house/${id}/history`);
      case "attempts":
        return numberedAttempts(ctx, "house", house, () => render(main, ctx)).then((t) => clear(p, t));
    }
  };
  clear(
    main,
    h("p", h("a", { href: "#/houses" }, "← Справочник домов")),
    h("h1", house.address),
    h(
      "div.toolbar",
      editButton(ctx, "house", house, () => render(main, ctx)),
    ),
    h(
      "div.statusbar",
      COLUMNS.map(([k, t]) => h("span.statuspill", t, " ", statusCell(house, k, t))),
    ),
    runStarter(
      ctx,
      () => ({ houseIds: [id] }),
      () => render(main, ctx),
    ),
    tabs(
      [
        { id: "main", title: "Основные характеристики" },
        { id: "entrances", title: "Подъезды" },
        { id: "premises", title: "Помещения" },
        { id: "rooms", title: "Комнаты" },
        { id: "accounts", title: "Лицевые счета" },
        { id: "meters", title: "Приборы учёта" },
        { id: "contracts", title: "Договоры" },
        { id: "history", title: "История" },
        { id: "attempts", title: "Попытки отправки" },
      ],
      tab,
    ),
  );
}

// Objects of one kind by sync status: the list behind each number of the dashboard.
// #/objects/KIND/STATUS/ERRORCODE/ORGANIZATION (empty segments = no filter).
import { fmtTime, h, statusIcon } from "../dom.js";
import { listScreen } from "./list.js";
import { LABELS } from "../labels.js";

// The kinds of src/status/database-summary.ts (SYNCED_KINDS).
export const KIND_LABEL = {
  organization: "Организации",
  service: "Услуги",
  contract: "Договоры/уставы",
  house: "Дома",
  entrance: "Подъезды",
  premise: "Помещения",
  room: "Комнаты",
  account: "Лицевые счета",
  meter: "Приборы учёта",
  meter_reading: "Показания ПУ",
  payment_document: "Платёжные документы",
  payment: "Платежи",
  acknowledgment: "Квитирование",
};

// Objects with a card of their own.
const CARD = {
  house: (o) => `#/houses/${o.id}`,
  account: (o) => `#/accounts/${o.id}`,
  contract: (o) => `#/contracts/${o.id}`,
  organization: (o) => `#/organizations/${o.id}`,
  meter: (o) => `#/meter/${o.id}`,
  entrance: (o) => `#/entrance/${o.id}`,
  premise: (o) => `#/premise/${o.id}`,
  room: (o) => `#/room/${o.id}`,
};

export async function render(main, ctx) {
  const kind = ctx.id;
  const [status = "", errorCode = "", organizationId = ""] = ctx.rest ?? [];
  const title = KIND_LABEL[kind] ?? kind;
  await listScreen(main, {
    title: `Объекты: ${title}`,
    url: "/api/objects",
    filters: [
      { name: "kind", el: h("input", { type: "hidden", value: kind }) },
      {
        name: "status",
        el: h(
          "select",
          { "aria-label": "Статус" },
          h("option", { value: "" }, "Любой статус"),
          Object.entries(LABELS.syncStatus).map(([k, v]) => h("option", { value: k, selected: k === status }, v)),
        ),
      },
      { name: "errorCode", el: h("input", { placeholder: "Код ошибки", "aria-label": "Код ошибки", size: 10, value: errorCode }) },
      {
        name: "organizationId",
        el: h("input", { placeholder: "Организация (№)", "aria-label": "Организация", inputMode: "numeric", size: 6, value: organizationId }),
      },
    ],
    columns: [
      { title: "№", class: "num", get: (o) => (CARD[o.kind] ? h("a", { href: CARD[o.kind](o) }, String(o.id)) : String(o.id)) },
      { title: "Объект", get: (o) => o.title ?? o.externalId ?? "" },
      { title: "Код в учётной системе", get: (o) => o.externalId ?? "" },
      { title: "Дом", get: (o) => (o.houseId ? h("a", { href: `#/houses/${o.houseId}` }, "открыть") : "") },
      { title: "Статус", get: (o) => h("span", statusIcon(o.status), " ", LABELS.syncStatus[o.status] ?? o.status) },
      { title: "Код ошибки", get: (o) => (o.errorCode ? h("code", o.errorCode) : "") },
      { title: "Ошибка", get: (o) => o.errorText ?? "" },
      { title: "Выгружено", get: (o) => fmtTime(o.syncedAt) },
    ],
    empty: "Таких объектов нет",
  });
}

// Карточка лицевого счёта: meters, readings, payment documents, payments, history, attempts.
import { get } from "../api.js";
import { h, clear, fmtDay, fmtTime, fields, statusIcon, tabs } from "../dom.js";
import { runStarter } from "./common.js";
import { historyTab, pagedTab } from "./house.js";
import { label } from "../labels.js";
import { editButton } from "./object-edit.js";
import { actionBar, numberedAttempts } from "./actions.js";
import { objectsTab } from "./object-lists.js";

const st = (r) => statusIcon(r.sync.status, r.sync.errorText ?? undefined);
const err = (r) => (r.sync.errorCode ? h("span", h("code", r.sync.errorCode), " ", r.sync.errorText ?? "") : "");
const money = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("ru-RU", { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export async function render(main, ctx) {
  const a = await get(`/api/accounts/${ctx.id}`);
  const tab = (t, p) => {
    switch (t) {
      case "main":
        return clear(
          p,
          fields([
            ["Номер", a.number],
            ["ЕЛС", a.unifiedNumber],
            ["ИЖКУ", a.utilityServiceId],
            ["Адрес", a.houseId ? h("a", { href: `#/houses/${a.houseId}` }, a.address) : a.address],
            ["Плательщик", [a.payerLastName, a.payerFirstName, a.payerMiddleName].filter(Boolean).join(" ")],
            ["Тип ЛС", label("accountType", a.accountType)],
            ["Открыт", fmtDay(a.openedDate)],
            ["Закрыт", fmtDay(a.closedDate)],
            ["Общая площадь", a.totalArea],
            ["Отапливаемая площадь", a.heatedArea],
            ["Проживающих", a.residentsCount],
            ["Доля внесения платы", a.paymentShare],
            ["ГИС ГУИД", a.gisAccountGuid],
            ["Статус в ГИС", h("span", st(a), " ", err(a))],
            ["Последняя выгрузка", fmtTime(a.sync.syncedAt)],
          ]),
        );
      case "meters":
        return objectsTab(ctx, p, {
          url: `/api/accounts/${a.id}/meters`,
          type: "meter",
          name: (r) => `Прибор учёта ${r.factoryNumber}`,
          add: {
            title: "Добавить прибор учёта",
            defaults: { organizationId: a.organizationId, ...(a.houseId ? { houseId: a.houseId } : {}) },
            extra: { accountIds: [a.id] },
          },
          columns: [
            { title: "Заводской номер", get: (r) => h("a", { href: `#/meter/${r.id}` }, r.factoryNumber) },
            { title: "Вид", get: (r) => label("meterType", r.meterType) },
            { title: "Ресурс", get: (r) => r.municipalResourceCode ?? "" },
            { title: "Поверка", get: (r) => fmtDay(r.lastVerificationDate) },
            { title: "Состояние", get: (r) => (r.state === "archived" ? "в архиве" : "действует") },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
          empty: "Приборов нет",
        });
      case "readings":
        return pagedTab(
          p,
          `/api/accounts/${a.id}/readings`,
          [
            { title: "Дата", get: (r) => fmtDay(r.readingDate) },
            { title: "Т1", class: "num", get: (r) => r.valueT1 },
            { title: "Т2", class: "num", get: (r) => r.valueT2 ?? "" },
            {
              title: "Источник",
              get: (r) => ({ billing: "наше", citizen: "житель (ГИС)", control: "контрольное", verification: "поверка" })[r.source] ?? r.source,
            },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
          { empty: "Показаний нет" },
        );
      case "documents":
        return objectsTab(ctx, p, {
          url: `/api/accounts/${a.id}/payment-documents`,
          type: "payment_document",
          editable: false,
          name: (r) => `Квитанция за ${String(r.periodMonth).padStart(2, "0")}.${r.periodYear}`,
          columns: [
            { title: "Период", get: (r) => `${String(r.periodMonth).padStart(2, "0")}.${r.periodYear}` },
            { title: "Номер", get: (r) => r.number ?? "" },
            { title: "Начислено", class: "num", get: (r) => money(r.totalCharged) },
            { title: "К оплате", class: "num", get: (r) => money(r.totalPayable) },
            { title: "ИПД", class: "mono", get: (r) => r.gisPaymentDocumentId ?? "" },
            { title: "Состояние", get: (r) => label("paymentDocumentState", r.state) },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
          empty: "Квитанций нет",
        });
      case "payments":
        return objectsTab(ctx, p, {
          url: `/api/accounts/${a.id}/payments`,
          type: "payment",
          editable: false,
          name: (r) => `Платёж от ${fmtDay(r.orderDate)} на ${money(r.amount)} ₽`,
          columns: [
            { title: "Дата", get: (r) => fmtDay(r.orderDate) },
            { title: "Сумма", class: "num", get: (r) => money(r.amount) },
            { title: "Источник", get: (r) => (r.source === "own" ? "наш" : "другая организация") },
            { title: "Аннулирован", get: (r) => (r.annulled ? "да" : "") },
            { title: "Статус", get: st },
            { title: "Ошибка", get: err },
          ],
          empty: "Платежей нет",
        });
      case "history":
        return historyTab(p, `/api/objects/account/${a.id}/history`);
      case "attempts":
        return numberedAttempts(ctx, "account", a, () => render(main, ctx)).then((t) => clear(p, t));
    }
  };
  clear(
    main,
    h("p", a.houseId ? h("a", { href: `#/houses/${a.houseId}` }, "← Карточка дома") : h("a", { href: "#/houses" }, "← Справочник домов")),
    h("h1", `Лицевой счёт ${a.number}`, " ", st(a)),
    h(
      "div.toolbar",
      editButton(ctx, "account", a, () => render(main, ctx)),
    ),
    actionBar(
      ctx,
      "account",
      () => [{ ...a, name: `Лицевой счёт ${a.number}` }],
      () => render(main, ctx),
      `account:${a.id}`,
    ),
    runStarter(
      ctx,
      () => ({ objectIds: [a.id] }),
      () => render(main, ctx),
      { stage: "accounts" },
    ),
    tabs(
      [
        { id: "main", title: "Основные характеристики" },
        { id: "meters", title: "Приборы учёта" },
        { id: "readings", title: "Показания" },
        { id: "documents", title: "Квитанции" },
        { id: "payments", title: "Платежи" },
        { id: "history", title: "История" },
        { id: "attempts", title: "Попытки отправки" },
      ],
      tab,
    ),
  );
}

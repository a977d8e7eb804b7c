import { get } from "../api.js";
import { h, clear, fmtDay, fields, statusIcon, tabs } from "../dom.js";
import { attemptsTable, runStarter } from "./common.js";
import { pagedTab } from "./house.js";
import { KIND } from "./contracts.js";

export async function render(main, ctx) {
  const c = await get(`/api/contracts/${ctx.id}`);
  clear(main, h("p", h("a", { href: "#/contracts" }, "← Договоры")),
    h("h1", `${KIND[c.kind] ?? c.kind} № ${c.number ?? "б/н"}`, " ", statusIcon(c.sync.status, c.sync.errorText ?? undefined)),
    runStarter(ctx, () => ({ contractId: c.id }), () => render(main, ctx), { stage: "contracts" }),
    tabs([{ id: "main", title: "Реквизиты" }, { id: "objects", title: `Объекты (${c.objectCount})` }, { id: "attempts", title: "Попытки отправки" }], (t, p) => {
      if (t === "main") return clear(p, fields([
        ["Заключён", fmtDay(c.signedDate)], ["Вступает в силу", fmtDay(c.effectiveDate)], ["Окончание", fmtDay(c.plannedEndDate)],
        ["Вторая сторона", c.secondPartyName], ["Показания ПУ", c.readingsFromDay ? `с ${c.readingsFromDay} по ${c.readingsToDay} число` : null],
        ["Срок выставления ПД", c.paymentDocumentDay], ["Срок оплаты", c.paymentDay], ["Статус ГИС", c.gisStatus], ["Состояние ГИС", c.gisState],
        ["ГИС ГУИД версии", c.gisVersionGuid], ["Ошибка", c.sync.errorText],
      ]));
      if (t === "objects") return pagedTab(p, `/api/contracts/${c.id}/objects`, [
        { title: "Дом", get: (o) => o.house ? h("a", { href: `#/houses/${o.house.id}` }, o.house.address) : o.houseId },
        { title: "С", get: (o) => fmtDay(o.startDate) }, { title: "По", get: (o) => fmtDay(o.endDate) },
        { title: "Услуги", get: (o) => o.services.map((s) => s.service?.name ?? s.serviceId).join(", ") },
      ]);
      return attemptsTable(ctx, "contract", c.id).then((x) => clear(p, x));
    }));
}

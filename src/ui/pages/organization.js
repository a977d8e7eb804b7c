// Карточка организации (#/organizations/ID): its fields, its identity in the GIS registry of
// organizations on the stand chosen in the header, what signs its requests (the signer link), and
// an action bar like other cards': send its data / request it from GIS — a run of the services
// stage (exportOrgRegistry, data provider, services) for this organization, with progress.
import { get } from "../api.js";
import { h, clear, fields, tabs, toast } from "../dom.js";
import { label } from "../labels.js";
import { scope } from "../scope.js";
import { confirmRun } from "./run-confirm.js";
import { editButton } from "./object-edit.js";
import { numberedAttempts, watchRun } from "./actions.js";
import { fieldValue, identityFields } from "./object-card.js";
import { historyTab } from "./house.js";

const ACTIONS = [
  {
    id: "push",
    mode: "push",
    label: "Отправить в ГИС",
    tells: "ГИС получит данные организации этапа «Услуги и НСИ»: её услуги и справочники; идентификаторы из реестра организаций будут обновлены.",
  },
  {
    id: "pull",
    mode: "pull",
    label: "Запросить из ГИС",
    tells: "Из реестра организаций ГИС будут запрошены её идентификаторы (orgPPAGUID) и права поставщика данных; ничего не отправляется.",
  },
];

function orgActionBar(ctx, org, onFinished) {
  if (!ctx.can("operator")) return null;
  const chosen = scope().stand;
  const stand = h(
    "select",
    { "aria-label": "Стенд" },
    ctx.meta.stands.map((s) => h("option", { value: s, selected: s === (chosen ?? ctx.meta.defaultStand) }, label("stand", s))),
  );
  const status = h("div.run-status.action-status", { role: "status" });
  const buttons = ACTIONS.map((a) =>
    h(
      "button",
      {
        type: "button",
        "data-action": a.id,
        on: {
          click: async () => {
            const id = await confirmRun(org.shortName ?? org.fullName, a, { stages: ["services"], mode: a.mode, stand: stand.value, organizationId: org.id });
            if (!id) return;
            toast(`Запущено: ${a.label}`);
            watchRun(status, id, onFinished);
          },
        },
      },
      a.label,
    ),
  );
  return h("div.toolbar.object-actions", { role: "group", "aria-label": "Действия с организацией", "data-type": "organization" }, stand, buttons, status);
}

/** What signs the organization's requests; the administrator is led to the signing settings. */
async function signerBlock(ctx, org) {
  if (!ctx.can("operator")) return h("p.muted", "Подпись видна оператору и администратору");
  let s;
  try {
    s = await get(`/api/organizations/${org.id}/signer`);
  } catch (e) {
    return h("p.error", e.message);
  }
  const KIND = { operator: "подпись установки", software: "ключ в файле", pkcs11: "токен PKCS#11", command: "внешняя программа" };
  return h(
    "div.signer",
    fields([
      ["Чем подписывается", KIND[s.kind] ?? s.kind],
      ["Сертификат", s.certificate ? `${s.certificate.subject}${s.certificate.expired ? " (срок истёк)" : ""}` : (s.note ?? null)],
      ["Действует до", s.certificate ? new Date(s.certificate.notAfter).toLocaleDateString("ru-RU") : null],
    ]),
    ctx.can("admin") ? h("p", h("a#signer-link", { href: "#/settings" }, "Настроить подпись (Настройки → Подпись)")) : null,
  );
}

export async function render(main, ctx) {
  const c = await get(`/api/cards/organization/${ctx.id}`);
  const o = c.object;
  const redraw = () => render(main, ctx);
  const tab = async (t, p) => {
    switch (t) {
      case "main":
        return clear(p, fields(c.fields.map((f) => [f.label, fieldValue(f)])));
      case "gis":
        return clear(p, identityFields(c));
      case "signer":
        return clear(p, await signerBlock(ctx, o));
      case "history":
        return historyTab(p, `/api/objects/organization/${o.id}/history`);
      case "attempts":
        return numberedAttempts(ctx, "organization", o, redraw).then((x) => clear(p, x));
    }
  };
  clear(
    main,
    h("p", h("a", { href: "#/organizations" }, "← Организации")),
    h("h1", o.shortName ?? o.fullName ?? `Организация ${o.id}`, o.isOurs ? h("span.badge", "наша") : null),
    h("div.toolbar", editButton(ctx, "organization", o, redraw)),
    orgActionBar(ctx, o, redraw),
    tabs(
      [
        { id: "main", title: "Основные характеристики" },
        { id: "gis", title: "ГИС" },
        { id: "signer", title: "Подпись" },
        { id: "history", title: "История" },
        { id: "attempts", title: "Попытки отправки" },
      ],
      tab,
    ),
  );
}

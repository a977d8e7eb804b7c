// Cards of meters, entrances, premises and rooms (#/meter/ID, #/entrance/ID, #/premise/ID, #/room/ID):
// the object's fields with its linked objects by name, its GIS identity and status on the stand
// chosen in the header, its numbered attempts linked to the exchange records, its history, and
// the same action bar the account card has (send / request / the kind's own actions).
import { get } from "../api.js";
import { h, clear, fmtDay, fmtTime, fields, statusIcon, tabs } from "../dom.js";
import { label } from "../labels.js";
import { scope } from "../scope.js";
import { editButton } from "./object-edit.js";
import { actionBar, numberedAttempts, watchRun } from "./actions.js";
import { confirmRun } from "./run-confirm.js";
import { historyTab } from "./house.js";

/** The hash section of each kind's card. */
export const CARD_SECTIONS = { meter: "meter", entrance: "entrance", premise: "premise", room: "room" };

// Values an operator reads in words, by field.
const ENUMS = { meterType: "meterType", kind: "premiseKind", role: "orgRole" };
const WORDS = { state: { active: "действует", archived: "в архиве" } };

/** A field's value as the card shows it. */
export function fieldValue(f) {
  if (f.ref) return f.ref.href ? h("a", { href: f.ref.href }, f.ref.name) : f.ref.name;
  const v = f.value;
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "boolean") return v ? "да" : "нет";
  if (ENUMS[f.field]) return label(ENUMS[f.field], v);
  if (WORDS[f.field]) return WORDS[f.field][v] ?? String(v);
  if (/Date$/.test(f.field)) return fmtDay(v);
  if (/At$/.test(f.field)) return fmtTime(v);
  return String(v);
}

/** The card's «ГИС» part: identity and sync status on the stand it was read for. */
export function identityFields(c) {
  const s = c.sync ?? {};
  return fields([
    ["Стенд", label("stand", c.stand)],
    ...c.identity.map((f) => [f.label, f.value === null ? null : h("code", String(f.value))]),
    ["Статус в ГИС", h("span.card-status", statusIcon(s.status, s.errorText ?? undefined), " ", label("syncStatus", s.status))],
    ["Ошибка", s.errorCode ? h("span", h("code", s.errorCode), " ", s.errorText ?? "") : (s.errorText ?? null)],
    ["Последняя выгрузка", fmtTime(s.syncedAt)],
    ["Последняя операция", s.lastOperationId ? h("a", { href: `#/exchange/${s.lastOperationId}` }, s.lastOperationId) : null],
  ]);
}

/** The action bar, its stand set to the one the card shows. */
export function standActionBar(ctx, type, selection, onFinished, key) {
  const bar = actionBar(ctx, type, selection, onFinished, key);
  const select = bar?.querySelector("select");
  const stand = scope().stand;
  if (select && stand && [...select.options].some((o) => o.value === stand)) select.value = stand;
  return bar;
}

// GIS gives entrances, premises and rooms with their house (exportHouseData): requesting one is requesting its house.
const PULL_HOUSE = {
  id: "pull",
  mode: "pull",
  label: "Запросить из ГИС",
  tells: "Из ГИС будут запрошены данные дома вместе с его подъездами, помещениями и комнатами; ничего не отправляется.",
};

/** «Запросить из ГИС» for a kind GIS gives with its house, added to the card's action bar. */
function pullHouseButton(bar, c, onFinished) {
  if (!bar || !c.houseId || bar.querySelector("[data-action=pull]")) return;
  const status = bar.querySelector(".action-status");
  const button = h(
    "button",
    {
      type: "button",
      "data-action": PULL_HOUSE.id,
      on: {
        click: async () => {
          const stand = bar.querySelector("select").value;
          const id = await confirmRun(c.name, PULL_HOUSE, { stages: ["fund"], mode: "pull", stand, houseIds: [c.houseId] });
          if (id) watchRun(status, id, onFinished);
        },
      },
    },
    PULL_HOUSE.label,
  );
  bar.insertBefore(button, status);
}

export async function render(main, ctx) {
  const kind = location.hash.replace(/^#\/?/, "").split("/")[0];
  const c = await get(`/api/cards/${kind}/${ctx.id}`);
  const o = c.object;
  const redraw = () => render(main, ctx);
  const bar = standActionBar(ctx, kind, () => [{ ...o, name: c.name }], redraw, `${kind}:${o.id}`);
  if (kind !== "meter") pullHouseButton(bar, c, redraw);
  const tab = (t, p) => {
    switch (t) {
      case "main":
        return clear(
          p,
          fields(c.fields.map((f) => [f.label, fieldValue(f)])),
          c.accounts?.length
            ? h(
                "p",
                "Лицевые счета: ",
                c.accounts.map((a) => [h("a", { href: a.href }, a.name), " "]),
              )
            : null,
        );
      case "gis":
        return clear(p, identityFields(c));
      case "history":
        return historyTab(p, `/api/objects/${kind}/${o.id}/history`);
      case "attempts":
        return numberedAttempts(ctx, kind, o, redraw).then((x) => clear(p, x));
    }
  };
  clear(
    main,
    h("p", c.houseId ? h("a", { href: `#/houses/${c.houseId}` }, "← Карточка дома") : h("a", { href: "#/houses" }, "← Справочник домов")),
    h("h1", c.title, " ", statusIcon(c.sync?.status, c.sync?.errorText ?? undefined)),
    h("div.toolbar", editButton(ctx, kind, o, redraw)),
    bar,
    tabs(
      [
        { id: "main", title: "Основные характеристики" },
        { id: "gis", title: "ГИС" },
        { id: "history", title: "История" },
        { id: "attempts", title: "Попытки отправки" },
      ],
      tab,
    ),
  );
}

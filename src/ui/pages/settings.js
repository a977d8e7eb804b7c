// Настройки: grouped constants with their allowed ranges; secrets are write-only.
import { get, put } from "../api.js";
import { h, clear, fmtTime, toast } from "../dom.js";

const GROUPS = { gis: "ГИС ЖКХ", import: "Импорт", exchange: "Обмен с ГИС", retention: "Хранение", fias: "ФИАС", signer: "Подпись", stand: "Стенд" };

function input(s) {
  const id = `set-${s.key}`;
  if (s.type === "bool") return h("input", { id, type: "checkbox", checked: !!s.value });
  if (s.type === "enum") return h("select", { id }, s.values.map((v) => h("option", { value: v, selected: s.value === v }, v)));
  if (s.type === "int") return h("input", { id, type: "number", min: s.min, max: s.max, value: s.value ?? "" });
  if (s.secret) return h("input", { id, type: "password", autocomplete: "new-password", placeholder: s.isSet ? "задано (не показывается)" : "не задано" });
  return h("input", { id, value: s.value ?? "" });
}

export async function render(main) {
  const list = await get("/api/settings");
  const save = async (s, el) => {
    let value = s.type === "bool" ? el.checked : el.value;
    if (s.type === "int") value = el.value === "" ? null : Number(el.value);
    if (value === "") value = null;
    try {
      await put(`/api/settings/${encodeURIComponent(s.key)}`, { value });
      toast(`Сохранено: ${s.label}`);
      if (s.secret) el.value = "";
    } catch (e) { toast(e.message, "error"); }
  };
  clear(main, h("h1", "Настройки"), Object.entries(GROUPS).map(([g, title]) => {
    const rows = list.filter((s) => s.group === g);
    if (!rows.length) return null;
    return h("section.card", h("h2", title), h("div.settings", rows.map((s) => {
      const el = input(s);
      return h("div.setting",
        h("label", { for: `set-${s.key}` }, s.label, s.min !== undefined && s.min !== null ? h("span.muted", ` (${s.min}–${s.max})`) : null),
        el, h("button", { type: "button", on: { click: () => save(s, el) } }, "Сохранить"),
        h("span.muted.small", s.secret ? "секрет: только запись" : s.isDefault ? "по умолчанию" : `изменено ${fmtTime(s.updatedAt)} ${s.updatedBy ?? ""}`));
    })));
  }));
}

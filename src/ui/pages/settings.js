// Настройки: one form per group with one «Сохранить» (the whole group goes in one request, checked
// before anything is written), a warning before leaving with unsaved edits, organizations by name,
// server-only settings read-only, each setting's help text. Secrets are write-only.
import { get, put } from "../api.js";
import { h, clear, fmtTime } from "../dom.js";
import { LABELS } from "../labels.js";

const GROUPS = {
  gis: "ГИС ЖКХ",
  import: "Импорт",
  exchange: "Обмен с ГИС",
  retention: "Хранение",
  fias: "ФИАС",
  signer: "Подпись",
  stand: "Стенд",
  server: "Сервер",
  mail: "Почта",
  backup: "Резервные копии",
};
// Enum values with words; the rest show as they are.
const ENUM_WORDS = {
  "gis.role": LABELS.orgRole,
  "signer.kind": { software: "программный ключ", pkcs11: "токен PKCS#11", command: "внешняя программа" },
  "transport.mode": { proxy: "через ГОСТ TLS-прокси", basic: "Basic (тестовые стенды)", direct: "напрямую (PKCS#12)", plain: "без шифрования" },
};

function input(s, orgs, ourRole) {
  const id = `set-${s.key}`;
  const disabled = s.serverOnly;
  if (s.key === "gis.ourOrganizationId") {
    return h(
      "select",
      { id, disabled },
      h("option", { value: "" }, "— не выбрана —"),
      orgs.map((o) => h("option", { value: String(o.id), selected: s.value === o.id }, `${o.shortName ?? o.fullName}${o.inn ? ` (ИНН ${o.inn})` : ""}`)),
      s.value && !orgs.some((o) => o.id === s.value)
        ? h("option", { value: String(s.value), selected: true }, `организация ${s.value} (нет в справочнике)`)
        : null,
    );
  }
  if (s.type === "bool") return h("input", { id, type: "checkbox", checked: !!s.value, disabled });
  if (s.type === "enum") {
    // «Тип организации» not set yet: offer the role of our organization.
    const value = s.key === "gis.role" && s.isDefault && ourRole ? ourRole : s.value;
    return h(
      "select",
      { id, disabled },
      s.values.map((v) => h("option", { value: v, selected: value === v }, ENUM_WORDS[s.key]?.[v] ?? v)),
    );
  }
  if (s.type === "int") return h("input", { id, type: "number", min: s.min, max: s.max, value: s.value ?? "", disabled });
  if (s.secret)
    return h("input", { id, type: "password", autocomplete: "new-password", placeholder: s.isSet ? "задано (не показывается)" : "не задано", disabled });
  return h("input", { id, value: s.value ?? "", disabled });
}

/** The value in the control as the API takes it; undefined = a secret left blank (unchanged). */
function valueOf(s, el) {
  if (s.type === "bool") return el.checked;
  const raw = el.value.trim();
  if (s.secret) return raw === "" ? undefined : raw;
  if (raw === "") return null;
  return s.type === "int" || s.key === "gis.ourOrganizationId" ? Number(raw) : raw;
}

// What is stored, in valueOf's terms: an empty string reads back from the form as null.
const shown = (s) => (s.secret ? undefined : s.type === "bool" ? !!s.value : s.value === "" ? null : (s.value ?? null));

export async function render(main, ctx) {
  const [list, orgPage] = await Promise.all([get("/api/settings"), get("/api/organizations", { limit: 200 })]);
  const orgs = orgPage.items ?? [];
  const ourId = list.find((s) => s.key === "gis.ourOrganizationId")?.value;
  const ourRole = orgs.find((o) => o.id === ourId)?.role ?? orgs.find((o) => o.isOurs)?.role ?? null;
  /** @type {Set<HTMLFormElement>} */
  const dirty = new Set();

  const groupForm = (g, title, rows) => {
    const controls = rows.map((s) => ({ s, el: input(s, orgs, ourRole) }));
    const status = h("span.muted.small", { role: "status" });
    const save = h("button", { type: "submit", disabled: true }, "Сохранить");
    const form = h("form.card.settings-group", { "data-group": g, "aria-label": title });
    // Edited = differs from what the screen first showed; a value only offered (the role) is saved with the group but does not count as an edit.
    const baseline = new Map(controls.map(({ s, el }) => [s.key, valueOf(s, el)]));
    const editable = controls.filter(({ s }) => !s.serverOnly);
    const changed = () => editable.filter(({ s, el }) => valueOf(s, el) !== undefined && valueOf(s, el) !== baseline.get(s.key));
    const toSave = () =>
      editable.filter(({ s, el }) => valueOf(s, el) !== undefined && (valueOf(s, el) !== baseline.get(s.key) || valueOf(s, el) !== shown(s)));
    const mark = () => {
      const n = changed().length;
      if (n) dirty.add(form);
      else dirty.delete(form);
      save.disabled = n === 0 && toSave().length === 0;
      status.textContent = n ? `Не сохранено: ${n}` : "";
    };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const values = Object.fromEntries(toSave().map(({ s, el }) => [s.key, valueOf(s, el)]));
      if (!Object.keys(values).length) return;
      save.disabled = true;
      try {
        const saved = await put("/api/settings", { values });
        for (const v of saved) {
          const c = controls.find(({ s }) => s.key === v.key);
          if (!c) continue;
          Object.assign(c.s, v);
          baseline.set(v.key, valueOf(c.s, c.el));
          if (c.s.secret) c.el.value = "";
          c.el.closest(".setting").querySelector(".state").textContent = stateText(c.s);
        }
        mark();
        status.textContent = `Сохранено: ${saved.length}`;
      } catch (err) {
        status.textContent = "";
        save.disabled = false;
        clear(errors, h("p.error", { role: "alert" }, err.message));
        return;
      }
      clear(errors);
    });
    const errors = h("div");
    clear(
      form,
      h("h2", title),
      errors,
      h(
        "div.settings",
        controls.map(({ s, el }) =>
          h(
            "div.setting",
            { "data-key": s.key },
            h("label", { for: `set-${s.key}` }, s.label, s.min !== undefined && s.min !== null ? h("span.muted", ` (${s.min}–${s.max})`) : null),
            el,
            h("span.muted.small.state", stateText(s)),
            s.serverOnly ? h("p.hint.small", "Задаётся только на сервере: ", h("code", `gis-sync settings set ${s.key} ЗНАЧЕНИЕ`)) : null,
            s.key === "gis.role" && s.isDefault && ourRole && ourRole !== s.value
              ? h("p.hint.small", `Предложено по роли нашей организации (${LABELS.orgRole[ourRole] ?? ourRole}); сохраняется вместе с группой`)
              : null,
            s.help ? h("p.hint.small", s.help) : null,
          ),
        ),
      ),
      h("div.toolbar", save, status),
    );
    queueMicrotask(mark);
    return form;
  };

  clear(
    main,
    h("h1", "Настройки"),
    Object.entries(GROUPS).map(([g, title]) => {
      const rows = list.filter((s) => s.group === g);
      return rows.length ? groupForm(g, title, rows) : null;
    }),
  );

  const warnUnload = (e) => {
    if (dirty.size) {
      e.preventDefault();
      e.returnValue = "";
    }
  };
  window.addEventListener("beforeunload", warnUnload);
  // Leaving inside the app is a hash change: the shell asks this screen first.
  ctx.guardLeave(() => {
    if (!dirty.size) return true;
    if (!confirm("На странице настроек есть несохранённые изменения. Уйти без сохранения?")) return false;
    dirty.clear();
    return true;
  });
  return () => window.removeEventListener("beforeunload", warnUnload);
}

function stateText(s) {
  if (s.secret) return `секрет: только запись${s.isSet ? " (задан)" : ""}`;
  if (s.isDefault) return "по умолчанию";
  return `изменено ${fmtTime(s.updatedAt)}${s.updatedBy ? ` (${s.updatedBy})` : ""}`;
}

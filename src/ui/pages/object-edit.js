// Entry and editing of an object in a dialog: the form follows GET /api/edit/schema (the billing
// bundle's fields, the importer's checks), a field marked «Репликация» (a billing object) or
// «Импорт» (GIS's) shows read-only, and each field the server refuses gets its message beside it.
import { get, post, put } from "../api.js";
import { h, toast } from "../dom.js";
import { LABELS } from "../labels.js";
import { dialog } from "./common.js";

let schema = null;

/** The forms' description (cached for the page's life; markers change rarely and reload with the page). */
export async function editSchema(reload = false) {
  if (!schema || reload) schema = await get("/api/edit/schema");
  return schema;
}

export async function kindOf(entity) {
  return (await editSchema()).kinds.find((k) => k.entity === entity);
}

// Russian words for enum values, per field.
const ENUM_LABELS = {
  role: LABELS.orgRole,
  accountType: LABELS.accountType,
  houseType: LABELS.houseType,
  meterType: LABELS.meterType,
  payerKind: { person: "физическое лицо", organization: "организация" },
  state: { active: "действует", archived: "в архиве" },
  secondPartyKind: { owners: "собственники", organization: "организация", person: "физическое лицо", municipality: "муниципалитет", developer: "застройщик" },
};
const enumLabels = (entity, field) => (field === "kind" ? { contract: LABELS.contractKind, premise: LABELS.premiseKind }[entity] : ENUM_LABELS[field]) ?? {};

/** Why a field cannot be changed here, or null. */
function lockOf(f, o, manualPrefix) {
  if (f.importedFromGis) return "значение присваивает ГИС";
  if (f.replicated && o && !String(o.externalId ?? "").startsWith(manualPrefix)) return "из учётной системы";
  if (f.fixed && o) return "задаётся при создании";
  return null;
}

function input(entity, f, value, locked) {
  const common = { name: f.field, id: `f-${f.field}`, "data-field": f.field, disabled: !!locked, "aria-describedby": `e-${f.field}` };
  if (f.type === "bool") return h("input", { ...common, type: "checkbox", checked: !!value });
  if (f.type === "enum") {
    const words = enumLabels(entity, f.field);
    return h(
      "select",
      common,
      f.required ? null : h("option", { value: "" }, "—"),
      f.values.map((v) => h("option", { value: v, selected: v === value }, words[v] ?? v)),
    );
  }
  const type = f.type === "date" ? "date" : f.type === "int" || f.type === "ref" ? "number" : "text";
  return h("input", {
    ...common,
    type,
    value: value === null || value === undefined ? "" : String(value).slice(0, f.type === "date" ? 10 : undefined),
    maxLength: f.max,
    inputMode: f.type === "decimal" || f.type === "reading" ? "decimal" : undefined,
  });
}

function readValue(f, el) {
  if (f.type === "bool") return el.checked;
  const v = el.value.trim();
  if (v === "") return null;
  if (f.type === "int" || f.type === "ref") return Number(v);
  return v;
}

const same = (a, b) => (a ?? null) === (b ?? null) || (a !== null && b !== null && a !== undefined && b !== undefined && String(a) === String(b));

/**
 * Opens the form for `entity`: `object` null creates one (with `defaults`, e.g. the house of a
 * premise), else edits it. `focus` puts the cursor on the field GIS named. Resolves with the
 * server's answer {object, changed, warnings}, or null when closed without saving.
 */
export async function editDialog(entity, object, o = {}) {
  const s = await editSchema();
  const kind = s.kinds.find((k) => k.entity === entity);
  const start = { ...(o.defaults ?? {}), ...(object ?? {}) };
  const hidden = new Set(Object.keys(o.defaults ?? {}));
  const rows = kind.fields
    .filter((f) => !(hidden.has(f.field) && !object))
    .map((f) => {
      const locked = lockOf(f, object, s.manualPrefix);
      const el = input(entity, f, start[f.field], locked);
      return {
        f,
        el,
        row: h(
          "div.form-row",
          { "data-row": f.field },
          h("label", { for: `f-${f.field}` }, f.label, f.required ? " *" : "", locked ? h("span.muted", ` 🔒 ${locked}`) : null),
          el,
          h("small.field-error", { id: `e-${f.field}`, role: "alert" }),
        ),
      };
    });
  const message = h("p.error", { hidden: true, role: "alert" });
  const submit = h("button.primary", { type: "submit" }, object ? "Сохранить" : "Добавить");
  return new Promise((resolve) => {
    let result = null;
    const form = h(
      "form.edit-form",
      {
        "data-entity": entity,
        on: {
          submit: async (e) => {
            e.preventDefault();
            const body = {};
            for (const r of rows) {
              if (r.el.disabled) continue;
              const v = readValue(r.f, r.el);
              if (object ? !same(v, object[r.f.field]) : v !== null && v !== false) body[r.f.field] = v;
            }
            if (!object) Object.assign(body, o.defaults ?? {}, o.extra ?? {});
            for (const r of rows) {
              r.row.classList.remove("invalid");
              r.el.removeAttribute("aria-invalid");
              r.row.querySelector(".field-error").textContent = "";
            }
            message.hidden = true;
            if (object && Object.keys(body).length === 0) {
              d.close();
              return;
            }
            submit.disabled = true;
            try {
              result = object ? await put(`/api/${kind.plural}/${object.id}`, body) : await post(`/api/${kind.plural}`, body);
              for (const w of result.warnings ?? []) toast(`${w.label}: ${w.message}`, "error");
              toast(object ? `Сохранено: ${result.changed.length ? result.changed.length : "без изменений"}` : `Добавлено: ${kind.title.toLowerCase()}`);
              d.close();
            } catch (err) {
              message.textContent = err.message;
              message.hidden = false;
              // The server's answer names the fields: mark each one.
              for (const fe of err.errors ?? []) {
                const r = rows.find((x) => x.f.field === fe.field);
                if (!r) continue;
                r.row.classList.add("invalid");
                r.el.setAttribute("aria-invalid", "true");
                r.row.querySelector(".field-error").textContent = fe.message;
              }
            } finally {
              submit.disabled = false;
            }
          },
        },
      },
      rows.map((r) => r.row),
      message,
      h("div.toolbar", submit, h("button", { type: "button", on: { click: () => d.close() } }, "Отмена")),
    );
    const d = dialog(object ? `${kind.title}: изменение` : `${kind.title}: добавление`, form);
    d.addEventListener("close", () => resolve(result));
    const target = o.focus && rows.find((r) => r.f.field === o.focus && !r.el.disabled);
    (target ?? rows.find((r) => !r.el.disabled))?.el.focus();
  });
}

/** «Изменить» for a card (operators and administrators). */
export function editButton(ctx, entity, object, onSaved) {
  if (!ctx.can("operator")) return null;
  return h(
    "button",
    {
      type: "button",
      class: "edit-object",
      "data-entity": entity,
      on: {
        click: async () => {
          const r = await editDialog(entity, object);
          if (r) onSaved?.(r);
        },
      },
    },
    "Изменить",
  );
}

/** «Добавить …» for a list; `defaults` fixes the parent (the house of a premise…). */
export function addButton(ctx, entity, title, defaults, onSaved, extra = undefined) {
  if (!ctx.can("operator")) return null;
  return h(
    "button",
    {
      type: "button",
      class: "add-object",
      "data-entity": entity,
      on: {
        click: async () => {
          const r = await editDialog(entity, null, { defaults, extra });
          if (r) onSaved?.(r);
        },
      },
    },
    title,
  );
}

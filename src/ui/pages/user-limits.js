// The users screen's «Ограничения» dialog: the organizations and stands a user works with
// (nothing ticked — no limit: every organization, every stand).
import { patch } from "../api.js";
import { h, toast } from "../dom.js";
import { label } from "../labels.js";
import { dialog } from "./common.js";

/** What a user's limits read as in the table. */
export function limitsText(u, orgs) {
  const names = (u.organizationIds ?? []).map((id) => orgs.find((o) => o.id === id)?.name ?? `#${id}`);
  return `${u.organizationIds ? names.join(", ") : "все организации"}; ${u.stands ? u.stands.map((s) => label("stand", s)).join(", ") : "все стенды"}`;
}

/** @param {any} u @param {{organizations: Array<{id: number, name: string, ogrn: string | null}>, stands: string[]}} scope @param {() => void} done */
export function limitsDialog(u, scope, stands, done) {
  const box = (name, value, text, checked) => h("label.check", h("input", { type: "checkbox", name, value: String(value), checked }), ` ${text}`);
  const orgBoxes = scope.organizations.map((o) => box("org", o.id, `${o.name}${o.ogrn ? ` (ОГРН ${o.ogrn})` : ""}`, (u.organizationIds ?? []).includes(o.id)));
  const standBoxes = stands.map((s) => box("stand", s, label("stand", s), (u.stands ?? []).includes(s)));
  const d = dialog(
    `Ограничения: ${u.login}`,
    h(
      "form#user-limits",
      {
        on: {
          submit: async (e) => {
            e.preventDefault();
            const ticked = (name) => [...d.querySelectorAll(`input[name=${name}]:checked`)].map((x) => x.value);
            const orgIds = ticked("org").map(Number);
            const st = ticked("stand");
            try {
              await patch(`/api/users/${u.id}`, { organizationIds: orgIds.length ? orgIds : null, stands: st.length ? st : null });
              d.close();
              done();
            } catch (err) {
              toast(err.message, "error");
            }
          },
        },
      },
      h("p.muted", "Ничего не отмечено — без ограничения. Пользователь видит дома, лицевые счета, плательщиков и запуски только отмеченных организаций."),
      h("fieldset", h("legend", "Организации"), orgBoxes.length ? orgBoxes : h("p.muted", "Организаций нет")),
      h("fieldset", h("legend", "Стенды"), standBoxes),
      h("button.primary", { type: "submit" }, "Сохранить"),
    ),
  );
}

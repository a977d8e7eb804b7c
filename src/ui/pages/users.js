import { get, post, patch } from "../api.js";
import { h, clear, fmtTime, table, toast } from "../dom.js";
import { dialog } from "./common.js";
import { LABELS } from "../labels.js";
import { passwordDialog } from "./password.js";
import { remindersDialog } from "./reminders.js";
import { limitsDialog, limitsText } from "./user-limits.js";

const ROLES = LABELS.userRole;

export async function render(main, ctx) {
  const users = await get("/api/users");
  const scope = await get("/api/me/scope");
  const reload = () => render(main, ctx);
  const add = () => {
    const login = h("input", { id: "u-login", required: true, autocomplete: "off" });
    const name = h("input", { id: "u-name" });
    const role = h(
      "select",
      { id: "u-role" },
      Object.entries(ROLES).map(([k, v]) => h("option", { value: k }, v)),
    );
    const pass = h("input", { id: "u-pass", type: "password", autocomplete: "new-password", minLength: 8, required: true });
    const d = dialog(
      "Новый пользователь",
      h(
        "form.form-grid",
        {
          on: {
            submit: async (e) => {
              e.preventDefault();
              try {
                await post("/api/users", { login: login.value.trim(), displayName: name.value.trim() || null, role: role.value, password: pass.value });
                d.close();
                reload();
              } catch (err) {
                toast(err.message, "error");
              }
            },
          },
        },
        h("label", { for: "u-login" }, "Логин"),
        login,
        h("label", { for: "u-name" }, "Имя"),
        name,
        h("label", { for: "u-role" }, "Роль"),
        role,
        h("label", { for: "u-pass" }, "Пароль (от 8 символов)"),
        pass,
        h("span"),
        h("button.primary", { type: "submit" }, "Создать"),
      ),
    );
  };
  const change = async (u, body) => {
    try {
      await patch(`/api/users/${u.id}`, body);
      reload();
    } catch (e) {
      toast(e.message, "error");
    }
  };
  clear(
    main,
    h("h1", "Пользователи"),
    h("div.toolbar", h("button.primary", { type: "button", on: { click: add } }, "Добавить")),
    table(
      [
        { title: "Логин", get: (u) => u.login },
        { title: "Имя", get: (u) => u.displayName ?? "" },
        {
          title: "Роль",
          get: (u) =>
            h(
              "select",
              {
                "aria-label": `Роль ${u.login}`,
                on: {
                  change: (e) => {
                    const to = e.target.value;
                    if (!confirm(`Сменить роль пользователя ${u.login}: ${ROLES[u.role] ?? u.role} → ${ROLES[to] ?? to}?`)) {
                      e.target.value = u.role;
                      return;
                    }
                    change(u, { role: to });
                  },
                },
              },
              Object.entries(ROLES).map(([k, v]) => h("option", { value: k, selected: u.role === k }, v)),
            ),
        },
        {
          title: "Активен",
          get: (u) =>
            h("input", {
              type: "checkbox",
              "aria-label": `Активен ${u.login}`,
              checked: u.active,
              on: { change: (e) => change(u, { active: e.target.checked }) },
            }),
        },
        {
          title: "Организации и стенды",
          get: (u) =>
            h(
              "button.link",
              { type: "button", "data-limits": u.login, on: { click: () => limitsDialog(u, scope, ctx.meta.stands, reload) } },
              limitsText(u, scope.organizations),
            ),
        },
        { title: "Последний вход", get: (u) => fmtTime(u.lastLoginAt) },
        { title: "", get: (u) => h("button", { type: "button", on: { click: () => passwordDialog(u) } }, "Сменить пароль") },
        {
          title: "",
          get: (u) => h("button", { type: "button", "aria-label": `Напоминания ${u.login}`, on: { click: () => remindersDialog(u) } }, "Напоминания"),
        },
      ],
      users,
    ),
  );
}

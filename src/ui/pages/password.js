// Password changes in a real form: your own (current password, POST /api/me/password) or, for an
// administrator, another user's (PATCH /api/users/{id}). The new one is typed twice.
import { patch, post } from "../api.js";
import { h, clear, toast } from "../dom.js";
import { dialog } from "./common.js";

/** @param {{id?: number, login: string} | null} other another user (admin), or null for yourself */
export function passwordDialog(other = null) {
  const current = other ? null : h("input", { id: "pw-current", type: "password", autocomplete: "current-password", required: true });
  const next = h("input", { id: "pw-new", type: "password", autocomplete: "new-password", minLength: 8, required: true });
  const again = h("input", { id: "pw-again", type: "password", autocomplete: "new-password", minLength: 8, required: true });
  const error = h("p.error", { role: "alert", hidden: true });
  const fail = (text) => {
    clear(error, text);
    error.hidden = false;
  };
  const d = dialog(
    other ? `Новый пароль для ${other.login}` : "Смена пароля",
    h(
      "form.form-grid",
      {
        on: {
          submit: async (e) => {
            e.preventDefault();
            if (next.value !== again.value) return fail("Пароли не совпадают");
            if (next.value.length < 8) return fail("Пароль не короче 8 символов");
            try {
              if (other) await patch(`/api/users/${other.id}`, { password: next.value });
              else await post("/api/me/password", { currentPassword: current.value, newPassword: next.value });
              d.close();
              toast(other ? `Пароль пользователя ${other.login} изменён; его сессии завершены` : "Пароль изменён; другие ваши сессии завершены");
            } catch (err) {
              fail(err.message);
            }
          },
        },
      },
      current ? [h("label", { for: "pw-current" }, "Текущий пароль"), current] : null,
      h("label", { for: "pw-new" }, "Новый пароль (от 8 символов)"),
      next,
      h("label", { for: "pw-again" }, "Новый пароль ещё раз"),
      again,
      error,
      h("span"),
      h("button.primary", { type: "submit" }, "Сменить пароль"),
    ),
  );
  (current ?? next).focus();
  return d;
}

// Reminders of deadlines by e-mail: the address and the kinds to be reminded of — your own
// (PUT /api/reminders/subscription) or, for an administrator, another user's (PUT /api/users/{id}/reminders).
import { get, put } from "../api.js";
import { h, clear, toast } from "../dom.js";
import { dialog } from "./common.js";

/** @param {{id: number, login: string} | null} other another user (admin), or null for yourself */
export async function remindersDialog(other = null) {
  const url = other ? `/api/users/${other.id}/reminders` : "/api/reminders/subscription";
  const s = await get(url);
  const email = h("input", { id: "rem-email", type: "email", autocomplete: "email", value: s.email ?? "", placeholder: "name@example.ru" });
  const boxes = s.available.map((k) =>
    h("label.check", h("input", { type: "checkbox", name: "kind", value: k.id, checked: s.kinds.includes(k.id) }), " ", k.label),
  );
  const error = h("p.error", { role: "alert", hidden: true });
  const d = dialog(
    other ? `Напоминания для ${other.login}` : "Напоминания о сроках",
    h(
      "form.form-grid",
      {
        // The server checks the address and answers in Russian, naming the field.
        noValidate: true,
        on: {
          submit: async (e) => {
            e.preventDefault();
            const kinds = boxes
              .map((b) => b.querySelector("input"))
              .filter((i) => i.checked)
              .map((i) => i.value);
            try {
              const saved = await put(url, { email: email.value.trim() || null, kinds });
              d.close();
              toast(saved.kinds.length ? `Напоминания будут приходить на ${saved.email}` : "Напоминания по e-mail отключены");
            } catch (err) {
              clear(error, err.message);
              error.hidden = false;
            }
          },
        },
      },
      h("label", { for: "rem-email" }, "E-mail"),
      email,
      h("span", "Напоминать о"),
      h(
        "div.checks",
        boxes,
        h(
          "p.hint.small",
          "Каждый срок приходит один раз, за несколько дней до него (настройка «Почта»); письма рассылает задание расписания «Разослать напоминания о сроках».",
        ),
      ),
      error,
      h("span"),
      h("button.primary", { type: "submit" }, "Сохранить"),
    ),
  );
  email.focus();
  return d;
}

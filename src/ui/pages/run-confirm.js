// A run started from a card for something the object actions of actions.js do not cover (an
// organization's data, the house of a premise requested from GIS): asks first, saying what GIS
// will be told, then POST /api/runs with the given body.
import { post } from "../api.js";
import { h } from "../dom.js";
import { label } from "../labels.js";
import { dialog } from "./common.js";

/** Asks, then starts the run (`body` of POST /api/runs); resolves with its id or null. */
export function confirmRun(name, a, body) {
  return new Promise((resolve) => {
    let started = null;
    const message = h("p.error", { hidden: true, role: "alert" });
    const go = h(
      "button.primary",
      {
        type: "button",
        id: "action-confirm",
        on: {
          click: async () => {
            go.disabled = true;
            try {
              const run = await post("/api/runs", body);
              started = run.id;
              d.close();
            } catch (e) {
              message.textContent = e.message;
              message.hidden = false;
              go.disabled = false;
            }
          },
        },
      },
      a.label,
    );
    const d = dialog(
      `${a.label}: ${name}`,
      h("p.action-tells", h("strong", "ГИС будет сообщено: "), a.tells),
      h("p", `Стенд: ${label("stand", body.stand)}.`),
      message,
      h("div.toolbar", go, h("button", { type: "button", on: { click: () => d.close() } }, "Отмена")),
    );
    d.addEventListener("close", () => resolve(started));
  });
}

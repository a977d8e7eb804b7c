import { patch } from "../api.js";
import { h, statusIcon, toast } from "../dom.js";
import { dialog } from "./common.js";
import { listScreen } from "./list.js";

// The mapping (НСИ 50, НСИ 3…) and the element the chosen stand created in the organization's own НСИ 51 / НСИ 1.
const nsiOf = (s) => {
  const own = s.gisElementCode ? `размещена: НСИ ${s.kind === "additional" ? 1 : 51} / ${s.gisElementCode}` : null;
  const mapped = s.nsiRegistry ? `${s.nsiRegistry} / ${s.nsiCode}` : null;
  return mapped || own ? [mapped, own].filter(Boolean).join("; ") : h("span.warn", "не сопоставлена");
};

export async function render(main) {
  let reload;
  const map = (s) => {
    const reg = h("input", { type: "number", min: 1, value: s.nsiRegistry ?? "", required: true, id: "nsi-reg" });
    const code = h("input", { value: s.nsiCode ?? "", required: true, id: "nsi-code" });
    const d = dialog(
      `Соответствие НСИ: ${s.name}`,
      h(
        "form",
        {
          on: {
            submit: async (e) => {
              e.preventDefault();
              try {
                await patch(`/api/services/${s.id}`, { nsiRegistry: Number(reg.value), nsiCode: code.value.trim() });
                toast("Соответствие сохранено");
                d.close();
                reload();
              } catch (err) {
                toast(err.message, "error");
              }
            },
          },
        },
        h("label", { for: "nsi-reg" }, "Справочник НСИ (номер)"),
        reg,
        h("label", { for: "nsi-code" }, "Код элемента"),
        code,
        h("button.primary", { type: "submit" }, "Сохранить"),
      ),
    );
  };
  reload = await listScreen(main, {
    title: "Справочник услуг",
    url: "/api/services",
    filters: [{ name: "unmapped", label: "только без соответствия НСИ", el: h("input", { type: "checkbox" }) }],
    columns: [
      { title: "Код", get: (s) => s.code },
      { title: "Услуга", get: (s) => s.name },
      { title: "Вид", get: (s) => s.kind },
      { title: "НСИ", get: nsiOf },
      { title: "Статус", get: (s) => statusIcon(s.sync.status, s.sync.errorText ?? undefined) },
      { title: "", get: (s) => h("button", { type: "button", on: { click: () => map(s) } }, "Сопоставить") },
    ],
  });
}

// The manual's dialogs that start a run with parameters of their own: «Проверить платежи»
// (period, kvitirovanie statuses, organization), «Квитирование» for a month and «Загрузить
// недостающие квитанции». Each shows the run's progress in the dialog until it ends.
import { get, post } from "../api.js";
import { h, clear, toast } from "../dom.js";
import { label } from "../labels.js";
import { RUN_STATE_LABEL, dialog } from "./common.js";

// GIS's kvitirovanie statuses of a payment notice (exportNotificationsOfOrderExecution AckStatus).
const ACK_STATUSES = [
  [0, "не сквитировано"],
  [1, "сквитировано частично"],
  [2, "сквитировано полностью"],
  [3, "квитирование невозможно"],
  [4, "сквитировано с превышением"],
  [5, "сквитировано автоматически"],
];

const iso = (d) => d.toISOString().slice(0, 10);

/** Follows a run: a progress bar, then its outcome (data-state on the status element when it ends). */
export async function watchRun(status, id, onEnd) {
  const bar = h("progress", { max: 100, value: 0, "aria-label": "Ход запуска" });
  const text = h("span.muted");
  clear(status, bar, text);
  for (;;) {
    let r;
    try {
      r = await get(`/api/runs/${id}`);
    } catch (e) {
      clear(status, h("span.error", e.message));
      return;
    }
    bar.value = r.progress.percent;
    text.textContent = ` ${r.progress.percent}% · шаг ${Math.min(r.progress.step + 1, r.progress.steps)} из ${r.progress.steps}`;
    if (r.progress.waiting) text.textContent += ` · ${r.progress.waiting}`;
    if (r.state !== "running") {
      const ok = r.summary.stages.reduce((a, s) => a + s.objectsOk, 0);
      const bad = r.summary.stages.reduce((a, s) => a + s.objectsWithErrors, 0);
      text.textContent = ` Завершено: ${RUN_STATE_LABEL[r.state] ?? r.state}; операций ${r.summary.stages.reduce((a, s) => a + s.operations, 0)}, успешно ${ok}, с ошибками ${bad}`;
      status.dataset.state = r.state;
      onEnd?.(r);
      return;
    }
    if (!status.isConnected) return;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

async function commonFields(ctx) {
  const orgs = await get("/api/organizations", { ours: "true", limit: 100 }).catch(() => ({ items: [] }));
  const list = orgs.items ?? [];
  const org = h(
    "select",
    { name: "organizationId", "aria-label": "Организация" },
    // With several organizations of ours the server cannot guess: one must be chosen.
    list.length > 1 ? null : h("option", { value: "" }, "наша организация"),
    list.map((o) => h("option", { value: String(o.id) }, o.shortName ?? o.fullName ?? `№ ${o.id}`)),
  );
  const stand = h(
    "select",
    { name: "stand", "aria-label": "Стенд" },
    ctx.meta.stands.map((s) => h("option", { value: s, selected: s === ctx.meta.defaultStand }, label("stand", s))),
  );
  return {
    els: [h("label", "Организация ", org), h("label", "Стенд ", stand)],
    values: () => ({ stand: stand.value, ...(org.value ? { organizationId: Number(org.value) } : {}) }),
  };
}

function runForm(d, fieldsEls, submitText, start) {
  const status = h("div.run-status", { role: "status" });
  const button = h("button.primary", { type: "submit" }, submitText);
  const form = h(
    "form.dialog-form",
    {
      on: {
        submit: async (e) => {
          e.preventDefault();
          button.disabled = true;
          try {
            await start(status);
          } catch (err) {
            clear(status, h("span.error", err.message));
          } finally {
            button.disabled = false;
          }
        },
      },
    },
    fieldsEls,
    h("div.actions", button),
    status,
  );
  return form;
}

/** «Проверить платежи»: period (default: the previous month's first day to today), statuses, organization. */
export async function checkPaymentsDialog(ctx) {
  const now = new Date();
  const from = h("input", { type: "date", name: "from", required: true, value: iso(new Date(Date.UTC(now.getFullYear(), now.getMonth() - 1, 1))) });
  const to = h("input", { type: "date", name: "to", required: true, value: iso(now) });
  const boxes = ACK_STATUSES.map(([v, text]) =>
    h("label.inline", h("input", { type: "checkbox", name: "status", value: String(v), checked: true }), ` ${text}`),
  );
  const all = h(
    "button.link",
    {
      type: "button",
      on: { click: () => boxes.forEach((b) => (b.querySelector("input").checked = true)) },
    },
    "выбрать все",
  );
  const common = await commonFields(ctx);
  const d = dialog("Проверить платежи");
  d.querySelector(".modal-body").append(
    runForm(
      d,
      [
        h("p.muted", "Извещения об оплате, размещённые в ГИС ЖКХ за период, — и чужие платежи, и квитирование наших."),
        h("label", "С ", from),
        h("label", " по ", to),
        h("fieldset", h("legend", "Статусы квитирования ", all), boxes),
        common.els,
      ],
      "Проверить",
      async (status) => {
        const statuses = boxes
          .map((b) => b.querySelector("input"))
          .filter((i) => i.checked)
          .map((i) => Number(i.value));
        if (!statuses.length) throw new Error("Выберите хотя бы один статус квитирования");
        const run = await post("/api/payments/check", {
          from: from.value,
          to: to.value,
          statuses: statuses.length === 6 ? undefined : statuses,
          ...common.values(),
        });
        toast(`Проверка платежей начата: ${from.value} — ${to.value}`);
        await watchRun(status, run.id);
      },
    ),
  );
  return d;
}

function monthFields() {
  const now = new Date();
  const month = h("input", { type: "month", name: "month", required: true, value: `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}` });
  return { month, value: () => ({ year: Number(month.value.slice(0, 4)), month: Number(month.value.slice(5, 7)) }) };
}

/** «Квитирование» for a month; «Загрузить недостающие квитанции» first when ticked. */
export async function kvitirovanieDialog(ctx) {
  const m = monthFields();
  const loadMissing = h("input", { type: "checkbox", name: "loadMissing" });
  const common = await commonFields(ctx);
  const d = dialog("Квитирование за период");
  d.querySelector(".modal-body").append(
    runForm(
      d,
      [h("label", "Месяц платёжных документов ", m.month), h("label.inline", loadMissing, " Загрузить недостающие квитанции"), common.els],
      "Выполнить",
      async (status) => {
        if (loadMissing.checked) {
          const first = await post("/api/payment-documents/load-missing", { ...m.value(), ...common.values() });
          /** @type {any} */
          let outcome = null;
          await watchRun(status, first.id, (r) => (outcome = r));
          if (!outcome || outcome.state === "failed" || outcome.state === "cancelled") throw new Error("Квитанции не загружены: квитирование не запущено");
        }
        const run = await post("/api/kvitirovanie/run", { ...m.value(), ...common.values() });
        toast("Квитирование начато");
        delete status.dataset.state;
        await watchRun(status, run.id);
      },
    ),
  );
  return d;
}

/** «Загрузить недостающие квитанции»: what GIS holds for our payment documents of a month. */
export async function loadMissingDialog(ctx) {
  const m = monthFields();
  const common = await commonFields(ctx);
  const d = dialog("Загрузить недостающие квитанции");
  d.querySelector(".modal-body").append(
    runForm(d, [h("label", "Месяц ", m.month), common.els], "Загрузить", async (status) => {
      const run = await post("/api/payment-documents/load-missing", { ...m.value(), ...common.values() });
      toast("Загрузка квитанций начата");
      await watchRun(status, run.id);
    }),
  );
  return d;
}

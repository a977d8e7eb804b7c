// Pieces several screens share: the run-starter toolbar, the "errors behind a status" dialog,
// the attempts table of an object card.
import { get, post } from "../api.js";
import { h, clear, fmtTime, table, toast, statusIcon } from "../dom.js";
import { LABELS, label } from "../labels.js";
import { chosenOrganization, scope } from "../scope.js";

export const STAGE_LABEL = LABELS.stage;
export const RUN_STATE_LABEL = LABELS.runState;
export const MODE_LABEL = LABELS.mode;

/** A modal dialog; closes on Esc and on its button. */
export function dialog(title, ...content) {
  const d = h(
    "dialog.modal",
    { "aria-label": title },
    h("div.modal-head", h("h2", title), h("button.link", { type: "button", "aria-label": "Закрыть", on: { click: () => d.close() } }, "✕")),
    h("div.modal-body", ...content),
  );
  d.addEventListener("close", () => d.remove());
  document.body.append(d);
  d.showModal();
  return d;
}

/**
 * Toolbar: stage + mode + stand → start a run for whatever `selection()` returns; shows live progress.
 * Selections of houses or a contract also get the manual's named actions; single objects (o.stage) do not,
 * since their ids mean objects of that one stage.
 */
export function runStarter(ctx, selection, onFinished, o = {}) {
  const stage = h(
    "select",
    { "aria-label": "Этап" },
    h("option", { value: "all" }, "Все этапы"),
    ctx.meta.stages.map((s) => h("option", { value: s, selected: s === o.stage }, STAGE_LABEL[s] ?? s)),
  );
  const stand = h(
    "select",
    { "aria-label": "Стенд" },
    ctx.meta.stands.map((s) => h("option", { value: s, selected: s === (scope().stand ?? ctx.meta.defaultStand) }, label("stand", s))),
  );
  const status = h("div.run-status", { role: "status" });
  const start = async (mode) => {
    const sel = selection();
    if (!sel) return;
    try {
      const run = await post("/api/runs", { ...chosenOrganization(), ...sel, mode, stages: [stage.value], stand: stand.value });
      toast(`Запуск начат: ${MODE_LABEL[mode].toLowerCase()}`);
      watch(run.id);
    } catch (e) {
      toast(e.message, "error");
    }
  };
  const watch = async (id) => {
    const bar = h("progress", { max: 100, value: 0, "aria-label": "Ход запуска" });
    const text = h("span.muted");
    clear(status, bar, text);
    for (let i = 1; ; i++) {
      let r;
      try {
        r = await get(`/api/runs/${id}`);
      } catch (e) {
        clear(status, h("span.error", e.message));
        return;
      }
      bar.value = r.progress.percent;
      text.textContent = ` ${r.progress.percent}% · шаг ${Math.min(r.progress.step + 1, r.progress.steps)} из ${r.progress.steps}${r.progress.current ? ` (${r.progress.current.method})` : ""}`;
      if (r.progress.waiting) text.textContent += ` · ${r.progress.waiting}`;
      if (r.state !== "running") {
        const bad = r.summary.stages.reduce((a, s) => a + s.objectsWithErrors, 0);
        const ok = r.summary.stages.reduce((a, s) => a + s.objectsOk, 0);
        text.textContent = ` Завершено: ${RUN_STATE_LABEL[r.state] ?? r.state}; объектов успешно ${ok}, с ошибками ${bad}`;
        status.dataset.state = r.state;
        onFinished?.(r);
        return;
      }
      // The statuses on screen move with the run, not only at its end.
      if (i % 3 === 0) o.onTick?.();
      await new Promise((res) => setTimeout(res, 1000));
    }
  };
  const named = h(
    "select",
    {
      "aria-label": "Другие действия",
      on: {
        change: async (e) => {
          const a = ctx.meta.actions.find((x) => x.id === e.target.value);
          e.target.value = "";
          if (!a) return;
          const sel = selection();
          if (!sel || !confirm(`${a.label}: запустить для выбранных?`)) return;
          try {
            const run = await post("/api/runs", {
              ...chosenOrganization(),
              ...sel,
              mode: a.mode,
              stages: a.stages,
              stand: stand.value,
              ...(a.unused ? { unused: true } : {}),
            });
            toast(`Запуск начат: ${a.label}`);
            watch(run.id);
          } catch (err) {
            toast(err.message, "error");
          }
        },
      },
    },
    h("option", { value: "" }, "Другие действия…"),
    (ctx.meta.actions ?? []).map((a) => h("option", { value: a.id }, a.label)),
  );
  return h(
    "div.toolbar",
    { role: "group", "aria-label": "Действия с выбранными" },
    stage,
    stand,
    ["sync", "push", "pull"].map((m) =>
      h("button", { type: "button", class: m === "sync" ? "primary" : "", "data-mode": m, on: { click: () => start(m) } }, MODE_LABEL[m]),
    ),
    o.stage ? null : named,
    status,
  );
}

/** Each attempt to send an object: operation, time, outcome, GIS code and text. */
export async function attemptsTable(ctx, type, id) {
  const page = await get(`/api/objects/${type}/${id}/attempts`, { limit: 100 });
  const op = (a) => (ctx.can("operator") ? h("a", { href: `#/exchange/${a.operationId}` }, a.method) : a.method);
  return h(
    "div",
    table(
      [
        { title: "Время", get: (a) => fmtTime(a.finishedAt ?? a.sentAt ?? a.createdAt) },
        { title: "Операция", get: op },
        { title: "Стенд", get: (a) => label("stand", a.stand) },
        {
          title: "Итог",
          get: (a) =>
            a.outcome === "ok" || a.outcome === "reconciled"
              ? statusIcon("ok")
              : a.outcome === "error"
                ? statusIcon("error")
                : label("attemptOutcome", a.outcome),
        },
        { title: "Код ГИС", get: (a) => (a.errorCode ? h("code", a.errorCode) : "") },
        { title: "Текст", get: (a) => a.errorText ?? "" },
      ],
      page.items,
      { empty: "Объект ещё не отправлялся", label: "Попытки отправки" },
    ),
    page.rejections?.length
      ? [
          h("h3", "Не прошли предварительную проверку"),
          table(
            [
              { title: "Время", get: (r) => fmtTime(r.createdAt) },
              { title: "Код", get: (r) => h("code", r.code ?? "") },
              { title: "Текст", get: (r) => r.text },
            ],
            page.rejections,
          ),
        ]
      : null,
  );
}

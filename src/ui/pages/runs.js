// Запуски: past and running exchange runs with their summaries (objects ok / in error per stage), newest first.
import { get, post } from "../api.js";
import { h, clear, fmtNum, fmtTime, pager, table, toast } from "../dom.js";
import { label, options } from "../labels.js";

const total = (r, key) => (r.summary?.stages ?? []).reduce((a, s) => a + s[key], 0);
const duration = (ms) => (ms === null || ms === undefined ? "" : ms < 60_000 ? `${Math.round(ms / 1000)} с` : `${Math.round(ms / 60_000)} мин`);

export async function render(main, ctx) {
  const state = h(
    "select",
    { "aria-label": "Состояние" },
    h("option", { value: "" }, "Любое состояние"),
    options("runState")
      .filter(([v]) => v !== "waiting")
      .map(([v, w]) => h("option", { value: v }, w)),
  );
  const results = h("div");
  let offset = 0;
  let timer = null;
  const load = async () => {
    const page = await get("/api/runs", { state: state.value, limit: 30, offset, summary: true });
    clear(
      results,
      table(
        [
          { title: "Начат", get: (r) => fmtTime(r.startedAt) },
          {
            title: "Что",
            get: (r) =>
              `${label("runMode", r.mode)}: ${r.stages
                .split(",")
                .map((s) => label("stage", s))
                .join(", ")}`,
          },
          { title: "Стенд", get: (r) => label("stand", r.stand) },
          { title: "Кто", get: (r) => r.author ?? label("trigger", r.trigger) },
          {
            title: "Состояние",
            get: (r) =>
              h(
                `span.run-${r.state}`,
                { "data-state": r.state },
                label("runState", r.state),
                r.state === "running" ? ` ${r.progress.percent}%` : "",
                r.errorText ? h("div.muted.small", r.errorText) : null,
              ),
          },
          { title: "Успешно", class: "num", get: (r) => fmtNum(total(r, "objectsOk")) },
          { title: "С ошибками", class: "num", get: (r) => (total(r, "objectsWithErrors") ? h("strong.bad", fmtNum(total(r, "objectsWithErrors"))) : "0") },
          { title: "Операций", class: "num", get: (r) => fmtNum(total(r, "operations")) },
          { title: "Длительность", class: "num", get: (r) => duration(r.summary?.durationMs) },
          {
            title: "",
            get: (r) =>
              r.state === "running" && ctx.can("accountant")
                ? h(
                    "button",
                    {
                      type: "button",
                      on: {
                        click: async () => {
                          if (!confirm("Остановить этот запуск? Неотправленные операции будут отменены.")) return;
                          try {
                            const x = await post(`/api/runs/${r.id}/cancel`);
                            toast(`Запуск остановлен, отменено операций: ${x.operationsCancelled}`);
                          } catch (e) {
                            toast(e.message, "error");
                          }
                          load();
                        },
                      },
                    },
                    "Остановить",
                  )
                : "",
          },
        ],
        page.items,
        { label: "Запуски", empty: "Запусков ещё не было" },
      ),
      pager(page, (o) => {
        offset = o;
        load();
      }),
    );
    // While something runs, the list follows it.
    clearTimeout(timer);
    if (page.items.some((r) => r.state === "running"))
      timer = setTimeout(() => {
        load().catch(() => undefined);
      }, 3000);
  };
  clear(
    main,
    h("h1", "Запуски"),
    h(
      "form.filters",
      {
        on: {
          submit: (e) => {
            e.preventDefault();
            offset = 0;
            load();
          },
        },
      },
      state,
      h("button", { type: "submit" }, "Показать"),
    ),
    results,
  );
  await load();
  return () => clearTimeout(timer);
}

// Процессы: workers, queues per stand, stop all, clear a queue (typed confirmation), re-queue failed.
import { get, post } from "../api.js";
import { h, clear, fmtNum, fmtTime, table, toast } from "../dom.js";
import { dialog } from "./common.js";

const QUEUE_LABEL = { prepare: "формирование запросов", send: "отправка", poll: "получение ответов", apply: "обработка ответов" };

const elapsed = (s) => `${Math.floor(s / 3600)} ч ${Math.floor((s % 3600) / 60)} мин`;

export async function render(main) {
  const body = h("div", h("p.muted", "Загрузка…"));
  let timer;
  let alive = true;
  const clearQueue = (stand, kind, counts) => {
    const input = h("input", { id: "confirm-word", autocomplete: "off" });
    const d = dialog(
      `Очистить очередь «${QUEUE_LABEL[kind]}» (${stand})`,
      h(
        "p.error",
        `Будут удалены ожидающие и отложенные задания: ${fmtNum((counts.waiting ?? 0) + (counts.delayed ?? 0))}. Операции останутся, восстановление поставит их заново.`,
      ),
      h(
        "form",
        {
          on: {
            submit: async (e) => {
              e.preventDefault();
              try {
                const r = await post(`/api/processes/queues/${stand}/${kind}/clear`, { confirm: input.value.trim() });
                toast(`Удалено заданий: ${r.cleared}`);
                d.close();
                load();
              } catch (err) {
                toast(err.message, "error");
              }
            },
          },
        },
        h("label", { for: "confirm-word" }, "Для подтверждения впишите слово «удалить»"),
        input,
        h("button.danger", { type: "submit" }, "Удалить задания"),
      ),
    );
  };
  const load = async () => {
    const [workers, queues] = await Promise.all([get("/api/processes/workers"), get("/api/processes/queues")]);
    if (!alive) return;
    clear(
      body,
      h(
        "section.card",
        h("h2", "Рабочие процессы"),
        h(
          "div.toolbar",
          h(
            "button.danger",
            {
              type: "button",
              on: {
                click: async () => {
                  if (!confirm("Остановить все рабочие процессы? Текущие задания будут доделаны.")) return;
                  await post("/api/processes/stop-all");
                  toast("Команда остановки отправлена");
                },
              },
            },
            "Остановить все",
          ),
          h(
            "button#start-all",
            {
              type: "button",
              on: {
                click: async () => {
                  const r = await post("/api/processes/start-all");
                  toast(
                    r.started.length
                      ? `Обработчики запущены: ${r.started.join(", ")}`
                      : "Остановка снята: процессы gis-sync worker, запущенные снова, продолжат работу",
                  );
                  setTimeout(load, 800);
                },
              },
            },
            "Запустить",
          ),
        ),
        table(
          [
            { title: "Хост", get: (w) => w.host },
            { title: "PID", class: "num", get: (w) => w.pid },
            { title: "Стенд", get: (w) => w.stand },
            { title: "Запущен", get: (w) => fmtTime(w.startedAt) },
            { title: "Работает", get: (w) => elapsed(w.elapsedSeconds) },
            { title: "Выполнено заданий", class: "num", get: (w) => fmtNum(w.jobsDone) },
            { title: "Состояние", get: (w) => (w.state === "running" ? "работает" : "останавливается") },
          ],
          workers,
          { empty: "Рабочих процессов нет: запустите gis-sync worker" },
        ),
      ),
      queues.map((s) =>
        h(
          "section.card",
          h("h2", `Очереди стенда ${s.stand}`),
          table(
            [
              { title: "Очередь", get: ([k]) => QUEUE_LABEL[k] ?? k },
              ...["waiting", "active", "delayed", "failed", "completed"].map((c) => ({
                title: { waiting: "Ожидают", active: "Выполняются", delayed: "Отложены", failed: "С ошибкой", completed: "Выполнены" }[c],
                class: "num",
                get: ([, v]) => fmtNum(v[c] ?? 0),
              })),
              {
                title: "",
                get: ([k, v]) =>
                  h(
                    "span.actions",
                    h(
                      "button",
                      {
                        type: "button",
                        disabled: !v.failed,
                        on: {
                          click: async () => {
                            const r = await post(`/api/processes/queues/${s.stand}/${k}/retry-failed`);
                            toast(`Возвращено в очередь: ${r.requeued}`);
                            load();
                          },
                        },
                      },
                      "Повторить с ошибкой",
                    ),
                    h("button.danger", { type: "button", on: { click: () => clearQueue(s.stand, k, v) } }, "Очистить"),
                  ),
              },
            ],
            Object.entries(s.queues),
          ),
        ),
      ),
    );
  };
  clear(main, h("h1", "Процессы"), body);
  const tick = async () => {
    try {
      await load();
    } catch (e) {
      clear(body, h("p.error", e.message));
    }
    if (alive) timer = setTimeout(tick, 5000);
  };
  await tick();
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}

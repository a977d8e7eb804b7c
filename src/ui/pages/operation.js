// Карточка операции: tabs Запрос / Ответ / getState / Результат with searchable XML, the objects
// and their results, zip download, retry / cancel.
import { get, post, api, download } from "../api.js";
import { h, clear, fmtTime, fields, pager, table, tabs, toast, statusIcon } from "../dom.js";
import { xmlViewer } from "../xml.js";
import { stateCell } from "./exchange.js";
import { LABELS, label } from "../labels.js";
import { namesFor, objectCell } from "./object-names.js";

const KIND_LABEL = LABELS.archiveKind;

async function messagesTab(panel, op, kinds) {
  const list = op.messages.filter((m) => kinds.includes(m.kind));
  if (!list.length) return clear(panel, h("p.muted", "Сообщений этого вида нет"));
  const view = h("div");
  const pick = async (m) => {
    const res = await api("GET", `/api/operations/${op.id}/messages/${m.id}`, undefined, { raw: true, accept: "application/xml" });
    clear(
      view,
      h(
        "p.muted",
        `${KIND_LABEL[m.kind]} · ${fmtTime(m.createdAt)} · ${m.sizeBytes.toLocaleString("ru-RU")} байт${m.httpStatus ? ` · HTTP ${m.httpStatus}` : ""}`,
      ),
      xmlViewer(await res.text()),
    );
  };
  const chooser =
    list.length > 1
      ? h(
          "div.toolbar",
          list.map((m, i) => h("button", { type: "button", on: { click: () => pick(m) } }, `${KIND_LABEL[m.kind]} ${m.kind === "state" ? i + 1 : ""}`.trim())),
        )
      : null;
  clear(panel, chooser, view);
  await pick(list[list.length - 1]);
}

export async function render(main, ctx) {
  const op = await get(`/api/operations/${ctx.id}`);
  const act = async (what) => {
    try {
      await post(`/api/operations/${op.id}/${what}`);
      toast(what === "retry" ? "Операция отправлена повторно" : "Операция отменена");
      render(main, ctx);
    } catch (e) {
      toast(e.message, "error");
    }
  };
  const final = ["done", "done_with_errors", "failed", "cancelled"].includes(op.state);
  const tab = (t, p) => {
    switch (t) {
      case "request":
        return messagesTab(p, op, ["request", "signed_request"]);
      case "answer":
        return messagesTab(p, op, ["ack", "fault"]);
      case "state":
        return messagesTab(p, op, ["state"]);
      case "result":
        return messagesTab(p, op, ["result"]);
      case "items": {
        let offset = 0;
        const load = async () => {
          const page = await get(`/api/operations/${op.id}/items`, { limit: 100, offset });
          const names = await namesFor(page.items);
          clear(
            p,
            table(
              [
                { title: "Объект", get: (r) => objectCell(names, r.objectType, r.objectId) },
                { title: "TransportGUID", class: "mono", get: (r) => r.transportGuid },
                {
                  title: "Итог",
                  get: (r) => (r.outcome === "ok" || r.outcome === "reconciled" ? statusIcon("ok") : r.outcome === "error" ? statusIcon("error") : r.outcome),
                },
                { title: "ГУИД ГИС", class: "mono", get: (r) => r.gisGuid ?? "" },
                { title: "Код", get: (r) => (r.errorCode ? h("code", r.errorCode) : "") },
                { title: "Текст ошибки", get: (r) => r.errorText ?? "" },
              ],
              page.items,
            ),
            pager(page, (o) => {
              offset = o;
              load();
            }),
          );
        };
        return load();
      }
    }
  };
  clear(
    main,
    h("p", h("a", { href: "#/exchange" }, "← Обмен с ГИС")),
    h("h1", `${op.method}`, " ", stateCell(op.state)),
    fields([
      ["Операция", h("code", op.id)],
      ["Сервис", op.service],
      ["Стенд", label("stand", op.stand)],
      ["Автор", op.author],
      ["Запуск", op.trigger],
      ["Создана", fmtTime(op.createdAt)],
      ["Запрос", fmtTime(op.sentAt)],
      ["Ответ", fmtTime(op.answeredAt)],
      ["Завершена", fmtTime(op.finishedAt)],
      ["MessageGUID", op.messageGuid],
      ["Попыток", op.attempts],
      ["Опросов getState", op.polls],
      ["Объектов", op.itemCount],
      [
        "Итоги",
        Object.entries(op.itemOutcomes)
          .map(([k, n]) => `${k}: ${n}`)
          .join(", "),
      ],
      ["Ошибка", op.errorCode && !(op.errorText ?? "").startsWith(op.errorCode) ? h("span", h("code", op.errorCode), " ", op.errorText ?? "") : op.errorText],
    ]),
    h(
      "div.toolbar",
      h(
        "button#download-xml",
        { type: "button", on: { click: async () => toast(`Скачан ${await download("GET", `/api/operations/${op.id}/zip`, undefined, "operation.zip")}`) } },
        "Сохранить запрос и ответ (zip)",
      ),
      h(
        "button",
        {
          type: "button",
          disabled: !["failed", "done_with_errors", "cancelled"].includes(op.state) || op.trigger === "reconcile",
          title: op.trigger === "reconcile" ? "Проверочную выгрузку повторяют вместе с её операцией" : undefined,
          on: { click: () => confirm(retryQuestion(op)) && act("retry") },
        },
        "Повторить",
      ),
      h("button", { type: "button", disabled: final, on: { click: () => confirm("Отменить операцию?") && act("cancel") } }, "Отменить"),
    ),
    op.children.length
      ? h(
          "p",
          "Дочерние операции: ",
          op.children.map((c) => [h("a", { href: `#/exchange/${c.id}` }, `${c.method} (${label("operationState", c.state)})`), " "]),
        )
      : null,
    tabs(
      [
        { id: "request", title: "Запрос" },
        { id: "answer", title: "Ответ" },
        { id: "state", title: "getState" },
        { id: "result", title: "Результат" },
        { id: "items", title: "Объекты" },
      ],
      tab,
      "result",
    ),
  );
}

// An import whose outcome is unknown may already be in GIS: sending it again blindly can make duplicates.
function retryQuestion(op) {
  if (op.errorCode === "UNKNOWN_OUTCOME" || op.errorCode === "RECONCILE") {
    return "Результат прежней отправки неизвестен: ГИС ЖКХ могла её принять. Проверьте в ГИС ЖКХ, что этих объектов там нет, иначе появятся дубликаты.\n\nОтправить операцию повторно?";
  }
  return "Отправить операцию повторно?";
}

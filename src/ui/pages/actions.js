// Object actions (the manual's context menus and «Операции с отдельно-взятыми ПУ / квитанциями /
// платежами»): on one object from its card or on a selection in a list, each a run with progress
// (POST /api/runs with action, objectType, objectIds). Each asks first, saying what GIS will be
// told. The card's attempts are numbered (1-я, 2-я…) with the reason of each; after a refusal the
// card offers the fix: edit the field GIS named, then send again.
import { get, post, put } from "../api.js";
import { h, clear, fmtTime, statusIcon, table, toast } from "../dom.js";
import { LABELS, label } from "../labels.js";
import { dialog } from "./common.js";
import { scope } from "../scope.js";
import { editDialog, kindOf } from "./object-edit.js";

const SEND = { id: "push", label: "Отправить в ГИС", mode: "push", tells: "ГИС получит текущие данные: новый объект будет размещён, размещённый — изменён." };
const PULL = {
  id: "pull",
  label: "Запросить из ГИС",
  mode: "pull",
  tells: "Из ГИС будут запрошены данные объекта; ничего не отправляется, наши данные дополнятся ГУИД и состоянием из ГИС.",
};
const ANNUL = (what) => ({
  id: "annul",
  action: "annul",
  mode: "push",
  label: "Аннулировать",
  tells: `ГИС аннулирует ${what}: в ГИС он(о) перестанет действовать, отменить это нельзя. Лицевые счета и приборы учёта на нём закройте заранее.`,
});
const ACK = {
  id: "acknowledge",
  action: "acknowledge",
  mode: "push",
  stage: "kvitirovanie",
  label: "Сквитировать",
  tells: "ГИС сквитирует (сопоставит) платёж с начислением по платёжному документу.",
};
const UNACK = {
  id: "cancelAcknowledgment",
  action: "cancelAcknowledgment",
  mode: "push",
  stage: "kvitirovanie",
  label: "Отменить квитирование",
  tells: "ГИС отменит квитирование: платёж и начисление снова не сопоставлены.",
};

/** Per object type: its stage and the actions its card and list offer. */
export const OBJECT_ACTIONS = {
  house: { stage: "fund", actions: [SEND, PULL] },
  entrance: { stage: "fund", actions: [SEND, ANNUL("подъезд")] },
  premise: { stage: "fund", actions: [SEND, ANNUL("помещение")] },
  room: { stage: "fund", actions: [SEND, ANNUL("комнату")] },
  contract: { stage: "contracts", actions: [SEND, PULL] },
  account: {
    stage: "accounts",
    actions: [
      SEND,
      PULL,
      {
        id: "close",
        action: "close",
        mode: "push",
        label: "Закрыть",
        tells:
          "ГИС закроет лицевой счёт датой закрытия (сегодня, если она не указана) с причиной закрытия (НСИ 22). Закрытый счёт в ГИС не меняется — только открывается новый.",
      },
      {
        id: "reopen",
        action: "reopen",
        mode: "push",
        label: "Открыть новый",
        tells: "В ГИС будет размещён новый лицевой счёт с теми же данными: ГИС присвоит ему новые ГУИД, ЕЛС и ИЖКУ; прежний остаётся закрытым.",
      },
    ],
  },
  meter: {
    stage: "meters",
    actions: [
      SEND,
      PULL,
      {
        id: "archive",
        action: "archive",
        mode: "push",
        label: "Архивировать",
        reason: true,
        tells:
          "ГИС переведёт прибор учёта в архив с причиной архивации (НСИ 224) датой архивации (сегодня, если не указана); показания по нему больше не принимаются.",
      },
      {
        id: "forceArchive",
        action: "forceArchive",
        mode: "push",
        label: "Принудительно архивировать",
        tells: "ГИС переведёт прибор учёта в архив, даже если у нас он действует; без причины — с причиной «Ошибка ввода».",
      },
      {
        id: "replace",
        action: "replace",
        mode: "push",
        label: "Заменить",
        tells: "ГИС архивирует прибор учёта с заменой на прибор из поля «Заменён прибором» (тот уже должен быть размещён в ГИС).",
      },
    ],
  },
  payment_document: {
    stage: "bills",
    actions: [
      {
        id: "expose",
        action: "expose",
        mode: "push",
        label: "Выставить на оплату",
        tells: "Платёжный документ будет размещён в ГИС (выставлен на оплату), даже если ГИС его уже имеет.",
      },
      {
        id: "withdraw",
        action: "withdraw",
        mode: "push",
        label: "Отозвать",
        tells: "ГИС отзовёт платёжный документ: он перестанет быть выставленным на оплату.",
      },
      ACK,
      UNACK,
    ],
  },
  payment: {
    stage: "payments",
    actions: [
      { ...SEND, label: "Разместить информацию" },
      { id: "annul", action: "annul", mode: "push", label: "Аннулировать", tells: "ГИС аннулирует извещение о платеже: платёж будет считаться неисполненным." },
      ACK,
      UNACK,
    ],
  },
};

/** Follows a run until it ends: a progress bar and the summary in `status`. */
export async function watchRun(status, id, onFinished) {
  const bar = h("progress", { max: 100, value: 0, "aria-label": "Ход выполнения" });
  const text = h("span.muted");
  clear(status, bar, text);
  delete status.dataset.state;
  for (;;) {
    let r;
    try {
      r = await get(`/api/runs/${id}`);
    } catch (e) {
      clear(status, h("span.error", e.message));
      return null;
    }
    bar.value = r.progress.percent;
    text.textContent = ` ${r.progress.percent}% · шаг ${Math.min(r.progress.step + 1, r.progress.steps)} из ${r.progress.steps}`;
    // A run that does not move says why (no workers of its stand, or waiting on GIS).
    if (r.progress.waiting) text.textContent += ` · ${r.progress.waiting}`;
    if (r.state !== "running") {
      const sum = (k) => (r.summary?.stages ?? []).reduce((a, s) => a + (s[k] ?? 0), 0);
      text.textContent = ` Завершено: ${label("runState", r.state)}; объектов успешно ${sum("objectsOk")}, с ошибками ${sum("objectsWithErrors")}`;
      status.dataset.state = r.state;
      onFinished?.(r);
      return r;
    }
    await new Promise((res) => setTimeout(res, 700));
  }
}

/** An archive reason (NSI 224) for meters without one, when the field may be edited here. */
async function reasonPicker(objects) {
  const missing = objects.filter((o) => !o.archiveReasonCode);
  if (!missing.length) return null;
  const f = (await kindOf("meter")).fields.find((x) => x.field === "archiveReasonCode");
  const manual = (o) => String(o.externalId ?? "").startsWith("manual:");
  if (f.importedFromGis || (f.replicated && missing.some((o) => !manual(o))))
    return {
      el: h(
        "p.error",
        "Причина архивации не указана, а поле загружается из учётной системы: ГИС откажет. Укажите причину в учётной системе или выберите «Принудительно архивировать».",
      ),
    };
  const items = (await get("/api/nsi/224", { limit: 200, actual: true })).items;
  const select = h(
    "select",
    { id: "archive-reason", "aria-label": "Причина архивации (НСИ 224)", required: true },
    h("option", { value: "" }, "— выберите причину —"),
    items.map((i) => h("option", { value: i.code }, `${i.code} — ${i.name}`)),
  );
  return {
    el: h("label", "Причина архивации (НСИ 224): ", select),
    apply: async () => {
      if (!select.value) throw new Error("Выберите причину архивации");
      for (const o of missing) await put(`/api/meters/${o.id}`, { archiveReasonCode: select.value });
    },
  };
}

/**
 * Asks, then runs `a` on `objects` ([{id, name, …}]) of `type`: the dialog lists them and what GIS
 * will be told. Resolves with the run id, or null when the operator cancels.
 */
export async function confirmAction(ctx, type, a, objects, stand) {
  const spec = OBJECT_ACTIONS[type];
  const extra = a.reason ? await reasonPicker(objects) : null;
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
              await extra?.apply?.();
              const run = await post("/api/runs", {
                stages: [a.stage ?? spec.stage],
                mode: a.mode,
                objectIds: objects.map((o) => o.id),
                objectType: type,
                stand,
                ...(a.action ? { action: a.action } : {}),
              });
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
      `${a.label}: ${objects.length === 1 ? objects[0].name : `${objects.length} объект(ов)`}`,
      h("p.action-tells", h("strong", "ГИС будет сообщено: "), a.tells),
      h("p", `Стенд: ${label("stand", stand)}.`),
      objects.length > 1
        ? h(
            "ul",
            objects.slice(0, 20).map((o) => h("li", o.name)),
            objects.length > 20 ? h("li", `… и ещё ${objects.length - 20}`) : null,
          )
        : null,
      extra?.el ?? null,
      message,
      h("div.toolbar", go, h("button", { type: "button", on: { click: () => d.close() } }, "Отмена")),
    );
    d.addEventListener("close", () => resolve(started));
  });
}

/**
 * The action toolbar of a card (selection() → one object) or a list (→ the checked ones):
 * a stand, one button per action, the run's progress.
 */
/** The last run's result per action bar (`key`): a card redrawn when its run ends still shows it. */
const LAST_RESULT = new Map();

export function actionBar(ctx, type, selection, onFinished, key = undefined) {
  const spec = OBJECT_ACTIONS[type];
  if (!spec) return null;
  const stand = h(
    "select",
    { "aria-label": "Стенд" },
    // The header's stand first: the statuses on screen are that stand's.
    ctx.meta.stands.map((s) => h("option", { value: s, selected: s === (scope().stand ?? ctx.meta.defaultStand) }, label("stand", s))),
  );
  const status = h("div.run-status.action-status", { role: "status" });
  const last = key && LAST_RESULT.get(key);
  if (last) {
    status.textContent = last.text;
    status.dataset.state = last.state;
  }
  const buttons = spec.actions.map((a) =>
    h(
      "button",
      {
        type: "button",
        "data-action": a.id,
        on: {
          click: async () => {
            const objects = await selection();
            if (!objects?.length) return toast("Отметьте объекты в списке", "error");
            const id = await confirmAction(ctx, type, a, objects, stand.value);
            if (!id) return;
            toast(`Запущено: ${a.label}`);
            watchRun(status, id, (r) => {
              if (key) LAST_RESULT.set(key, { state: r.state, text: `${a.label}: ${status.textContent.trim()}` });
              onFinished?.(r);
            });
          },
        },
      },
      a.label,
    ),
  );
  return h("div.toolbar.object-actions", { role: "group", "aria-label": "Действия с объектом", "data-type": type }, stand, buttons, status);
}

const ordinal = (n) => `${n}-я`;

/** The field GIS's text names (by the form's Russian label), for the fix. */
async function fieldNamed(type, text) {
  const kind = await kindOf(type);
  if (!kind || !text) return null;
  const t = text.toLowerCase();
  return (
    kind.fields.filter((f) => t.includes(f.label.toLowerCase()) || t.includes(f.field.toLowerCase())).sort((a, b) => b.label.length - a.label.length)[0] ?? null
  );
}

/**
 * The attempts of an object, numbered from the first: time, operation (a link to its exchange
 * record), outcome and the reason; pre-flight refusals count as attempts too. After a refusal,
 * the fix: «Исправить и отправить» opens the form on the field GIS named, then sends again.
 */
export async function numberedAttempts(ctx, type, object, onChanged) {
  const page = await get(`/api/objects/${type}/${object.id}/attempts`, { limit: 100 });
  const all = [
    ...page.items.map((a) => ({ ...a, at: a.finishedAt ?? a.sentAt ?? a.createdAt, reached: true })),
    ...(page.rejections ?? []).map((r) => ({
      at: r.createdAt,
      outcome: "error",
      errorCode: r.code,
      errorText: r.text,
      method: "предварительная проверка",
      reached: false,
    })),
  ].sort((x, y) => String(x.at).localeCompare(String(y.at)));
  all.forEach((a, i) => (a.n = i + 1));
  const op = (a) => (a.operationId && ctx.can("operator") ? h("a", { href: `#/exchange/${a.operationId}` }, a.method) : a.method);
  const ok = (a) => a.outcome === "ok" || a.outcome === "reconciled";
  const list = table(
    [
      { title: "Попытка", get: (a) => ordinal(a.n) },
      { title: "Время", get: (a) => fmtTime(a.at) },
      { title: "Операция", get: op },
      { title: "Стенд", get: (a) => (a.stand ? label("stand", a.stand) : "") },
      { title: "Итог", get: (a) => (ok(a) ? statusIcon("ok") : a.outcome === "error" ? statusIcon("error") : label("attemptOutcome", a.outcome)) },
      {
        title: "Причина",
        get: (a) => (a.errorCode || a.errorText ? h("span", a.errorCode ? h("code", a.errorCode) : null, " ", a.errorText ?? "") : ok(a) ? "принято ГИС" : ""),
      },
    ],
    [...all].reverse(),
    { empty: "Объект ещё не отправлялся", label: "Попытки отправки", rowClass: (a) => `attempt-${a.n}` },
  );
  const last = all[all.length - 1];
  let fix = null;
  if (last && last.outcome === "error" && ctx.can("operator") && OBJECT_ACTIONS[type]) {
    const field = await fieldNamed(type, last.errorText);
    const status = h("div.run-status.fix-status", { role: "status" });
    fix = h(
      "div.fix",
      h("p", `${ordinal(last.n)} попытка отклонена${last.reached ? " ГИС" : " проверкой"}: `, h("code", last.errorCode ?? ""), " ", last.errorText ?? ""),
      h("p", field ? `Исправьте поле «${field.label}» и отправьте снова.` : "Исправьте данные объекта и отправьте снова."),
      h(
        "button.primary",
        {
          type: "button",
          id: "fix-and-resend",
          on: {
            click: async () => {
              const saved = await editDialog(type, object, { focus: field?.field });
              if (!saved) return;
              const run = await post("/api/runs", { stages: [OBJECT_ACTIONS[type].stage], mode: "push", objectIds: [object.id], objectType: type });
              await watchRun(status, run.id, onChanged);
            },
          },
        },
        "Исправить и отправить",
      ),
      status,
    );
  }
  return h("div.attempts", fix, list);
}

export { LABELS };

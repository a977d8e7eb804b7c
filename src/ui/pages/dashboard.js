// Сводка: objects by kind and status, running syncs with live progress, operations in flight,
// errors by code, the rejection rate, deadlines. Polls every 3 seconds while open.
import { get } from "../api.js";
import { h, clear, fmtNum, fmtTime, fmtDay, table, STATUS, statusIcon } from "../dom.js";
import { LABELS, label } from "../labels.js";
import { KIND_LABEL } from "./objects.js";

// A count that opens the list behind it (nothing to open behind a zero).
const num = (n, href, title = "Открыть список") => (n && href ? h("a.count", { href, title }, fmtNum(n)) : fmtNum(n));
const seg = (v) => encodeURIComponent(v ?? "");
const objectsHref = (kind, status = "", code = "", org = "") =>
  KIND_LABEL[kind] ? `#/objects/${seg(kind)}/${seg(status)}/${seg(code === "—" ? "" : code)}/${seg(org)}` : null;

// The objects each stage sends: the list behind its rejection rate.
const STAGE_KIND = {
  services: "service",
  contracts: "contract",
  fund: "house",
  accounts: "account",
  meters: "meter",
  readings: "meter_reading",
  bills: "payment_document",
  payments: "payment",
  kvitirovanie: "acknowledgment",
};
// «Доля отказов» opens the stage's objects in error, like the other numbers (nothing behind 0 %).
const rateLink = (r) => {
  const text = `${(r.rate * 100).toFixed(1)} %`;
  const href = r.rejected ? objectsHref(STAGE_KIND[r.stage], "error") : null;
  return href ? h("a.count.rejection-rate", { href, title: "Открыть объекты этапа с ошибкой" }, text) : text;
};

const STAGE = LABELS.stage;
export const stageLabel = (s) => STAGE[s] ?? s ?? "—";
const STATES = ["ok", "ok_nested_errors", "error", "in_progress", "not_sent"];

function runsBlock(d) {
  if (!d.running.length) return h("p.muted", "Сейчас ничего не выполняется");
  return h(
    "ul.runs",
    d.running.map((r) =>
      h(
        "li.run",
        h(
          "div.run-head",
          h("strong", `${label("runMode", r.mode)}: ${r.stages.split(",").map(stageLabel).join(", ")}`),
          h("span.muted", ` · стенд ${label("stand", r.stand)} · ${r.author ?? ""} · с ${fmtTime(r.startedAt)}`),
        ),
        h("progress", { max: 100, value: r.progress.percent, "aria-label": `Выполнено ${r.progress.percent}%` }),
        h(
          "div.muted",
          `Шаг ${Math.min(r.progress.step + 1, r.progress.steps)} из ${r.progress.steps}${r.progress.current ? `: ${r.progress.current.method}` : ""} — ${r.progress.percent}%${r.progress.waiting ? ` · ${r.progress.waiting}` : ""}`,
        ),
      ),
    ),
  );
}

export async function render(main, ctx) {
  const body = h("div", h("p.muted", "Загрузка…"));
  clear(main, h("h1", "Сводка"), body);
  let timer = null;
  let alive = true;
  const load = async () => {
    const d = await get("/api/dashboard");
    if (!alive) return;
    clear(
      body,
      h("section.card", h("h2", "Запуски в работе"), runsBlock(d)),
      h(
        "section.card",
        h("h2", d.stand ? `Объекты и их статус в ГИС (стенд ${label("stand", d.stand)})` : "Объекты и их статус в ГИС"),
        table(
          [
            { title: "Объекты", get: (k) => k.label },
            { title: "Всего", class: "num", get: (k) => num(k.total, objectsHref(k.table)) },
            ...STATES.map((s) => ({
              title: h("span", statusIcon(s), " ", STATUS[s].label),
              class: "num",
              get: (k) => num(k.byStatus[s], objectsHref(k.table, s)),
            })),
          ],
          d.kinds.filter((k) => k.total > 0),
          { label: "Объекты по статусам" },
        ),
      ),
      h(
        "div.cols",
        h(
          "section.card",
          h("h2", "Организации"),
          table(
            [
              { title: "Организация", get: (o) => [o.name, o.isOurs ? h("span.badge", "наша") : null] },
              { title: "ЛС выгружено / ошибка / всего", class: "num", get: (o) => counts(o.accounts, "account", o.organizationId) },
              { title: "ПУ выгружено / ошибка / всего", class: "num", get: (o) => counts(o.meters, "meter", o.organizationId) },
            ],
            d.organizations,
          ),
        ),
        h(
          "section.card",
          h("h2", "Операции в работе"),
          table(
            [
              { title: "Стенд", get: (r) => label("stand", r.stand) },
              { title: "Этап", get: (r) => stageLabel(r.stage) },
              { title: "Операций", class: "num", get: (r) => num(r.operations, ctx?.can("operator") ? "#/exchange" : null, "Открыть очередь") },
            ],
            d.inFlight,
            { empty: "Очередь пуста" },
          ),
        ),
      ),
      h(
        "section.card",
        h("h2", "Ошибки ГИС по кодам и отказы предварительной проверки (30 дней)"),
        table(
          [
            { title: "Этап", get: (r) => stageLabel(r.stage) },
            { title: "Где", get: (r) => (r.source === "preflight" ? "предварительная проверка" : "ГИС ЖКХ") },
            { title: "Код", get: (r) => h("code", r.code) },
            { title: "Текст", get: (r) => r.text ?? "" },
            {
              title: "Объектов",
              class: "num",
              get: (r) =>
                r.source === "preflight"
                  ? h(
                      "a",
                      {
                        href: `#/messages/error/${encodeURIComponent(r.stage)}/${encodeURIComponent(r.code === "—" ? "" : r.code)}`,
                        title: "Открыть сообщения",
                      },
                      fmtNum(r.count),
                    )
                  : num(r.count, objectsHref(r.kind, "error", r.code), "Открыть объекты с этой ошибкой"),
            },
          ],
          d.errorsByCode,
          { empty: "Ошибок нет" },
        ),
      ),
      h(
        "div.cols",
        h(
          "section.card",
          h("h2", "Доля отказов по этапам и месяцам"),
          table(
            [
              { title: "Месяц", get: (r) => r.month },
              { title: "Этап", get: (r) => stageLabel(r.stage) },
              { title: "Объектов", class: "num", get: (r) => fmtNum(r.objects) },
              { title: "Отказано", class: "num", get: (r) => num(r.rejected, objectsHref(STAGE_KIND[r.stage], "error"), "Открыть объекты этапа с ошибкой") },
              {
                title: "Доля",
                class: "num",
                get: (r) => rateLink(r),
              },
            ],
            d.rejectionRate,
            { empty: "Обмена ещё не было" },
          ),
        ),
        h(
          "section.card",
          h("h2", "Производительность за сутки"),
          table(
            [
              { title: "Час (UTC)", get: (r) => r.hour.slice(11, 16) },
              { title: "Операций", class: "num", get: (r) => fmtNum(r.operations) },
              { title: "Объектов", class: "num", get: (r) => fmtNum(r.objects) },
            ],
            d.throughput.filter((t) => t.operations > 0),
            { empty: "За сутки операций не было" },
          ),
        ),
      ),
      h(
        "section.card",
        h("h2", "Сроки"),
        table(
          [
            { title: "Дата", get: (r) => fmtDay(r.date) },
            { title: "Что", get: (r) => (r.link ? h("a", { href: r.link }, r.text) : r.text) },
          ],
          d.deadlines,
          { empty: "Сроков нет" },
        ),
      ),
      h("p.muted.small", `Обновлено ${fmtTime(d.generatedAt)}`),
    );
  };
  const tick = async () => {
    try {
      await load();
    } catch (e) {
      clear(body, h("p.error", e.message));
    }
    if (alive) timer = setTimeout(tick, 3000);
  };
  await tick();
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}

function counts(c, kind, org) {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  return h(
    "span",
    num(c.ok ?? 0, objectsHref(kind, "ok", "", org)),
    " / ",
    num(c.error ?? 0, objectsHref(kind, "error", "", org)),
    " / ",
    num(total, objectsHref(kind, "", "", org)),
  );
}

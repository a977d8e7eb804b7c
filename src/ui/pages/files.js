// «Файлы»: the billing bundle upload with its progress and journal, Excel templates out and GIS's
// processed files in, FIAS reports and coding from a ГАР extract, the files for receipts, and the
// manual's payment dialogs. Everything the CLI's import / excel / fias commands do.
import { api, csrfToken, get } from "../api.js";
import { h, clear, fmtNum, fmtTime, pager, table, tabs, toast } from "../dom.js";
import { label } from "../labels.js";
import { checkPaymentsDialog, kvitirovanieDialog, loadMissingDialog } from "./payment-dialogs.js";

/** Sends a file with a progress bar (XMLHttpRequest: fetch cannot report upload progress). */
function sendFile(url, file, bar) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open("POST", url);
    x.setRequestHeader("Content-Type", "application/octet-stream");
    x.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    x.setRequestHeader("X-CSRF-Token", csrfToken());
    x.setRequestHeader("Accept", "application/json");
    x.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    };
    x.onload = () => {
      let answer = null;
      try {
        answer = JSON.parse(x.responseText);
      } catch {
        /* not JSON */
      }
      if (x.status === 401) location.href = "/login";
      if (x.status >= 200 && x.status < 300) resolve(answer);
      else reject(new Error(answer?.message ?? `Ошибка ${x.status}`));
    };
    x.onerror = () => reject(new Error("Связь с сервером прервалась во время загрузки файла"));
    x.send(file);
  });
}

/** Saves a download (the server names the file in Content-Disposition, filename*=UTF-8''…). */
async function save(url, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== undefined && v !== null));
  const res = await api("GET", q.toString() ? `${url}?${q}` : url, undefined, { raw: true, accept: "*/*" });
  const cd = res.headers.get("Content-Disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/.exec(cd)?.[1];
  const name = star ? decodeURIComponent(star) : "file";
  const blob = await res.blob();
  const a = h("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  toast(`Файл: ${name}`);
}

const action = (text, fn, attrs = {}) =>
  h(
    "button",
    {
      type: "button",
      ...attrs,
      on: {
        click: async (e) => {
          e.target.disabled = true;
          try {
            await fn();
          } catch (err) {
            toast(err.message, "error");
          } finally {
            e.target.disabled = false;
          }
        },
      },
    },
    text,
  );

const housesInput = () => h("input", { name: "houses", placeholder: "дома: id или коды через запятую (пусто — весь фонд)", size: 40, "aria-label": "Дома" });

/** The journal of one import run: a filterable, paged table. */
async function journal(panel, runId) {
  const run = await get(`/api/imports/${runId}`);
  const filesSel = h(
    "select",
    { name: "file", "aria-label": "Файл" },
    h("option", { value: "" }, "все файлы"),
    [...new Set(run.issues.map((i) => i.file))].map((f) => h("option", { value: f }, f)),
  );
  const severity = h(
    "select",
    { name: "severity", "aria-label": "Важность" },
    h("option", { value: "" }, "ошибки и предупреждения"),
    h("option", { value: "error" }, "только ошибки"),
    h("option", { value: "warning" }, "только предупреждения"),
  );
  const q = h("input", { type: "search", name: "q", placeholder: "текст или значение", "aria-label": "Текст" });
  const results = h("div.journal-rows");
  let offset = 0;
  const load = async () => {
    const page = await get(`/api/imports/${runId}/issues`, {
      file: filesSel.value,
      severity: severity.value,
      q: q.value.trim(),
      limit: 50,
      offset,
      total: true,
    });
    clear(
      results,
      h("p.muted", `Строк журнала: ${fmtNum(page.total)}`),
      table(
        [
          { title: "Файл", get: (i) => i.file },
          { title: "Строка", get: (i) => i.row ?? "" },
          { title: "Столбец", get: (i) => i.column ?? "" },
          { title: "Значение", get: (i) => i.value ?? "" },
          { title: "Важность", get: (i) => (i.severity === "error" ? h("span.error", "ошибка") : "предупреждение") },
          { title: "Сообщение", get: (i) => i.message },
        ],
        page.items,
        { empty: "Журнал пуст", label: "Журнал загрузки" },
      ),
      pager(page, (o) => {
        offset = o;
        load();
      }),
    );
  };
  const counts = (s) => run.issues.filter((i) => i.severity === s).reduce((n, i) => n + i.count, 0);
  clear(
    panel,
    h("h3", `Журнал загрузки №${run.id}: ${run.source}`),
    h(
      "p",
      `${label("importState", run.status)} · прочитано ${fmtNum(run.rowsRead)}, добавлено ${fmtNum(run.rowsInserted)}, изменено ${fmtNum(run.rowsUpdated)}, без изменений ${fmtNum(run.rowsUnchanged)}, отклонено ${fmtNum(run.rowsRejected)} · ошибок ${fmtNum(counts("error"))}, предупреждений ${fmtNum(counts("warning"))}`,
    ),
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
      filesSel,
      severity,
      q,
      h("button", { type: "submit" }, "Показать"),
    ),
    results,
  );
  await load();
}

async function importTab(panel, ctx) {
  const runs = h("div.import-runs");
  const journalPanel = h("div.import-journal");
  const loadRuns = async () => {
    const page = await get("/api/imports", { limit: 20 });
    clear(
      runs,
      table(
        [
          { title: "№", get: (r) => h("button.link", { type: "button", "data-run": r.id, on: { click: () => journal(journalPanel, r.id) } }, `№${r.id}`) },
          { title: "Начата", get: (r) => fmtTime(r.startedAt) },
          { title: "Источник", get: (r) => r.source },
          { title: "Итог", get: (r) => h("span", { "data-status": r.status }, label("importState", r.status)) },
          { title: "Прочитано", get: (r) => fmtNum(r.rowsRead) },
          { title: "Отклонено", get: (r) => fmtNum(r.rowsRejected) },
          { title: "Кто", get: (r) => r.author ?? "" },
        ],
        page.items,
        { empty: "Загрузок ещё не было", label: "Загрузки" },
      ),
    );
  };
  const file = h("input", { type: "file", name: "bundle", accept: ".csv,.txt,.xlsx,.zip", "aria-label": "Файл выгрузки" });
  const bar = h("progress.upload", { max: 100, value: 0, hidden: true, "aria-label": "Передача файла" });
  const status = h("div.upload-status", { role: "status" });
  const go = async () => {
    if (!file.files?.length) throw new Error("Выберите файл выгрузки (CSV, XLSX или zip-архив)");
    bar.hidden = false;
    bar.value = 0;
    clear(status, "Передача файла…");
    const r = await sendFile("/api/imports", file.files[0], bar);
    clear(status, `Загрузка №${r.runId}: выполняется…`, r.skipped?.length ? ` (пропущены: ${r.skipped.join(", ")})` : "");
    for (;;) {
      const run = await get(`/api/imports/${r.runId}`);
      if (run.status !== "running") {
        clear(
          status,
          `Загрузка №${run.id}: ${label("importState", run.status)}; прочитано строк ${fmtNum(run.rowsRead)}, отклонено ${fmtNum(run.rowsRejected)}`,
        );
        status.dataset.status = run.status;
        break;
      }
      clear(status, `Загрузка №${run.id}: выполняется; прочитано строк ${fmtNum(run.rowsRead)}`);
      if (!panel.isConnected) return;
      await new Promise((res) => setTimeout(res, 1000));
    }
    await loadRuns();
    await journal(journalPanel, r.runId);
  };
  clear(
    panel,
    h("h2", "Загрузка выгрузки учётной системы"),
    h("p.muted", "Файлы выгрузки (houses.csv, accounts.xlsx…) по одному или zip-архивом; формат — gis-sync import --describe."),
    ctx.can("operator")
      ? h("div.toolbar", file, action("Загрузить", go, { class: "primary", id: "upload-bundle" }), bar, status)
      : h("p.muted", "Загружать выгрузку может оператор"),
    h("h3", "Загрузки"),
    runs,
    journalPanel,
  );
  await loadRuns();
}

async function excelTab(panel, ctx) {
  const kinds = await get("/api/files/excel/templates");
  const kind = h(
    "select",
    { name: "kind", "aria-label": "Шаблон" },
    kinds.map((k) => h("option", { value: k.kind }, `${k.name} (${k.version})`)),
  );
  const houses = housesInput();
  const month = h("input", { type: "month", name: "month", "aria-label": "Месяц платёжных документов" });
  const from = h("input", { type: "date", name: "from", "aria-label": "Показания с даты" });
  const book = h("input", { type: "file", name: "processed", accept: ".xlsx,.zip", "aria-label": "Обработанный файл ГИС" });
  const result = h("div.import-ids-result", { role: "status" });
  const bar = h("progress", { max: 100, value: 0, hidden: true, "aria-label": "Передача файла" });
  clear(
    panel,
    h("h2", "Выгрузка шаблона Excel для ГИС ЖКХ"),
    h(
      "div.toolbar",
      kind,
      houses,
      h("label", "месяц ПД ", month),
      h("label", "показания с ", from),
      action("Выгрузить", () => save("/api/files/excel/export", { kind: kind.value, houses: houses.value.trim(), month: month.value, from: from.value }), {
        class: "primary",
        id: "excel-export",
      }),
    ),
    h("h2", "Загрузка идентификаторов из обработанного ГИС файла"),
    ctx.can("operator")
      ? h(
          "div.toolbar",
          book,
          action("Загрузить", async () => {
            if (!book.files?.length) throw new Error("Выберите файл результатов обработки ГИС ЖКХ (.xlsx или zip)");
            bar.hidden = false;
            const r = await sendFile("/api/files/excel/import-ids", book.files[0], bar);
            const notes = [...r.rejected.map((n) => ({ ...n, kind: "отклонено ГИС" })), ...r.unmatched.map((n) => ({ ...n, kind: "не сопоставлено" }))];
            clear(
              result,
              h("p", `Записаны идентификаторы: ${r.applied}; принято без идентификаторов: ${r.acceptedWithoutIds}; не обработано ГИС: ${r.unprocessed}`),
              notes.length
                ? table(
                    [
                      { title: "Файл", get: (n) => n.file },
                      { title: "Лист", get: (n) => n.sheet },
                      { title: "Строка", get: (n) => n.row },
                      { title: "Объект", get: (n) => n.object },
                      { title: "Итог", get: (n) => n.kind },
                      { title: "Текст", get: (n) => n.text },
                    ],
                    notes.slice(0, 500),
                  )
                : null,
            );
          }),
          bar,
        )
      : h("p.muted", "Загружать идентификаторы может оператор"),
    result,
  );
}

async function fiasTab(panel, ctx) {
  const houses = housesInput();
  const only = h(
    "select",
    { "aria-label": "Какие адреса" },
    h("option", { value: "" }, "все"),
    h("option", { value: "with" }, "с ГУИД"),
    h("option", { value: "without" }, "без ГУИД"),
  );
  const scope = h(
    "select",
    { "aria-label": "Режим поиска" },
    h("option", { value: "selection" }, "внутри выбранного фонда"),
    h("option", { value: "database" }, "по всей базе"),
  );
  const archived = h("input", { type: "checkbox", "aria-label": "Без архивных" });
  const gar = h("input", { type: "file", accept: ".zip", "aria-label": "Выгрузка ГАР (zip)" });
  const apply = h("input", { type: "checkbox", "aria-label": "Записать в базу" });
  const proposals = h("input", { type: "checkbox", "aria-label": "И неполные совпадения" });
  const bar = h("progress", { max: 100, value: 0, hidden: true, "aria-label": "Передача файла" });
  const result = h("div.fias-result", { role: "status" });
  const common = () => ({ houses: houses.value.trim(), ignoreArchived: archived.checked ? "true" : "" });
  clear(
    panel,
    h("h2", "Отчёты ФИАС"),
    h("div.toolbar", houses, h("label.inline", archived, " без архивных адресов")),
    h(
      "div.toolbar",
      only,
      action("Отчёт по проставленным ГУИД ФИАС", () => save("/api/files/fias/coverage", { ...common(), only: only.value })),
    ),
    h(
      "div.toolbar",
      scope,
      action("Отчёт по домам с одинаковым ФИАС", () => save("/api/files/fias/duplicates", { ...common(), scope: scope.value })),
    ),
    h("h2", "Простановка ФИАС по выгрузке ГАР"),
    ctx.can("operator")
      ? h(
          "div.toolbar",
          gar,
          h("label.inline", apply, " записать точные совпадения"),
          h("label.inline", proposals, " и неполные"),
          action("Проставить", async () => {
            if (!gar.files?.length) throw new Error("Выберите zip-архив выгрузки ГАР региона");
            bar.hidden = false;
            const q = new URLSearchParams({
              ...(apply.checked ? { apply: "true" } : {}),
              ...(proposals.checked ? { acceptProposals: "true" } : {}),
              ...common(),
            });
            const r = await sendFile(`/api/files/fias/code?${q}`, gar.files[0], bar);
            clear(
              result,
              h("p", `${r.applied ? "Записано" : "Пробный прогон (в базу ничего не записано)"}: домов ${r.total}`),
              table(
                [
                  { title: "Дом", get: (x) => x.externalId },
                  { title: "Адрес", get: (x) => x.address },
                  { title: "Нас. пункт", get: (x) => x.settlement },
                  { title: "Улица", get: (x) => x.street ?? "" },
                  { title: "Дом", get: (x) => x.house },
                  { title: "ОКТМО", get: (x) => x.oktmo ?? "" },
                  { title: "Записано", get: (x) => x.written.join(", ") },
                ],
                r.houses,
              ),
            );
          }),
          bar,
        )
      : null,
    result,
  );
}

async function receiptsTab(panel) {
  const month = h("input", { type: "month", name: "idsMonth", required: true, "aria-label": "Месяц" });
  const format = h("select", { "aria-label": "Формат" }, h("option", { value: "xlsx" }, "Excel (.xlsx)"), h("option", { value: "csv" }, "CSV"));
  const houses = housesInput();
  clear(
    panel,
    h("h2", "ЕЛС, ИПД и ИЖКУ для печати в квитанциях"),
    h(
      "div.toolbar",
      month,
      format,
      houses,
      action("Выгрузить", async () => {
        if (!month.value) throw new Error("Укажите месяц платёжных документов");
        await save("/api/files/identifiers", { month: month.value, format: format.value, houses: houses.value.trim() });
      }),
    ),
    h("h2", "Отчёт по ошибкам квитирования"),
    h(
      "div.toolbar",
      action("Выгрузить отчёт", () => save("/api/files/kvit-report", { houses: houses.value.trim() })),
    ),
  );
}

async function paymentsTab(panel, ctx) {
  clear(
    panel,
    h("h2", "Платежи и квитирование"),
    h(
      "p.muted",
      "Порядок из руководства: проверить платежи за период, загрузить недостающие квитанции, выполнить квитирование, затем отчёт по ошибкам квитирования.",
    ),
    h(
      "div.toolbar",
      action("Проверить платежи…", () => checkPaymentsDialog(ctx), { id: "check-payments" }),
      action("Загрузить недостающие квитанции…", () => loadMissingDialog(ctx), { id: "load-missing" }),
      action("Квитирование за период…", () => kvitirovanieDialog(ctx), { id: "kvitirovanie" }),
    ),
  );
}

const TABS = { import: importTab, excel: excelTab, fias: fiasTab, receipts: receiptsTab, payments: paymentsTab };

export async function render(main, ctx) {
  const selected = ctx.id && TABS[ctx.id] ? ctx.id : "import";
  clear(
    main,
    h("h1", "Файлы"),
    tabs(
      [
        { id: "import", title: "Загрузка выгрузки" },
        { id: "excel", title: "Excel ГИС ЖКХ" },
        { id: "fias", title: "ФИАС" },
        { id: "receipts", title: "Для квитанций" },
        { id: "payments", title: "Платежи" },
      ],
      (id, panel) => TABS[id](panel, ctx),
      selected,
    ),
  );
}

import { del, get, post, upload } from "../api.js";
import { h, clear, fmtDay, fmtNum, fmtTime, fields, statusIcon, table, tabs, toast } from "../dom.js";
import { dialog, runStarter } from "./common.js";
import { pagedTab } from "./house.js";
import { KIND } from "./contracts.js";
import { editButton } from "./object-edit.js";
import { numberedAttempts } from "./actions.js";

const MAX_FILE_BYTES = 10 * 1024 * 1024;

export async function render(main, ctx, selected = "main") {
  const c = await get(`/api/contracts/${ctx.id}`);
  const reload = (tab) => render(main, ctx, tab);
  clear(
    main,
    h("p", h("a", { href: "#/contracts" }, "← Договоры")),
    h("h1", `${KIND[c.kind] ?? c.kind} № ${c.number ?? "б/н"}`, " ", statusIcon(c.sync.status, c.sync.errorText ?? undefined)),
    // Send / load the contract: push = «Отправить изменения» в ГИС, pull = «Запросить из ГИС», stage contracts, this contract only.
    runStarter(
      ctx,
      () => ({ contractId: c.id }),
      () => reload(),
      { stage: "contracts" },
    ),
    ctx.can("operator")
      ? h(
          "div.toolbar",
          { role: "group", "aria-label": "Изменить договор" },
          editButton(ctx, "contract", c, () => reload()),
          h("button", { type: "button", on: { click: () => addHousesDialog(c, () => reload("objects")) } }, "Добавить дома…"),
        )
      : null,
    tabs(
      [
        { id: "main", title: "Реквизиты" },
        { id: "objects", title: `Объекты (${c.objectCount})` },
        { id: "attachments", title: "Вложения" },
        { id: "attempts", title: "Попытки отправки" },
      ],
      (t, p) => {
        if (t === "main")
          return clear(
            p,
            fields([
              ["Заключён", fmtDay(c.signedDate)],
              ["Вступает в силу", fmtDay(c.effectiveDate)],
              ["Окончание", fmtDay(c.plannedEndDate)],
              ["Вторая сторона", c.secondPartyName],
              ["Показания ПУ", c.readingsFromDay ? `с ${c.readingsFromDay} по ${c.readingsToDay} число` : null],
              ["Срок выставления ПД", c.paymentDocumentDay],
              ["Срок оплаты", c.paymentDay],
              ["Статус ГИС", c.gisStatus],
              ["Состояние ГИС", c.gisState],
              ["ГИС ГУИД версии", c.gisVersionGuid],
              ["Ошибка", c.sync.errorText],
            ]),
          );
        if (t === "objects")
          return pagedTab(p, `/api/contracts/${c.id}/objects`, [
            { title: "Дом", get: (o) => (o.house ? h("a", { href: `#/houses/${o.house.id}` }, o.house.address) : o.houseId) },
            { title: "С", get: (o) => fmtDay(o.startDate) },
            { title: "По", get: (o) => fmtDay(o.endDate) },
            { title: "Услуги", get: (o) => o.services.map((s) => s.service?.name ?? s.serviceId).join(", ") },
          ]);
        if (t === "attachments") return attachmentsTab(p, ctx, c);
        return numberedAttempts(ctx, "contract", c, () => reload("attempts")).then((x) => clear(p, x));
      },
      selected,
    ),
  );
}

const fmtSize = (n) =>
  n === null || n === undefined
    ? ""
    : n < 1024
      ? `${n} Б`
      : n < 1024 * 1024
        ? `${fmtNum(Math.round(n / 1024))} КБ`
        : `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} МБ`;

/** «Вложения»: the contract's files, an upload control (operators) and delete while GIS does not have the file yet. */
async function attachmentsTab(panel, ctx, c) {
  const url = `/api/contracts/${c.id}/attachments`;
  const page = await get(url, { limit: 500 });
  const refresh = () => attachmentsTab(panel, ctx, c).catch((e) => toast(e.message, "error"));
  const remove = async (a) => {
    if (!confirm(`Удалить вложение «${a.fileName}»?`)) return;
    try {
      await del(`${url}/${a.id}`);
      toast(`Вложение «${a.fileName}» удалено`);
      refresh();
    } catch (e) {
      toast(e.message, "error");
    }
  };
  let form = null;
  if (ctx.can("operator")) {
    const input = h("input", { type: "file", multiple: true, "aria-label": "Файлы вложений" });
    const button = h("button.primary", { type: "submit" }, "Загрузить");
    form = h(
      "form.toolbar",
      {
        "aria-label": "Загрузка вложений",
        on: {
          submit: async (e) => {
            e.preventDefault();
            const files = [...input.files];
            if (!files.length) return toast("Выберите файл", "error");
            const big = files.find((f) => f.size > MAX_FILE_BYTES);
            if (big) return toast(`Файл «${big.name}» больше 10 МБ`, "error");
            button.disabled = true;
            try {
              for (const f of files) {
                await upload(url, f);
                toast(`Файл «${f.name}» загружен`);
              }
            } catch (err) {
              toast(err.message, "error");
            } finally {
              button.disabled = false;
            }
            refresh();
          },
        },
      },
      h("label", "Файл: ", input),
      button,
      h("span.muted", "до 10 МБ; в ГИС файл уйдёт перед отправкой договора"),
    );
  }
  clear(
    panel,
    form,
    table(
      [
        { title: "Файл", get: (a) => a.fileName },
        { title: "Размер", class: "num", get: (a) => fmtSize(a.sizeBytes) },
        { title: "Хеш (ГОСТ Р 34.11-2012)", class: "mono", get: (a) => (a.hash ? h("span", { title: a.hash }, `${a.hash.slice(0, 16)}…`) : "") },
        { title: "ГУИД вложения в ГИС", class: "mono", get: (a) => a.gisAttachmentGuid ?? "" },
        { title: "Загружено в ГИС", get: (a) => (a.uploadedAt ? fmtTime(a.uploadedAt) : "ещё нет") },
        {
          title: "",
          get: (a) => (ctx.can("operator") && !a.gisAttachmentGuid ? h("button.link", { type: "button", on: { click: () => remove(a) } }, "Удалить") : ""),
        },
      ],
      page.items,
      { empty: "Вложений нет", label: "Вложения договора" },
    ),
    page.hasMore ? h("p.muted", "Показаны первые 500 вложений") : null,
  );
}

/** «Добавить дома»: search houses, pick several, a start date and (optionally) services → POST …/objects. */
async function addHousesDialog(c, onDone) {
  const chosen = new Map();
  const q = h("input", { type: "search", placeholder: "Адрес, ФИАС, ЕЛС или номер ЛС", "aria-label": "Поиск домов" });
  const results = h("div");
  const picked = h("div");
  const start = h("input", { type: "date", value: c.effectiveDate ?? "", "aria-label": "Дата начала" });
  const services = h("div.days", h("span.muted", "Загрузка…"));
  const submit = h("button.primary", { type: "submit" }, "Добавить");

  const showPicked = () =>
    clear(
      picked,
      chosen.size
        ? [
            h("p", `Выбрано домов: ${chosen.size}`),
            h(
              "ul",
              [...chosen.values()].map((x) =>
                h(
                  "li",
                  x.address,
                  " ",
                  h(
                    "button.link",
                    {
                      type: "button",
                      "aria-label": `Убрать ${x.address}`,
                      on: {
                        click: () => {
                          chosen.delete(x.id);
                          showPicked();
                          search();
                        },
                      },
                    },
                    "✕",
                  ),
                ),
              ),
            ),
          ]
        : h("p.muted", "Дома не выбраны"),
    );

  let seq = 0;
  const search = async () => {
    const mine = ++seq;
    let page;
    try {
      page = await get("/api/houses", { q: q.value.trim(), limit: 20 });
    } catch (e) {
      clear(results, h("p.error", e.message));
      return;
    }
    if (mine !== seq) return; // a newer search is under way
    clear(
      results,
      table(
        [
          {
            title: "",
            get: (x) =>
              h("input", {
                type: "checkbox",
                checked: chosen.has(x.id),
                "aria-label": `Выбрать ${x.address}`,
                on: {
                  change: (e) => {
                    if (e.target.checked) chosen.set(x.id, { id: x.id, address: x.address });
                    else chosen.delete(x.id);
                    showPicked();
                  },
                },
              }),
          },
          { title: "Адрес", get: (x) => x.address },
          { title: "ФИАС", class: "mono", get: (x) => x.fiasHouseGuid ?? "" },
        ],
        page.items,
        { empty: "Ничего не найдено", label: "Найденные дома" },
      ),
      page.hasMore ? h("p.muted", "Показаны первые 20; уточните поиск") : null,
    );
  };
  let timer = null;
  q.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  });

  const form = h(
    "form",
    {
      on: {
        submit: async (e) => {
          e.preventDefault();
          if (!chosen.size) return toast("Выберите хотя бы один дом", "error");
          const serviceIds = [...services.querySelectorAll("input[type=checkbox]:checked")].map((x) => Number(x.value));
          submit.disabled = true;
          try {
            const r = await post(`/api/contracts/${c.id}/objects`, {
              houseIds: [...chosen.keys()],
              ...(start.value ? { startDate: start.value } : {}),
              ...(serviceIds.length ? { serviceIds } : {}),
            });
            toast(`Добавлено домов: ${r.added.length}${r.skipped.length ? `; уже были в договоре: ${r.skipped.length}` : ""}`);
            d.close();
            onDone();
          } catch (err) {
            toast(err.message, "error");
          } finally {
            submit.disabled = false;
          }
        },
      },
    },
    h("label", "Поиск домов"),
    q,
    results,
    picked,
    h("div.form-grid", h("label", "Дата начала"), start),
    h("p", "Услуги (если не выбраны — те же, что у других объектов договора):"),
    services,
    h("p", submit),
  );
  const d = dialog("Добавить дома в договор", form);
  showPicked();
  search();
  try {
    const list = await get("/api/services", { organizationId: c.organizationId, limit: 500 });
    clear(
      services,
      list.items.length
        ? list.items.map((s) => h("label", h("input", { type: "checkbox", value: String(s.id) }), ` ${s.name} (${s.code})`))
        : h("span.muted", "У организации нет услуг"),
    );
  } catch (e) {
    clear(services, h("span.error", e.message));
  }
}

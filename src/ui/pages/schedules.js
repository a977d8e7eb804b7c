// Расписание: the manual's scheduled jobs — list, add, edit, enable/disable, delete.
import { get, post, put, del } from "../api.js";
import { h, clear, fmtTime, table, toast } from "../dom.js";
import { dialog } from "./common.js";

const WEEK = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"];

/** The scope the editor's organization and houses make (null: ours, every house). */
function scopeBody(f) {
  const out = {};
  if (f.organization.value === "all") out.organizationIds = "all";
  else if (f.organization.value) out.organizationId = Number(f.organization.value);
  const houses = f.houses.value
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);
  if (houses.length) out.houseIds = houses;
  return Object.keys(out).length ? out : null;
}

/** The schedule's scope as stored (JSON text or null). */
const scopeOf = (s) => (s?.scope ? (typeof s.scope === "string" ? JSON.parse(s.scope) : s.scope) : {});

function editor(ctx, jobTypes, s, done, orgs) {
  const scope = scopeOf(s);
  const f = {
    name: h("input", { id: "s-name", value: s?.name ?? "" }),
    jobType: h(
      "select",
      { id: "s-job" },
      jobTypes.map((j) => h("option", { value: j.id, selected: s?.jobType === j.id }, j.label)),
    ),
    stand: h(
      "select",
      { id: "s-stand" },
      ctx.meta.stands.map((x) => h("option", { value: x, selected: (s?.stand ?? ctx.meta.defaultStand) === x }, x)),
    ),
    mode: h(
      "select",
      { id: "s-mode" },
      h("option", { value: "once", selected: s?.mode !== "interval" }, "один раз в день"),
      h("option", { value: "interval", selected: s?.mode === "interval" }, "каждые N минут"),
    ),
    timeOfDay: h("input", { id: "s-time", placeholder: "ЧЧ:ММ", value: s?.timeOfDay ?? "" }),
    everyMinutes: h("input", { id: "s-every", type: "number", min: 1, max: 1440, value: s?.everyMinutes ?? "" }),
    windowStart: h("input", { id: "s-from", placeholder: "ЧЧ:ММ", value: s?.windowStart ?? "" }),
    windowEnd: h("input", { id: "s-to", placeholder: "ЧЧ:ММ", value: s?.windowEnd ?? "" }),
    startDate: h("input", { id: "s-start", type: "date", value: s?.startDate ?? "" }),
    endDate: h("input", { id: "s-end", type: "date", value: s?.endDate ?? "" }),
    organization: h(
      "select",
      { id: "s-org" },
      h("option", { value: "", selected: !scope.organizationId && !scope.organizationIds }, "наша (на момент запуска)"),
      h("option", { value: "all", selected: scope.organizationIds === "all" }, "все наши организации"),
      orgs.map((o) => h("option", { value: String(o.id), selected: scope.organizationId === o.id }, o.name)),
    ),
    houses: h("input", { id: "s-houses", placeholder: "номера домов через запятую (пусто — все)", value: (scope.houseIds ?? []).join(", ") }),
  };
  const days = WEEK.map((d, i) =>
    h("input", { type: "checkbox", "aria-label": d, checked: (s?.daysOfWeek ?? "1,2,3,4,5,6,7").split(",").includes(String(i + 1)) }),
  );
  const enabled = h("input", { type: "checkbox", checked: s?.enabled ?? true });
  const label = (id, t) => h("label", { for: id }, t);
  const d = dialog(
    s ? `Расписание: ${s.name}` : "Новое расписание",
    h(
      "form.form-grid",
      {
        on: {
          submit: async (e) => {
            e.preventDefault();
            const body = {
              name: f.name.value,
              jobType: f.jobType.value,
              stand: f.stand.value,
              mode: f.mode.value,
              enabled: enabled.checked,
              daysOfWeek: days
                .map((c, i) => (c.checked ? i + 1 : null))
                .filter(Boolean)
                .join(","),
              timeOfDay: f.mode.value === "once" ? f.timeOfDay.value : null,
              everyMinutes: f.mode.value === "interval" && f.everyMinutes.value ? Number(f.everyMinutes.value) : null,
              windowStart: f.mode.value === "interval" ? f.windowStart.value : null,
              windowEnd: f.mode.value === "interval" ? f.windowEnd.value : null,
              startDate: f.startDate.value || null,
              endDate: f.endDate.value || null,
              scope: scopeBody(f),
            };
            try {
              if (s) await put(`/api/schedules/${s.id}`, body);
              else await post("/api/schedules", body);
              toast("Расписание сохранено");
              d.close();
              done();
            } catch (err) {
              toast(err.message, "error");
            }
          },
        },
      },
      label("s-name", "Название"),
      f.name,
      label("s-job", "Задание"),
      f.jobType,
      label("s-stand", "Стенд"),
      f.stand,
      h("span", "Дни недели"),
      h(
        "span.days",
        days.map((c, i) => h("label.inline", c, WEEK[i])),
      ),
      label("s-mode", "Частота"),
      f.mode,
      label("s-time", "Время запуска"),
      f.timeOfDay,
      label("s-every", "Каждые (мин)"),
      f.everyMinutes,
      label("s-from", "Начиная с"),
      f.windowStart,
      label("s-to", "Завершить в"),
      f.windowEnd,
      label("s-start", "Первый день"),
      f.startDate,
      label("s-end", "Последний день"),
      f.endDate,
      label("s-org", "Организация"),
      f.organization,
      label("s-houses", "Дома"),
      f.houses,
      h("span", "Включено"),
      enabled,
      h("span"),
      h("button.primary", { type: "submit" }, "Сохранить"),
    ),
  );
}

export async function render(main, ctx) {
  const [{ items, jobTypes }, mine] = await Promise.all([get("/api/schedules"), get("/api/me/scope")]);
  const orgs = mine.organizations;
  const reload = () => render(main, ctx);
  const label = Object.fromEntries(jobTypes.map((j) => [j.id, j.label]));
  clear(
    main,
    h("h1", "Расписание"),
    h("div.toolbar", h("button.primary", { type: "button", on: { click: () => editor(ctx, jobTypes, null, reload, orgs) } }, "Добавить")),
    table(
      [
        { title: "Название", get: (s) => s.name },
        { title: "Задание", get: (s) => label[s.jobType] ?? s.jobType },
        { title: "Стенд", get: (s) => s.stand },
        {
          title: "Когда",
          get: (s) =>
            `${s.daysOfWeek
              .split(",")
              .map((d) => WEEK[d - 1])
              .join(" ")}; ${s.mode === "once" ? `в ${s.timeOfDay}` : `каждые ${s.everyMinutes} мин с ${s.windowStart} до ${s.windowEnd}`}`,
        },
        { title: "Включено", get: (s) => (s.enabled ? "да" : "нет") },
        { title: "Последний запуск", get: (s) => fmtTime(s.lastStartedAt) },
        {
          title: "",
          get: (s) =>
            h(
              "span.actions",
              h("button", { type: "button", on: { click: () => editor(ctx, jobTypes, s, reload, orgs) } }, "Изменить"),
              h(
                "button",
                {
                  type: "button",
                  on: {
                    click: async () => {
                      await post(`/api/schedules/${s.id}/run`);
                      toast(`«${s.name}» запущено; итог появится в списке`);
                      setTimeout(reload, 1500);
                    },
                  },
                },
                "Запустить сейчас",
              ),
              h(
                "button.danger",
                {
                  type: "button",
                  on: {
                    click: async () => {
                      if (confirm(`Удалить расписание «${s.name}»?`)) {
                        await del(`/api/schedules/${s.id}`);
                        reload();
                      }
                    },
                  },
                },
                "Удалить",
              ),
            ),
        },
      ],
      items,
      { empty: "Расписаний нет" },
    ),
  );
}

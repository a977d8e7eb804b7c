// The single-page shell: navigation by role, hash routes, one page module per screen.
import { api, me, get } from "./api.js";
import { h, clear, toast, clearToasts } from "./dom.js";
import { LABELS } from "./labels.js";
import { renderScopePicker } from "./scope-picker.js";

const RANK = { accountant: 1, operator: 2, admin: 3 };
const ROLE_LABEL = LABELS.userRole;

const PAGES = [
  { path: "dashboard", title: "Сводка", role: "accountant", module: "./pages/dashboard.js" },
  { path: "houses", title: "Справочник домов", role: "accountant", module: "./pages/houses.js" },
  { path: "contracts", title: "Договоры", role: "accountant", module: "./pages/contracts.js" },
  { path: "organizations", title: "Организации", role: "accountant", module: "./pages/organizations.js" },
  { path: "services", title: "Справочник услуг", role: "accountant", module: "./pages/services.js" },
  { path: "nsi", title: "Справочники ГИС", role: "accountant", module: "./pages/nsi.js" },
  { path: "runs", title: "Запуски", role: "accountant", module: "./pages/runs.js" },
  { path: "files", title: "Файлы", role: "accountant", module: "./pages/files.js" },
  { path: "exchange", title: "Обмен с ГИС", role: "operator", module: "./pages/exchange.js" },
  { path: "messages", title: "Журнал сообщений", role: "accountant", module: "./pages/messages.js" },
  { path: "processes", title: "Процессы", role: "operator", module: "./pages/processes.js" },
  { path: "schedules", title: "Расписание", role: "admin", module: "./pages/schedules.js" },
  { path: "settings", title: "Настройки", role: "admin", module: "./pages/settings.js" },
  { path: "sync-fields", title: "Поля для синхронизации", role: "operator", module: "./pages/sync-fields.js" },
  { path: "users", title: "Пользователи", role: "admin", module: "./pages/users.js" },
  { path: "audit", title: "Журнал аудита", role: "admin", module: "./pages/audit.js" },
];
// Cards reached from lists, not from the menu.
// A card lights up the menu item of the list it belongs to.
const PARENT = { accounts: "houses", objects: "dashboard", meter: "houses", entrance: "houses", premise: "houses", room: "houses" };
const CARDS = {
  houses: "./pages/house.js",
  accounts: "./pages/account.js",
  exchange: "./pages/operation.js",
  contracts: "./pages/contract.js",
  nsi: "./pages/nsi.js",
  objects: "./pages/objects.js",
  organizations: "./pages/organization.js",
  meter: "./pages/object-card.js",
  entrance: "./pages/object-card.js",
  premise: "./pages/object-card.js",
  room: "./pages/object-card.js",
};

let user = null;
let meta = null;
let cleanup = null;
// A screen with unsaved edits says so through ctx.guardLeave(fn): fn() → true lets the user go.
let leaveGuard = null;
let currentHash = null;

function renderNav(current) {
  const nav = document.getElementById("nav");
  clear(
    nav,
    h(
      "ul",
      PAGES.filter((p) => RANK[user.role] >= RANK[p.role]).map((p) =>
        h("li", h("a", { href: `#/${p.path}`, "aria-current": p.path === current ? "page" : undefined }, p.title)),
      ),
    ),
  );
}

async function route() {
  if (leaveGuard && currentHash !== null && location.hash !== currentHash && !leaveGuard()) {
    history.replaceState(null, "", currentHash || location.pathname);
    return;
  }
  leaveGuard = null;
  currentHash = location.hash;
  clearToasts();
  if (cleanup) {
    try {
      cleanup();
    } catch {
      /* page gone */
    }
    cleanup = null;
  }
  const [section = "dashboard", id, ...rest] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const page = PAGES.find((p) => p.path === (PARENT[section] ?? section)) ?? PAGES[0];
  renderNav(page.path);
  const main = document.getElementById("main");
  if (RANK[user.role] < RANK[page.role]) {
    clear(main, h("h1", page.title), h("p.error", "Недостаточно прав для этого раздела"));
    return;
  }
  const modulePath = id && CARDS[section] ? CARDS[section] : page.module;
  clear(main, h("p.muted", "Загрузка…"));
  try {
    const mod = await import(modulePath);
    const ctx = {
      user,
      meta,
      id,
      rest,
      can: (role) => RANK[user.role] >= RANK[role],
      guardLeave: (fn) => {
        leaveGuard = fn;
      },
    };
    document.title = `${page.title} — gis-sync`;
    cleanup = (await mod.render(main, ctx)) ?? null;
  } catch (e) {
    clear(main, h("h1", page.title), h("p.error", e.message));
  }
}

async function start() {
  try {
    user = await me();
  } catch {
    return;
  }
  meta = await get("/api/meta");
  await renderScopePicker(document.getElementById("scope"), meta, () => route()).catch((e) => toast(e.message, "error"));
  clear(
    document.getElementById("whoami"),
    h("span", `${user.displayName ?? user.login} (${ROLE_LABEL[user.role] ?? user.role})`),
    h(
      "button.link",
      { type: "button", id: "change-password", on: { click: async () => (await import("./pages/password.js")).passwordDialog(null) } },
      "Сменить пароль",
    ),
    h(
      "button.link",
      { type: "button", id: "reminders-settings", on: { click: async () => (await import("./pages/reminders.js")).remindersDialog(null) } },
      "Напоминания",
    ),
    h(
      "button.link",
      {
        type: "button",
        on: {
          click: async () => {
            await api("POST", "/api/logout", {});
            location.href = "/login";
          },
        },
      },
      "Выйти",
    ),
  );
  // The skip link moves focus to this screen's content; following its href would change the route.
  document.querySelector("a.skip")?.addEventListener("click", (e) => {
    e.preventDefault();
    document.getElementById("main")?.focus();
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("unhandledrejection", (e) => toast(e.reason?.message ?? String(e.reason), "error"));
  await route();
}

start();

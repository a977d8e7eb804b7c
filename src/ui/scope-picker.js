// The picker in the header: organization (all / one of the user's, by name) and stand. A change
// is kept (scope.js) and the screen is drawn again, so every list and figure follows it.
import { get } from "./api.js";
import { h, clear } from "./dom.js";
import { label } from "./labels.js";
import { scope, setScope } from "./scope.js";

/** @param {HTMLElement} host @param {{defaultStand?: string}} meta @param {() => void} onChange */
export async function renderScopePicker(host, meta, onChange) {
  const mine = await get("/api/me/scope");
  const s = scope();
  // A kept choice the user may no longer make falls back to what they may.
  const orgIds = mine.organizations.map((o) => String(o.id));
  if (s.org && !orgIds.includes(s.org)) setScope({ org: null });
  if (mine.limited && mine.organizations.length === 1) setScope({ org: orgIds[0] });
  if (!s.stand || !mine.stands.includes(s.stand)) setScope({ stand: mine.stands.includes(meta.defaultStand) ? meta.defaultStand : (mine.stands[0] ?? null) });
  const now = scope();
  const org = h(
    "select#scope-org",
    { "aria-label": "Организация", on: { change: (e) => (setScope({ org: e.target.value || null }), onChange()) } },
    mine.limited && mine.organizations.length === 1 ? null : h("option", { value: "" }, mine.limited ? "Все мои организации" : "Все организации"),
    mine.organizations.map((o) =>
      h("option", { value: String(o.id), selected: now.org === String(o.id), title: o.ogrn ? `ОГРН ${o.ogrn}` : undefined }, o.name),
    ),
  );
  const stand = h(
    "select#scope-stand",
    { "aria-label": "Стенд", on: { change: (e) => (setScope({ stand: e.target.value }), onChange()) } },
    mine.stands.map((x) => h("option", { value: x, selected: now.stand === x }, label("stand", x))),
  );
  clear(host, h("label", { for: "scope-org" }, "Организация"), org, h("label", { for: "scope-stand" }, "Стенд"), stand);
}

// Objects named the way an operator knows them («ЛС 1600000004», the house's address, «ПУ № 123»,
// «ПД 45 за 03.2025») instead of internal ids: one request per page of items (GET /api/object-names,
// one query per kind on the server).
import { get } from "../api.js";
import { h } from "../dom.js";

/** @param {Array<{objectType: string, objectId: number}>} items @returns {Promise<Map<string, {name: string, href: string | null}>>} */
export async function namesFor(items) {
  const refs = [...new Set(items.filter((i) => i.objectType && i.objectId != null).map((i) => `${i.objectType}:${i.objectId}`))];
  if (!refs.length) return new Map();
  try {
    const r = await get("/api/object-names", { refs: refs.join(",") });
    return new Map(r.items.map((n) => [`${n.kind}:${n.id}`, n]));
  } catch {
    return new Map(); // names are a convenience: the ids still show
  }
}

/** The object's name, a link to its card when it has one; unknown objects keep kind and id. */
export function objectCell(names, type, id) {
  const n = names.get(`${type}:${id}`);
  if (!n) return `${type} ${id}`;
  return n.href ? h("a", { href: n.href, title: `${type} ${id}` }, n.name) : h("span", { title: `${type} ${id}` }, n.name);
}

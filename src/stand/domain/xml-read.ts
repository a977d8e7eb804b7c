/**
 * Reading a request for the stand's handlers: elements by local name (GIS namespaces carry schema
 * versions, so names are matched, not URIs), NSI references, and copying a request fragment into
 * the stand's state as an XNode tree, so exports can give back what was placed in GIS's own shape.
 */
import { NS, XNode } from "../../transport/envelope/xml";
import { child, children, text } from "../../transport/results/safe-xml";

export { child, children, text };

/** The text of a child element, or null. */
export function val(el: Element | null, localName: string): string | null {
  return el ? text(child(el, localName)) : null;
}

/** The text of a child element that the schema makes required. */
export function must(el: Element, localName: string): string {
  const v = val(el, localName);
  if (v === null) throw new Error(`stand: в ${el.localName} нет ${localName}`);
  return v;
}

/** A GUID as the stand keys it: lower case. */
export function lower(v: string | null): string | null {
  return v === null ? null : v.toLowerCase();
}

export interface NsiRefValue {
  code: string;
  guid: string;
  name: string | null;
}

/** An nsi-base:nsiRef (Code, GUID, Name?) child, or null. */
export function nsiRefOf(el: Element | null, localName: string): NsiRefValue | null {
  const r = el ? child(el, localName) : null;
  if (!r) return null;
  return { code: val(r, "Code") ?? "", guid: (val(r, "GUID") ?? "").toLowerCase(), name: val(r, "Name") };
}

const PREFIX_OF = new Map<string, string>(Object.entries(NS).map(([p, uri]) => [uri, p]));

/**
 * A request element as an XNode (plain JSON, storable in a stand table). Children whose local name
 * is in `drop` are left out at any depth — e.g. TransportGUID, which belongs to the request only.
 * Attributes are not kept: GIS content elements have none.
 */
export function toXNode(el: Element, drop: ReadonlySet<string> = new Set()): XNode {
  const prefix = PREFIX_OF.get(el.namespaceURI ?? "");
  if (!prefix) throw new Error(`stand: неизвестное пространство имён ${el.namespaceURI ?? ""} у ${el.localName}`);
  const kids: Array<XNode | string> = [];
  const elements = children(el);
  if (elements.length === 0) {
    const t = el.textContent ?? "";
    if (t !== "") kids.push(t);
  } else {
    for (const c of elements) if (!drop.has(c.localName)) kids.push(toXNode(c, drop));
  }
  return { name: `${prefix}:${el.localName}`, attrs: [], kids };
}

/** Renames an XNode (the same content under another element name, e.g. a request type reused in an export). */
export function renamed(node: XNode, name: string): XNode {
  return { ...node, name };
}

/** Local name of a stored XNode. */
export function localOf(node: XNode): string {
  return node.name.slice(node.name.indexOf(":") + 1);
}

/** Decimal text → number (the stand compares amounts and areas). */
export function num(v: string | null): number | null {
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

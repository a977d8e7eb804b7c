/**
 * Reading a request for the stand's handlers: elements by local name (GIS namespaces carry schema
 * versions, so names are matched, not URIs), NSI references, and packing a request fragment into
 * the stand's state, so exports can give back what was placed in GIS's own shape.
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
 * Request fragments as the stand's tables keep them: one JSON string per list of elements, each
 * element `[name, ...children]` (a child is text or an element). A tree of XNode objects costs about
 * ten times its text in memory — 8 GB for a 100,000-account organization; the string is unpacked
 * only when an export gives the fragment back.
 */
export type Packed = string;

/** `[name, ...children]`: the first item is the element's name. */
interface Tuple extends Array<string | Tuple> {}

function tupleOf(el: Element, drop: ReadonlySet<string>): Tuple {
  const prefix = PREFIX_OF.get(el.namespaceURI ?? "");
  if (!prefix) throw new Error(`stand: неизвестное пространство имён ${el.namespaceURI ?? ""} у ${el.localName}`);
  const out: Tuple = [`${prefix}:${el.localName}`];
  const elements = children(el);
  if (elements.length === 0) {
    const t = el.textContent ?? "";
    if (t !== "") out.push(t);
  } else {
    for (const c of elements) if (!drop.has(c.localName)) out.push(tupleOf(c, drop));
  }
  return out;
}

const tupleOfNode = (n: XNode): Tuple => [n.name, ...n.kids.map((k) => (typeof k === "string" ? k : tupleOfNode(k)))];

/**
 * Request elements (or built XNodes: seeds, tests) packed for a stand table; children of request
 * elements named in `drop` are left out at any depth. Attributes are not kept: GIS content
 * elements have none.
 */
export function pack(items: ReadonlyArray<Element | XNode>, drop: ReadonlySet<string> = new Set()): Packed {
  return items.length ? JSON.stringify(items.map((e) => ("kids" in e ? tupleOfNode(e) : tupleOf(e, drop)))) : "";
}

const nodeOf = (t: Tuple): XNode => ({ name: t[0] as string, attrs: [], kids: t.slice(1).map((k) => (typeof k === "string" ? k : nodeOf(k))) });

/** The elements of a packed fragment. */
export function unpack(p: Packed | null | undefined): XNode[] {
  if (!p) return [];
  if (typeof p !== "string") {
    // A data file written before packing holds the trees themselves (a list, or one node).
    const legacy = p as unknown as XNode | XNode[];
    return Array.isArray(legacy) ? [...legacy] : [legacy];
  }
  return (JSON.parse(p) as Tuple[]).map(nodeOf);
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

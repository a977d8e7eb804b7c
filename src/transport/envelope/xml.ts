/**
 * Typed XML emission, the one way gis-sync writes messages. Output is already in canonical form
 * (no self-closing tags, text and attributes escaped as XML c14n does, CR as &#xD;), so what the
 * signer digests and what goes on the wire are the same bytes.
 */
export type Node = string | XmlElement | null | undefined | false;

export interface XmlElement {
  readonly xml: string;
}

export function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/\t/g, "&#x9;").replace(/\n/g, "&#xA;").replace(/\r/g, "&#xD;");
}

/**
 * An element. Attributes are written in the order given: callers put namespace declarations first
 * (xmlns before xmlns:a before xmlns:b) and plain attributes before prefixed ones, the c14n order.
 * Strings among the children are text; null/undefined/false children are skipped (optional elements).
 */
export function el(name: string, attrs: Record<string, string | undefined> | null, ...kids: Array<Node | Node[]>): XmlElement {
  let open = `<${name}`;
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) open += ` ${k}="${escapeAttr(v)}"`;
  let inner = "";
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    inner += typeof k === "string" ? escapeText(k) : k.xml;
  }
  return { xml: `${open}>${inner}</${name}>` };
}

/** An optional leaf: nothing when the value is absent. */
export function opt(name: string, value: string | number | boolean | null | undefined): XmlElement | null {
  return value === null || value === undefined || value === "" ? null : el(name, null, String(value));
}

/**
 * Parsing what GIS (or anything pretending to be GIS) sends back. Answers are untrusted input:
 * a size limit, no DTDs and no entity declarations (XXE, billion laughs), and a clear error on
 * malformed XML instead of a half-built tree.
 */
import { DOMParser } from "@xmldom/xmldom";

export class ResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResponseError";
  }
}

export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;
/** GIS's deepest answers (house-management exports) nest about 15 elements; 100 leaves room and stops stack-deep trees. */
export const DEFAULT_MAX_RESPONSE_DEPTH = 100;

/** Element nesting depth by a linear scan of the tags (before building a tree that recursive readers would walk). */
function depthOver(xml: string, max: number): boolean {
  let depth = 0;
  const tag = /<(\/?)([^\s>!?/][^>]*?)?(\/?)>|<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[0].startsWith("<!") || m[0].startsWith("<?")) continue;
    if (m[1] === "/") depth--;
    else if (m[3] !== "/") {
      depth++;
      if (depth > max) return true;
    }
  }
  return false;
}

export function parseUntrusted(xml: string, maxBytes = DEFAULT_MAX_RESPONSE_BYTES, maxDepth = DEFAULT_MAX_RESPONSE_DEPTH): Document {
  const size = Buffer.byteLength(xml, "utf8");
  if (size > maxBytes) throw new ResponseError(`ответ ГИС ЖКХ слишком велик: ${size} байт (предел ${maxBytes})`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ResponseError("ответ ГИС ЖКХ содержит DTD или объявление сущностей — отклонён (защита от XXE)");
  if (xml.trim() === "") throw new ResponseError("пустой ответ ГИС ЖКХ");
  // The HTTP client decodes bytes as UTF-8 with replacement: U+FFFD means the bytes were not UTF-8 (GIS never sends it).
  if (xml.includes("\uFFFD")) throw new ResponseError("ответ ГИС ЖКХ — не UTF-8 (недопустимые байты): ответ отклонён");
  if (depthOver(xml, maxDepth)) throw new ResponseError(`ответ ГИС ЖКХ: вложенность элементов больше ${maxDepth} — ответ отклонён`);
  const errors: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: () => undefined, error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(xml, "text/xml") as unknown as Document;
  if (errors.length > 0 || !doc || !doc.documentElement) {
    throw new ResponseError(`ответ ГИС ЖКХ — некорректный XML: ${(errors[0] ?? "нет корневого элемента").replace(/\s+/g, " ").slice(0, 300)}`);
  }
  return doc;
}

/** Child elements by local name: GIS namespaces carry the schema version, so names are matched, not URIs. */
export function children(el: Element, localName?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (!localName || (n as Element).localName === localName)) out.push(n as Element);
  }
  return out;
}

export function child(el: Element, localName: string): Element | null {
  return children(el, localName)[0] ?? null;
}

export function text(el: Element | null): string | null {
  if (!el) return null;
  const t = (el.textContent ?? "").trim();
  return t === "" ? null : t;
}

/** Finds the first element with this local name anywhere below `el`. */
export function descendant(el: Element, localName: string): Element | null {
  for (const c of children(el)) {
    if (c.localName === localName) return c;
    const d = descendant(c, localName);
    if (d) return d;
  }
  return null;
}

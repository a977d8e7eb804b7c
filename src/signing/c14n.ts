/**
 * XML canonicalization without comments — exclusive (http://www.w3.org/2001/10/xml-exc-c14n#) and
 * inclusive c14n 1.0 (http://www.w3.org/TR/2001/REC-xml-c14n-20010315, the GIS server's Variant L) —
 * of one element of a document: the one canonicalizer of gis-sync, for signing and for verifying.
 *
 * `excC14nText` / `c14nText` walk the *text* of the document tag by tag (no DOM), keep track of
 * namespace declarations in scope, and write the chosen element's subtree in canonical form:
 * namespace declarations where the algorithm renders them (exclusive: where visibly utilized;
 * inclusive: every one in scope at the apex, then where they change), attributes sorted (namespace
 * URI, local name), `<a/>` → `<a></a>`, text and attribute values re-escaped the c14n way, comments
 * dropped, CDATA turned into escaped text; inclusive mode also gives the apex the xml:* attributes
 * of its ancestors. When the input is already canonical (what src/transport/envelope/xml.ts emits)
 * text runs are copied verbatim, so the cost is one pass over the start tags. An `omit` matcher
 * leaves a subtree out (the enveloped-signature transform).
 *
 * What the caller must guarantee:
 * - the string is well-formed XML 1.0 (our builder's output is; untrusted input is parsed by a real
 *   parser first — see ./verify.ts — the walker itself checks tag nesting, quoting and entity names);
 * - no DOCTYPE (no DTD defaults, no entity declarations) — rejected with C14nUnsupported;
 * - no processing instructions inside the canonicalized element — rejected with C14nUnsupported;
 * - line ends already normalized: no raw CR anywhere (write CR as `&#xD;`); the XAdES module
 *   normalizes CRLF/CR to LF before it signs and ./verify.ts before it checks, as a parser would.
 * Anything the walker cannot do faithfully throws C14nUnsupported. Equality with libxml2's c14n
 * (python3-lxml) is a test (test/signing-c14n.test.ts). libxml2-wasm's c14n gives the same bytes but
 * was measured 3–5× slower on a 620 KB envelope (parse + a JS visibility callback per node) and
 * loads only asynchronously, so it is not used.
 */
export const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
export const INCL_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** The fast path met something it does not canonicalize itself; use the DOM path. */
export class C14nUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = "C14nUnsupported";
  }
}

export interface C14nResult {
  /** The canonical form of the element's subtree. */
  canonical: string;
  /** Offsets in the input: start of the element's start tag, end of its start tag (after `>`), end of its end tag. */
  start: number;
  startTagEnd: number;
  end: number;
  /** True when the input's own bytes already were the canonical form. */
  wasCanonical: boolean;
}

/** Chooses an element by its start tag: qualified name, raw attributes, namespace URI, offset of `<` in the text. */
export type ElementMatcher = (qname: string, attrs: ReadonlyArray<readonly [string, string]>, ns: string, offset: number) => boolean;

export const byIdAttribute =
  (id: string): ElementMatcher =>
  (_q, attrs) =>
    attrs.some(([n, v]) => n === "Id" && v === id);
export const byQName =
  (qname: string): ElementMatcher =>
  (q) =>
    q === qname;
export const localName = (qname: string): string => qname.slice(qname.indexOf(":") + 1);

export interface C14nOptions {
  /** Inclusive c14n 1.0 instead of exclusive. */
  inclusive?: boolean;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&([^;&]*);?/g, (m, name: string) => {
    if (!m.endsWith(";")) throw new C14nUnsupported(`незавершённая ссылка на сущность: ${m.slice(0, 20)}`);
    if (name[0] === "#") {
      const cp = name[1] === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!Number.isFinite(cp)) throw new C14nUnsupported(`неверная ссылка на символ &${name};`);
      return String.fromCodePoint(cp);
    }
    const v = ENTITIES[name];
    if (v === undefined) throw new C14nUnsupported(`неизвестная сущность &${name};`);
    return v;
  });
}

/** c14n text escaping. */
export function c14nText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");
}

/** c14n attribute value escaping. */
export function c14nAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;").replace(/\t/g, "&#x9;").replace(/\n/g, "&#xA;").replace(/\r/g, "&#xD;");
}

/** Already canonical text: no `>`, no raw CR, and `&` only in the references c14n itself writes. */
const NON_CANONICAL_TEXT = /&(?!(?:amp|lt|gt|#xD);)|[>\r]/;

function canonText(raw: string): string {
  if (!NON_CANONICAL_TEXT.test(raw)) return raw;
  if (raw.indexOf("\r") >= 0) throw new C14nUnsupported("в тексте необработанный CR: нормализуйте переводы строк или пишите &#xD;");
  return c14nText(decode(raw));
}

/** Already canonical attribute value: `&` only in the references c14n writes, no literal TAB/LF/CR, no `<`. */
const NON_CANONICAL_ATTR = /&(?!(?:amp|lt|quot|#x9|#xA|#xD);)|[\t\n\r<]/;

function canonAttr(raw: string): string {
  // Attribute-value normalization: literal TAB/LF/CR become spaces; character references survive.
  if (!NON_CANONICAL_ATTR.test(raw)) return raw;
  if (raw.indexOf("<") >= 0) throw new C14nUnsupported("символ < в значении атрибута");
  return c14nAttr(decode(raw.replace(/[\t\n\r]/g, " ")));
}

const TAG_NAME = /[^\s/>=]+/y;
const ATTR = /\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TAG_END = /\s*(\/?)>/y;

type Scope = Map<string, string>;

interface Frame {
  qname: string;
  scope: Scope;
  /** Namespaces as rendered by the nearest output ancestor (exc-c14n "output ancestors"). */
  rendered: Scope | null;
}

/**
 * Exclusive c14n of the first element the matcher accepts (default: the element with `Id="signed-data-container"`).
 * With `omit`, a child subtree the matcher accepts is left out (the enveloped-signature transform).
 */
export function excC14nText(xml: string, match: ElementMatcher | string = "signed-data-container", omit?: ElementMatcher, opts: C14nOptions = {}): C14nResult {
  const matcher = typeof match === "string" ? byIdAttribute(match) : match;
  const inclusive = opts.inclusive === true;
  const stack: Frame[] = [];
  const rootScope: Scope = new Map([["xml", XML_NS]]);
  const out: string[] = [];
  let inside = -1; // depth of the matched element in the stack, -1 before it
  let start = -1;
  let startTagEnd = -1;
  let omitDepth = -1;
  let pos = 0;
  const n = xml.length;
  while (pos < n) {
    const lt = xml.indexOf("<", pos);
    if (lt < 0) break;
    if (inside >= 0 && omitDepth < 0 && lt > pos) out.push(canonText(xml.slice(pos, lt)));
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */) {
      if (xml.startsWith("<!--", lt)) {
        const e = xml.indexOf("-->", lt + 4);
        if (e < 0) throw new C14nUnsupported("незакрытый комментарий");
        pos = e + 3;
        continue;
      }
      if (xml.startsWith("<![CDATA[", lt)) {
        const e = xml.indexOf("]]>", lt + 9);
        if (e < 0) throw new C14nUnsupported("незакрытая секция CDATA");
        if (inside >= 0 && omitDepth < 0) {
          const t = xml.slice(lt + 9, e);
          if (t.indexOf("\r") >= 0) throw new C14nUnsupported("необработанный CR в CDATA");
          out.push(c14nText(t));
        }
        pos = e + 3;
        continue;
      }
      throw new C14nUnsupported("DOCTYPE/объявления в документе не поддерживаются быстрым путём");
    }
    if (c1 === 0x3f /* ? */) {
      if (inside >= 0) throw new C14nUnsupported("инструкция обработки внутри подписываемого элемента");
      const e = xml.indexOf("?>", lt + 2);
      if (e < 0) throw new C14nUnsupported("незакрытая инструкция обработки");
      pos = e + 2;
      continue;
    }
    if (c1 === 0x2f /* / */) {
      const gt = xml.indexOf(">", lt + 2);
      if (gt < 0) throw new C14nUnsupported("незакрытый конечный тег");
      const qname = xml.slice(lt + 2, gt).trimEnd();
      const frame = stack.pop();
      if (!frame || frame.qname !== qname) throw new C14nUnsupported(`конечный тег </${qname}> не соответствует <${frame?.qname ?? ""}>`);
      pos = gt + 1;
      if (omitDepth >= 0) {
        if (stack.length === omitDepth) omitDepth = -1;
        continue;
      }
      if (inside >= 0) {
        out.push(`</${qname}>`);
        if (stack.length === inside) {
          const canonical = out.join("");
          return { canonical, start, startTagEnd, end: pos, wasCanonical: canonical === xml.slice(start, pos) };
        }
      }
      continue;
    }
    // Start tag.
    TAG_NAME.lastIndex = lt + 1;
    const nm = TAG_NAME.exec(xml);
    if (!nm) throw new C14nUnsupported(`неверный тег в позиции ${lt}`);
    const qname = nm[0];
    let p = TAG_NAME.lastIndex;
    const attrs: Array<[string, string]> = [];
    // Common case first: `<prefix:Name>` with no attributes under an output ancestor that already
    // rendered the prefix's binding — copied as is.
    if (xml.charCodeAt(p) === 0x3e /* > */ && inside >= 0 && omitDepth < 0 && stack.length > inside) {
      const parent = stack[stack.length - 1];
      const colon = qname.indexOf(":");
      const pre = colon < 0 ? "" : qname.slice(0, colon);
      const uri = parent.scope.get(pre);
      if (pre === "" ? (uri ?? "") === (parent.rendered!.get("") ?? "") : uri !== undefined && parent.rendered!.get(pre) === uri) {
        if (omit?.(qname, attrs, uri ?? "", lt)) {
          // fall through to the general path
        } else {
          pos = p + 1;
          out.push(`<${qname}>`);
          stack.push({ qname, scope: parent.scope, rendered: parent.rendered });
          continue;
        }
      }
    }
    for (;;) {
      ATTR.lastIndex = p;
      const a = ATTR.exec(xml);
      if (!a) break;
      attrs.push([a[1], a[2] ?? a[3]]);
      p = ATTR.lastIndex;
    }
    TAG_END.lastIndex = p;
    const te = TAG_END.exec(xml);
    if (!te) throw new C14nUnsupported(`неверный начальный тег <${qname}> в позиции ${lt}`);
    const selfClosing = te[1] === "/";
    pos = TAG_END.lastIndex;

    const parent = stack[stack.length - 1];
    let scope = parent ? parent.scope : rootScope;
    for (const [name, value] of attrs) {
      // xml:* attributes ride along in the scope (key "@xml:…") for inclusive c14n's inheritance.
      if (name === "xmlns" || name.startsWith("xmlns:") || (inclusive && inside < 0 && name.startsWith("xml:"))) {
        if (scope === (parent ? parent.scope : rootScope)) scope = new Map(scope);
        if (name.startsWith("xml:")) scope.set(`@${name}`, value);
        else scope.set(name === "xmlns" ? "" : name.slice(6), decode(value));
      }
    }
    const frame: Frame = { qname, scope, rendered: null };
    const colonAt = qname.indexOf(":");
    const ns = scope.get(colonAt < 0 ? "" : qname.slice(0, colonAt)) ?? "";

    if (omitDepth >= 0) {
      if (!selfClosing) stack.push(frame);
      continue;
    }
    if (inside >= 0 && omit && omit(qname, attrs, ns, lt)) {
      if (!selfClosing) {
        omitDepth = stack.length;
        stack.push(frame);
      }
      continue;
    }
    let apex = false;
    if (inside < 0 && matcher(qname, attrs, ns, lt)) {
      inside = stack.length;
      start = lt;
      startTagEnd = pos;
      apex = true;
    }
    if (inside >= 0) {
      const rendered: Scope = stack.length > inside ? stack[stack.length - 1].rendered! : new Map();
      let newRendered: Scope | null = null;
      const prefixOf = (q: string) => {
        const i = q.indexOf(":");
        return i < 0 ? "" : q.slice(0, i);
      };
      const utilized = new Set<string>([prefixOf(qname)]);
      const plain: Array<[string, string, string]> = []; // [namespace URI, local name, rendered attribute]
      for (const [name, value] of attrs) {
        if (name === "xmlns" || name.startsWith("xmlns:")) continue;
        const pre = prefixOf(name);
        let uri = "";
        if (pre !== "") {
          uri = scope.get(pre) ?? "";
          if (!uri) throw new C14nUnsupported(`префикс ${pre} атрибута ${name} не объявлен`);
          if (pre !== "xml") utilized.add(pre);
        }
        plain.push([uri, pre === "" ? name : name.slice(pre.length + 1), ` ${name}="${canonAttr(value)}"`]);
      }
      if (inclusive) {
        // Every namespace in scope is a candidate; the apex also inherits xml:* attributes.
        for (const k of scope.keys()) {
          if (k.startsWith("@")) {
            if (apex && !attrs.some(([n]) => n === k.slice(1))) plain.push([XML_NS, k.slice(5), ` ${k.slice(1)}="${canonAttr(scope.get(k)!)}"`]);
          } else if (k !== "xml") utilized.add(k);
        }
      }
      const decls: Array<[string, string]> = [];
      for (const pre of utilized) {
        const uri = scope.get(pre) ?? "";
        if (pre !== "" && !uri) throw new C14nUnsupported(`префикс ${pre} элемента ${qname} не объявлен`);
        const was = rendered.get(pre) ?? "";
        if (pre === "" ? uri !== was : rendered.get(pre) !== uri) {
          decls.push([pre, pre === "" ? ` xmlns="${c14nAttr(uri)}"` : ` xmlns:${pre}="${c14nAttr(uri)}"`]);
          if (!newRendered) newRendered = new Map(rendered);
          newRendered.set(pre, uri);
        }
      }
      decls.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      plain.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      let tag = `<${qname}`;
      for (const d of decls) tag += d[1];
      for (const a of plain) tag += a[2];
      out.push(`${tag}>`);
      frame.rendered = newRendered ?? rendered;
      if (selfClosing) {
        out.push(`</${qname}>`);
        if (stack.length === inside) {
          const canonical = out.join("");
          return { canonical, start, startTagEnd: pos, end: pos, wasCanonical: false };
        }
        continue;
      }
    }
    if (!selfClosing) stack.push(frame);
  }
  if (inside >= 0) throw new C14nUnsupported("документ оборвался внутри подписываемого элемента");
  throw new C14nUnsupported(NOT_FOUND);
}

const NOT_FOUND = "элемент для канонизации не найден";

/** c14n of the first element `match` accepts: exclusive, or inclusive 1.0 with `{ inclusive: true }`. */
export function canonicalize(xml: string, match: ElementMatcher | string, omit?: ElementMatcher, opts: C14nOptions = {}): string {
  return excC14nText(xml, match, omit, opts).canonical;
}

/**
 * Typed XML emission, the one way gis-sync writes messages. Builders make a light tree of
 * `XNode`s; `serialize` writes it directly in exclusive-canonical form (W3C exc-c14n 1.0, no
 * comments), so the signer can digest the signed container's bytes as they are:
 *  - no self-closing tags (`<a></a>`), no XML declaration inside the container;
 *  - namespace declarations exactly where exc-c14n renders them: on each element that visibly
 *    utilizes a prefix (its own name or one of its attributes) not already declared, with the same
 *    URI, by an output ancestor. Builders never write xmlns themselves; the prefixes are fixed
 *    project-wide (`NS`);
 *  - namespace declarations first, sorted by prefix; then attributes sorted by (namespace URI,
 *    local name), unqualified ones first;
 *  - text escapes & < > and CR (&#xD;); attribute values escape & < " TAB LF CR.
 */

const I = "http://dom.gosuslugi.ru/schema/integration";

/** The prefixes gis-sync writes, and their namespaces. */
export const NS = {
  soapenv: "http://schemas.xmlsoap.org/soap/envelope/",
  ds: "http://www.w3.org/2000/09/xmldsig#",
  base: `${I}/base/`,
  hm: `${I}/house-management/`,
  dm: `${I}/device-metering/`,
  bills: `${I}/bills/`,
  pay: `${I}/payment/`,
  nsi: `${I}/nsi/`,
  "nsi-common": `${I}/nsi-common/`,
  orc: `${I}/organizations-registry-common/`,
  "nsi-base": `${I}/nsi-base/`,
  "org-base": `${I}/organizations-base/`,
  "org-reg-base": `${I}/organizations-registry-base/`,
  "account-base": `${I}/account-base/`,
  "premises-base": `${I}/premises-base/`,
  "metering-device-base": `${I}/metering-device-base/`,
  "bills-base": `${I}/bills-base/`,
  "payments-base": `${I}/payments-base/`,
  "ind-base": `${I}/individual-registry-base/`,
  // xsi:type names the concrete type of an abstract element (NSI element fields in answers).
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
} as const;
export type Prefix = keyof typeof NS;

export interface XNode {
  /** Qualified name, "prefix:local" (every GIS element is namespace-qualified). */
  readonly name: string;
  readonly attrs: ReadonlyArray<readonly [string, string]>;
  readonly kids: ReadonlyArray<XNode | string>;
}

/** What builders pass as children: nodes, text, and nothing (null/undefined/false) for an absent optional element. */
export type Kid = XNode | string | null | undefined | false | Kid[];

/**
 * An element. `attrs` values that are undefined are omitted; `xmlns*` keys are refused (declarations
 * are derived). Strings among the children are text.
 */
export function el(name: string, attrs: Record<string, string | undefined> | null, ...kids: Kid[]): XNode {
  const a: Array<readonly [string, string]> = [];
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined) continue;
      if (k === "xmlns" || k.startsWith("xmlns:")) throw new Error(`xml: объявления пространств имён выводятся автоматически (${k})`);
      a.push([k, v]);
    }
  }
  const out: Array<XNode | string> = [];
  const add = (k: Kid) => {
    if (k === null || k === undefined || k === false) return;
    if (Array.isArray(k)) for (const x of k) add(x);
    else out.push(k);
  };
  for (const k of kids) add(k);
  return { name, attrs: a, kids: out };
}

/** An optional leaf: nothing when the value is absent or an empty string. */
export function opt(name: string, value: string | number | boolean | null | undefined): XNode | null {
  return value === null || value === undefined || value === "" ? null : el(name, null, scalar(value));
}

/** A required leaf. */
export function leaf(name: string, value: string | number | boolean): XNode {
  return el(name, null, scalar(value));
}

/** Numbers are written without exponent (GIS refuses 1e-7); booleans as true/false. */
export function scalar(v: string | number | boolean): string {
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return decimal(v);
  return v;
}

/** A decimal without exponent; `fraction` fixes the digits after the point. */
export function decimal(v: number, fraction?: number): string {
  if (!Number.isFinite(v)) throw new Error(`xml: число ${v} нельзя записать`);
  if (fraction !== undefined) return v.toFixed(fraction);
  const s = String(v);
  if (!/e/i.test(s)) return s;
  return v.toFixed(20).replace(/\.?0+$/, "");
}

export function escapeText(s: string): string {
  return s.replace(/[&<>\r]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&#xD;"));
}

export function escapeAttr(s: string): string {
  return s.replace(/[&<"\t\n\r]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === '"' ? "&quot;" : c === "\t" ? "&#x9;" : c === "\n" ? "&#xA;" : "&#xD;",
  );
}

function prefixOf(qname: string): string | null {
  const i = qname.indexOf(":");
  return i < 0 ? null : qname.slice(0, i);
}

function uriOf(prefix: string): string {
  const uri = (NS as Record<string, string>)[prefix];
  if (!uri) throw new Error(`xml: неизвестный префикс «${prefix}»`);
  return uri;
}

/**
 * Serializes `node` as the apex of an exclusive-c14n subset: nothing is inherited from outside.
 * `inScope` (prefix → URI already rendered by output ancestors) is for splicing into a parent.
 */
export function serialize(node: XNode, inScope: ReadonlyMap<string, string> = new Map()): string {
  const parts: string[] = [];
  write(node, inScope, parts);
  return parts.join("");
}

function write(node: XNode, scope: ReadonlyMap<string, string>, out: string[]): void {
  // visibly utilized prefixes: the element's own and those of its attributes
  let needed: string[] | null = null;
  const own = prefixOf(node.name);
  if (own && scope.get(own) !== uriOf(own)) needed = [own];
  for (const [k] of node.attrs) {
    const p = prefixOf(k);
    if (p && scope.get(p) !== uriOf(p) && !needed?.includes(p)) (needed ??= []).push(p);
  }
  out.push("<", node.name);
  let inner = scope;
  if (needed) {
    needed.sort();
    const m = new Map(scope);
    for (const p of needed) {
      const uri = uriOf(p);
      m.set(p, uri);
      out.push(" xmlns:", p, '="', escapeAttr(uri), '"');
    }
    inner = m;
  }
  if (node.attrs.length > 0) {
    const attrs = node.attrs.length === 1 ? node.attrs : [...node.attrs].sort(compareAttrs);
    for (const [k, v] of attrs) out.push(" ", k, '="', escapeAttr(v), '"');
  }
  out.push(">");
  for (const k of node.kids) {
    if (typeof k === "string") out.push(escapeText(k));
    else write(k, inner, out);
  }
  out.push("</", node.name, ">");
}

function attrKey(name: string): [string, string] {
  const p = prefixOf(name);
  return p ? [uriOf(p), name.slice(p.length + 1)] : ["", name];
}

function compareAttrs(a: readonly [string, string], b: readonly [string, string]): number {
  const [ua, la] = attrKey(a[0]);
  const [ub, lb] = attrKey(b[0]);
  if (ua !== ub) return ua < ub ? -1 : 1;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

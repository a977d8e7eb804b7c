/** Shared pieces of the message builders: the container element, NSI references, limits. */
import { CONTAINER_ID } from "../envelope/envelope";
import { Kid, XNode, el, leaf, opt } from "../envelope/xml";

/** A reference to an NSI dictionary element (nsi-base:nsiRef): Code, GUID, Name?. */
export interface NsiRef {
  code: string;
  guid: string;
  name?: string;
}

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The signed container: the Body child with Id="signed-data-container" and base:version. */
export function container(name: string, version: string, ...kids: Kid[]): XNode {
  return el(name, { Id: CONTAINER_ID, "base:version": version }, ...kids);
}

/** An nsiRef-typed element: children are in the nsi-base namespace. */
export function nsiRef(name: string, r: NsiRef | null | undefined): XNode | null {
  if (!r) return null;
  return el(name, null, leaf("nsi-base:Code", r.code), leaf("nsi-base:GUID", r.guid), opt("nsi-base:Name", r.name));
}

export function transportGuid(g: string): XNode {
  if (!GUID_RE.test(g)) throw new Error(`TransportGUID «${g}» — не GUID`);
  return leaf("base:TransportGUID", g);
}

/** Refuses a batch outside the schema's occurrence limits, naming the operation and element. */
export function checkCount(operation: string, element: string, n: number, min: number, max: number): void {
  if (n < min || n > max) throw new Error(`${operation}: ${element} — от ${min} до ${max} элементов, передано ${n}`);
}

/** A fixed="true" flag element, written only when set. */
export function flag(name: string, on: boolean | undefined): XNode | null {
  return on ? leaf(name, "true") : null;
}

/** Pick exactly one branch of an XSD choice from a tagged input; throws on none. */
export function one<T>(what: string, v: T | null | undefined): T {
  if (v === null || v === undefined) throw new Error(`${what}: не задан обязательный элемент`);
  return v;
}

/** A file already uploaded to the GIS file store (base:AttachmentType): name, description, its GUID and GOST hash. */
export interface AttachmentInput {
  /** ≤ 1024 characters. */
  name: string;
  /** ≤ 500 characters. */
  description: string;
  /** AttachmentGUID the file store returned. */
  guid: string;
  /** GOST R 34.11-94 hash of the file in binhex (GIS requires it on imports). */
  hash?: string;
}

/** A base:AttachmentType element under `name` (Name, Description, Attachment/AttachmentGUID, AttachmentHASH). */
export function attachment(name: string, a: AttachmentInput, ...extra: Kid[]): XNode {
  return el(
    name,
    null,
    leaf("base:Name", a.name),
    leaf("base:Description", a.description),
    el("base:Attachment", null, leaf("base:AttachmentGUID", a.guid)),
    opt("base:AttachmentHASH", a.hash),
    extra,
  );
}

/** A repeated leaf (GUID lists of exports…), its count checked against the schema. */
export function list(operation: string, name: string, values: readonly string[], min: number, max: number): XNode[] {
  checkCount(operation, name.slice(name.indexOf(":") + 1), values.length, min, max);
  return values.map((v) => leaf(name, v));
}

/** Refuses a repeated value where the schema declares an xs:key (one object per request), naming it. */
export function checkUnique(operation: string, element: string, values: ReadonlyArray<string | undefined>): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (v === undefined) continue;
    const k = v.toLowerCase();
    if (seen.has(k)) throw new Error(`${operation}: ${element} «${v}» встречается в запросе дважды — по схеме он уникален`);
    seen.add(k);
  }
}

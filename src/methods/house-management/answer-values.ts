/**
 * Reading house-management export answers (houses, accounts, meters): small typed accessors over
 * the getStateResult element, already parsed as untrusted input by parseResponse. GIS special
 * dates (1900-01-01, 5000-01-01) are null.
 */
import { ResponseError, child, children, text } from "../../transport/results/safe-xml";

/** An nsiRef as GIS sends it. */
export interface NsiValue {
  code: string;
  guid: string;
  name: string | null;
}

export const t = (e: Element | null, name: string): string | null => (e ? text(child(e, name)) : null);
export const all = (e: Element, name: string): string[] =>
  children(e, name)
    .map((c) => text(c))
    .filter((v): v is string => v !== null);
export const req = (e: Element, name: string, where: string): string => {
  const v = t(e, name);
  if (v === null) throw new ResponseError(`ответ ГИС ЖКХ: ${where} без ${name}`);
  return v;
};
export const num = (v: string | null): number | null => (v === null ? null : Number(v));

export function nsi(e: Element | null): NsiValue | null {
  if (!e) return null;
  const code = t(e, "Code");
  const guid = t(e, "GUID");
  return code && guid ? { code, guid: guid.toLowerCase(), name: t(e, "Name") } : null;
}

/** The result rows named `name` of a getStateResult (its direct children). */
export function rows(result: Element, name: string): Element[] {
  if (result.localName !== "getStateResult") throw new ResponseError(`ответ ГИС ЖКХ: ожидался getStateResult, получен ${result.localName}`);
  return children(result, name);
}

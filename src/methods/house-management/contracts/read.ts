/**
 * Small readers the contract export answers share: a child's text, a required one (a missing one
 * refuses the answer as malformed), an nsiRef, the result rows of a getStateResult.
 */
import { ResponseError, child, children, text } from "../../../transport/results/safe-xml";

/** An nsiRef as GIS sends it. */
export interface NsiValue {
  code: string;
  guid: string;
  name: string | null;
}

export const t = (e: Element | null, name: string): string | null => (e ? text(child(e, name)) : null);

export function req(e: Element, name: string, where: string): string {
  const v = t(e, name);
  if (v === null) throw new ResponseError(`ответ ГИС ЖКХ: ${where} без ${name}`);
  return v;
}

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

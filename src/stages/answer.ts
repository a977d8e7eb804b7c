/** Reading export payloads out of a getStateResult: the rows of one result element, and values by path. */
import { child, children, text } from "../transport/results/safe-xml";
import { StateAnswer } from "./types";

/** The result rows named `element` (exportAccountResult, exportMeteringDeviceDataResult…). */
export function exportRows(answer: StateAnswer, element: string): Element[] {
  return children(answer.result, element);
}

/** The text at a "/"-separated path of local names below `el` ("BasicChatacteristicts/MeteringDeviceNumber"). */
export function valueAt(el: Element, path: string): string | null {
  let cur: Element | null = el;
  for (const name of path.split("/")) {
    if (!cur) return null;
    cur = child(cur, name);
  }
  return text(cur);
}

export const lower = (g: string | null): string | null => (g ? g.toLowerCase() : null);

/**
 * Every operation the stand answers, by WSDL operation name: the stand method modules
 * (src/stand/methods/) and LEGACY_HANDLERS, the handlers not yet moved into a module of their own.
 */
import { standMethods } from "../methods/registry";
import { HandlerSpec } from "../types";
import * as bills from "./bills";
import * as hm from "./house-management";
import * as payment from "./payment";

const LEGACY_HANDLERS: HandlerSpec[] = [
  ...hm.handlers, ...bills.handlers, ...payment.handlers,
];

let all: HandlerSpec[] | null = null;

export function allHandlers(): HandlerSpec[] {
  return (all ??= [...standMethods(), ...LEGACY_HANDLERS.filter((h) => !standMethods().some((m) => m.operation === h.operation))]);
}

export function handlerFor(operation: string): HandlerSpec | undefined {
  return allHandlers().find((h) => h.operation === operation);
}

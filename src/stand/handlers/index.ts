/** Every operation the stand answers, by WSDL operation name: derived from the stand method modules (src/stand/methods/). */
import { standMethods } from "../methods/registry";
import { HandlerSpec } from "../types";

export function allHandlers(): HandlerSpec[] {
  return standMethods();
}

export function handlerFor(operation: string): HandlerSpec | undefined {
  return standMethods().find((h) => h.operation === operation);
}

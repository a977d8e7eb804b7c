/**
 * A stand method module (src/stand/methods/<service>/<method>.ts): the emulator's side of one GIS
 * method — its handler and business rules — as src/methods/<service>/<method>.ts is the client's
 * side. Common stand state and rules stay in src/stand/domain and src/stand/rules.
 */
import { HandlerSpec } from "../types";

const BRAND = Symbol.for("gis-sync.stand-method");

/** Declares the stand's handler of one WSDL operation; the stand's registry finds every one. */
export function defineStandMethod(spec: HandlerSpec): HandlerSpec {
  const m = { ...spec };
  Object.defineProperty(m, BRAND, { value: true });
  return Object.freeze(m);
}

export function isStandMethod(v: unknown): v is HandlerSpec {
  return typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}

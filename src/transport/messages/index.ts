/**
 * One way to build any request: `buildRequest(op, header, payload)`, for a method named at run
 * time (the pipeline's recipes); code that knows its method calls `buildMethodRequest(method, …)`
 * with the module's typed input. The operations table — per WSDL operation its service, request
 * element, versions and batch element — is derived from the method modules (src/methods/).
 */
import { AnyMethod, DEFAULT_FORMAT_PACKAGE } from "../../methods/method";
import { allMethods, methodNamed } from "../../methods/registry";
import { BuiltRequest, HeaderInput } from "../envelope/envelope";
import { ServiceName } from "../services";
import { buildMethodRequest } from "./build";

export type OperationName = string;

export interface OperationSpec {
  service: ServiceName | null;
  /** Local name of the request element. */
  element: string;
  /** The base:version values the method sends, one per format package (see src/methods/method.ts). */
  allowedVersions: readonly string[];
  /** The base:version it sends under the default package (the exchange checks the built request against it). */
  fixedVersion: string | null;
  /** The batch element and its maxOccurs, for the pipeline's chunking. */
  batch?: { element: string; max: number };
}

function specOf(m: AnyMethod): OperationSpec {
  return {
    service: m.service,
    element: m.element,
    allowedVersions: [...new Set(Object.values(m.versions))],
    fixedVersion: m.versions[DEFAULT_FORMAT_PACKAGE] || null,
    ...(m.batch ? { batch: { ...m.batch } } : {}),
  };
}

let table: Record<string, OperationSpec> | null = null;
function operations(): Record<string, OperationSpec> {
  return (table ??= Object.fromEntries(allMethods().map((m) => [m.name, specOf(m)])));
}

/** Every operation the client builds, by WSDL operation name (derived on first use). */
export const OPERATIONS: Readonly<Record<string, OperationSpec | undefined>> = new Proxy({} as Record<string, OperationSpec | undefined>, {
  get: (_t, k) => (typeof k === "string" ? operations()[k] : undefined),
  has: (_t, k) => typeof k === "string" && k in operations(),
  ownKeys: () => Object.keys(operations()),
  getOwnPropertyDescriptor: (_t, k) =>
    typeof k === "string" && k in operations() ? { enumerable: true, configurable: true, value: operations()[k] } : undefined,
});

/** Builds the signed-container envelope of the method named `op` from its input. */
export function buildRequest(op: string, header: HeaderInput, payload: unknown): BuiltRequest {
  return buildMethodRequest(methodNamed(op), header, payload);
}

/** The spec of a request element by its local name (for validation of any built envelope). */
export function specByElement(element: string): OperationSpec | undefined {
  return Object.values(operations()).find((s) => s.element === element);
}

export { buildMethodRequest } from "./build";
export { getState } from "../../methods/base/get-state";

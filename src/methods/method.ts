/**
 * A GIS method module: everything the client knows about one GIS ЖКХ method, in one file
 * (src/methods/<service>/<method>.ts) — its wire facts, its request builder, its answer reader and,
 * when the pipeline runs it, its descriptor. Registries (the operations table, the pipeline's
 * plan, wsdl/operations.json, the batch settings' ranges) are derived from these modules by
 * src/methods/registry.ts; nothing lists methods by hand.
 *
 * Shared pieces (envelope, canonical emitter, common message types, pre-flight helpers) live in
 * their own modules: a method module imports them, never the reverse.
 */
import { XNode } from "../transport/envelope/xml";
import { ServiceName } from "../transport/services";
import type { MethodDescriptor } from "../stages/descriptor";

/** The official WSDL/XSD packages the client can speak; the first is the default. */
export const FORMAT_PACKAGES = ["16.3.0.0", "14.4.0.1"] as const;
export type FormatPackage = (typeof FORMAT_PACKAGES)[number];
export const DEFAULT_FORMAT_PACKAGE: FormatPackage = FORMAT_PACKAGES[0];

export function isFormatPackage(v: unknown): v is FormatPackage {
  return typeof v === "string" && (FORMAT_PACKAGES as readonly string[]).includes(v);
}

/** A method's descriptor as its module writes it: the method name comes from the module. */
export type MethodDescriptorSpec<I, T> = Omit<MethodDescriptor<I, T>, "method">;

export interface GisMethod<I = unknown, T = unknown, R = unknown> {
  /** WSDL operation name; the SOAPAction is `urn:<name>`. */
  readonly name: string;
  /** The GIS service; null for getState, which every service has. */
  readonly service: ServiceName | null;
  /** Local name of the request element (the signed container). */
  readonly element: string;
  /** The base:version the request carries under each format package. */
  readonly versions: Readonly<Record<FormatPackage, string>>;
  /** The repeated element one request batches, and its maxOccurs in the XSD (a test checks it). */
  readonly batch?: { readonly element: string; readonly max: number };
  /** Builds the request element for one batch, carrying `version` as base:version. */
  body(input: I, version: string): XNode;
  /** Reads the payload of a final answer (getStateResult) into plain values. */
  read?(result: Element): R;
  /** What the pipeline needs to run the method; absent for methods used only by other code. */
  readonly descriptor?: MethodDescriptor<I, T>;
}

/** A method of any input, as registries hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds methods of every input type
export type AnyMethod = GisMethod<any, any, any>;

const BRAND = Symbol.for("gis-sync.method");

export interface MethodSpec<I, T, R> extends Omit<GisMethod<I, T, R>, "descriptor"> {
  descriptor?: MethodDescriptorSpec<I, T>;
}

/** Declares a method module's method; the registry finds every value made by it. */
export function defineMethod<I, T = never, R = unknown>(spec: MethodSpec<I, T, R>): GisMethod<I, T, R> {
  const m: GisMethod<I, T, R> = {
    ...spec,
    descriptor: spec.descriptor ? ({ ...spec.descriptor, method: spec.name } as MethodDescriptor<I, T>) : undefined,
  };
  Object.defineProperty(m, BRAND, { value: true });
  return Object.freeze(m);
}

export function isGisMethod(v: unknown): v is AnyMethod {
  return typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}

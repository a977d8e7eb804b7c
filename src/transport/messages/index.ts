/**
 * One way to build any request: `buildRequest(op, header, payload)`. The operations table says, per
 * WSDL operation, which service it belongs to, the request element, its base:version and the
 * builder of the signed container. It is derived from the method modules (src/methods/); the
 * LEGACY_OPERATIONS entries are the methods not yet moved into a module of their own.
 */
import { AnyMethod, DEFAULT_FORMAT_PACKAGE } from "../../methods/method";
import { buildMethodRequest, uniqueTransportGuids } from "./build";
import { allMethods, findMethod } from "../../methods/registry";
import { BuiltRequest, HeaderInput, buildEnvelope } from "../envelope/envelope";
import { XNode, el, leaf } from "../envelope/xml";
import { ServiceName } from "../services";
import * as dm from "./device-metering";
import * as nsi from "./nsi";
import * as nsic from "./nsi-common";
import * as orc from "./organizations-registry-common";

export interface OperationInputs {
  getState: { service: ServiceName; messageGuid: string };
  // nsi
  importAdditionalServices: nsi.ImportAdditionalServicesInput;
  importMunicipalServices: nsi.ImportMunicipalServicesInput;
  exportDataProviderNsiItem: nsi.ExportDataProviderNsiItemInput;
  exportDataProviderPagingNsiItem: nsi.ExportDataProviderNsiPagingItemInput;
  // nsi-common
  exportNsiItem: nsic.ExportNsiItemInput;
  exportNsiPagingItem: nsic.ExportNsiPagingItemInput;
  exportNsiList: nsic.ExportNsiListInput;
  // organizations-registry-common
  exportDataProvider: orc.ExportDataProviderInput;
  // house-management
  // device-metering
  importMeteringDeviceValues: dm.ImportMeteringDeviceValuesInput;
  exportMeteringDeviceHistory: dm.ExportMeteringDeviceHistoryInput;
}

export type OperationName = keyof OperationInputs;

export interface OperationSpec<O extends OperationName = OperationName> {
  service: ServiceName | null;
  /** Local name of the request element. */
  element: string;
  /** The fixed base:version, or null when the schema does not fix it. */
  fixedVersion: string | null;
  /** Versions the annotation allows when not fixed. */
  allowedVersions?: readonly string[];
  /** The batch element and its maxOccurs, for the pipeline's chunking. */
  batch?: { element: string; max: number };
  body(input: OperationInputs[O]): XNode;
}

type Table = { [O in OperationName]: OperationSpec<O> };

const LEGACY_OPERATIONS: Partial<Table> = {
  getState: { service: null, element: "getStateRequest", fixedVersion: null, body: (i) => el("base:getStateRequest", null, leaf("base:MessageGUID", i.messageGuid)) },
  importAdditionalServices: { service: "nsi", element: "importAdditionalServicesRequest", fixedVersion: nsi.VERSIONS.importAdditionalServicesRequest, batch: { element: "ImportAdditionalServiceType", max: 1000 }, body: nsi.importAdditionalServicesBody },
  importMunicipalServices: { service: "nsi", element: "importMunicipalServicesRequest", fixedVersion: nsi.VERSIONS.importMunicipalServicesRequest, batch: { element: "ImportMainMunicipalService", max: 1000 }, body: nsi.importMunicipalServicesBody },
  exportDataProviderNsiItem: { service: "nsi", element: "exportDataProviderNsiItemRequest", fixedVersion: nsi.VERSIONS.exportDataProviderNsiItemRequest, body: nsi.exportDataProviderNsiItemBody },
  exportDataProviderPagingNsiItem: { service: "nsi", element: "exportDataProviderNsiPagingItemRequest", fixedVersion: nsi.VERSIONS.exportDataProviderNsiPagingItemRequest, body: nsi.exportDataProviderNsiPagingItemBody },
  exportNsiItem: { service: "nsi-common", element: "exportNsiItemRequest", fixedVersion: nsic.VERSIONS.exportNsiItemRequest, body: nsic.exportNsiItemBody },
  exportNsiPagingItem: { service: "nsi-common", element: "exportNsiPagingItemRequest", fixedVersion: nsic.VERSIONS.exportNsiPagingItemRequest, body: nsic.exportNsiPagingItemBody },
  exportNsiList: { service: "nsi-common", element: "exportNsiListRequest", fixedVersion: nsic.VERSIONS.exportNsiListRequest, body: nsic.exportNsiListBody },
  exportDataProvider: { service: "organizations-registry-common", element: "exportDataProviderRequest", fixedVersion: orc.VERSIONS.exportDataProviderRequest, body: orc.exportDataProviderBody },
  importMeteringDeviceValues: { service: "device-metering", element: "importMeteringDeviceValuesRequest", fixedVersion: dm.VERSIONS.importMeteringDeviceValuesRequest, batch: { element: "MeteringDevicesValues", max: 1000 }, body: dm.importMeteringDeviceValuesBody },
  exportMeteringDeviceHistory: { service: "device-metering", element: "exportMeteringDeviceHistoryRequest", fixedVersion: null, allowedVersions: [dm.VERSIONS.exportMeteringDeviceHistoryRequest], batch: { element: "FIASHouseGuid", max: 100 }, body: dm.exportMeteringDeviceHistoryBody },
};

/** A method module's wire facts in the table's shape (the version of the default package). */
function specOf(m: AnyMethod): OperationSpec {
  return {
    service: m.service, element: m.element, fixedVersion: null, allowedVersions: [...new Set(Object.values(m.versions))],
    ...(m.batch ? { batch: { ...m.batch } } : {}),
    body: (input: unknown) => m.body(input, m.versions[DEFAULT_FORMAT_PACKAGE]),
  } as OperationSpec;
}

let table: Record<string, OperationSpec> | null = null;
function operations(): Record<string, OperationSpec> {
  if (table) return table;
  const t: Record<string, OperationSpec> = { ...(LEGACY_OPERATIONS as Record<string, OperationSpec>) };
  for (const m of allMethods()) t[m.name] = specOf(m);
  return (table = t);
}

/** Every operation the client builds, by WSDL operation name (derived on first use). */
export const OPERATIONS = new Proxy({} as Table & Record<string, OperationSpec | undefined>, {
  get: (_t, k) => (typeof k === "string" ? operations()[k] : undefined),
  has: (_t, k) => typeof k === "string" && k in operations(),
  ownKeys: () => Object.keys(operations()),
  getOwnPropertyDescriptor: (_t, k) => (typeof k === "string" && k in operations() ? { enumerable: true, configurable: true, value: operations()[k] } : undefined),
});

/** Builds the signed-container envelope for `op`: XML text, SOAPAction, endpoint path and MessageGUID. */
export function buildRequest(op: string, header: HeaderInput, payload: unknown): BuiltRequest {
  const m = findMethod(op);
  if (m) return buildMethodRequest(m, header, payload);
  const spec = OPERATIONS[op];
  if (!spec) throw new Error(`Неизвестный метод ГИС ЖКХ «${op}»`);
  const service = spec.service ?? (payload as OperationInputs["getState"]).service;
  const body = spec.body(payload as never);
  uniqueTransportGuids(op, body);
  const built = buildEnvelope(service, op, body, header);
  if (spec.fixedVersion && built.version !== spec.fixedVersion) throw new Error(`${op}: base:version ${built.version}, схема требует ${spec.fixedVersion}`);
  if (spec.allowedVersions && !spec.allowedVersions.includes(built.version)) throw new Error(`${op}: base:version ${built.version} не из допустимых (${spec.allowedVersions.join(", ")})`);
  return built;
}

/** The spec of a request element by its local name (for validation of any built envelope). */
export function specByElement(element: string): OperationSpec | undefined {
  return Object.values(operations()).find((s) => s.element === element);
}

export { getState } from "./get-state";
export { exportNsiItem } from "./nsi-common";

export { buildMethodRequest } from "./build";

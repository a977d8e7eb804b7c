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
import * as bills from "./bills";
import * as dm from "./device-metering";
import * as hm from "./house-management";
import * as nsi from "./nsi";
import * as nsic from "./nsi-common";
import * as orc from "./organizations-registry-common";
import * as pay from "./payment";

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
  importContractData: hm.ImportContractInput;
  importCharterData: hm.ImportCharterInput;
  exportCAChData: hm.ExportCAChInput;
  exportStatusCAChData: hm.ExportStatusCAChInput;
  importSupplyResourceContractData: hm.ImportSupplyResourceContractInput;
  importSupplyResourceContractObjectAddressData: hm.ImportSupplyResourceContractObjectAddressInput;
  exportSupplyResourceContractData: hm.ExportSupplyResourceContractInput;
  exportSupplyResourceContractObjectAddressData: hm.ExportSupplyResourceContractObjectAddressInput;
  // device-metering
  importMeteringDeviceValues: dm.ImportMeteringDeviceValuesInput;
  exportMeteringDeviceHistory: dm.ExportMeteringDeviceHistoryInput;
  // bills
  importPaymentDocumentData: bills.ImportPaymentDocumentInput;
  exportPaymentDocumentData: bills.ExportPaymentDocumentInput;
  exportNotificationsOfOrderExecution: bills.ExportNotificationsInput;
  exportNotificationsOfOrderExecutionPaginal: bills.ExportNotificationsPaginalInput;
  importAcknowledgment: bills.ImportAcknowledgmentInput;
  // payment
  importNotificationsOfOrderExecution: pay.ImportNotificationsInput;
  importNotificationsOfOrderExecutionCancellation: pay.ImportCancellationsInput;
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
  importContractData: { service: "house-management", element: "importContractRequest", fixedVersion: hm.VERSIONS.importContractRequest, batch: { element: "Contract", max: 100 }, body: hm.importContractBody },
  importCharterData: { service: "house-management", element: "importCharterRequest", fixedVersion: hm.VERSIONS.importCharterRequest, body: hm.importCharterBody },
  exportCAChData: { service: "house-management", element: "exportCAChAsyncRequest", fixedVersion: null, allowedVersions: hm.ALLOWED_VERSIONS.exportCAChAsyncRequest, batch: { element: "Criteria", max: 100 }, body: hm.exportCAChBody },
  exportStatusCAChData: { service: "house-management", element: "exportStatusCAChRequest", fixedVersion: hm.VERSIONS.exportStatusCAChRequest, batch: { element: "Criteria", max: 100 }, body: hm.exportStatusCAChBody },
  importSupplyResourceContractData: { service: "house-management", element: "importSupplyResourceContractRequest", fixedVersion: hm.VERSIONS.importSupplyResourceContractRequest, batch: { element: "Contract", max: 1000 }, body: hm.importSupplyResourceContractBody },
  importSupplyResourceContractObjectAddressData: { service: "house-management", element: "importSupplyResourceContractObjectAddressRequest", fixedVersion: hm.VERSIONS.importSupplyResourceContractObjectAddressRequest, batch: { element: "ObjectAddress", max: 1000 }, body: hm.importSupplyResourceContractObjectAddressBody },
  exportSupplyResourceContractData: { service: "house-management", element: "exportSupplyResourceContractRequest", fixedVersion: null, allowedVersions: hm.ALLOWED_VERSIONS.exportSupplyResourceContractRequest, batch: { element: "ContractRootGUID", max: 1000 }, body: hm.exportSupplyResourceContractBody },
  exportSupplyResourceContractObjectAddressData: { service: "house-management", element: "exportSupplyResourceContractObjectAddressRequest", fixedVersion: null, allowedVersions: hm.ALLOWED_VERSIONS.exportSupplyResourceContractObjectAddressRequest, body: hm.exportSupplyResourceContractObjectAddressBody },
  importMeteringDeviceValues: { service: "device-metering", element: "importMeteringDeviceValuesRequest", fixedVersion: dm.VERSIONS.importMeteringDeviceValuesRequest, batch: { element: "MeteringDevicesValues", max: 1000 }, body: dm.importMeteringDeviceValuesBody },
  exportMeteringDeviceHistory: { service: "device-metering", element: "exportMeteringDeviceHistoryRequest", fixedVersion: null, allowedVersions: [dm.VERSIONS.exportMeteringDeviceHistoryRequest], batch: { element: "FIASHouseGuid", max: 100 }, body: dm.exportMeteringDeviceHistoryBody },
  importPaymentDocumentData: { service: "bills", element: "importPaymentDocumentRequest", fixedVersion: bills.VERSIONS.importPaymentDocumentRequest, batch: { element: "PaymentDocument", max: 500 }, body: bills.importPaymentDocumentBody },
  exportPaymentDocumentData: { service: "bills", element: "exportPaymentDocumentRequest", fixedVersion: null, allowedVersions: bills.ALLOWED_VERSIONS.exportPaymentDocumentRequest, batch: { element: "PaymentDocumentID", max: 1000 }, body: bills.exportPaymentDocumentBody },
  exportNotificationsOfOrderExecution: { service: "bills", element: "exportNotificationsOfOrderExecutionRequest", fixedVersion: null, allowedVersions: [bills.VERSIONS.exportNotificationsOfOrderExecutionRequest], body: bills.exportNotificationsOfOrderExecutionBody },
  exportNotificationsOfOrderExecutionPaginal: { service: "bills", element: "exportNotificationsOfOrderExecutionPaginalRequest", fixedVersion: null, allowedVersions: [bills.VERSIONS.exportNotificationsOfOrderExecutionPaginalRequest], body: bills.exportNotificationsOfOrderExecutionPaginalBody },
  importAcknowledgment: { service: "bills", element: "importAcknowledgmentRequest", fixedVersion: bills.VERSIONS.importAcknowledgmentRequest, batch: { element: "AcknowledgmentRequestInfo", max: 100 }, body: bills.importAcknowledgmentBody },
  importNotificationsOfOrderExecution: { service: "payment", element: "importNotificationsOfOrderExecutionRequest", fixedVersion: pay.VERSIONS.importNotificationsOfOrderExecutionRequest, batch: { element: "NotificationOfOrderExecutionType", max: 500 }, body: pay.importNotificationsOfOrderExecutionBody },
  importNotificationsOfOrderExecutionCancellation: { service: "payment", element: "importNotificationsOfOrderExecutionCancellationRequest", fixedVersion: pay.VERSIONS.importNotificationsOfOrderExecutionCancellationRequest, batch: { element: "NotificationOfOrderExecutionCancellation", max: 500 }, body: pay.importNotificationsOfOrderExecutionCancellationBody },
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

/**
 * The GIS services gis-sync talks to: folder in the official package, endpoint path, types
 * namespace, and the fixed base:version of their getStateResult (../shared/gis-schema/DIGEST.md §1, §3).
 */
export interface GisService {
  folder: string;
  path: string;
  /** Namespace of hcs-<folder>-types.xsd. */
  ns: string;
  prefix: string;
  /** These services take ISRequestHeader instead of RequestHeader. */
  isHeader: boolean;
}

const I = "http://dom.gosuslugi.ru/schema/integration";
export const BASE_NS = `${I}/base/`;
export const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

export const SERVICES = {
  "house-management": {
    folder: "house-management",
    path: "/ext-bus-home-management-service/services/HomeManagementAsync",
    ns: `${I}/house-management/`,
    prefix: "hm",
    isHeader: false,
  },
  "device-metering": {
    folder: "device-metering",
    path: "/ext-bus-device-metering-service/services/DeviceMeteringAsync",
    ns: `${I}/device-metering/`,
    prefix: "dm",
    isHeader: false,
  },
  bills: { folder: "bills", path: "/ext-bus-bills-service/services/BillsAsync", ns: `${I}/bills/`, prefix: "bills", isHeader: false },
  payment: { folder: "payment", path: "/ext-bus-payment-service/services/PaymentAsync", ns: `${I}/payment/`, prefix: "pay", isHeader: false },
  nsi: { folder: "nsi", path: "/ext-bus-nsi-service/services/NsiAsync", ns: `${I}/nsi/`, prefix: "nsi", isHeader: false },
  "nsi-common": {
    folder: "nsi-common",
    path: "/ext-bus-nsi-common-service/services/NsiCommonAsync",
    ns: `${I}/nsi-common/`,
    prefix: "nsi-common",
    isHeader: true,
  },
  "organizations-registry-common": {
    folder: "organizations-registry-common",
    path: "/ext-bus-org-registry-common-service/services/OrgRegistryCommonAsync",
    ns: `${I}/organizations-registry-common/`,
    prefix: "orc",
    isHeader: true,
  },
} as const satisfies Record<string, GisService>;

export type ServiceName = keyof typeof SERVICES;

/** lib namespaces the request bodies reference. */
export const LIB_NS = {
  "nsi-base": `${I}/nsi-base/`,
  "organizations-base": `${I}/organizations-base/`,
  "organizations-registry-base": `${I}/organizations-registry-base/`,
  "account-base": `${I}/account-base/`,
  "premises-base": `${I}/premises-base/`,
  "metering-device-base": `${I}/metering-device-base/`,
  "bills-base": `${I}/bills-base/`,
  "payments-base": `${I}/payments-base/`,
} as const;

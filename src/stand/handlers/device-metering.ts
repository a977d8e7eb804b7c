/** device-metering: readings by meter root GUID and their history (rules in rules/device-metering.ts). */
import { exportMeteringDeviceHistory, importMeteringDeviceValues } from "../rules/device-metering";
import { HandlerSpec } from "../types";

const RESULT = { service: "device-metering" as const, resultPrefix: "dm", resultVersion: "10.0.1.1" };

export const handlers: HandlerSpec[] = [
  { ...RESULT, operation: "importMeteringDeviceValues", handle: importMeteringDeviceValues },
  { ...RESULT, operation: "exportMeteringDeviceHistory", handle: exportMeteringDeviceHistory },
];

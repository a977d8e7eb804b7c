/** Every operation the stand answers, by WSDL operation name. */
import { HandlerSpec } from "../types";
import * as bills from "./bills";
import * as dm from "./device-metering";
import * as hm from "./house-management";
import * as nsi from "./nsi";
import * as nsiCommon from "./nsi-common";
import * as orgRegistry from "./org-registry";
import * as payment from "./payment";

export const ALL_HANDLERS: HandlerSpec[] = [
  ...orgRegistry.handlers, ...nsiCommon.handlers, ...nsi.handlers, ...hm.handlers, ...dm.handlers, ...bills.handlers, ...payment.handlers,
];

export function handlerFor(operation: string): HandlerSpec | undefined {
  return ALL_HANDLERS.find((h) => h.operation === operation);
}

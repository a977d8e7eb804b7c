/** bills: payment documents, kvitirovanie and the payments GIS knows of (rules in rules/bills.ts). */
import { exportNotificationsOfOrderExecution, exportPaymentDocumentData, importAcknowledgment, importPaymentDocumentData } from "../rules/bills";
import { HandlerSpec } from "../types";

const RESULT = { service: "bills" as const, resultPrefix: "bills", resultVersion: "10.0.1.1" };

export const handlers: HandlerSpec[] = [
  { ...RESULT, operation: "importPaymentDocumentData", handle: importPaymentDocumentData },
  { ...RESULT, operation: "exportPaymentDocumentData", handle: exportPaymentDocumentData },
  { ...RESULT, operation: "importAcknowledgment", handle: importAcknowledgment },
  { ...RESULT, operation: "exportNotificationsOfOrderExecution", handle: exportNotificationsOfOrderExecution },
  { ...RESULT, operation: "exportNotificationsOfOrderExecutionPaginal", handle: exportNotificationsOfOrderExecution },
];

/** payment: notifications of order execution and their cancellation (rules in rules/payment.ts). */
import { importNotificationsOfOrderExecution, importNotificationsOfOrderExecutionCancellation } from "../rules/payment";
import { HandlerSpec } from "../types";

const RESULT = { service: "payment" as const, resultPrefix: "pay", resultVersion: "10.0.1.1" };

export const handlers: HandlerSpec[] = [
  { ...RESULT, operation: "importNotificationsOfOrderExecution", handle: importNotificationsOfOrderExecution },
  { ...RESULT, operation: "importNotificationsOfOrderExecutionCancellation", handle: importNotificationsOfOrderExecutionCancellation },
];

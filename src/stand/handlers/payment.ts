import { HandlerSpec } from "../types";

/** Stand handlers for the payment service (to be written). */
export const handlers: HandlerSpec[] = [];

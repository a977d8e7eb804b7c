import { HandlerSpec } from "../types";

/** Stand handlers for the bills service (to be written). */
export const handlers: HandlerSpec[] = [];

import { HandlerSpec } from "../types";

/** Stand handlers for the house-management service (to be written). */
export const handlers: HandlerSpec[] = [];

import { HandlerSpec } from "../types";

/** Stand handlers for the org-registry service (to be written). */
export const handlers: HandlerSpec[] = [];

import { HandlerSpec } from "../types";

/** Stand handlers for the nsi-common service (to be written). */
export const handlers: HandlerSpec[] = [];

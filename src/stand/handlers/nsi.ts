import { HandlerSpec } from "../types";

/** Stand handlers for the nsi service (to be written). */
export const handlers: HandlerSpec[] = [];

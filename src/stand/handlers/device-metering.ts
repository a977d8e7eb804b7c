import { HandlerSpec } from "../types";

/** Stand handlers for the device-metering service (to be written). */
export const handlers: HandlerSpec[] = [];

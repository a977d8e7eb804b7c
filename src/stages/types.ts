/** Short names for types the descriptors share. */
import { GisResponse } from "../transport/results/results";

/** A getStateResult, the only kind of answer descriptors see. */
export type StateAnswer = Extract<GisResponse, { kind: "state" }>;

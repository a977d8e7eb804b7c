/** getState moved to src/methods/base/get-state.ts; this path stays for src/exchange (the lead removes it). */
export { getState } from "../../methods/base/get-state";
export type { GetStateInput } from "../../methods/base/get-state";

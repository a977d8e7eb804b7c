/** The descriptor moved to src/methods/device-metering/export-metering-device-history.ts; this path stays for the payments' check until the lead removes it. */
export { previousMonthStart } from "./periods";

/**
 * house-management pieces several method modules share: a person as GIS names one, and a meter
 * reading in GIS's number format (device-metering uses it too). The methods themselves are in
 * src/methods/house-management/.
 */
import { decimal } from "../envelope/xml";
import { NsiRef } from "./common";

export interface PersonInput {
  surname: string;
  firstName: string;
  patronymic?: string;
  sex?: "M" | "F";
  /** xs:date */
  dateOfBirth?: string;
  /** 11 digits. */
  snils?: string;
  /** Identity document, when there is no SNILS. */
  document?: { type: NsiRef; series?: string; number: string; issueDate: string };
}

/** Moved to src/methods/house-management/ (kept for scripts/bench-build.ts until the lead removes it). */
export type { AccountInput } from "../../methods/house-management/accounts/account-message";

// ---- meters (shared with device-metering) ---------------------------------------------------------

/** A reading as GIS wants it: up to 15 integer and 7 fraction digits, no exponent. */
export function meteringValue(v: number | string): string {
  const s = typeof v === "number" ? decimal(v) : v;
  if (!/^\d{1,15}(\.\d{1,7})?$/.test(s)) throw new Error(`показание «${s}» не соответствует формату ГИС (до 15 цифр и 7 знаков после точки)`);
  return s;
}

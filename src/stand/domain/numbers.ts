/**
 * GIS unique numbers. Formats follow what GIS gives out, to the length the schema fixes:
 * ЕЛС (account-base:UnifiedAccountNumber) 10 characters — two digits, two Cyrillic letters, six
 * digits; ИЖКУ (account-base:ServiceID) 13 — the ЕЛС, "-", the service number in the account; ИПД
 * (bills-base:PaymentDocumentID) 18 — the ИЖКУ, "-", a running number of the document. Counters
 * live in the store, so numbers never repeat, across restarts too.
 */
import { StandStore } from "../types";

const LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ";
const pad = (n: number, width: number) => String(n).padStart(width, "0");

export function unifiedAccountNumber(store: StandStore): string {
  const n = store.nextNumber("ELS");
  const six = n % 1_000_000;
  const pair = Math.floor(n / 1_000_000);
  const letters = LETTERS[Math.floor(pair / LETTERS.length) % LETTERS.length] + LETTERS[pair % LETTERS.length];
  return `${pad(16 + Math.floor(pair / (LETTERS.length * LETTERS.length)), 2)}${letters}${pad(six, 6)}`;
}

export function serviceId(store: StandStore, els: string): string {
  return `${els}-${pad(store.nextNumber(`ZhKU:${els}`) % 100, 2)}`;
}

export function paymentDocumentId(store: StandStore, serviceIdValue: string): string {
  return `${serviceIdValue}-${pad(store.nextNumber(`PD:${serviceIdValue}`) % 10_000, 4)}`;
}

/** Registry numbers of houses, premises, rooms, meters (UniqueNumber, MeteringDeviceGISGKHNumber). */
export function registryNumber(store: StandStore, kind: "house" | "premises" | "room" | "entrance" | "meter" | "contract"): string {
  return String(store.nextNumber(kind));
}

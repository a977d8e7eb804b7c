/** Russian registration numbers with correct check digits (ИНН, ОГРН, СНИЛС) and КПП. */
import { Prng } from "./prng";

const INN10_W = [2, 4, 10, 3, 5, 9, 4, 6, 8];

export function innCheckDigit(first9: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += INN10_W[i] * Number(first9[i]);
  return (sum % 11) % 10;
}

/** A valid 10-digit legal-entity ИНН with the given 2-digit region prefix. */
export function makeInn10(rnd: Prng, region = "16"): string {
  const first9 = region + rnd.digits(7);
  return first9 + String(innCheckDigit(first9));
}

/** The same ИНН with its check digit changed: GIS and the importer must reject it. */
export function breakInn(inn: string): string {
  const last = Number(inn[inn.length - 1]);
  return inn.slice(0, -1) + String((last + 1) % 10);
}

export function isValidInn10(inn: string): boolean {
  return /^\d{10}$/.test(inn) && innCheckDigit(inn.slice(0, 9)) === Number(inn[9]);
}

/** A valid 13-digit ОГРН: 1 + year(2) + region(2) + 7 digits + check ((first 12 mod 11) mod 10). */
export function makeOgrn13(rnd: Prng, region = "16"): string {
  const first12 = "1" + String(rnd.int(2, 22)).padStart(2, "0") + region + rnd.digits(7);
  return first12 + String((Number(first12) % 11) % 10);
}

export function isValidOgrn13(ogrn: string): boolean {
  return /^\d{13}$/.test(ogrn) && (Number(ogrn.slice(0, 12)) % 11) % 10 === Number(ogrn[12]);
}

/** КПП: region(2) + tax office(2) + reason "01" + 3 digits. */
export function makeKpp(rnd: Prng, region = "16"): string {
  return region + String(rnd.int(50, 59)) + "01" + "00" + String(rnd.int(1, 9));
}

/** A valid СНИЛС (11 digits, the last two a checksum). */
export function makeSnils(rnd: Prng): string {
  const first9 = String(rnd.int(2000000, 999999999)).padStart(9, "0");
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(first9[i]) * (9 - i);
  let check = sum < 100 ? sum : sum === 100 || sum === 101 ? 0 : sum % 101;
  if (check === 100) check = 0;
  return first9 + String(check).padStart(2, "0");
}

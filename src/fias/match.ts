/**
 * Matching one level of an address against ГАР objects, with the manual's outcomes:
 * exact (set it), partial (several fit — the user chooses), incomplete (nothing fits exactly —
 * the best is proposed), not found.
 */
import { normaliseHouseNumber, normaliseName, normaliseType } from "./address";

export type Outcome = "exact" | "partial" | "incomplete" | "not_found";

export const OUTCOME_TEXT: Record<Outcome | "skipped", string> = {
  exact: "Найдено точное совпадение",
  partial: "Найдено частичное совпадение — выберите вариант",
  incomplete: "Найдено неполное совпадение — предложен наиболее подходящий",
  not_found: "Не найдено в ГАР (ГУИД не получен)",
  skipped: "Не проверялось",
};

export interface GarObject {
  objectId: number;
  guid: string;
  /** "г. Казань", "ул. Габдуллы Тукая", "д. 2 к. 1". */
  title: string;
}

export interface Match<T extends GarObject> {
  outcome: Outcome;
  chosen: T | null;
  candidates: T[];
}

const notFound = <T extends GarObject>(): Match<T> => ({ outcome: "not_found", chosen: null, candidates: [] });

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** How alike two names are, 0…1: one containing the other's words counts high ("Тукая" ⊂ "Габдуллы Тукая"). */
export function nameScore(ours: string, theirs: string): number {
  const a = normaliseName(ours);
  const b = normaliseName(theirs);
  if (a === b) return 1;
  const ta = a.split(" ");
  const tb = b.split(" ");
  if (ta.every((t) => tb.includes(t)) || tb.every((t) => ta.includes(t))) return 0.9;
  return 1 - levenshtein(a, b) / Math.max(a.length, b.length);
}

export interface NamedObject extends GarObject {
  name: string;
  type: string;
}

/** Settlements and streets: by name, then type. */
export function matchNamed<T extends NamedObject>(name: string, type: string, pool: T[]): Match<T> {
  const n = normaliseName(name);
  const t = normaliseType(type);
  const same = pool.filter((o) => normaliseName(o.name) === n);
  const typed = t ? same.filter((o) => normaliseType(o.type) === t) : same;
  if (typed.length === 1) return { outcome: "exact", chosen: typed[0], candidates: typed };
  if (typed.length > 1) return { outcome: "partial", chosen: null, candidates: typed };
  if (same.length === 1) return { outcome: "incomplete", chosen: same[0], candidates: same };
  if (same.length > 1) return { outcome: "partial", chosen: null, candidates: same };
  const scored = pool
    .map((o) => ({ o, s: nameScore(name, o.name) + (t && normaliseType(o.type) === t ? 0.05 : 0) }))
    .filter((x) => x.s >= 0.75)
    .sort((x, y) => y.s - x.s);
  if (!scored.length) return notFound();
  const top = scored.slice(0, 5).map((x) => x.o);
  if (scored.length === 1 || scored[0].s - scored[1].s >= 0.1) return { outcome: "incomplete", chosen: scored[0].o, candidates: top };
  return { outcome: "partial", chosen: null, candidates: top };
}

export interface HouseObject extends GarObject {
  number: string;
  building: string | null;
  structure: string | null;
}

/** Houses: number, then корпус and строение. */
export function matchHouse<T extends HouseObject>(number: string, building: string | null, structure: string | null, pool: T[]): Match<T> {
  const n = normaliseHouseNumber(number);
  const b = normaliseHouseNumber(building);
  const s = normaliseHouseNumber(structure);
  const sameNumber = pool.filter((h) => normaliseHouseNumber(h.number) === n);
  const exact = sameNumber.filter((h) => normaliseHouseNumber(h.building) === b && normaliseHouseNumber(h.structure) === s);
  if (exact.length === 1) return { outcome: "exact", chosen: exact[0], candidates: exact };
  if (exact.length > 1) return { outcome: "partial", chosen: null, candidates: exact };
  if (sameNumber.length === 1) return { outcome: "incomplete", chosen: sameNumber[0], candidates: sameNumber };
  if (sameNumber.length > 1) {
    // "д. 2 корп. 1" vs FIAS "2/1", or our корпус missing: offer the ones that share what we have.
    const near = sameNumber.filter((h) => !b || normaliseHouseNumber(h.building) === b || normaliseHouseNumber(h.structure) === b);
    return { outcome: "partial", chosen: null, candidates: (near.length ? near : sameNumber).slice(0, 10) };
  }
  // "2а" written as "2 А", "2/1" as "2 корп. 1": compare the number with its additions joined.
  const joined = normaliseHouseNumber(`${number}${building ?? ""}`);
  const loose = pool.filter((h) => normaliseHouseNumber(`${h.number}${h.building ?? ""}`).replace(/[/-]/g, "") === joined.replace(/[/-]/g, ""));
  if (loose.length === 1) return { outcome: "incomplete", chosen: loose[0], candidates: loose };
  if (loose.length > 1) return { outcome: "partial", chosen: null, candidates: loose };
  return notFound();
}

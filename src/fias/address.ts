/**
 * Billing addresses as the accountant writes them ("Республика Татарстан, г. Казань,
 * ул. Габдуллы Тукая, д. 1, корп. 2") split into the levels FIAS codes separately: region,
 * district, settlement, street, house.
 */

export interface NamedPart {
  /** Short type as ГАР writes TYPENAME: "г", "ул", "пр-кт", "с", "д"… */
  type: string;
  name: string;
}

export interface HouseNumber {
  number: string;
  building: string | null;
  structure: string | null;
}

export interface ParsedAddress {
  region: string | null;
  district: string | null;
  settlement: NamedPart | null;
  street: NamedPart | null;
  house: HouseNumber | null;
  /** Marked «!Архив» (an archived duplicate the billing system keeps). */
  archived: boolean;
}

/** Long and dotted forms → the short TYPENAME used in ГАР. */
const SETTLEMENT_TYPES: Record<string, string> = {
  г: "г",
  город: "г",
  пгт: "пгт",
  рп: "рп",
  п: "п",
  пос: "п",
  поселок: "п",
  посёлок: "п",
  с: "с",
  село: "с",
  д: "д",
  деревня: "д",
  дер: "д",
  "ст-ца": "ст-ца",
  станица: "ст-ца",
  х: "х",
  хутор: "х",
  аул: "аул",
  нп: "нп",
  сл: "сл",
  слобода: "сл",
  ст: "ст",
  мкр: "мкр",
};
const STREET_TYPES: Record<string, string> = {
  ул: "ул",
  улица: "ул",
  "пр-кт": "пр-кт",
  пр: "пр-кт",
  проспект: "пр-кт",
  пер: "пер",
  переулок: "пер",
  "б-р": "б-р",
  бульвар: "б-р",
  ш: "ш",
  шоссе: "ш",
  пл: "пл",
  площадь: "пл",
  наб: "наб",
  набережная: "наб",
  проезд: "проезд",
  "пр-д": "проезд",
  туп: "туп",
  тупик: "туп",
  аллея: "аллея",
  тракт: "тракт",
  "кв-л": "кв-л",
  квартал: "кв-л",
  мкр: "мкр",
  микрорайон: "мкр",
  тер: "тер",
};
const REGION_WORDS = /(республика|обл\.?|область|край|автономный округ|ао\b|респ\.?)/i;
const DISTRICT_WORDS = /(р-н|район|м\.р-н|муниципальный район|г\.о\.|городской округ)/i;

export function normaliseType(t: string): string {
  return t.toLowerCase().replace(/\.$/, "").replace(/ё/g, "е").trim();
}

/** Splits "ул. Габдуллы Тукая" → ["ул", "Габдуллы Тукая"]; also "Тукая ул." */
function splitTyped(part: string, dict: Record<string, string>): NamedPart | null {
  const m = /^([а-яёА-ЯЁ-]+)\.?\s+(.+)$/.exec(part);
  if (m && dict[normaliseType(m[1])]) return { type: dict[normaliseType(m[1])], name: m[2].trim() };
  const e = /^(.+?)\s+([а-яёА-ЯЁ-]+)\.?$/.exec(part);
  if (e && dict[normaliseType(e[2])]) return { type: dict[normaliseType(e[2])], name: e[1].trim() };
  return null;
}

function parseHouse(part: string): Partial<HouseNumber> | null {
  const m = /^(?:д|дом|вл|влд|двлд|домовл)\.?\s*(\d[\wА-Яа-яЁё/-]*)$/i.exec(part);
  if (m) return { number: m[1] };
  const k = /^(?:корп|корпус|к)\.?\s*(\S+)$/i.exec(part);
  if (k) return { building: k[1] };
  const s = /^(?:стр|строение)\.?\s*(\S+)$/i.exec(part);
  if (s) return { structure: s[1] };
  if (/^\d[\wА-Яа-яЁё/-]*$/.test(part)) return { number: part };
  return null;
}

export function parseAddress(address: string): ParsedAddress {
  const archived = /!\s*архив/i.test(address);
  const text = address.replace(/!\s*архив\S*/gi, "").trim();
  const out: ParsedAddress = { region: null, district: null, settlement: null, street: null, house: null, archived };
  for (const raw of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const houseBit = parseHouse(raw);
    if (houseBit && (out.street || out.settlement)) {
      out.house = {
        number: out.house?.number ?? "",
        building: out.house?.building ?? null,
        structure: out.house?.structure ?? null,
        ...stripUndefined(houseBit),
      };
      continue;
    }
    if (!out.settlement && !out.street && !out.district && REGION_WORDS.test(raw) && !splitTyped(raw, SETTLEMENT_TYPES)) {
      out.region = raw;
      continue;
    }
    if (!out.settlement && DISTRICT_WORDS.test(raw)) {
      out.district = raw;
      continue;
    }
    // "д. Иваново" is a village before a street is known, a house number after.
    const street = splitTyped(raw, STREET_TYPES);
    const settlement = splitTyped(raw, SETTLEMENT_TYPES);
    if (settlement && !out.settlement && !out.street && !(street && out.settlement)) {
      out.settlement = settlement;
      continue;
    }
    if (street && !out.street) {
      out.street = street;
      continue;
    }
    if (!out.settlement) out.settlement = { type: "", name: raw };
    else if (!out.street) out.street = { type: "", name: raw };
  }
  if (out.house && !out.house.number) out.house = null;
  return out;
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Comparable form of a name: lower case, ё→е, punctuation and extra spaces dropped. */
export function normaliseName(s: string): string {
  return s
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[.,"«»()]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Comparable house number: "2 А" = "2а", "10/1" kept. */
export function normaliseHouseNumber(s: string | null | undefined): string {
  return (s ?? "")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/\s+/g, "")
    .replace(/^(д|дом)\.?/, "");
}

/** Text of the settlement / street level for reports. */
export const partText = (p: NamedPart | null): string => (p ? `${p.type ? `${p.type}. ` : ""}${p.name}` : "");

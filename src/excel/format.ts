/** How values look in the templates: GIS reads dates as ДД.ММ.ГГГГ and yes/no as «да»/«нет». */
export type CellInput = string | number | boolean | null | undefined;

export function gisDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

export function yesNo(v: boolean | number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return v ? "да" : "нет";
}

/** Decimals come back as strings from PostgreSQL: numbers in the sheet, so Excel can sum them. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Texts of the NSI codes the templates show (GIS accepts the element's name). */
export const HOUSE_STATE: Record<string, string> = { "1": "Исправный", "2": "Ветхий", "3": "Аварийный" };
export const PREMISE_CHARACTERISTIC: Record<string, string> = {
  "1": "Отдельная квартира",
  "2": "Квартира коммунального заселения",
  "3": "Общежитие",
};
export const RESOURCE: Record<string, string> = {
  "1": "Холодная вода",
  "2": "Горячая вода",
  "3": "Электрическая энергия",
  "4": "Газ",
  "5": "Тепловая энергия",
  "6": "Бытовой газ в баллонах",
  "7": "Твёрдое топливо",
  "8": "Сточные воды",
};
export const METER_KIND: Record<string, string> = {
  individual: "Индивидуальный",
  common_house: "Коллективный (общедомовой)",
  collective: "Общий (квартирный)",
  room: "Комнатный",
};
export const ACCOUNT_TYPE: Record<string, string> = {
  UO: "ЛС УО",
  RSO: "ЛС РСО",
  KR: "ЛС КР",
  RC: "ЛС РЦ",
  OGV_OMS: "ЛС ОГВ/ОМС",
  TKO: "ЛС РО (ТКО)",
};
/** NSI 95, identity documents (the common ones). */
export const IDENTITY_DOCUMENT: Record<string, string> = {
  "1": "Паспорт гражданина Российской Федерации",
  "2": "Свидетельство о рождении",
  "3": "Паспорт иностранного гражданина",
  "4": "Вид на жительство",
  "5": "Военный билет",
};
export const SECOND_PARTY: Record<string, string> = {
  owners: "Собственник объекта жилищного фонда",
  organization: "Управляющая организация",
  person: "Физическое лицо",
  municipality: "Орган местного самоуправления",
  developer: "Застройщик",
};

export const label = (dict: Record<string, string>, code: string | null | undefined): string | null =>
  code === null || code === undefined || code === "" ? null : (dict[code] ?? code);

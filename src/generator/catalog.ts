/**
 * What the generated organization supplies and how it charges: its services with NSI codes and
 * tariffs, meter scales and consumption, the fixed organizations of the bundle.
 */

export type SvcKey = "cold" | "hot" | "sewer" | "power" | "gas" | "heat" | "vdgo";

export interface ServiceDef {
  key: SvcKey;
  id: string;
  code: string;
  name: string;
  kind: "municipal" | "housing";
  nsiRegistry: number;
  nsiCode: string;
  /** NSI 2 municipal resource code. */
  resource: string;
  okei: string;
  /** Tariff in kopecks per unit for January–June 2025; indexed by 10 % every 1 July. */
  tariffKop: number;
}

export const SERVICES: readonly ServiceDef[] = [
  {
    key: "cold",
    id: "S1",
    code: "ХВС",
    name: "Холодное водоснабжение",
    kind: "municipal",
    nsiRegistry: 3,
    nsiCode: "1",
    resource: "1",
    okei: "113",
    tariffKop: 3957,
  },
  {
    key: "hot",
    id: "S2",
    code: "ГВС",
    name: "Горячее водоснабжение",
    kind: "municipal",
    nsiRegistry: 3,
    nsiCode: "2",
    resource: "2",
    okei: "113",
    tariffKop: 22106,
  },
  { key: "sewer", id: "S3", code: "ВО", name: "Водоотведение", kind: "municipal", nsiRegistry: 3, nsiCode: "3", resource: "8", okei: "113", tariffKop: 3067 },
  { key: "power", id: "S4", code: "ЭЭ", name: "Электроснабжение", kind: "municipal", nsiRegistry: 3, nsiCode: "4", resource: "3", okei: "245", tariffKop: 536 },
  { key: "gas", id: "S5", code: "ГАЗ", name: "Газоснабжение", kind: "municipal", nsiRegistry: 3, nsiCode: "5", resource: "4", okei: "113", tariffKop: 764 },
  { key: "heat", id: "S6", code: "ОТП", name: "Отопление", kind: "municipal", nsiRegistry: 3, nsiCode: "6", resource: "5", okei: "233", tariffKop: 261641 },
  {
    key: "vdgo",
    id: "S7",
    code: "ВДГО",
    name: "Техническое обслуживание внутридомового газового оборудования",
    kind: "housing",
    nsiRegistry: 50,
    nsiCode: "12",
    resource: "",
    okei: "796",
    tariffKop: 4850,
  },
];
export const SVC = Object.fromEntries(SERVICES.map((s) => [s.key, s])) as Record<SvcKey, ServiceDef>;

export function tariffKop(s: ServiceDef, year: number, month: number): number {
  const k = year - 2025 + (month >= 7 ? 1 : 0);
  return Math.round(s.tariffKop * 1.1 ** k);
}

/** Meter value scale (decimals) and monthly consumption per resident, in 10^-scale units. */
export const METERING: Record<string, { scale: number; perResident: [number, number] }> = {
  "1": { scale: 3, perResident: [2200, 4200] },
  "2": { scale: 3, perResident: [1400, 2900] },
  "3": { scale: 1, perResident: [600, 1300] },
  "4": { scale: 3, perResident: [6000, 14000] },
  "5": { scale: 3, perResident: [0, 0] },
};

export const OUR_ORG = "O1";
export const BANK_ORG = "O2";
export const POST_ORG = "O3";
export const UO_ORG = "O4";
export const AGENT_ORG = "O5";
/** The settlement centre's bundle: the resource supplier next to the managing organization (O4); O1 is the centre. */
export const RSO_ORG = "O6";
export const OUR_BIK = "049205603";
export const HEATING_MONTHS = new Set([1, 2, 3, 4, 10, 11, 12]);

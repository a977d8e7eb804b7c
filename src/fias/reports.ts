/**
 * FIAS reports (the manual's «Отчёт по проставленным ГУИД ФИАС» and «Отчёт по домам с одинаковыми
 * ФИАС»): settlements, streets and houses with and without FIAS GUID and OKTMO; houses sharing a
 * FIAS GUID within a selection or against the whole database.
 */
import { DataSource, In } from "typeorm";
import { House } from "../../entities";
import { HouseSelection } from "../excel/export/selection";
import { TableColumn, TableSheet } from "../excel/table-writer";
import { parseAddress, partText } from "./address";

export type Presence = "all" | "with" | "without";

export interface CoverageRow {
  address: string;
  guid: string | null;
  oktmo: string | null;
  houses: number;
}

export interface CoverageReport {
  settlements: CoverageRow[];
  streets: CoverageRow[];
  houses: CoverageRow[];
}

interface HouseLite {
  id: number;
  address: string;
  fiasHouseGuid: string | null;
  fiasSettlementGuid: string | null;
  fiasStreetGuid: string | null;
  oktmo: string | null;
  closedDate: string | null;
}

async function loadHouses(ds: DataSource, houses: HouseSelection): Promise<HouseLite[]> {
  const select = { id: true, address: true, fiasHouseGuid: true, fiasSettlementGuid: true, fiasStreetGuid: true, oktmo: true, closedDate: true } as const;
  const where = houses === null ? {} : { id: In(houses.length ? houses : [-1]) };
  return ds.getRepository(House).find({ select, where, order: { id: "ASC" } });
}

const isArchived = (h: HouseLite) => !!h.closedDate || parseAddress(h.address).archived;
const joinDistinct = (xs: Array<string | null>) => [...new Set(xs.filter((x): x is string => !!x))].join(", ") || null;

function group(houses: HouseLite[], keyOf: (h: HouseLite) => string | null, guidOf: (h: HouseLite) => string | null): CoverageRow[] {
  const groups = new Map<string, HouseLite[]>();
  for (const h of houses) {
    const k = keyOf(h);
    if (!k) continue;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(h);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "ru"))
    .map(([address, hs]) => ({ address, guid: joinDistinct(hs.map(guidOf)), oktmo: joinDistinct(hs.map((h) => h.oktmo)), houses: hs.length }));
}

export async function coverageReport(ds: DataSource, houses: HouseSelection, presence: Presence = "all", ignoreArchived = false): Promise<CoverageReport> {
  const list = (await loadHouses(ds, houses)).filter((h) => !(ignoreArchived && isArchived(h)));
  const parsed = new Map(list.map((h) => [h.id, parseAddress(h.address)]));
  const settlementKey = (h: HouseLite) => {
    const a = parsed.get(h.id)!;
    return a.settlement ? [a.region, a.district, partText(a.settlement)].filter(Boolean).join(", ") : null;
  };
  const streetKey = (h: HouseLite) => {
    const a = parsed.get(h.id)!;
    return a.street ? `${partText(a.settlement)}, ${partText(a.street)}` : null;
  };
  const keep = (rows: CoverageRow[]) => rows.filter((r) => presence === "all" || (presence === "with") === !!r.guid);
  return {
    settlements: keep(group(list, settlementKey, (h) => h.fiasSettlementGuid)),
    streets: keep(group(list, streetKey, (h) => h.fiasStreetGuid)),
    houses: keep(list.map((h) => ({ address: h.address, guid: h.fiasHouseGuid, oktmo: h.oktmo, houses: 1 }))),
  };
}

export interface DuplicateRow {
  guid: string;
  houseId: number;
  address: string;
  oktmo: string | null;
  inSelection: boolean;
}

/**
 * Houses sharing one FIAS GUID. "selection": only among the selected houses; "database": the
 * selected houses' GUIDs against the whole fund.
 */
export async function duplicateGuids(
  ds: DataSource,
  houses: HouseSelection,
  scope: "selection" | "database" = "selection",
  ignoreArchived = false,
): Promise<DuplicateRow[]> {
  const selected = (await loadHouses(ds, houses)).filter((h) => !(ignoreArchived && isArchived(h)));
  const pool = scope === "database" && houses !== null ? (await loadHouses(ds, null)).filter((h) => !(ignoreArchived && isArchived(h))) : selected;
  const selectedIds = new Set(selected.map((h) => h.id));
  const wanted = new Set(selected.map((h) => h.fiasHouseGuid?.toLowerCase()).filter(Boolean));
  const byGuid = new Map<string, HouseLite[]>();
  for (const h of pool) {
    const g = h.fiasHouseGuid?.toLowerCase();
    if (!g || !wanted.has(g)) continue;
    if (!byGuid.has(g)) byGuid.set(g, []);
    byGuid.get(g)!.push(h);
  }
  const out: DuplicateRow[] = [];
  for (const [guid, hs] of [...byGuid.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (hs.length < 2) continue;
    for (const h of hs) out.push({ guid, houseId: h.id, address: h.address, oktmo: h.oktmo, inSelection: selectedIds.has(h.id) });
  }
  return out;
}

const COVERAGE_COLUMNS: TableColumn[] = [
  { key: "address", header: "Адрес", width: 60 },
  { key: "guid", header: "ГУИД ФИАС", width: 38 },
  { key: "oktmo", header: "ОКТМО", width: 14 },
  { key: "houses", header: "Домов", width: 8 },
];

export function coverageSheets(r: CoverageReport): TableSheet[] {
  return [
    { name: "Населённые пункты", caption: ["По населённым пунктам"], columns: COVERAGE_COLUMNS, rows: r.settlements.map((x) => ({ ...x })) },
    { name: "Улицы", caption: ["По улицам"], columns: COVERAGE_COLUMNS, rows: r.streets.map((x) => ({ ...x })) },
    {
      name: "Дома",
      caption: ["По домам"],
      columns: COVERAGE_COLUMNS.slice(0, 3),
      rows: r.houses.map((x) => ({ address: x.address, guid: x.guid, oktmo: x.oktmo })),
    },
  ];
}

export function duplicateSheet(rows: DuplicateRow[], caption: string[]): TableSheet {
  return {
    name: "Одинаковые ФИАС",
    caption,
    columns: [
      { key: "guid", header: "ФИАС ГУИД", width: 38 },
      { key: "address", header: "Адрес", width: 60 },
      { key: "oktmo", header: "ОКТМО", width: 14 },
      { key: "houseId", header: "Дом (id)", width: 10 },
    ],
    rows: rows.map((r) => ({ guid: r.guid, address: r.address, oktmo: r.oktmo, houseId: r.houseId })),
  };
}

/** A plain-text table for the terminal. */
export function textTable(headers: string[], rows: Array<Array<string | number | null>>): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? "—" : String(c))));
  const widths = headers.map((h, i) => Math.min(70, Math.max(h.length, ...cells.map((r) => r[i].length))));
  const line = (r: string[]) => r.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/**
 * FIAS coding from a ГАР extract (the manual's «Подкачка ФИАС»): settlements first, then streets
 * within the settlement found, then houses within the street — each level with the manual's
 * outcome. With `apply`, exact matches are written: the house's FIAS GUID, its settlement's and
 * street's GUIDs, and OKTMO from the matched object.
 */
import { DataSource, In } from "typeorm";
import { House } from "../../entities";
import { UserError } from "../util/errors";
import { HouseSelection } from "../excel/export/selection";
import { ParsedAddress, normaliseName, parseAddress } from "./address";
import { findGarFiles } from "./gar-files";
import { GarAddrObject, GarIndex } from "./gar-index";
import { GarObject, Match, Outcome, matchHouse, matchNamed } from "./match";

export interface LevelResult {
  outcome: Outcome | "skipped";
  chosen: GarObject | null;
  candidates: GarObject[];
  note?: string;
}

export interface HouseCoding {
  houseId: number;
  externalId: string;
  address: string;
  settlement: LevelResult;
  street: LevelResult | null;
  house: LevelResult;
  oktmo: string | null;
  /** What was written (field names), empty unless applied. */
  written: string[];
  note?: string;
}

export interface CodingOptions {
  garDir: string;
  regionCode: string | null;
  mainSettlementGuid: string | null;
  houses: HouseSelection;
  apply?: boolean;
  /** Also write incomplete matches (the proposed best object). */
  acceptProposals?: boolean;
  /** Replace a FIAS GUID the house already has when GAR says otherwise. */
  overwrite?: boolean;
  /** The manual's «исключить дома с номером 0». */
  skipZeroHouses?: boolean;
  ignoreArchived?: boolean;
}

const skipped = (note: string): LevelResult => ({ outcome: "skipped", chosen: null, candidates: [], note });
const fromMatch = (m: Match<GarObject>): LevelResult => ({ outcome: m.outcome, chosen: m.chosen, candidates: m.candidates });
const given = (o: GarObject): LevelResult => ({ outcome: "exact", chosen: o, candidates: [o], note: "проставлен ранее" });

export async function codeFromGar(ds: DataSource, opts: CodingOptions): Promise<HouseCoding[]> {
  const qb = ds.getRepository(House).createQueryBuilder("h").orderBy("h.id");
  if (opts.houses) qb.where({ id: In(opts.houses.length ? opts.houses : [-1]) });
  const houses = (await qb.getMany())
    .map((h) => ({ h, a: parseAddress(h.address) }))
    .filter(({ h, a }) => !(opts.ignoreArchived && (h.closedDate || a.archived)))
    .filter(({ a }) => !(opts.skipZeroHouses && a.house?.number === "0"));

  const idx = new GarIndex(findGarFiles(opts.garDir, opts.regionCode));
  await idx.loadAddressObjects();
  await idx.loadHierarchy();

  let main: number | null = null;
  if (opts.mainSettlementGuid) {
    main = idx.byGuid.get(opts.mainSettlementGuid.toLowerCase()) ?? null;
    if (main === null)
      throw new UserError(
        `ГУИД основного населённого пункта ${opts.mainSettlementGuid} (настройка fias.mainSettlementGuid) не найден в выгрузке ГАР «${idx.files.dir}»`,
      );
  }
  const settlementPool = idx.settlements(main);
  const settlementCache = new Map<string, LevelResult>();
  const streetCache = new Map<string, LevelResult>();

  const settlementOf = (h: House, a: ParsedAddress): LevelResult => {
    const known = h.fiasSettlementGuid ? idx.addr.get(idx.byGuid.get(h.fiasSettlementGuid.toLowerCase()) ?? -1) : undefined;
    if (known) return given(known);
    if (!a.settlement) {
      const m = main !== null ? idx.addr.get(main) : undefined;
      return m && m.level >= 4 ? given(m) : skipped("в адресе не найден населённый пункт");
    }
    const key = `${a.settlement.type}|${normaliseName(a.settlement.name)}`;
    if (!settlementCache.has(key)) settlementCache.set(key, fromMatch(matchNamed(a.settlement.name, a.settlement.type, settlementPool)));
    return settlementCache.get(key)!;
  };

  const streetOf = (h: House, a: ParsedAddress, settlement: LevelResult): LevelResult | null => {
    if (!a.street) return null;
    const known = h.fiasStreetGuid ? idx.addr.get(idx.byGuid.get(h.fiasStreetGuid.toLowerCase()) ?? -1) : undefined;
    if (known) return given(known);
    if (!settlement.chosen) return skipped("населённый пункт не установлен");
    const key = `${settlement.chosen.objectId}|${a.street.type}|${normaliseName(a.street.name)}`;
    if (!streetCache.has(key)) streetCache.set(key, fromMatch(matchNamed(a.street.name, a.street.type, idx.streetsUnder(settlement.chosen.objectId))));
    return streetCache.get(key)!;
  };

  // Settlements and streets first; then only the houses under what was found are read.
  const staged = houses.map(({ h, a }) => {
    const settlement = settlementOf(h, a);
    return { h, a, settlement, street: streetOf(h, a, settlement) };
  });
  const parents = new Set<number>();
  for (const s of staged) {
    const p = s.street ? s.street.chosen : s.settlement.chosen;
    if (p && s.a.house) for (const id of idx.withPlanningElements(p.objectId)) parents.add(id);
  }
  await idx.loadHousesUnder(parents);

  const results: HouseCoding[] = [];
  for (const { h, a, settlement, street } of staged) {
    const parent = street ? street.chosen : settlement.chosen;
    let house: LevelResult;
    if (!a.house) house = skipped("в адресе не найден номер дома");
    else if (!parent) house = skipped(street ? "улица не установлена" : "населённый пункт не установлен");
    else house = fromMatch(matchHouse(a.house.number, a.house.building, a.house.structure, idx.housesUnder(parent.objectId)));
    results.push({ houseId: h.id, externalId: h.externalId, address: h.address, settlement, street, house, oktmo: null, written: [] });
  }

  const chosen = new Set<number>();
  for (const r of results) for (const l of [r.settlement, r.street, r.house]) if (l?.chosen) chosen.add(l.chosen.objectId);
  await idx.loadOktmo(chosen);
  for (const r of results) {
    const ids = [r.house.chosen, r.street?.chosen, r.settlement.chosen].filter((x): x is GarObject => !!x).map((o) => o.objectId);
    r.oktmo = ids.map((id) => idx.oktmo.get(id)).find(Boolean) ?? null;
  }
  if (opts.apply)
    await applyCoding(
      ds,
      results,
      houses.map((x) => x.h),
      opts,
    );
  return results;
}

async function applyCoding(ds: DataSource, results: HouseCoding[], houses: House[], opts: CodingOptions): Promise<void> {
  const accepted = (l: LevelResult | null) => !!l?.chosen && (l.outcome === "exact" || (l.outcome === "incomplete" && !!opts.acceptProposals));
  const byId = new Map(houses.map((h) => [h.id, h]));
  await ds.transaction(async (em) => {
    for (const r of results) {
      const h = byId.get(r.houseId)!;
      const patch: Partial<House> = {};
      if (accepted(r.settlement) && h.fiasSettlementGuid !== r.settlement.chosen!.guid) patch.fiasSettlementGuid = r.settlement.chosen!.guid;
      if (r.street && accepted(r.street) && h.fiasStreetGuid !== r.street.chosen!.guid) patch.fiasStreetGuid = r.street.chosen!.guid;
      // A house found under a merely proposed street is itself only a proposal.
      if (accepted(r.house) && accepted(r.settlement) && (!r.street || accepted(r.street))) {
        const guid = r.house.chosen!.guid;
        if (h.fiasHouseGuid && h.fiasHouseGuid.toLowerCase() !== guid && !opts.overwrite) {
          r.note = `в базе другой ФИАС ГУИД ${h.fiasHouseGuid} — не заменён (укажите --overwrite)`;
        } else {
          if (h.fiasHouseGuid?.toLowerCase() !== guid) patch.fiasHouseGuid = guid;
          if (r.oktmo && h.oktmo !== r.oktmo) patch.oktmo = r.oktmo;
        }
      }
      if (Object.keys(patch).length) {
        await em.getRepository(House).update({ id: h.id }, patch);
        r.written = Object.keys(patch);
      }
    }
  });
}

/** Counts per level and outcome, for the summary table. */
export function codingSummary(results: HouseCoding[]): Record<"settlement" | "street" | "house", Record<string, number>> {
  const out = { settlement: {} as Record<string, number>, street: {} as Record<string, number>, house: {} as Record<string, number> };
  const add = (level: keyof typeof out, l: LevelResult | null) => {
    if (l) out[level][l.outcome] = (out[level][l.outcome] ?? 0) + 1;
  };
  for (const r of results) {
    add("settlement", r.settlement);
    add("street", r.street);
    add("house", r.house);
  }
  return out;
}

export type { GarAddrObject };

/**
 * Where accounts live: each accommodation resolved to the object GIS knows it by (premise GUID,
 * room GUID, or the FIAS GUID of a detached house) and to its house, for checks and messages.
 */
import { DataSource, EntityManager } from "typeorm";
import { AccountAccommodation } from "../../../../entities";
import { findIn, groupBy } from "../../../stages/load";
import { AtStand, loadAt } from "../../../storage/identity/store";

export interface Place {
  kind: "premise" | "room" | "house";
  /** The GIS identifier Accommodation carries; null while the object is not placed. */
  guid: string | null;
  house: AtStand<"house"> | null;
  sharePercent: number | null;
}

/** The accounts' places as `stand` knows them (GUIDs of that stand). */
export async function placesOf(db: DataSource | EntityManager, accountIds: number[], stand: string): Promise<Map<number, Place[]>> {
  const links = await findIn(db, AccountAccommodation, "accountId", accountIds);
  const premises = await loadAt(
    db,
    "premise",
    links.map((l) => l.premiseId),
    stand,
  );
  const rooms = await loadAt(
    db,
    "room",
    links.map((l) => l.roomId),
    stand,
  );
  const houses = await loadAt(
    db,
    "house",
    [...links.map((l) => l.houseId), ...[...premises.values()].map((p) => p.houseId), ...[...rooms.values()].map((r) => r.houseId)],
    stand,
  );
  const place = (l: AccountAccommodation): Place => {
    const share = l.sharePercent;
    if (l.roomId !== null) {
      const r = rooms.get(l.roomId);
      return { kind: "room", guid: r?.gisGuid ?? null, house: r ? (houses.get(r.houseId) ?? null) : null, sharePercent: share };
    }
    if (l.premiseId !== null) {
      const p = premises.get(l.premiseId);
      return { kind: "premise", guid: p?.gisGuid ?? null, house: p ? (houses.get(p.houseId) ?? null) : null, sharePercent: share };
    }
    const h = l.houseId !== null ? (houses.get(l.houseId) ?? null) : null;
    return { kind: "house", guid: h?.fiasHouseGuid ?? null, house: h, sharePercent: share };
  };
  const out = new Map<number, Place[]>();
  for (const [accountId, ls] of groupBy(links, (l) => l.accountId)) out.set(accountId, ls.map(place));
  return out;
}

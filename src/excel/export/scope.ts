/** What an export covers: the houses, the period of readings and bills, and whose identifiers it shows. */
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { AccountAccommodation, Premise, Room } from "../../../entities";
import { HouseSelection } from "./selection";

export interface ExportScope {
  houses: HouseSelection;
  /** The GIS stand whose identifiers (ЕЛС, ГИС номер ПУ…) the rows carry. */
  stand: string;
  /** Readings taken on or after this day (YYYY-MM-DD). */
  from?: string | null;
  /** Payment documents of this month. */
  year?: number | null;
  month?: number | null;
}

/** Restricts `accountColumn` to accounts paying for something in the selected houses. */
export function accountsInHouses<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, accountColumn: string, houses: HouseSelection): SelectQueryBuilder<T> {
  if (houses === null) return qb;
  if (houses.length === 0) return qb.andWhere("1 = 0");
  const sub = qb
    .subQuery()
    .select("sacc.accountId")
    .from(AccountAccommodation, "sacc")
    .leftJoin(Premise, "sp", "sp.id = sacc.premiseId")
    .leftJoin(Room, "sr", "sr.id = sacc.roomId")
    .where("COALESCE(sacc.houseId, sp.houseId, sr.houseId) IN (:...__accHouses)")
    .getQuery();
  return qb.andWhere(`${accountColumn} IN ${sub}`, { __accHouses: houses });
}

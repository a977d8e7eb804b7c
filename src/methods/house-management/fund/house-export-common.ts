/**
 * Exports keyed by a house (exportHouseData, exportAccountData, exportMeteringDeviceData): one
 * house per request, known to GIS only by its FIAS GUID.
 */
import { DataSource } from "typeorm";
import { House } from "../../../../entities";
import { Prepared, Scope } from "../../../stages/descriptor";
import { findIn } from "../../../stages/load";
import { Checks, PRE, houseLabel } from "../../../stages/preflight";
import { housesInScope } from "../../../stages/select";

/** Houses of the scope (or the single houses it names). */
export async function scopeHouses(ds: DataSource, scope: Scope): Promise<number[]> {
  const houses = await housesInScope(ds, scope);
  return scope.objectIds ? houses.filter((h) => scope.objectIds!.includes(h)) : houses;
}

/** Houses of the scope GIS can be asked about; those without FIAS GUID get their error from exportHouseData. */
export async function housesOfScopeWithFias(ds: DataSource, scope: Scope): Promise<number[]> {
  const houses = await findIn(ds, House, "id", await scopeHouses(ds, scope));
  return houses
    .filter((h) => h.fiasHouseGuid)
    .map((h) => h.id)
    .sort((a, b) => a - b);
}

export async function houseExportPrepare(ds: DataSource, ids: number[]): Promise<Prepared<{ fiasHouseGuid: string }>> {
  const out: Prepared<{ fiasHouseGuid: string }> = { ready: [], rejected: [] };
  for (const h of await findIn(ds, House, "id", ids)) {
    const c = new Checks(h.id, [houseLabel(h)]);
    if (c.fail(!h.fiasHouseGuid, PRE.noFias, "fiasHouseGuid", "Не указан ФИАС ГУИД дома (ГИС ЖКХ находит дома только по нему)")) out.rejected.push(c.first);
    else out.ready.push({ objectId: h.id, data: { fiasHouseGuid: h.fiasHouseGuid! } });
  }
  return out;
}

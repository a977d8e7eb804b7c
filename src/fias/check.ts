/**
 * The manual's «Проверка ГУИД ФИАС» and «Простановка ОКТМО по ФИАС ГУИД»: for houses that already
 * carry a FIAS GUID, is that GUID an actual house in the ГАР extract, and what is its OKTMO.
 */
import { DataSource, In, IsNull, Not } from "typeorm";
import { House } from "../../entities";
import { HouseSelection } from "../excel/export/selection";
import { findGarFiles } from "./gar-files";
import { GarIndex } from "./gar-index";
import { forEachInFiles } from "./gar-reader";

export type GuidState = "ok" | "not_actual" | "not_found";

export const GUID_STATE_TEXT: Record<GuidState, string> = {
  ok: "ГУИД действующего дома",
  not_actual: "ГУИД есть в ГАР, но дом не действующий (исторический или аннулированный адрес)",
  not_found: "ГУИД не найден в выгрузке ГАР региона",
};

export interface GuidCheck {
  houseId: number;
  externalId: string;
  address: string;
  guid: string;
  state: GuidState;
  garOktmo: string | null;
  ourOktmo: string | null;
  /** OKTMO was written (with `apply`). */
  written: boolean;
}

export interface CheckOptions {
  garDir: string;
  regionCode: string | null;
  houses: HouseSelection;
  /** Set OKTMO from ГАР where it differs. */
  apply?: boolean;
}

export async function checkHouseGuids(ds: DataSource, opts: CheckOptions): Promise<GuidCheck[]> {
  const where = { fiasHouseGuid: Not(IsNull()), ...(opts.houses ? { id: In(opts.houses.length ? opts.houses : [-1]) } : {}) };
  const houses = await ds
    .getRepository(House)
    .find({ select: { id: true, externalId: true, address: true, fiasHouseGuid: true, oktmo: true }, where, order: { id: "ASC" } });
  const idx = new GarIndex(findGarFiles(opts.garDir, opts.regionCode));
  const wanted = new Set(houses.map((h) => h.fiasHouseGuid!.toLowerCase()));
  const found = new Map<string, { objectId: number; actual: boolean }>();
  await forEachInFiles(idx.files.houses, "HOUSE", (a) => {
    const guid = a.OBJECTGUID?.toLowerCase();
    if (!guid || !wanted.has(guid)) return;
    const actual = a.ISACTUAL === "1" && a.ISACTIVE === "1";
    if (!found.get(guid)?.actual) found.set(guid, { objectId: Number(a.OBJECTID), actual });
  });
  await idx.loadOktmo(new Set([...found.values()].map((f) => f.objectId)));

  const out: GuidCheck[] = houses.map((h) => {
    const f = found.get(h.fiasHouseGuid!.toLowerCase());
    return {
      houseId: h.id,
      externalId: h.externalId,
      address: h.address,
      guid: h.fiasHouseGuid!,
      state: !f ? "not_found" : f.actual ? "ok" : "not_actual",
      garOktmo: f ? (idx.oktmo.get(f.objectId) ?? null) : null,
      ourOktmo: h.oktmo,
      written: false,
    };
  });
  if (opts.apply) {
    await ds.transaction(async (em) => {
      for (const c of out) {
        if (c.state !== "ok" || !c.garOktmo || c.garOktmo === c.ourOktmo) continue;
        await em.getRepository(House).update({ id: c.houseId }, { oktmo: c.garOktmo });
        c.written = true;
      }
    });
  }
  return out;
}

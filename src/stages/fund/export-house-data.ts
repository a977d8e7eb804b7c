/**
 * exportHouseData, for every role: the house as GIS holds it, with the GUIDs of its entrances,
 * premises and rooms. An РСО gets premises GUIDs only this way (importHouseRSOData is gone in 14.x),
 * and its accounts cannot be placed without them. Objects are matched by number within the house.
 */
import { EntityManager } from "typeorm";
import { OperationInputs } from "../../transport/messages";
import { Entrance, House, Premise, Room } from "../../../entities";
import { exportRows, lower, valueAt } from "../answer";
import { MethodDescriptor, StageContext } from "../descriptor";
import { acceptedState } from "../outcome";
import { children } from "../../transport/results/safe-xml";
import { houseExportPrepare, scopeHouses } from "./house-export-common";

/** The identifiers GIS gave one object; a first link to GIS also makes its status ok. */
function linked<T>(wasPlaced: boolean, ids: Partial<T>, ctx: StageContext): Partial<T> {
  return { ...ids, ...(wasPlaced ? {} : { sync: acceptedState(ctx) }) };
}

/** Numbers compare without case and spaces ("Н1" = "н 1"). */
const same = (a: string | null, b: string | null) => !!a && !!b && a.replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();

export async function applyHouseExport(em: EntityManager, houseEl: Element, ctx: StageContext): Promise<void> {
  const body = children(houseEl).find((c) => c.localName === "ApartmentHouse" || c.localName === "LivingHouse");
  if (!body) return;
  const fias = lower(valueAt(body, "BasicCharacteristicts/FIASHouseGuid"));
  const house = fias ? await em.getRepository(House).findOne({ where: { fiasHouseGuid: fias } }) : null;
  if (!house) return;
  await em.update(House, house.id, linked<House>(!!house.gisHouseGuid, {
    gisHouseGuid: lower(valueAt(houseEl, "HouseGUID")), gisUniqueNumber: valueAt(houseEl, "HouseUniqueNumber"),
  }, ctx));

  const entrances = await em.getRepository(Entrance).find({ where: { houseId: house.id } });
  for (const e of children(body, "Entrance")) {
    const ours = entrances.find((x) => same(x.number, valueAt(e, "EntranceNum")));
    if (ours) await em.update(Entrance, ours.id, linked<Entrance>(!!ours.gisGuid, { gisGuid: lower(valueAt(e, "EntranceGUID")) }, ctx));
  }
  const premises = await em.getRepository(Premise).find({ where: { houseId: house.id } });
  const rooms = await em.getRepository(Room).find({ where: { houseId: house.id } });
  const linkRooms = async (parent: Element, premiseId: number | null) => {
    for (const r of children(parent, "LivingRoom")) {
      const ours = rooms.find((x) => x.premiseId === premiseId && same(x.number, valueAt(r, "RoomNumber")));
      if (ours) await em.update(Room, ours.id, linked<Room>(!!ours.gisGuid, { gisGuid: lower(valueAt(r, "LivingRoomGUID")), gisUniqueNumber: valueAt(r, "LivingRoomUniqueNumber") }, ctx));
    }
  };
  for (const [element, residential] of [["ResidentialPremises", true], ["NonResidentialPremises", false]] as const) {
    for (const p of children(body, element)) {
      const ours = premises.find((x) => (x.kind === "residential") === residential && same(x.number, valueAt(p, "PremisesNum")));
      if (!ours) continue;
      await em.update(Premise, ours.id, linked<Premise>(!!ours.gisGuid, { gisGuid: lower(valueAt(p, "PremisesGUID")), gisUniqueNumber: valueAt(p, "PremisesUniqueNumber") }, ctx));
      await linkRooms(p, ours.id);
    }
  }
  await linkRooms(body, null);
}

export const exportHouseData: MethodDescriptor<OperationInputs["exportHouseData"], { fiasHouseGuid: string }> = {
  method: "exportHouseData",
  stage: "fund",
  kind: "export",
  modes: ["pull", "sync"],
  objectType: "house",
  batchSetting: null,
  defaultBatch: 1,
  safeToRepeat: true,

  // Every house of the scope: one without a FIAS GUID is rejected here, so it shows its error.
  select: (ds, scope) => scopeHouses(ds, scope),
  prepare: (ds, ids) => houseExportPrepare(ds, ids),
  payload: (batch) => ({ fiasHouseGuid: batch[0].data.fiasHouseGuid }),

  async apply(em, answer, _matched, ctx) {
    for (const h of exportRows(answer, "exportHouseResult")) await applyHouseExport(em, h, ctx);
  },
};

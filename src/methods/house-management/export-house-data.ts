/**
 * exportHouseData (house-management), for every role: the house as GIS holds it, with the GUIDs of
 * its entrances, premises and rooms. An РСО gets premises GUIDs only this way (importHouseRSOData
 * is gone in 14.x), and its accounts cannot be placed without them. One house (by FIAS GUID) per
 * request; our objects are matched by number within the house and linked on the run's stand.
 */
import { EntityManager } from "typeorm";
import { Entrance, House, Premise, Room } from "../../../entities";
import { XNode, leaf } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { gisDate } from "../../transport/results/results";
import { ResponseError, child, children } from "../../transport/results/safe-xml";
import { exportRows, lower, valueAt } from "../../stages/answer";
import { StageContext } from "../../stages/descriptor";
import { acceptedState } from "../../stages/outcome";
import { findAt } from "../../storage/identity/store";
import { updateAt, updateManyAt } from "../../storage/identity/update";
import { defineMethod } from "../method";
import { num, req, rows, t } from "./answer-values";
import { houseExportPrepare, scopeHouses } from "./fund/house-export-common";

export interface ExportHouseInput {
  fiasHouseGuid: string;
}

export interface ExportedRoom {
  guid: string;
  number: string | null;
  uniqueNumber: string | null;
  annulled: boolean;
}

export interface ExportedPremises {
  guid: string;
  number: string | null;
  residential: boolean;
  uniqueNumber: string | null;
  entranceNum: string | null;
  totalArea: number | null;
  annulled: boolean;
  rooms: ExportedRoom[];
}

export interface ExportedHouse {
  /** GIS's house GUID (HouseGUID; living houses only — an apartment house is known by its FIAS GUID). */
  houseGuid: string | null;
  fiasHouseGuid: string;
  houseUniqueNumber: string;
  kind: "apartment" | "living";
  entrances: Array<{ guid: string; number: string | null; annulled: boolean }>;
  premises: ExportedPremises[];
  /** Blocks of a blocked living house (as premises, with their rooms). */
  blocks: ExportedPremises[];
  /** Rooms of a living house without blocks. */
  rooms: ExportedRoom[];
}

/** GIS marks a deleted (annulled / terminated) fund object with TerminationDate or AnnulmentReason. */
const annulled = (e: Element) => child(e, "AnnulmentReason") !== null || gisDate(t(e, "TerminationDate")) !== null;

function room(e: Element): ExportedRoom {
  return {
    guid: req(e, "LivingRoomGUID", "LivingRoom").toLowerCase(),
    number: t(e, "RoomNumber"),
    uniqueNumber: t(e, "LivingRoomUniqueNumber"),
    annulled: annulled(e),
  };
}

/** The house of an exportHouseResult answer, or null when there is none. */
export function exportedHouse(result: Element): ExportedHouse | null {
  const h = rows(result, "exportHouseResult")[0];
  if (!h) return null;
  const apt = child(h, "ApartmentHouse");
  const living = child(h, "LivingHouse");
  const body = apt ?? living;
  if (!body) throw new ResponseError("ответ ГИС ЖКХ: exportHouseResult без ApartmentHouse/LivingHouse");
  const basic = child(body, "BasicCharacteristicts");
  const premises = (e: Element, residential: boolean): ExportedPremises => ({
    guid: req(e, "PremisesGUID", residential ? "ResidentialPremises" : "NonResidentialPremises").toLowerCase(),
    number: t(e, "PremisesNum"),
    residential,
    uniqueNumber: t(e, "PremisesUniqueNumber"),
    entranceNum: t(e, "EntranceNum"),
    totalArea: num(t(e, "TotalArea")),
    annulled: annulled(e),
    rooms: children(e, "LivingRoom").map(room),
  });
  return {
    houseGuid: t(body, "HouseGUID")?.toLowerCase() ?? null,
    fiasHouseGuid: (basic ? req(basic, "FIASHouseGuid", "BasicCharacteristicts") : "").toLowerCase(),
    houseUniqueNumber: req(h, "HouseUniqueNumber", "exportHouseResult"),
    kind: apt ? "apartment" : "living",
    entrances: children(body, "Entrance").map((e) => ({
      guid: req(e, "EntranceGUID", "Entrance").toLowerCase(),
      number: t(e, "EntranceNum"),
      annulled: annulled(e),
    })),
    premises: [
      ...children(body, "ResidentialPremises").map((e) => premises(e, true)),
      ...children(body, "NonResidentialPremises").map((e) => premises(e, false)),
    ],
    blocks: children(body, "Block").map((b) => ({
      guid: req(b, "BlockGUID", "Block").toLowerCase(),
      number: t(b, "BlockNum"),
      residential: t(b, "Category") !== "NonResidential",
      uniqueNumber: t(b, "BlockUniqueNumber"),
      entranceNum: null,
      totalArea: num(t(b, "TotalArea")),
      annulled: annulled(b),
      rooms: children(b, "LivingRoom").map(room),
    })),
    rooms: children(body, "LivingRoom").map(room),
  };
}

/** The identifiers GIS gave one object; a first link to GIS also makes its status ok. */
function linked(wasPlaced: boolean, ids: Record<string, unknown>, ctx: StageContext): Record<string, unknown> {
  return { ...ids, ...(wasPlaced ? {} : { sync: acceptedState(ctx) }) };
}

/** Numbers compare without case and spaces ("Н1" = "н 1"). */
const same = (a: string | null, b: string | null) => !!a && !!b && a.replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();

type Patches = Array<{ id: number; patch: Record<string, unknown> }>;

/** Links our house (by FIAS GUID) and its entrances, premises and rooms (by number) to what GIS holds, on the run's stand. */
export async function applyHouseExport(em: EntityManager, houseEl: Element, ctx: StageContext): Promise<void> {
  const body = children(houseEl).find((c) => c.localName === "ApartmentHouse" || c.localName === "LivingHouse");
  if (!body) return;
  const fias = lower(valueAt(body, "BasicCharacteristicts/FIASHouseGuid"));
  const house = fias ? ((await findAt(em, "house", "fiasHouseGuid", [fias], ctx.stand))[0] ?? null) : null;
  if (!house) return;
  await updateAt(
    em,
    ctx.stand,
    House,
    house.id,
    linked(
      !!house.gisHouseGuid,
      {
        gisHouseGuid: lower(valueAt(houseEl, "HouseGUID")),
        gisUniqueNumber: valueAt(houseEl, "HouseUniqueNumber"),
      },
      ctx,
    ),
  );

  const entrances = await findAt(em, "entrance", "houseId", [house.id], ctx.stand);
  const entrancePatches: Patches = [];
  for (const e of children(body, "Entrance")) {
    const ours = entrances.find((x) => same(x.number, valueAt(e, "EntranceNum")));
    if (ours) entrancePatches.push({ id: ours.id, patch: linked(!!ours.gisGuid, { gisGuid: lower(valueAt(e, "EntranceGUID")) }, ctx) });
  }
  const premises = await findAt(em, "premise", "houseId", [house.id], ctx.stand);
  const rooms = await findAt(em, "room", "houseId", [house.id], ctx.stand);
  const premisePatches: Patches = [];
  const roomPatches: Patches = [];
  const linkRooms = (parent: Element, premiseId: number | null) => {
    for (const r of children(parent, "LivingRoom")) {
      const ours = rooms.find((x) => x.premiseId === premiseId && same(x.number, valueAt(r, "RoomNumber")));
      if (ours)
        roomPatches.push({
          id: ours.id,
          patch: linked(!!ours.gisGuid, { gisGuid: lower(valueAt(r, "LivingRoomGUID")), gisUniqueNumber: valueAt(r, "LivingRoomUniqueNumber") }, ctx),
        });
    }
  };
  for (const [element, residential] of [
    ["ResidentialPremises", true],
    ["NonResidentialPremises", false],
  ] as const) {
    for (const p of children(body, element)) {
      const ours = premises.find((x) => (x.kind === "residential") === residential && same(x.number, valueAt(p, "PremisesNum")));
      if (!ours) continue;
      premisePatches.push({
        id: ours.id,
        patch: linked(!!ours.gisGuid, { gisGuid: lower(valueAt(p, "PremisesGUID")), gisUniqueNumber: valueAt(p, "PremisesUniqueNumber") }, ctx),
      });
      linkRooms(p, ours.id);
    }
  }
  linkRooms(body, null);
  await updateManyAt(em, ctx.stand, Entrance, entrancePatches);
  await updateManyAt(em, ctx.stand, Premise, premisePatches);
  await updateManyAt(em, ctx.stand, Room, roomPatches);
}

export const exportHouseData = defineMethod<ExportHouseInput, { fiasHouseGuid: string }, ExportedHouse | null>({
  name: "exportHouseData",
  service: "house-management",
  element: "exportHouseRequest",
  // Not fixed in either package: 13.2.3.2 is the newest shape our reader knows (16.3.0.0 adds 15.6.0.1 and 15.10.0.0).
  versions: { "16.3.0.0": "13.2.3.2", "14.4.0.1": "13.2.3.2" },

  body(i, version): XNode {
    return container("hm:exportHouseRequest", version, leaf("hm:FIASHouseGuid", i.fiasHouseGuid));
  },

  read: exportedHouse,

  descriptor: {
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
  },
});

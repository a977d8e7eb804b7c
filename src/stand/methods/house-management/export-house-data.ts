/**
 * exportHouseData on the stand: any organization may export a house GIS knows (that is how an РСО
 * learns premises GUIDs) — with its entrances, premises and rooms, annulled ones with their
 * AnnulmentReason. Unknown house: INT002000.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { PremisesRow, tables } from "../../domain/state";
import { must, unpack } from "../../domain/xml-read";
import { GIS } from "../../rules/codes";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";

function roomNodes(p: PremisesRow): XNode[] {
  return p.rooms.map((r) =>
    el(
      "hm:LivingRoom",
      null,
      unpack(r.content),
      leaf("hm:LivingRoomUniqueNumber", r.uniqueNumber),
      leaf("hm:ModificationDate", r.updated),
      leaf("hm:LivingRoomGUID", r.guid),
    ),
  );
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const fias = must(req.body, "FIASHouseGuid").toLowerCase();
  const h = tables(store).houses.get(fias);
  if (!h) throw new StandError(GIS.notFound("дом", fias).code, GIS.notFound("дом", fias).description);
  const real = h.premises.filter((p) => p.number !== "");
  const body =
    h.kind === "ApartmentHouse"
      ? el(
          "hm:ApartmentHouse",
          null,
          unpack(h.content),
          h.entrances.map((e) => el("hm:Entrance", null, unpack(e.content), leaf("hm:ModificationDate", e.updated), leaf("hm:EntranceGUID", e.guid))),
          real
            .filter((p) => p.residential)
            .map((p) =>
              el(
                "hm:ResidentialPremises",
                null,
                unpack(p.content),
                leaf("hm:PremisesUniqueNumber", p.uniqueNumber),
                leaf("hm:ModificationDate", p.updated),
                roomNodes(p),
                leaf("hm:PremisesGUID", p.guid),
              ),
            ),
          real
            .filter((p) => !p.residential)
            .map((p) =>
              el(
                "hm:NonResidentialPremises",
                null,
                unpack(p.content),
                leaf("hm:PremisesUniqueNumber", p.uniqueNumber),
                leaf("hm:ModificationDate", p.updated),
                leaf("hm:PremisesGUID", p.guid),
              ),
            ),
        )
      : el("hm:LivingHouse", null, unpack(h.content), h.premises.filter((p) => p.number === "").flatMap(roomNodes), leaf("hm:HouseGUID", h.guid));
  return [el("hm:exportHouseResult", null, leaf("hm:HouseUniqueNumber", h.uniqueNumber), leaf("hm:ModificationDate", h.updated), body)];
}

export const exportHouseData = defineStandMethod({
  service: "house-management",
  operation: "exportHouseData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

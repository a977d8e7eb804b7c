/**
 * importHouseUOData on the stand. One house per request with its entrances, premises and living
 * rooms; each sub-object has its own TransportGUID and its own result. GIS
 * accepts a house only from an organization whose approved, running contract/charter (or posted
 * supply contract) covers it; any organization may export a house GIS knows — that is how an РСО
 * learns premises GUIDs.
 *
 * Codes: SRV004001 — the house is not covered (every item of the request fails); INT002000 —
 * unknown house/premises/room/entrance GUID; INT004153 — an РСО sending premises areas (that
 * premises and its rooms fail, the rest goes on); SRV004006 — a second premises/room with the same
 * number (the stand never holds duplicates); SRV004007 — a change of an object annulled before (an
 * …ToUpdate with AnnulmentReason annuls it: it stays in the export with its reason, as in GIS).
 */
import { XNode } from "../../../transport/envelope/xml";
import { HouseRow, PremisesRow, Tables, tables } from "../../domain/state";
import { child, children, lower, must, pack, val } from "../../domain/xml-read";
import { isSupplier, sender } from "../../domain/request";
import { registryNumber } from "../../domain/numbers";
import { GIS, GisErrorText, STAND } from "../../rules/codes";
import { coversHouse } from "../../rules/coverage";
import { Outcome, attempt, houseManagementResults, refuse, stamp } from "../../rules/results";
import { StandError, StandRequest, StandStore } from "../../types";
import { defineStandMethod } from "../method";
import { isAnnulled } from "./fund-objects";

const DROP = new Set(["TransportGUID", "PremisesGUID", "LivingRoomGUID", "EntranceGUID"]);
const HOUSE_EXPORT = {
  ApartmentHouse: ["BasicCharacteristicts", "UndergroundFloorCount"],
  LivingHouse: ["BasicCharacteristicts", "HasBlocks", "HasMultipleHousesWithSameAddress"],
};

const contentOf = (e: Element, keep?: string[]) =>
  pack(
    children(e).filter((c) => !DROP.has(c.localName) && (!keep || keep.includes(c.localName))),
    DROP,
  );

class HouseImport {
  readonly out: Outcome[] = [];
  private readonly t: Tables;
  private readonly org: string;
  private readonly now: string;
  private readonly supplier: boolean;

  constructor(
    private readonly req: StandRequest,
    private readonly store: StandStore,
  ) {
    this.t = tables(store);
    this.org = sender(req).orgPPAGUID;
    this.supplier = isSupplier(sender(req));
    this.now = stamp(req.received);
  }

  /** Every element of the request that carries a TransportGUID, with the same error (a refused house). */
  refuseAll(root: Element, error: GisErrorText): void {
    const walk = (e: Element) => {
      const tg = val(e, "TransportGUID");
      if (tg) this.out.push({ transportGuid: tg, placed: null, errors: [error] });
      for (const c of children(e)) walk(c);
    };
    walk(root);
  }

  run(): void {
    const house = child(this.req.body, "ApartmentHouse") ?? child(this.req.body, "LivingHouse");
    if (!house) throw new StandError("FMT001300", "Не указан дом (ApartmentHouse или LivingHouse)");
    const kind = house.localName as HouseRow["kind"];
    const head = children(house).find((c) => c.localName.startsWith(kind))!;
    const fias = must(child(head, "BasicCharacteristicts")!, "FIASHouseGuid").toLowerCase();
    let row = this.t.houses.get(fias);
    if (!coversHouse(this.t, this.org, fias)) return this.refuseAll(house, STAND.houseNotManaged(fias));
    if (!row && head.localName.endsWith("ToUpdate")) return this.refuseAll(house, GIS.notFound("дом", fias));
    // A house placed again by create is the same house: GIS keeps one object per FIAS address.
    row ??= {
      fiasHouseGuid: fias,
      guid: this.store.guid(),
      kind,
      uniqueNumber: registryNumber(this.store, "house"),
      org: this.org,
      content: "",
      entrances: [],
      premises: [],
      updated: this.now,
    };
    row.content = contentOf(head, HOUSE_EXPORT[kind]);
    row.updated = this.now;
    this.t.houses.set(fias, row);
    const placedHouse = row;
    this.out.push(attempt(must(head, "TransportGUID"), () => ({ guid: fias, uniqueNumber: placedHouse.uniqueNumber, updateDate: this.now })));
    for (const c of children(house)) {
      const name = c.localName;
      if (name.startsWith("Entrance")) this.entrance(row, c);
      else if (name === "ResidentialPremises") this.premises(row, children(c).find((x) => x.localName.startsWith("ResidentialPremisesTo"))!, true, c);
      else if (name.startsWith("NonResidentialPremise")) this.premises(row, c, false, null);
      else if (name.startsWith("LivingRoom")) this.room(row, null, c);
      else if (c !== head && val(c, "TransportGUID")) this.other(c);
    }
  }

  private entrance(house: HouseRow, e: Element): void {
    this.out.push(
      attempt(must(e, "TransportGUID"), () => {
        const number = val(e, "EntranceNum") ?? "";
        const guid = lower(val(e, "EntranceGUID"));
        let row = guid ? house.entrances.find((x) => x.guid === guid) : house.entrances.find((x) => x.number === number);
        if (guid && !row) refuse(GIS.notFound("подъезд", guid));
        if (row && isAnnulled(row.content)) refuse(STAND.fundObjectAnnulled("Подъезд", number));
        if (!row) {
          row = { guid: this.store.guid(), number, content: "", updated: this.now };
          house.entrances.push(row);
          this.t.places.set(row.guid, { fiasHouseGuid: house.fiasHouseGuid, kind: "entrance" });
        }
        row.content = contentOf(e);
        row.updated = this.now;
        return { guid: row.guid, uniqueNumber: registryNumber(this.store, "entrance"), updateDate: this.now };
      }),
    );
  }

  private premises(house: HouseRow, e: Element, residential: boolean, wrapper: Element | null): void {
    const outcome = attempt(must(e, "TransportGUID"), () => {
      if (this.supplier && child(e, "TotalArea")) refuse(GIS.areaForbidden());
      const guid = lower(val(e, "PremisesGUID"));
      const number = must(e, "PremisesNum");
      let row: PremisesRow | undefined = guid ? house.premises.find((p) => p.guid === guid) : undefined;
      if (guid && !row) refuse(GIS.notFound("помещение", guid));
      if (row && isAnnulled(row.content)) refuse(STAND.fundObjectAnnulled("Помещение", number));
      if (!row) {
        if (house.premises.some((p) => p.residential === residential && p.number === number)) refuse(STAND.numberTaken("Помещение", number));
        row = {
          guid: this.store.guid(),
          residential,
          number,
          uniqueNumber: registryNumber(this.store, "premises"),
          totalArea: null,
          content: "",
          rooms: [],
          updated: this.now,
        };
        house.premises.push(row);
        this.t.places.set(row.guid, { fiasHouseGuid: house.fiasHouseGuid, kind: "premises" });
      }
      row.number = number;
      row.totalArea = val(e, "TotalArea") === null ? row.totalArea : Number(val(e, "TotalArea"));
      row.content = contentOf(e);
      row.updated = this.now;
      return { guid: row.guid, uniqueNumber: row.uniqueNumber, updateDate: this.now };
    });
    this.out.push(outcome);
    const placed = outcome.placed ? house.premises.find((p) => p.guid === outcome.placed!.guid)! : null;
    for (const r of wrapper ? children(wrapper).filter((x) => x.localName.startsWith("LivingRoom")) : []) {
      if (placed) this.room(house, placed, r);
      else this.out.push({ transportGuid: must(r, "TransportGUID"), placed: null, errors: outcome.errors });
    }
  }

  /** A living room of a premises (apartment house) or of the house itself (living house). */
  private room(house: HouseRow, premises: PremisesRow | null, e: Element): void {
    const holder = premises ?? this.livingHouseRooms(house);
    this.out.push(
      attempt(must(e, "TransportGUID"), () => {
        if (this.supplier && child(e, "Square")) refuse(GIS.areaForbidden());
        const guid = lower(val(e, "LivingRoomGUID"));
        const number = must(e, "RoomNumber");
        let row = guid ? holder.rooms.find((r) => r.guid === guid) : undefined;
        if (guid && !row) refuse(GIS.notFound("комната", guid));
        if (row && isAnnulled(row.content)) refuse(STAND.fundObjectAnnulled("Комната", number));
        if (!row) {
          if (holder.rooms.some((r) => r.number === number)) refuse(STAND.numberTaken("Комната", number));
          row = { guid: this.store.guid(), number, uniqueNumber: registryNumber(this.store, "room"), content: "", updated: this.now };
          holder.rooms.push(row);
          this.t.places.set(row.guid, { fiasHouseGuid: house.fiasHouseGuid, kind: "room" });
        }
        row.number = number;
        row.content = contentOf(e);
        row.updated = this.now;
        return { guid: row.guid, uniqueNumber: row.uniqueNumber, updateDate: this.now };
      }),
    );
  }

  /** Rooms of a living house hang on a pseudo-premises with no number, which the export unfolds. */
  private livingHouseRooms(house: HouseRow): PremisesRow {
    let p = house.premises.find((x) => x.number === "");
    if (!p)
      house.premises.push(
        (p = { guid: house.guid, residential: true, number: "", uniqueNumber: house.uniqueNumber, totalArea: null, content: "", rooms: [], updated: this.now }),
      );
    return p;
  }

  /** Lifts, blocks: placed with a GUID; the stand keeps no detail of them. */
  private other(e: Element): void {
    this.out.push(
      attempt(must(e, "TransportGUID"), () => ({ guid: lower(val(e, "LiftGUID") ?? val(e, "BlockGUID")) ?? this.store.guid(), updateDate: this.now })),
    );
  }
}

function handle(req: StandRequest, store: StandStore): XNode[] {
  const run = new HouseImport(req, store);
  run.run();
  return houseManagementResults(run.out);
}

export const importHouseUOData = defineStandMethod({
  service: "house-management",
  operation: "importHouseUOData",
  resultPrefix: "hm",
  resultVersion: "11.0.0.1",
  handle,
});

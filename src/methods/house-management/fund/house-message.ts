/**
 * The request of importHouseUOData: one house (apartment or living) with its entrances, premises
 * and living rooms, each sub-object with its own TransportGUID. Elements are emitted in the order
 * of hcs-house-management-types.xsd (the same in 14.4.0.1 and 16.3.0.0); local elements of lib
 * types carry the lib's namespace (nsi-base:Code…).
 */
import { Kid, XNode, decimal, el, leaf, opt } from "../../../transport/envelope/xml";
import { NsiRef, container, flag, nsiRef, transportGuid } from "../../../transport/messages/common";

/** GKN/EGRP key: a cadastral number, "not registered in GKN/EGRP", or no cadastral number (+ conditional number). */
export type CadastreInput = { cadastralNumber: string } | { notRegistered: true } | { noCadastralNumber: true; conditionalNumber?: string };

function cadastre(c: CadastreInput): Kid {
  if ("cadastralNumber" in c) return leaf("hm:CadastralNumber", c.cadastralNumber);
  if ("notRegistered" in c) return leaf("hm:No_RSO_GKN_EGRP_Registered", "true");
  return [leaf("hm:NoCadastralNumber", "true"), opt("hm:ConditionalNumber", c.conditionalNumber)];
}

export interface OktmoInput {
  code: string;
  name?: string;
}

export interface HouseBasicInput {
  cadastre: CadastreInput;
  fiasHouseGuid: string;
  totalSquare: number;
  /** NSI 24 (состояние дома). */
  state: NsiRef;
  lifeCycleStage?: NsiRef;
  usedYear: number;
  floorCount: number;
  oktmo?: OktmoInput;
  /** NSI 32 (часовая зона по Olson). */
  olsonTZ: NsiRef;
  culturalHeritage: boolean;
}

export type HouseBasicUpdateInput = Partial<Omit<HouseBasicInput, "cadastre" | "fiasHouseGuid">> & { cadastre: CadastreInput; fiasHouseGuid: string };

function houseBasic(b: HouseBasicUpdateInput): Kid[] {
  return [
    cadastre(b.cadastre),
    leaf("hm:FIASHouseGuid", b.fiasHouseGuid),
    b.totalSquare === undefined ? null : leaf("hm:TotalSquare", decimal(b.totalSquare)),
    nsiRef("hm:State", b.state),
    nsiRef("hm:LifeCycleStage", b.lifeCycleStage),
    opt("hm:UsedYear", b.usedYear),
    opt("hm:FloorCount", b.floorCount),
    b.oktmo ? el("hm:OKTMO", null, leaf("base:code", b.oktmo.code), opt("base:name", b.oktmo.name)) : null,
    nsiRef("hm:OlsonTZ", b.olsonTZ),
    b.culturalHeritage === undefined ? null : leaf("hm:CulturalHeritage", b.culturalHeritage),
  ];
}

export interface PremisesCommon {
  transportGuid: string;
  cadastre: CadastreInput;
  premisesNum: string;
  informationConfirmed?: boolean;
  fiasChildHouseGuid?: string;
  totalArea?: number;
}

/** Annulment of a fund object (how GIS "deletes" premises, entrances, rooms): NSI 330 reason and a note. */
export interface AnnulmentInput {
  reason: NsiRef;
  info?: string;
}

const annulment = (a: AnnulmentInput | undefined): Kid => (a ? [nsiRef("hm:AnnulmentReason", a.reason), opt("hm:AnnulmentInfo", a.info)] : null);

/** A living room (a room of a communal flat, or of a living house): created, changed (roomGuid) or annulled. */
export interface LivingRoomInput {
  transportGuid: string;
  cadastre: CadastreInput;
  roomNumber: string;
  square?: number;
  informationConfirmed?: boolean;
  /** Set to update a room GIS already has. */
  roomGuid?: string;
  /** Annul the room in GIS; only with roomGuid. */
  annulment?: AnnulmentInput;
}

export interface ResidentialPremisesInput extends PremisesCommon {
  /** Set to update premises GIS already has. */
  premisesGuid?: string;
  /** Annul (delete) the premises in GIS; only with premisesGuid. */
  annulment?: AnnulmentInput;
  /** Entrance number, or null when the premises has no entrance. */
  entranceNum: string | null;
  /** NSI 30 (характеристика помещения). */
  premisesCharacteristic?: NsiRef;
  /** Living area; null → NoGrossArea. */
  grossArea?: number | null;
  /** Rooms of a communal flat (LivingRoomToCreate / LivingRoomToUpdate). */
  rooms?: LivingRoomInput[];
}

export interface NonResidentialPremisesInput extends PremisesCommon {
  isCommonProperty?: boolean;
  /** Set to update premises GIS already has. */
  premisesGuid?: string;
  /** Annul (delete) the premises in GIS; only with premisesGuid. */
  annulment?: AnnulmentInput;
}

export interface EntranceInput {
  transportGuid: string;
  entranceNum: string;
  fiasChildHouseGuid?: string;
  storeysCount?: number;
  creationYear?: number;
  informationConfirmed?: boolean;
  /** Set to update an entrance GIS already has. */
  entranceGuid?: string;
  /** Annul the entrance; only with entranceGuid. */
  annulment?: AnnulmentInput;
}

export type ImportHouseUOInput =
  | {
      apartmentHouse: {
        transportGuid: string;
        /** Present → ApartmentHouseToCreate, else ToUpdate (basic then partial). */
        create?: HouseBasicInput & { undergroundFloorCount: number; minFloorCount?: number };
        update?: HouseBasicUpdateInput & { undergroundFloorCount?: number; minFloorCount?: number };
        nonResidentialPremises?: NonResidentialPremisesInput[];
        entrances?: EntranceInput[];
        residentialPremises?: ResidentialPremisesInput[];
      };
      inheritMissingValues?: boolean;
    }
  | {
      livingHouse: {
        transportGuid: string;
        create?: HouseBasicInput & { hasBlocks?: boolean; hasMultipleHousesWithSameAddress?: boolean };
        update?: HouseBasicUpdateInput & { hasBlocks?: boolean; hasMultipleHousesWithSameAddress?: boolean };
        /** Rooms of a living house without blocks. */
        rooms?: LivingRoomInput[];
      };
      inheritMissingValues?: boolean;
    };

function residential(p: ResidentialPremisesInput): XNode {
  const tail: Kid[] = [
    p.entranceNum === null ? leaf("hm:HasNoEntrance", "true") : leaf("hm:EntranceNum", p.entranceNum),
    opt("hm:FIASChildHouseGuid", p.fiasChildHouseGuid),
    nsiRef("hm:PremisesCharacteristic", p.premisesCharacteristic),
    p.totalArea === undefined ? null : leaf("hm:TotalArea", decimal(p.totalArea)),
    p.grossArea === undefined ? null : p.grossArea === null ? leaf("hm:NoGrossArea", "true") : leaf("hm:GrossArea", decimal(p.grossArea)),
  ];
  const head: Kid[] = [cadastre(p.cadastre), leaf("hm:PremisesNum", p.premisesNum)];
  const confirmed = p.informationConfirmed === undefined ? null : leaf("hm:InformationConfirmed", p.informationConfirmed);
  if (p.annulment && !p.premisesGuid) throw new Error(`importHouseUOData: аннулировать можно только помещение с ГУИД (помещение ${p.premisesNum})`);
  return el(
    "hm:ResidentialPremises",
    null,
    p.premisesGuid
      ? el(
          "hm:ResidentialPremisesToUpdate",
          null,
          head,
          annulment(p.annulment),
          confirmed,
          tail,
          transportGuid(p.transportGuid),
          leaf("hm:PremisesGUID", p.premisesGuid),
        )
      : el("hm:ResidentialPremisesToCreate", null, head, confirmed, tail, transportGuid(p.transportGuid)),
    createsFirst(p.rooms, (r) => !!r.roomGuid).map(livingRoom),
  );
}

/** RoomUOType / RoomUpdateUOType: cadastre, number, area, annulment (updates only), then TransportGUID (and the room's GUID). */
function livingRoom(r: LivingRoomInput): XNode {
  if (r.annulment && !r.roomGuid) throw new Error(`importHouseUOData: аннулировать можно только комнату с ГУИД (комната ${r.roomNumber})`);
  const kids: Kid[] = [cadastre(r.cadastre), leaf("hm:RoomNumber", r.roomNumber), r.square === undefined ? null : leaf("hm:Square", decimal(r.square))];
  const confirmed = r.informationConfirmed === undefined ? null : leaf("hm:InformationConfirmed", r.informationConfirmed);
  return r.roomGuid
    ? el("hm:LivingRoomToUpdate", null, kids, annulment(r.annulment), confirmed, transportGuid(r.transportGuid), leaf("hm:LivingRoomGUID", r.roomGuid))
    : el("hm:LivingRoomToCreate", null, kids, confirmed, transportGuid(r.transportGuid));
}

function nonResidential(p: NonResidentialPremisesInput): XNode {
  if (p.annulment && !p.premisesGuid) throw new Error(`importHouseUOData: аннулировать можно только помещение с ГУИД (помещение ${p.premisesNum})`);
  return el(
    p.premisesGuid ? "hm:NonResidentialPremiseToUpdate" : "hm:NonResidentialPremiseToCreate",
    null,
    cadastre(p.cadastre),
    leaf("hm:PremisesNum", p.premisesNum),
    annulment(p.annulment),
    p.informationConfirmed === undefined ? null : leaf("hm:InformationConfirmed", p.informationConfirmed),
    opt("hm:FIASChildHouseGuid", p.fiasChildHouseGuid),
    p.totalArea === undefined ? null : leaf("hm:TotalArea", decimal(p.totalArea)),
    p.isCommonProperty === undefined ? null : leaf("hm:IsCommonProperty", p.isCommonProperty),
    transportGuid(p.transportGuid),
    opt("hm:PremisesGUID", p.premisesGuid),
  );
}

function entrance(e: EntranceInput): XNode {
  if (e.annulment && !e.entranceGuid) throw new Error(`importHouseUOData: аннулировать можно только подъезд с ГУИД (подъезд ${e.entranceNum})`);
  return el(
    e.entranceGuid ? "hm:EntranceToUpdate" : "hm:EntranceToCreate",
    null,
    leaf("hm:EntranceNum", e.entranceNum),
    opt("hm:FIASChildHouseGuid", e.fiasChildHouseGuid),
    opt("hm:StoreysCount", e.storeysCount),
    opt("hm:CreationYear", e.creationYear),
    annulment(e.annulment),
    e.informationConfirmed === undefined ? null : leaf("hm:InformationConfirmed", e.informationConfirmed),
    transportGuid(e.transportGuid),
    opt("hm:EntranceGUID", e.entranceGuid),
  );
}

/** The schema wants every …ToCreate before the …ToUpdate of the same kind. */
function createsFirst<T>(xs: T[] | undefined, isUpdate: (x: T) => boolean): T[] {
  return [...(xs ?? []).filter((x) => !isUpdate(x)), ...(xs ?? []).filter(isUpdate)];
}

/** One house per request (the schema's shape); each sub-object carries its own TransportGUID. */

/** One house per request (the schema's shape); each sub-object carries its own TransportGUID. */
export function importHouseUOBody(i: ImportHouseUOInput, version: string): XNode {
  let house: XNode;
  if ("apartmentHouse" in i) {
    const a = i.apartmentHouse;
    if (!a.create === !a.update) throw new Error("importHouseUOData: укажите либо create, либо update");
    const head = a.create
      ? el(
          "hm:ApartmentHouseToCreate",
          null,
          el("hm:BasicCharacteristicts", null, houseBasic(a.create)),
          leaf("hm:UndergroundFloorCount", a.create.undergroundFloorCount),
          opt("hm:MinFloorCount", a.create.minFloorCount),
          transportGuid(a.transportGuid),
        )
      : el(
          "hm:ApartmentHouseToUpdate",
          null,
          el("hm:BasicCharacteristicts", null, houseBasic(a.update!)),
          opt("hm:UndergroundFloorCount", a.update!.undergroundFloorCount),
          opt("hm:MinFloorCount", a.update!.minFloorCount),
          transportGuid(a.transportGuid),
        );
    house = el(
      "hm:ApartmentHouse",
      null,
      head,
      createsFirst(a.nonResidentialPremises, (p) => !!p.premisesGuid).map(nonResidential),
      createsFirst(a.entrances, (e) => !!e.entranceGuid).map(entrance),
      (a.residentialPremises ?? []).map(residential),
    );
  } else {
    const l = i.livingHouse;
    if (!l.create === !l.update) throw new Error("importHouseUOData: укажите либо create, либо update");
    const b = (l.create ?? l.update)!;
    house = el(
      "hm:LivingHouse",
      null,
      el(
        l.create ? "hm:LivingHouseToCreate" : "hm:LivingHouseToUpdate",
        null,
        el("hm:BasicCharacteristicts", null, houseBasic(b)),
        b.hasBlocks === undefined ? null : leaf("hm:HasBlocks", b.hasBlocks),
        b.hasMultipleHousesWithSameAddress === undefined ? null : leaf("hm:HasMultipleHousesWithSameAddress", b.hasMultipleHousesWithSameAddress),
        transportGuid(l.transportGuid),
      ),
      createsFirst(l.rooms, (r) => !!r.roomGuid).map(livingRoom),
    );
  }
  return container("hm:importHouseUORequest", version, house, flag("hm:InheritMissingValues", i.inheritMissingValues));
}

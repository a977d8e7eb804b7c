/** Rows of the fund templates: houses (МКД, ЖД), entrances, premises, rooms, temporary addresses. */
import { DataSource } from "typeorm";
import { Entrance, House, Premise, Room } from "../../../entities";
import { parseAddress } from "../../fias/address";
import { HOUSE_STATE, PREMISE_CHARACTERISTIC, label, num, yesNo } from "../format";
import { RowValues } from "../template-writer";
import { inHouses, pages } from "./paging";
import { ExportScope } from "./scope";

type HouseType = "MKD" | "ZHD";

export async function* houseRows(ds: DataSource, scope: ExportScope, type: HouseType): AsyncGenerator<RowValues> {
  const make = () =>
    inHouses(
      ds
        .createQueryBuilder()
        .select("h.address", "address")
        .addSelect("h.fiasHouseGuid", "fias")
        .addSelect("h.oktmo", "oktmo")
        .addSelect("h.stateCode", "state")
        .addSelect("h.totalArea", "totalArea")
        .addSelect("h.residentialArea", "residentialArea")
        .addSelect("h.nonResidentialArea", "nonResidentialArea")
        .addSelect("h.commissionedYear", "commissionedYear")
        .addSelect("h.builtYear", "builtYear")
        .addSelect("h.floors", "floors")
        .addSelect("h.undergroundFloors", "undergroundFloors")
        .addSelect("h.minFloors", "minFloors")
        .addSelect("h.timeZone", "timeZone")
        .addSelect("h.culturalHeritage", "heritage")
        .addSelect("h.cadastralNumber", "cadastralNumber")
        .from(House, "h")
        .where("h.houseType = :type", { type })
        .andWhere("h.closedDate IS NULL"),
      "h.id",
      scope.houses,
    );
  for await (const r of pages(make, "h")) {
    yield {
      address: r.address,
      fiasHouseGuid: r.fias,
      oktmo: r.oktmo,
      state: label(HOUSE_STATE, r.state),
      totalArea: num(r.totalArea),
      residentialArea: num(r.residentialArea),
      nonResidentialArea: num(r.nonResidentialArea),
      commissionedYear: num(r.commissionedYear ?? r.builtYear),
      floors: num(r.floors),
      undergroundFloors: num(r.undergroundFloors),
      minFloors: num(r.minFloors ?? r.floors),
      timeZone: r.timeZone,
      culturalHeritage: yesNo(Boolean(Number(r.heritage))),
      cadastralNumber: r.cadastralNumber,
    };
  }
}

export async function* entranceRows(ds: DataSource, scope: ExportScope): AsyncGenerator<RowValues> {
  const make = () =>
    inHouses(
      ds
        .createQueryBuilder()
        .select("h.address", "address")
        .addSelect("h.fiasHouseGuid", "fias")
        .addSelect("e.number", "number")
        .addSelect("e.floors", "floors")
        .addSelect("e.builtYear", "builtYear")
        .from(Entrance, "e")
        .innerJoin(House, "h", "h.id = e.houseId")
        .where("h.houseType = 'MKD'")
        .andWhere("e.closedDate IS NULL"),
      "h.id",
      scope.houses,
    );
  for await (const r of pages(make, "e")) {
    yield { address: r.address, fiasHouseGuid: r.fias, entranceNumber: r.number, floors: num(r.floors), builtYear: num(r.builtYear) };
  }
}

export async function* premiseRows(ds: DataSource, scope: ExportScope, residential: boolean): AsyncGenerator<RowValues> {
  const make = () =>
    inHouses(
      ds
        .createQueryBuilder()
        .select("h.address", "address")
        .addSelect("h.fiasHouseGuid", "fias")
        .addSelect("p.number", "number")
        .addSelect("p.kind", "kind")
        .addSelect("e.number", "entrance")
        .addSelect("p.characteristicCode", "characteristic")
        .addSelect("p.totalArea", "totalArea")
        .addSelect("p.residentialArea", "residentialArea")
        .addSelect("p.cadastralNumber", "cadastralNumber")
        .from(Premise, "p")
        .innerJoin(House, "h", "h.id = p.houseId")
        .leftJoin(Entrance, "e", "e.id = p.entranceId")
        .where("h.houseType = 'MKD'")
        .andWhere("p.closedDate IS NULL")
        .andWhere(residential ? "p.kind = 'residential'" : "p.kind <> 'residential'"),
      "h.id",
      scope.houses,
    );
  for await (const r of pages(make, "p")) {
    yield {
      address: r.address,
      fiasHouseGuid: r.fias,
      premiseNumber: r.number,
      entranceNumber: r.entrance,
      characteristic: label(PREMISE_CHARACTERISTIC, r.characteristic ?? "1"),
      totalArea: num(r.totalArea),
      residentialArea: num(r.residentialArea),
      commonProperty: yesNo(r.kind === "common"),
      cadastralNumber: r.cadastralNumber,
    };
  }
}

export async function* roomRows(ds: DataSource, scope: ExportScope, type: HouseType): AsyncGenerator<RowValues> {
  const make = () =>
    inHouses(
      ds
        .createQueryBuilder()
        .select("h.address", "address")
        .addSelect("h.fiasHouseGuid", "fias")
        .addSelect("p.number", "premise")
        .addSelect("r.number", "number")
        .addSelect("r.area", "area")
        .addSelect("r.cadastralNumber", "cadastralNumber")
        .from(Room, "r")
        .innerJoin(House, "h", "h.id = r.houseId")
        .leftJoin(Premise, "p", "p.id = r.premiseId")
        .where("h.houseType = :type", { type })
        .andWhere("r.closedDate IS NULL"),
      "h.id",
      scope.houses,
    );
  for await (const r of pages(make, "r")) {
    yield { address: r.address, fiasHouseGuid: r.fias, premiseNumber: r.premise, roomNumber: r.number, area: num(r.area), cadastralNumber: r.cadastralNumber };
  }
}

/** Houses without a FIAS GUID: GIS must add a temporary address before they can be placed. */
export async function* tempAddressRows(ds: DataSource, scope: ExportScope): AsyncGenerator<RowValues> {
  const make = () =>
    inHouses(
      ds
        .createQueryBuilder()
        .select("h.address", "address")
        .addSelect("h.oktmo", "oktmo")
        .addSelect("h.cadastralNumber", "cadastralNumber")
        .addSelect("h.fiasHouseGuid", "fias")
        .from(House, "h")
        .where("h.closedDate IS NULL"),
      "h.id",
      scope.houses,
    );
  const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  for await (const r of pages(make, "h")) {
    if (r.fias && guid.test(r.fias)) continue;
    const a = parseAddress(r.address);
    yield {
      region: a.region,
      district: a.district,
      settlement: a.settlement ? `${a.settlement.type} ${a.settlement.name}` : null,
      street: a.street ? `${a.street.type} ${a.street.name}` : null,
      houseNumber: a.house?.number ?? null,
      building: a.house?.building ?? null,
      structure: a.house?.structure ?? null,
      oktmo: r.oktmo,
      cadastralNumber: r.cadastralNumber,
      address: r.address,
    };
  }
}

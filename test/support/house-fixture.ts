/**
 * A small model for the house-management descriptors' tests, on any test database: our managing
 * organization, one apartment house GIS has (an entrance, two premises, a room not placed yet),
 * two accounts and two meters GIS has, a third meter not placed, and the NSI elements the checks
 * need (22, 24, 30, 32, 224, 330, 2).
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import {
  Account,
  AccountAccommodation,
  Contract,
  ContractObject,
  ContractObjectService,
  Entrance,
  House,
  Meter,
  MeterAccount,
  NsiItem,
  Organization,
  Premise,
  Room,
  Service,
} from "../../entities";
import { SyncState } from "../../entities/sync-state";
import { STAND, fileIdentity } from "./identity";
import { StageContext } from "../../src/stages/descriptor";

export const NOW = new Date("2026-11-20T07:00:00Z");
export const guid = (): string => crypto.randomUUID();

export interface HouseFixture {
  org: Organization;
  house: House;
  entrance: Entrance;
  premises: [Premise, Premise];
  room: Room;
  accounts: [Account, Account];
  meters: { placed: Meter; other: Meter; fresh: Meter };
  ctx: StageContext;
}

const placed = (): SyncState => ({
  status: "ok",
  syncedAt: new Date("2026-11-01T00:00:00Z"),
  changedAt: new Date("2026-10-01T00:00:00Z"),
  errorCode: null,
  errorText: null,
  transportGuid: null,
  lastOperationId: null,
});

export async function houseFixture(ds: DataSource): Promise<HouseFixture> {
  const org = await ds
    .getRepository(Organization)
    .save({ externalId: "uo", fullName: "ООО «УК Тест»", isOurs: true, isManagingCompany: true } as Partial<Organization>);
  const nsi = (registryNumber: number, code: string, name: string) => ({
    registryNumber,
    listGroup: "NSI" as const,
    organizationId: null,
    code,
    guid: guid(),
    name,
    isActual: true,
  });
  await ds
    .getRepository(NsiItem)
    .save([
      nsi(22, "1", "Ошибка ввода"),
      nsi(22, "2", "Смена собственника"),
      nsi(24, "2", "Исправный"),
      { ...nsi(32, "1", "Москва"), fields: JSON.stringify({ "Часовая зона по Olson": "Europe/Moscow" }) },
      nsi(30, "1", "Отдельная квартира"),
      nsi(224, "1", "Ошибка ввода"),
      nsi(224, "2", "Истек срок поверки"),
      nsi(330, "1", "Ошибка ввода"),
      nsi(2, "1", "Холодная вода"),
    ] as Array<Partial<NsiItem>>);
  const house = await ds.getRepository(House).save({
    externalId: "h1",
    address: "г. Казань, ул. Тестовая, 1",
    fiasHouseGuid: guid(),
    houseType: "MKD",
    stateCode: "2",
    totalArea: 3540.5,
    residentialArea: 3000,
    nonResidentialArea: 540.5,
    buildingArea: 800,
    floors: 9,
    undergroundFloors: 1,
    entrancesCount: 1,
    commissionedYear: 1975,
    culturalHeritage: false,
    timeZone: "Europe/Moscow",
    gisHouseGuid: guid(),
    gisUniqueNumber: "HUN1",
    sync: placed(),
  } as Partial<House>);
  await fileIdentity(ds, "house", [house]);
  const entrance = await ds
    .getRepository(Entrance)
    .save({ externalId: "e1", houseId: house.id, number: "1", floors: 9, gisGuid: guid(), sync: placed() } as Partial<Entrance>);
  await fileIdentity(ds, "entrance", [entrance]);
  const premise = (n: string) => ({
    externalId: `p${n}`,
    houseId: house.id,
    entranceId: entrance.id,
    kind: "residential" as const,
    number: n,
    floor: "1",
    totalArea: 54.3,
    residentialArea: 38.2,
    gisGuid: guid(),
    sync: placed(),
  });
  const premises = (await ds.getRepository(Premise).save([premise("1"), premise("2")] as Array<Partial<Premise>>)) as [Premise, Premise];
  await fileIdentity(ds, "premise", premises);
  const room = await ds.getRepository(Room).save({ externalId: "r1", houseId: house.id, premiseId: premises[0].id, number: "1а", area: 12.5 } as Partial<Room>);
  const account = (n: string, p: Premise) => ({
    externalId: `a${n}`,
    organizationId: org.id,
    number: `ЛС-${n}`,
    accountType: "UO" as const,
    totalArea: 54.3,
    payerKind: "person" as const,
    payerLastName: "Иванов",
    payerFirstName: "Пётр",
    gisAccountGuid: guid(),
    unifiedNumber: `EL${n}`,
    sync: placed(),
    premiseId: p.id,
  });
  const accounts = (await ds
    .getRepository(Account)
    .save([account("1", premises[0]), account("2", premises[1])].map(({ premiseId: _p, ...a }) => a) as Array<Partial<Account>>)) as [Account, Account];
  await fileIdentity(ds, "account", accounts);
  await ds
    .getRepository(AccountAccommodation)
    .save(accounts.map((a, i) => ({ accountId: a.id, premiseId: premises[i].id, sharePercent: 100 })) as Array<Partial<AccountAccommodation>>);
  const service = await ds
    .getRepository(Service)
    .save({ externalId: "s1", organizationId: org.id, code: "1", name: "Холодное водоснабжение", kind: "municipal" } as Partial<Service>);
  const contract = await ds.getRepository(Contract).save({ externalId: "c1", organizationId: org.id, kind: "management" } as Partial<Contract>);
  const object = await ds.getRepository(ContractObject).save({ externalId: "co1", contractId: contract.id, houseId: house.id } as Partial<ContractObject>);
  await ds
    .getRepository(ContractObjectService)
    .save({ contractObjectId: object.id, serviceId: service.id, startDate: "2026-01-01" } as Partial<ContractObjectService>);
  const meter = (n: string, over: Partial<Meter>) => ({
    externalId: `m${n}`,
    organizationId: org.id,
    factoryNumber: `ХВ-${n}`,
    municipalResourceCode: "1",
    houseId: house.id,
    premiseId: premises[0].id,
    serviceId: service.id,
    initialValueT1: "1",
    ...over,
  });
  const [m1, m2, m3] = await ds
    .getRepository(Meter)
    .save([
      meter("1", { gisRootGuid: guid(), gisVersionGuid: guid(), gisNumber: "PU1", sync: placed() }),
      meter("2", { gisRootGuid: guid(), gisVersionGuid: guid(), gisNumber: "PU2", sync: placed() }),
      meter("3", {}),
    ] as Array<Partial<Meter>>);
  await fileIdentity(ds, "meter", [m1, m2, m3]);
  await ds.getRepository(MeterAccount).save([m1, m2, m3].map((m) => ({ meterId: m.id, accountId: accounts[0].id })) as Array<Partial<MeterAccount>>);
  const ctx: StageContext = { organizationId: org.id, role: "UO", stand: STAND, orgPPAGUID: guid(), now: NOW, setting: () => null };
  return { org, house, entrance, premises, room, accounts, meters: { placed: m1, other: m2, fresh: m3 }, ctx };
}

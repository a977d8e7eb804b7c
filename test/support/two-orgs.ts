/**
 * Two organizations in one installation, for the organization-limited roles' tests: «УК Альфа» (A)
 * and «РСО Бета» (B), each with its own house, contract, account, meter, run, operation and message;
 * a third house where both have an account. Payer names are unique, so a test can grep answers.
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import {
  Account,
  AccountAccommodation,
  Contract,
  ContractObject,
  GisOperation,
  House,
  MessageLog,
  Meter,
  Organization,
  PipelineRun,
  Premise,
  User,
} from "../../entities";
import { hashPassword } from "../../src/auth/password";

export const PASSWORD = "org scope password 1";
export const PAYER_A = "Альфаева";
export const PAYER_B = "Бетова";
export const OGRN_A = "1027700000001";
export const OGRN_B = "1027700000002";

export interface TwoOrgs {
  a: Side;
  b: Side;
  shared: House;
}

export interface Side {
  org: Organization;
  house: House;
  contract: Contract;
  account: Account;
  sharedAccount: Account;
  meter: Meter;
  run: PipelineRun;
  operation: GisOperation;
}

async function side(ds: DataSource, key: "a" | "b", shared: House): Promise<Side> {
  const A = key === "a";
  const org = await ds.getRepository(Organization).save({
    externalId: `org-${key}`,
    fullName: A ? "ООО «УК Альфа»" : "ООО «РСО Бета»",
    shortName: A ? "УК Альфа" : "РСО Бета",
    ogrn: A ? OGRN_A : OGRN_B,
    inn: A ? "7700000001" : "7700000002",
    role: A ? "UO" : "RSO",
    isOurs: true,
    isManagingCompany: A,
  } as Partial<Organization>);
  const houses = await ds.getRepository(House).save(
    Array.from({ length: A ? 2 : 1 }, (_, i) => ({
      externalId: `h-${key}-${i}`,
      address: `г. Казань, ул. ${A ? "Альфа" : "Бета"}, ${i + 1}`,
      fiasHouseGuid: crypto.randomUUID(),
      houseType: "MKD",
      timeZone: "Europe/Moscow",
    })) as Array<Partial<House>>,
  );
  const house = houses[0];
  const contract = await ds
    .getRepository(Contract)
    .save({ externalId: `c-${key}`, organizationId: org.id, kind: A ? "management" : "supply", number: `Д-${key}` } as Partial<Contract>);
  await ds
    .getRepository(ContractObject)
    .save(houses.map((h, i) => ({ externalId: `co-${key}-${i}`, contractId: contract.id, houseId: h.id })) as Array<Partial<ContractObject>>);
  const premise = async (h: House, n: string) =>
    ds.getRepository(Premise).save({ externalId: `p-${key}-${h.id}-${n}`, houseId: h.id, kind: "residential", number: n } as Partial<Premise>);
  const account = async (p: Premise, n: string, first: string) => {
    const a = await ds.getRepository(Account).save({
      externalId: `a-${key}-${n}`,
      organizationId: org.id,
      number: `${key.toUpperCase()}-${n}`,
      accountType: A ? "UO" : "RSO",
      payerKind: "person",
      payerLastName: A ? PAYER_A : PAYER_B,
      payerFirstName: first,
      payerSnils: A ? "11223344595" : "12345678964",
    } as Partial<Account>);
    await ds.getRepository(AccountAccommodation).save({ accountId: a.id, premiseId: p.id, sharePercent: 100 } as Partial<AccountAccommodation>);
    return a;
  };
  const own = await account(await premise(house, "1"), "1", "Анна");
  const sharedAccount = await account(await premise(shared, A ? "1" : "2"), "2", "Берта");
  const meter = await ds.getRepository(Meter).save({
    externalId: `m-${key}`,
    organizationId: org.id,
    factoryNumber: `ПУ-${key}`,
    municipalResourceCode: "1",
    houseId: house.id,
  } as Partial<Meter>);
  const run = await ds.getRepository(PipelineRun).save({
    id: crypto.randomUUID(),
    stand: A ? "sit01" : "sit02",
    organizationId: org.id,
    stages: "accounts",
    mode: "sync",
    scope: null,
    state: "done",
    author: "seed",
    trigger: "api",
    startedAt: new Date(),
  } as Partial<PipelineRun>);
  const operation = await ds.getRepository(GisOperation).save({
    id: crypto.randomUUID(),
    stand: run.stand,
    organizationId: org.id,
    service: "house-management",
    method: "importAccountData",
    stage: "accounts",
    state: "done_with_errors",
    runId: run.id,
    itemCount: 1,
    createdAt: new Date(),
    finishedAt: new Date(),
  } as Partial<GisOperation>);
  await ds.getRepository(MessageLog).save({
    createdAt: new Date(),
    level: "error",
    group: "accounts",
    text: `Лицевой счёт ${own.number} (${A ? PAYER_A : PAYER_B}): отказ ГИС`,
    objectType: "account",
    objectId: own.id,
    runId: run.id,
    operationId: operation.id,
    code: "SRV001",
  } as Partial<MessageLog>);
  return { org, house, contract, account: own, sharedAccount, meter, run, operation };
}

export async function twoOrgs(ds: DataSource): Promise<TwoOrgs> {
  const shared = await ds.getRepository(House).save({
    externalId: "h-shared",
    address: "г. Казань, ул. Общая, 3",
    fiasHouseGuid: crypto.randomUUID(),
    houseType: "MKD",
    timeZone: "Europe/Moscow",
  } as Partial<House>);
  const a = await side(ds, "a", shared);
  const b = await side(ds, "b", shared);
  await ds
    .getRepository(MessageLog)
    .save({ createdAt: new Date(), level: "info", group: "import", text: "Загрузка из учётной системы" } as Partial<MessageLog>);
  return { a, b, shared };
}

/** Users: an accountant and an operator of A only, an unlimited operator and an admin. */
export async function seedScopedUsers(ds: DataSource, t: TwoOrgs): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD);
  const user = (login: string, role: User["role"], organizationIds: string | null, stands: string | null = null) => ({
    login,
    role,
    passwordHash,
    active: true,
    createdAt: new Date(),
    displayName: null,
    lastLoginAt: null,
    organizationIds,
    stands,
  });
  await ds
    .getRepository(User)
    .insert([
      user("acc-a", "accountant", String(t.a.org.id), "sit01,sit02,local"),
      user("op-a", "operator", String(t.a.org.id), "sit01,local"),
      user("op", "operator", null),
      user("admin", "admin", null),
    ]);
}

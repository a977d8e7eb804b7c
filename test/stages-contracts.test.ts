/**
 * The contracts stage: supply resource contracts (РСО), management contracts (УО) and charters
 * (ТСЖ). First the descriptors on the demo bundle — selection by role and mode, pre-flight
 * rejections with their Russian texts, XSD-valid payloads, answers written back, reconcile and the
 * export's matching; then real pipeline runs against the built-in stand on SQLite and PostgreSQL:
 * the demo's supply contracts placed and given GUIDs and status, a contract failing a check not
 * sent, a second push sending nothing, sync pulling before it pushes, and the whole pipeline
 * running with the contracts stage in it.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = process.env.GIS_SYNC_REDIS_PREFIX ?? `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource, In } from "typeorm";
import { DB_KINDS, createSqlite, TestDb, withTestDb } from "./support/databases";
import { assertValidInAllPackages, officialAvailable } from "./support/xsd";
import { pipelineEnv } from "./support/pipeline-env";
import { openDatabase } from "../src/storage/database";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { Attachment, Contract, ContractObject, GisOperation, MessageLog, NsiItem, Organization } from "../entities";
import { buildRequest } from "../src/transport/messages";
import { parseResponse } from "../src/transport/results/results";
import { MatchedResult, MethodDescriptor, Scope, StageContext } from "../src/stages/descriptor";
import { DESCRIPTORS_BY_STAGE, batchLimit, descriptorFor } from "../src/stages/registry";
import { planOf } from "../src/queue/plan";
import { StateAnswer } from "../src/stages/types";
import { makeOrganization } from "../src/stand";
import { tables } from "../src/stand/domain/state";
import { seedManagedFund } from "../src/runtime/demo-fund";
import { findAt, hydrate } from "../src/storage/identity/store";
import { updateAt } from "../src/storage/identity/update";
import { STAND, reloadAt, saveAt } from "./support/identity";

const XSD = officialAvailable();
const ORG_PPA = "0a6d2b4c-6e1f-4a3b-9c8d-7e6f5a4b3c2d";
const guid = () => crypto.randomUUID();
const nameGuid = (s: string) => {
  const h = crypto.createHash("md5").update(s).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

let db: TestDb;
let ds: DataSource;
let bundleDir: string;
let org: Organization;

function ctx(over: Partial<StageContext> = {}): StageContext {
  return { organizationId: org.id, role: "RSO", stand: STAND, orgPPAGUID: ORG_PPA, now: new Date("2025-12-20T09:00:00Z"), setting: () => null, ...over };
}
const scope = (over: Partial<Scope> = {}): Scope => ({ organizationId: org.id, ...over });
/** A contract as the tests' stand knows it. */
const contract = async (externalId: string) => reloadAt(ds, "contract", (await ds.getRepository(Contract).findOneByOrFail({ externalId })).id);
/** A contract's objects as the tests' stand knows them. */
const objectsOf = (d: DataSource, contractId: number, stand = STAND) => findAt(d, "contract_object", "contractId", [contractId], stand);
/** `em.update` of contracts on the tests' stand (own columns and identity alike). */
const setContract = (d: DataSource, ids: number | number[], patch: Record<string, unknown>, stand = STAND) => updateAt(d, stand, Contract, ids, patch);

function request(method: string, payload: unknown): string {
  const built = buildRequest(method, { orgPPAGUID: ORG_PPA }, payload as never);
  if (XSD) assertValidInAllPackages(built.xml, method);
  return built.xml;
}

/** prepare → the first batch (by batch key, within the limit) with fresh TransportGUIDs → payload → request. */
async function send<T>(desc: MethodDescriptor<unknown, T>, ids: number[], c = ctx()) {
  const prepared = await desc.prepare(ds, ids, c);
  const first = prepared.ready[0];
  const key = first && desc.batchKey ? desc.batchKey(first.data) : null;
  const batch = prepared.ready
    .filter((r) => key === null || desc.batchKey!(r.data) === key)
    .slice(0, batchLimit(desc as MethodDescriptor, c))
    .map((r) => ({ ...r, transportGuid: guid() }));
  const xml = batch.length ? request(desc.method, desc.payload(batch, c)) : "";
  return { batch, xml, prepared };
}

function answer(results: string): StateAnswer {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
    `<ns:getStateResult xmlns:ns="http://dom.gosuslugi.ru/schema/integration/x/" xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" base:version="10.0.1.1">` +
    `<base:RequestState>3</base:RequestState><base:MessageGUID>${guid()}</base:MessageGUID>${results}</ns:getStateResult></soap:Body></soap:Envelope>`;
  const r = parseResponse(xml);
  assert.equal(r.kind, "state");
  return r as StateAnswer;
}

/** A house-management result item: CommonResult inside ImportResult. */
function item(tg: string, o: { guid?: string; extra?: string; error?: [string, string] }): string {
  const body =
    `${o.guid ? `<base:GUID>${o.guid}</base:GUID>` : ""}<base:TransportGUID>${tg}</base:TransportGUID>` +
    (o.error
      ? `<base:Error><base:ErrorCode>${o.error[0]}</base:ErrorCode><base:Description>${o.error[1]}</base:Description></base:Error>`
      : `<base:UpdateDate>2025-12-20T12:00:00</base:UpdateDate>${o.extra ?? ""}`);
  return `<ns:ImportResult><ns:CommonResult>${body}</ns:CommonResult></ns:ImportResult>`;
}

function matched(a: StateAnswer, batch: Array<{ objectId: number; transportGuid: string }>): MatchedResult[] {
  return batch.flatMap((b) =>
    a.items.filter((i) => i.transportGuid === b.transportGuid).map((result) => ({ objectId: b.objectId, transportGuid: b.transportGuid, result })),
  );
}

/** Common NSI the services stage would have loaded: municipal resources (2) and services (3). */
async function loadNsi(d: DataSource, registries: Array<[number, string[]]>): Promise<void> {
  for (const [registryNumber, codes] of registries) {
    for (const code of codes) {
      await d.getRepository(NsiItem).insert({
        registryNumber,
        listGroup: "NSI",
        organizationId: null,
        code,
        guid: nameGuid(`${registryNumber}/${code}`),
        name: `${registryNumber}-${code}`,
        fields: null,
        parentGuid: null,
        isActual: true,
        modifiedAt: null,
      });
    }
  }
}

before(async () => {
  db = await createSqlite();
  ds = await openDatabase(db.url);
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-contracts-"));
  await writeDemoBundle(bundleDir);
  await importPath(ds, bundleDir, { asOf: "2025-12-01" });
  org = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  await loadNsi(ds, [
    [2, ["1", "2", "3", "4", "5", "8"]],
    [3, ["1", "2", "3", "4", "5", "6"]],
  ]);
  // The import stamps changedAt with the wall clock; the tests' clock is December 2025.
  for (const table of ["contract", "contract_object"])
    await ds
      .createQueryBuilder()
      .update(table)
      .set({ sync: { changedAt: new Date("2025-12-01T00:00:00Z") } })
      .execute();
});

after(async () => {
  if (ds?.isInitialized) await ds.destroy();
  await db?.drop();
  fs.rmSync(bundleDir, { recursive: true, force: true });
});

const supplyImport = () => descriptorFor("importSupplyResourceContractData");
const supplyExport = () => descriptorFor("exportSupplyResourceContractData");

test("registry: the contracts stage in the order its dependencies give; each descriptor selects only for the roles that keep its kind", async () => {
  // The order comes from `after` alone (ties in file order): each import after the exports that tell
  // what GIS has, a contract's objects after the contract. In sync mode the plan pulls before it pushes anyway.
  const methods = DESCRIPTORS_BY_STAGE.contracts.map((x) => x.method);
  assert.deepEqual(methods, [
    "exportCAChData",
    "exportStatusCAChData",
    "exportSupplyResourceContractData",
    "importCharterData",
    "importContractData",
    "importSupplyResourceContractData",
    "importSupplyResourceContractObjectAddressData",
  ]);
  const at = (m: string) => methods.indexOf(m);
  for (const imp of ["importContractData", "importCharterData"])
    assert.ok(at("exportCAChData") < at(imp) && at("exportStatusCAChData") < at(imp), `${imp} after the CACh exports`);
  assert.ok(at("exportStatusCAChData") > at("exportCAChData"), "the status export asks about what exportCAChData linked");
  assert.ok(
    at("exportSupplyResourceContractData") < at("importSupplyResourceContractData") &&
      at("importSupplyResourceContractData") < at("importSupplyResourceContractObjectAddressData"),
    "supply contracts: linked, then placed, then their objects",
  );
  const source = { forStage: (s: "contracts") => DESCRIPTORS_BY_STAGE[s], byMethod: () => undefined, batchLimit: () => 1 };
  const sync = planOf(source as never, ["contracts"], "sync").map((p) => p.method);
  assert.deepEqual(sync.slice(0, 3), ["exportCAChData", "exportStatusCAChData", "exportSupplyResourceContractData"], "sync: exports first");
  assert.deepEqual(
    planOf(source as never, ["contracts"], "push").map((p) => p.method),
    methods.filter((m) => m.startsWith("import")),
    "push: the imports in dependency order",
  );
  assert.equal(batchLimit(descriptorFor("importCharterData"), ctx()), 1, "one charter per request");
  assert.equal(batchLimit(supplyExport(), ctx()), 1000, "GUID lists of 1000");

  const all = await supplyImport().select(ds, scope(), "push", ctx());
  assert.equal(all.length, 7, "the seven supply contracts of the demo");
  for (const role of ["UO", "TSZH", "ZHSK"]) {
    assert.deepEqual(await supplyImport().select(ds, scope(), "push", ctx({ role })), [], `${role} keeps no supply contracts`);
    assert.deepEqual(await supplyExport().select(ds, scope(), "pull", ctx({ role })), [], role);
  }
  for (const m of ["importContractData", "importCharterData", "exportCAChData", "exportStatusCAChData"]) {
    assert.deepEqual(await descriptorFor(m).select(ds, scope(), m.startsWith("import") ? "push" : "pull", ctx()), [], `${m}: nothing for an РСО`);
  }
  assert.equal((await supplyImport().select(ds, scope(), "push", ctx({ role: "RC" }))).length, 7, "a settlement centre sees every kind");
  assert.deepEqual(await supplyImport().select(ds, scope(), "pull", ctx()), [], "imports never run in pull");
  const c2 = await contract("C2");
  const objects = await ds.getRepository(ContractObject).findBy({ contractId: c2.id });
  assert.deepEqual(await supplyImport().select(ds, scope({ houseIds: [objects[0].houseId] }), "push", ctx()), [c2.id], "scope: a house");
  assert.deepEqual(await supplyImport().select(ds, scope({ contractId: c2.id }), "push", ctx()), [c2.id], "scope: a contract");
});

test("supply import: pre-flight checks name the contract and the field in Russian; the rest make an XSD-valid request", async () => {
  const c3 = await contract("C3");
  await ds.getRepository(Contract).update(c3.id, { effectiveDate: "2018-07-01" });
  const ids = await supplyImport().select(ds, scope(), "push", ctx());
  const { rejected, ready } = await supplyImport().prepare(ds, ids, ctx());
  const c1 = await contract("C1");
  const r1 = rejected.find((r) => r.objectId === c1.id)!;
  assert.equal(r1.code, "PRE_NO_FIAS");
  assert.equal(r1.field, "objects.house.fiasHouseGuid");
  assert.match(
    r1.text,
    /^Не указан ФИАС ГУИД дома объекта договора\. Договор ресурсоснабжения: 1-РСО\/2017 от 2017-02-28; Дом: Республика Татарстан, г\. Казань/,
  );
  const r3 = rejected.find((r) => r.objectId === c3.id)!;
  assert.deepEqual([r3.code, r3.field], ["PRE_CONTRACT_DATE", "effectiveDate"]);
  assert.match(r3.text, /^Дата вступления в силу раньше даты заключения договора\. Договор ресурсоснабжения: 3-РСО\/2018 от 2018-08-01; Дом: [0-9a-f-]{36}$/);
  const c4 = await contract("C4");
  const r4 = rejected.find((r) => r.objectId === c4.id)!;
  assert.equal(r4.code, "PRE_ORG_GUID");
  assert.match(r4.text, /^Отсутствует ГУИД второй стороны договора в реестре организаций ГИС \(ООО "УК "Жилкомфорт"\)\. Договор ресурсоснабжения: 4-РСО\/2017/);
  assert.equal(ready.length, 4);
  await ds.getRepository(Contract).update(c3.id, { effectiveDate: "2018-08-10" });

  // The managing organization found in the registry: the contract names it.
  await updateAt(ds, STAND, Organization, c4.secondPartyOrganizationId!, { gisOrgRootEntityGuid: "11111111-2222-4333-8444-555555555555" });
  const four = await send(supplyImport(), [c4.id]);
  assert.equal(four.batch.length, 1);
  assert.match(four.xml, /<hm:Organization><org-reg-base:orgRootEntityGUID[^>]*>11111111-2222-4333-8444-555555555555</);

  const c2 = await contract("C2");
  const sent = await send(supplyImport(), [c2.id]);
  const xml = sent.xml;
  assert.match(xml, /<hm:IsNotContract><hm:ContractNumber>2-РСО\/2024<\/hm:ContractNumber><hm:SigningDate>2024-06-27</);
  assert.match(xml, /<hm:IndefiniteTerm>true</);
  assert.match(xml, /<hm:Period><hm:Start><hm:StartDate>15<\/hm:StartDate><\/hm:Start><hm:End><hm:EndDate>25</);
  const subjects = [...xml.matchAll(/<hm:ContractSubject>.*?<base:TransportGUID>([0-9a-f-]{36})<\/base:TransportGUID><\/hm:ContractSubject>/g)].map(
    (m) => m[1],
  );
  const pairKeys = [...xml.matchAll(/<hm:PairKey>([0-9a-f-]{36})</g)].map((m) => m[1]);
  assert.equal(subjects.length, 3, "C2's municipal services (ВДГО is a housing service, not a subject)");
  assert.deepEqual(new Set(pairKeys), new Set(subjects), "each pair points at a subject");
  assert.equal((xml.match(/<hm:ObjectAddress>/g) ?? []).length, 1);
  const body = (x: string) => x.slice(x.indexOf("<soapenv:Body>"));
  assert.equal(body(request("importSupplyResourceContractData", supplyImport().payload(sent.batch, ctx()))), body(xml), "a resend builds the same request");
});

test("supply import: GIS's answer writes GUIDs and status back; an accepted contract is not sent again; reconcile finds it by number", async () => {
  const c2 = await contract("C2");
  const c5 = await contract("C5");
  const sent = await send(supplyImport(), [c2.id]);
  const refused = await send(supplyImport(), [c5.id]);
  const root = guid();
  const version = guid();
  const a = answer(
    item(sent.batch[0].transportGuid, {
      guid: version,
      extra: `<ns:ImportSupplyResourceContract><ns:ContractGUID>${version}</ns:ContractGUID><ns:ContractRootGUID>${root}</ns:ContractRootGUID></ns:ImportSupplyResourceContract>`,
    }) + item(refused.batch[0].transportGuid, { error: ["SRV004003", "Не указаны объекты жилищного фонда договора ресурсоснабжения"] }),
  );
  await ds.transaction(async (em) => {
    await supplyImport().apply(em, a, matched(a, sent.batch), ctx());
    await supplyImport().apply(em, a, matched(a, refused.batch), ctx());
  });
  const placed = await contract("C2");
  assert.deepEqual(
    [placed.gisRootGuid, placed.gisContractGuid, placed.gisVersionGuid, placed.gisStatus, placed.gisState, placed.sync.status],
    [root, root, version, "Posted", "Proceed", "ok"],
  );
  assert.ok(
    (await objectsOf(ds, c2.id)).every((o) => o.sync.status === "ok"),
    "its objects were placed with it",
  );
  const failed = await contract("C5");
  assert.deepEqual([failed.sync.status, failed.sync.errorCode], ["error", "SRV004003"]);
  const again = await supplyImport().select(ds, scope(), "push", ctx());
  assert.ok(!again.includes(c2.id) && again.includes(c5.id), "accepted: not sent again; refused: sent again");
  assert.deepEqual(
    await descriptorFor("importSupplyResourceContractObjectAddressData").select(ds, scope(), "push", ctx()),
    [],
    "objects placed with their contract are not sent one by one",
  );

  const rec = supplyImport().reconcile!;
  request(rec.method, rec.payload(refused.batch, ctx()));
  const exported = answer(
    `<ns:exportSupplyResourceContractResult><ns:Contract><ns:IsNotContract><ns:ContractNumber>5-РСО/2018</ns:ContractNumber><ns:SigningDate>2018-12-20</ns:SigningDate></ns:IsNotContract>` +
      `<ns:ContractRootGUID>${root.replace(/.$/, "0")}</ns:ContractRootGUID><ns:ContractGUID>${guid()}</ns:ContractGUID><ns:ContractState>Proceed</ns:ContractState><ns:VersionNumber>1</ns:VersionNumber><ns:VersionStatus>Posted</ns:VersionStatus></ns:Contract><ns:IsLastPage>true</ns:IsLastPage></ns:exportSupplyResourceContractResult>`,
  );
  assert.deepEqual([...rec.found(exported, refused.batch, ctx()).keys()], [c5.id]);
  assert.deepEqual([...rec.found(exported, sent.batch, ctx()).keys()], [], "another number is another contract");
});

test("supply export: GUID lists for placed contracts, houses for the rest; sync links what GIS has and the import then sends only what is missing", async () => {
  const exp = supplyExport();
  const ids = await exp.select(ds, scope(), "sync", ctx());
  assert.equal(ids.length, 6, "C1 has no house GIS could be asked about");
  const c2 = await contract("C2");
  const byRoot = await send(exp, [c2.id]);
  assert.match(byRoot.xml, new RegExp(`<hm:ContractRootGUID>${c2.gisRootGuid}</hm:ContractRootGUID>`));
  const c6 = await contract("C6");
  const c7 = await contract("C7");
  const byHouse = await send(exp, [c6.id]);
  assert.match(byHouse.xml, /<hm:FIASHouseGuid>[0-9a-f-]{36}<\/hm:FIASHouseGuid>/);
  assert.notEqual(exp.batchKey!(byRoot.batch[0].data), exp.batchKey!(byHouse.batch[0].data), "GUID lists and house filters never share a request");
  const mixed = request("exportSupplyResourceContractData", exp.payload([...byRoot.batch, ...byHouse.batch], ctx()));
  assert.ok(/<hm:FIASHouseGuid>/.test(mixed) && !/<hm:ContractRootGUID>/.test(mixed), "rebuilt after a link: the house filter still covers every item");

  const row = (number: string, signed: string, root: string, status: string, state: string) =>
    `<ns:Contract><ns:IsNotContract><ns:ContractNumber>${number}</ns:ContractNumber><ns:SigningDate>${signed}</ns:SigningDate></ns:IsNotContract>` +
    `<ns:ContractRootGUID>${root}</ns:ContractRootGUID><ns:ContractGUID>${guid()}</ns:ContractGUID><ns:ContractState>${state}</ns:ContractState><ns:VersionNumber>3</ns:VersionNumber><ns:VersionStatus>${status}</ns:VersionStatus></ns:Contract>`;
  const root6 = guid();
  const a = answer(
    `<ns:exportSupplyResourceContractResult>${row("6-РСО/2016", "2016-08-06", root6, "Posted", "Proceed")}${row("7-РСО/2015", "2015-07-16", guid(), "Annul", "Expired")}` +
      `${row(c2.number!, c2.signedDate!, c2.gisRootGuid!, "Terminated", "Expired")}<ns:IsLastPage>true</ns:IsLastPage></ns:exportSupplyResourceContractResult>`,
  );
  await ds.transaction((em) => exp.apply(em, a, [], ctx()));
  const linked = await contract("C6");
  assert.deepEqual([linked.gisRootGuid, linked.gisStatus, linked.gisState, linked.gisVersionNumber, linked.sync.status], [root6, "Posted", "Proceed", 3, "ok"]);
  assert.equal((await contract("C7")).gisRootGuid, null, "an annulled contract with our number does not stand for ours");
  const refreshed = await contract("C2");
  assert.deepEqual([refreshed.gisStatus, refreshed.gisState], ["Terminated", "Expired"], "status and state written back by GUID");

  const missing = await supplyImport().select(ds, scope(), "sync", ctx());
  assert.ok(missing.includes(c7.id) && !missing.includes(c6.id) && !missing.includes(c2.id), "sync sends only what GIS lacks");
});

test("management contracts (УО) and charters (ТСЖ): checks, XSD-valid requests, status and state written back", async () => {
  const uo = ctx({ role: "UO" });
  const c6 = await contract("C6");
  await setContract(ds, c6.id, {
    kind: "management",
    plannedEndDate: "2030-12-31",
    gisContractGuid: null,
    gisRootGuid: null,
    gisVersionGuid: null,
    gisStatus: null,
    gisState: null,
    sync: { status: "not_sent" },
  });
  const imp = descriptorFor("importContractData");
  assert.deepEqual(await imp.select(ds, scope(), "push", uo), [c6.id]);
  assert.deepEqual(await supplyImport().select(ds, scope({ contractId: c6.id }), "push", ctx()), [], "no longer a supply contract");
  const noBasis = (await imp.prepare(ds, [c6.id], uo)).rejected[0];
  assert.deepEqual([noBasis.code, noBasis.field], ["PRE_NSI", "contractBase"]);
  assert.match(noBasis.text, /^Не найдено основание заключения договора в справочнике ГИС \(НСИ 58\)\. Договор управления: 6-РСО\/2016 от 2016-08-06; Дом: /);
  await ds.getRepository(NsiItem).insert({
    registryNumber: 58,
    listGroup: "NSI",
    organizationId: null,
    code: "1",
    guid: nameGuid("58/1"),
    name: "Решение собрания собственников",
    fields: null,
    parentGuid: null,
    isActual: true,
    modifiedAt: null,
  });
  const noFile = (await imp.prepare(ds, [c6.id], uo)).rejected[0];
  assert.deepEqual([noFile.code, noFile.field], ["PRE_NO_ATTACHMENT", "attachments"]);
  assert.match(noFile.text, /^Не приложен файл договора управления/);
  await saveAt(ds, "attachment", {
    ownerType: "contract",
    ownerId: c6.id,
    fileName: "du.pdf",
    storagePath: "du.pdf",
    name: "Договор управления",
    description: "ДУ",
    documentType: null,
    sizeBytes: 10,
    hash: null,
    gisAttachmentGuid: guid(),
    uploadedAt: new Date(),
  });

  const sent = await send(imp, [c6.id], uo);
  assert.equal(sent.batch.length, 1, JSON.stringify(sent.prepared.rejected));
  assert.match(sent.xml, /<hm:PlacingContract><hm:DocNum>6-РСО\/2016<\/hm:DocNum>.*<hm:Owners>true<\/hm:Owners>/);
  assert.match(sent.xml, /<hm:HouseService><hm:ServiceType><nsi-base:Code[^>]*>1<\/nsi-base:Code>/);
  assert.doesNotMatch(sent.xml, /<hm:ServiceType><nsi-base:Code[^>]*>12</, "housing services are not listed in the object");
  const fias = (sent.batch[0].data as { houseFias: string }).houseFias;
  const cg = guid();
  const ov = guid();
  const a = answer(
    item(sent.batch[0].transportGuid, {
      guid: cg,
      extra:
        `<ns:importContract><ns:ContractGUID>${cg}</ns:ContractGUID><ns:ContractVersionGUID>${guid()}</ns:ContractVersionGUID>` +
        `<ns:ContractStatus>Approved</ns:ContractStatus><ns:State>Running</ns:State><ns:ContractObject><ns:FIASHouseGuid>${fias}</ns:FIASHouseGuid><ns:ManagedObjectStatus>Approved</ns:ManagedObjectStatus>` +
        `<ns:ContractObjectVersionGUID>${ov}</ns:ContractObjectVersionGUID></ns:ContractObject><ns:VersionNumber>1</ns:VersionNumber></ns:importContract>`,
    }),
  );
  await ds.transaction((em) => imp.apply(em, a, matched(a, sent.batch), uo));
  const placed = await contract("C6");
  assert.deepEqual(
    [placed.gisContractGuid, placed.gisStatus, placed.gisState, placed.gisVersionNumber, placed.sync.status],
    [cg, "Approved", "Running", 1, "ok"],
  );
  assert.equal((await objectsOf(ds, c6.id))[0].gisObjectGuid, ov);

  const status = descriptorFor("exportStatusCAChData");
  assert.deepEqual(await status.select(ds, scope(), "pull", uo), [c6.id]);
  const st = await send(status, [c6.id], uo);
  assert.match(st.xml, new RegExp(`<hm:ContractGUID>${cg}</hm:ContractGUID>`));
  await ds.transaction((em) =>
    status.apply(
      em,
      answer(
        `<ns:exportStatusCAChResult><ns:ContractGUID>${cg}</ns:ContractGUID><ns:ContractVersionGUID>${guid()}</ns:ContractVersionGUID>` +
          `<ns:ContractStatus>Terminated</ns:ContractStatus><ns:State>Expired</ns:State><ns:VersionNumber>2</ns:VersionNumber></ns:exportStatusCAChResult>`,
      ),
      [],
      uo,
    ),
  );
  const after = await contract("C6");
  assert.deepEqual([after.gisStatus, after.gisState, after.gisVersionNumber], ["Terminated", "Expired", 2]);

  const cach = descriptorFor("exportCAChData");
  await updateAt(ds, STAND, Organization, org.id, { gisOrgRootEntityGuid: "22222222-3333-4444-8555-666666666666" });
  const c7 = await contract("C7");
  await ds.getRepository(Contract).update(c7.id, { kind: "management", plannedEndDate: "2030-12-31" });
  const lookups = await send(cach, await cach.select(ds, scope(), "sync", uo), uo);
  assert.match(lookups.xml, /<hm:UOGUID>22222222-3333-4444-8555-666666666666<\/hm:UOGUID><hm:FIASHouseGuid>/);

  // A ТСЖ keeps its charter: one per request.
  await ds.getRepository(Contract).update(c7.id, { kind: "charter" });
  const tszh = ctx({ role: "TSZH" });
  const charter = descriptorFor("importCharterData");
  assert.deepEqual(await charter.select(ds, scope(), "push", tszh), [c7.id]);
  assert.deepEqual(await imp.select(ds, scope(), "push", tszh), [], "a ТСЖ places no management contracts");
  const noCharterFile = (await charter.prepare(ds, [c7.id], tszh)).rejected[0];
  assert.match(noCharterFile.text, /^Не приложен файл устава \(ГИС ЖКХ требует его\)\. Устав: от 2015-07-16; Дом: /);
  await saveAt(ds, "attachment", {
    ownerType: "contract",
    ownerId: c7.id,
    fileName: "ustav.pdf",
    storagePath: "ustav.pdf",
    name: "Устав",
    description: "Устав",
    documentType: null,
    sizeBytes: 10,
    hash: null,
    gisAttachmentGuid: guid(),
    uploadedAt: new Date(),
  });
  const ch = await send(charter, [c7.id], tszh);
  assert.match(ch.xml, /<hm:PlacingCharter><hm:Date>2015-07-16<\/hm:Date>/);
});

test("ending a placed document: termination needs the НСИ 54 reason and its document; annulment needs a reason", async () => {
  const uo = ctx({ role: "UO" });
  const imp = descriptorFor("importContractData");
  const c6 = await contract("C6");
  assert.ok(c6.gisVersionGuid && c6.kind === "management");
  await ds.getRepository(Contract).update(c6.id, { terminationDate: "2025-12-31", terminationReason: "Истечение срока действия договора" });
  const noReason = (await imp.prepare(ds, [c6.id], uo)).rejected[0];
  assert.deepEqual([noReason.code, noReason.field], ["PRE_NSI", "terminationReason"]);
  assert.match(
    noReason.text,
    /^Не найдена причина расторжения «Истечение срока действия договора» в справочнике ГИС \(НСИ 54\)\. Договор управления: 6-РСО\/2016/,
  );
  await ds.getRepository(NsiItem).insert({
    registryNumber: 54,
    listGroup: "NSI",
    organizationId: null,
    code: "2",
    guid: nameGuid("54/2"),
    name: "Истечение срока действия договора",
    fields: null,
    parentGuid: null,
    isActual: true,
    modifiedAt: null,
  });
  const noDocument = (await imp.prepare(ds, [c6.id], uo)).rejected[0];
  assert.deepEqual([noDocument.code, noDocument.field], ["PRE_NO_ATTACHMENT", "terminationAttachments"]);
  await saveAt(ds, "attachment", {
    ownerType: "contract_termination",
    ownerId: c6.id,
    fileName: "end.pdf",
    storagePath: "end.pdf",
    name: "Соглашение о расторжении",
    description: "Соглашение",
    documentType: null,
    sizeBytes: 1,
    hash: null,
    gisAttachmentGuid: guid(),
    uploadedAt: new Date(),
  });
  const terminate = await send(imp, [c6.id], uo);
  assert.match(
    terminate.xml,
    new RegExp(
      `<hm:TerminateContract><hm:Terminate>2025-12-31</hm:Terminate><hm:ReasonRef><nsi-base:Code[^>]*>2</nsi-base:Code>.*<hm:ContractVersionGUID>${c6.gisVersionGuid}</hm:ContractVersionGUID></hm:TerminateContract>`,
    ),
  );

  const c2 = await contract("C2");
  await ds.getRepository(Contract).update(c2.id, { annulmentReason: "Размещён по ошибке" });
  const annul = await send(supplyImport(), [c2.id]);
  assert.match(
    annul.xml,
    new RegExp(
      `<hm:ContractGUID>${c2.gisVersionGuid}</hm:ContractGUID><hm:AnnulmentContract><hm:ReasonOfAnnulment>Размещён по ошибке</hm:ReasonOfAnnulment></hm:AnnulmentContract>`,
    ),
  );
  const a = answer(
    item(annul.batch[0].transportGuid, {
      guid: guid(),
      extra: `<ns:ImportSupplyResourceContract><ns:ContractGUID>${guid()}</ns:ContractGUID><ns:ContractRootGUID>${c2.gisRootGuid}</ns:ContractRootGUID></ns:ImportSupplyResourceContract>`,
    }),
  );
  await ds.transaction((em) => supplyImport().apply(em, a, matched(a, annul.batch), ctx()));
  assert.deepEqual([(await contract("C2")).gisStatus, (await contract("C2")).gisState], ["Annul", "Expired"]);
  await setContract(ds, c2.id, { annulmentReason: null, gisStatus: "Posted", gisState: "Proceed" });
  await ds.getRepository(Contract).update(c6.id, { terminationDate: null, terminationReason: null });
});

test("supply objects added to a placed contract go on their own (importSupplyResourceContractObjectAddressData); a crowded house is asked about by number", async () => {
  const objImport = descriptorFor("importSupplyResourceContractObjectAddressData");
  const c5 = await contract("C5");
  const root = guid();
  await setContract(ds, c5.id, {
    gisRootGuid: root,
    gisContractGuid: root,
    gisVersionGuid: guid(),
    gisStatus: "Posted",
    sync: { status: "ok", syncedAt: new Date("2025-12-10T00:00:00Z") },
  });
  await updateAt(
    ds,
    STAND,
    ContractObject,
    (await objectsOf(ds, c5.id)).map((o) => o.id),
    { sync: { status: "ok", syncedAt: new Date("2025-12-10T00:00:00Z") } },
  );
  assert.deepEqual(await objImport.select(ds, scope(), "push", ctx()), [], "objects placed with the contract");
  const c2objects = await ds.getRepository(ContractObject).findBy({ contractId: (await contract("C2")).id });
  const added = await ds.getRepository(ContractObject).save({
    externalId: "CO-added",
    contractId: c5.id,
    houseId: c2objects[0].houseId,
    premiseId: null,
    roomId: null,
    startDate: "2025-12-01",
    endDate: null,
    exclusionReason: null,
  });
  const source = await ds.getRepository(ContractObject).findOneByOrFail({ contractId: c5.id, externalId: "CO5" });
  await ds.query(
    `INSERT INTO contract_object_service ("contractObjectId", "serviceId", "startDate") SELECT ${added.id}, "serviceId", '2025-12-01' FROM contract_object_service WHERE "contractObjectId" = ${source.id}`,
  );
  assert.deepEqual(await objImport.select(ds, scope(), "push", ctx()), [added.id]);
  assert.deepEqual(await objImport.select(ds, scope(), "push", ctx({ role: "UO" })), [], "not for a УО");
  const sent = await send(objImport, [added.id]);
  assert.equal(sent.batch.length, 1, JSON.stringify(sent.prepared.rejected));
  assert.match(sent.xml, new RegExp(`<hm:ContractRootGUID>${root}</hm:ContractRootGUID><hm:ObjectAddress><base:TransportGUID>`));
  assert.match(sent.xml, /<hm:LoadObject><hm:HouseType>ZHD<\/hm:HouseType><hm:FIASHouseGuid>/);
  const objectGuid = guid();
  const version = guid();
  const a = answer(
    item(sent.batch[0].transportGuid, {
      guid: objectGuid,
      extra: `<ns:ImportSupplyResourceContractObjectAddress><ns:ContractGUID>${version}</ns:ContractGUID></ns:ImportSupplyResourceContractObjectAddress>`,
    }),
  );
  await ds.transaction((em) => objImport.apply(em, a, matched(a, sent.batch), ctx()));
  const placedObject = await reloadAt(ds, "contract_object", added.id);
  assert.deepEqual([placedObject.gisObjectGuid, placedObject.sync.status], [objectGuid, "ok"]);
  assert.equal((await contract("C5")).gisVersionGuid, version, "the contract's new version");
  const rec = objImport.reconcile!;
  request(rec.method, rec.payload(sent.batch, ctx()));
  const fias = (sent.batch[0].data as { fiasHouseGuid: string }).fiasHouseGuid;
  const exported = answer(
    `<ns:exportSupplyResourceContractObjectAddress><ns:ObjectAddress><ns:FIASHouseGuid>${fias}</ns:FIASHouseGuid><ns:ObjectGUID>${objectGuid}</ns:ObjectGUID>` +
      `<ns:ContractRootGUID>${root}</ns:ContractRootGUID><ns:ContractGUID>${version}</ns:ContractGUID><ns:VersionNumber>2</ns:VersionNumber><ns:VersionStatus>Posted</ns:VersionStatus></ns:ObjectAddress><ns:IsLastPage>true</ns:IsLastPage></ns:exportSupplyResourceContractObjectAddress>`,
  );
  assert.deepEqual([...rec.found(exported, sent.batch, ctx())], [[added.id, objectGuid]]);
  // Applied as the pipeline applies a reconciled item: the ObjectGUID where an ordinary answer puts
  // it; the contract's version is no longer known (the export refreshes it), never a wrong one.
  await updateAt(ds, STAND, ContractObject, added.id, { gisObjectGuid: null, sync: { status: "in_progress" } });
  const reconciled = {
    transportGuid: sent.batch[0].transportGuid,
    guid: objectGuid,
    uniqueNumber: null,
    updateDate: null,
    errors: [],
    values: {},
    ...rec.result!(objectGuid),
  };
  await ds.transaction((em) =>
    objImport.apply(em, answer(""), [{ objectId: added.id, transportGuid: sent.batch[0].transportGuid, result: reconciled }], ctx()),
  );
  assert.deepEqual(
    [(await reloadAt(ds, "contract_object", added.id)).gisObjectGuid, (await contract("C5")).gisVersionGuid, (await contract("C5")).gisRootGuid],
    [objectGuid, null, root],
  );
  await setContract(ds, c5.id, { gisVersionGuid: version });

  // Five hundred direct contracts in one house: each is looked up by its number there.
  const c7 = await contract("C7");
  const house = (await ds.getRepository(ContractObject).findOneByOrFail({ contractId: c7.id })).houseId;
  const crowd: number[] = [];
  const { id: _id, ...template } = c7;
  for (let i = 0; i < 500; i++) {
    const c = await ds.getRepository(Contract).save({
      ...template,
      externalId: `CX${i}`,
      kind: "supply" as const,
      number: `П-${i}`,
    });
    await ds.getRepository(ContractObject).insert({
      externalId: `COX${i}`,
      contractId: c.id,
      houseId: house,
      premiseId: null,
      roomId: null,
      startDate: "2020-01-01",
      endDate: null,
      exclusionReason: null,
    });
    crowd.push(c.id);
  }
  const lookups = await send(supplyExport(), [crowd[7]]);
  assert.match(lookups.xml, /<hm:ContractNumber>П-7<\/hm:ContractNumber><hm:FIASHouseGuid>/);
  const quiet = await send(supplyExport(), [(await contract("C4")).id]);
  assert.doesNotMatch(quiet.xml, /<hm:ContractNumber>/, "an ordinary house is asked about as a whole");
  await ds.getRepository(ContractObject).delete({ contractId: In(crowd) });
  await ds.getRepository(Contract).delete({ id: In(crowd) });
});

test("stands apart: a contract placed on sit01 is still unplaced for a prod run; each stand's answers and exports touch only its own GUIDs", async () => {
  const sit = ctx({ stand: "sit01" });
  const prod = ctx({ stand: "prod" });
  const c2 = await contract("C2");
  assert.ok(c2.gisRootGuid, "placed on the tests' own stand already");
  assert.ok((await supplyImport().select(ds, scope(), "push", sit)).includes(c2.id), "never sent to sit01");
  const sent = await send(supplyImport(), [c2.id], sit);
  assert.equal(sent.batch.length, 1, JSON.stringify(sent.prepared.rejected));
  assert.doesNotMatch(sent.xml, new RegExp(c2.gisRootGuid!), "placed anew on sit01: no GUID of another stand");
  const root = guid();
  const version = guid();
  const a = answer(
    item(sent.batch[0].transportGuid, {
      guid: version,
      extra: `<ns:ImportSupplyResourceContract><ns:ContractGUID>${version}</ns:ContractGUID><ns:ContractRootGUID>${root}</ns:ContractRootGUID></ns:ImportSupplyResourceContract>`,
    }),
  );
  await ds.transaction((em) => supplyImport().apply(em, a, matched(a, sent.batch), sit));
  const onSit = await reloadAt(ds, "contract", c2.id, "sit01");
  assert.deepEqual([onSit.gisContractGuid, onSit.gisRootGuid, onSit.gisVersionGuid, onSit.sync.status], [root, root, version, "ok"]);
  assert.ok(
    (await objectsOf(ds, c2.id, "sit01")).every((o) => o.sync.status === "ok"),
    "its objects placed with it on sit01",
  );

  const onProd = await reloadAt(ds, "contract", c2.id, "prod");
  assert.deepEqual(
    [onProd.gisContractGuid, onProd.gisRootGuid, onProd.gisVersionGuid, onProd.gisStatus, onProd.gisState, onProd.sync.status],
    [null, null, null, null, null, "not_sent"],
  );
  assert.ok(
    (await objectsOf(ds, c2.id, "prod")).every((o) => o.gisObjectGuid === null && o.sync.status === "not_sent"),
    "nor its objects",
  );
  const local = await contract("C2");
  assert.deepEqual([local.gisRootGuid, local.gisVersionGuid], [c2.gisRootGuid, c2.gisVersionGuid], "the tests' own stand untouched");
  assert.ok(!(await supplyImport().select(ds, scope(), "push", sit)).includes(c2.id), "sit01: accepted, not sent again");
  assert.ok((await supplyImport().select(ds, scope(), "push", prod)).includes(c2.id), "prod: still to place (push)");
  assert.ok((await supplyImport().select(ds, scope(), "sync", prod)).includes(c2.id), "prod: still missing (sync)");
  const prodSent = await send(supplyImport(), [c2.id], prod);
  assert.doesNotMatch(prodSent.xml, new RegExp(`${root}|${version}`), "prod's request names none of sit01's GUIDs");
  const lookup = await send(supplyExport(), [c2.id], prod);
  assert.doesNotMatch(lookup.xml, /<hm:ContractRootGUID>/, "prod asks about it by house, not by sit01's root GUID");

  // An export naming sit01's root GUID (another number) matches it on sit01 only.
  const exported = answer(
    `<ns:exportSupplyResourceContractResult><ns:Contract><ns:IsNotContract><ns:ContractNumber>X-0</ns:ContractNumber><ns:SigningDate>2001-01-01</ns:SigningDate></ns:IsNotContract>` +
      `<ns:ContractRootGUID>${root}</ns:ContractRootGUID><ns:ContractGUID>${version}</ns:ContractGUID><ns:ContractState>Expired</ns:ContractState><ns:VersionNumber>2</ns:VersionNumber><ns:VersionStatus>Terminated</ns:VersionStatus></ns:Contract><ns:IsLastPage>true</ns:IsLastPage></ns:exportSupplyResourceContractResult>`,
  );
  await ds.transaction((em) => supplyExport().apply(em, exported, [], prod));
  assert.equal((await reloadAt(ds, "contract", c2.id, "prod")).gisRootGuid, null, "prod: sit01's GUID is no GUID of ours");
  await ds.transaction((em) => supplyExport().apply(em, exported, [], sit));
  const refreshed = await reloadAt(ds, "contract", c2.id, "sit01");
  assert.deepEqual([refreshed.gisStatus, refreshed.gisState, refreshed.gisVersionNumber], ["Terminated", "Expired", 2], "sit01: found by its GUID");
  assert.deepEqual([(await contract("C2")).gisStatus, (await contract("C2")).gisState], [local.gisStatus, local.gisState]);
});

/** The demo's managing organization (a second party of C4) registered in the stand, as the demo does. */
function registerManager(env: Awaited<ReturnType<typeof pipelineEnv>>, o: Organization): void {
  env.stand.store.addOrganization(
    makeOrganization({ ogrn: o.ogrn!, inn: o.inn!, kpp: o.kpp, fullName: o.fullName, shortName: o.shortName ?? undefined, roles: ["UO"] }),
  );
}

for (const kind of DB_KINDS) {
  test(`pipeline (${kind}): supply contracts placed in the stand get GUIDs and status; a contract failing a check is not sent; a second push sends nothing; sync pulls first`, async () => {
    await withTestDb(kind, async (pds) => {
      const env = await pipelineEnv(pds);
      try {
        const us = env.ours;
        const manager = await pds.getRepository(Organization).findOneByOrFail({ externalId: "O4" });
        registerManager(env, manager);
        const c3 = await pds.getRepository(Contract).findOneByOrFail({ externalId: "C3" });
        await pds.getRepository(Contract).update(c3.id, { effectiveDate: null });
        const ppa = async () => (await reloadAt(pds, "organization", us.id)).gisOrgPpaGuid;
        const supply = async () => {
          const ours = await ppa();
          return [...tables(env.stand.store).supplyContracts.values()].filter((r) => r.org === (ours ?? r.org));
        };
        const run = async (mode: "push" | "sync", stages: Array<"services" | "contracts"> = ["contracts"]) => {
          const r = await env.rt.pipeline.startRun({ stand: "local", organizationId: us.id, stages, mode, trigger: "test" });
          const summary = await env.rt.waitForRun(r.id, undefined, 60_000);
          const ops = await pds.getRepository(GisOperation).find({ where: { runId: r.id }, order: { createdAt: "ASC" } });
          assert.deepEqual(
            ops.filter((o) => !o.appliedAt && o.trigger !== "reconcile").map((o) => `${o.method} ${o.state}`),
            [],
            "every operation applied",
          );
          return { summary, ops, id: r.id };
        };

        await run("sync", ["services"]);
        const first = await run("push");
        const stage = first.summary.stages.find((s) => s.stage === "contracts")!;
        assert.deepEqual(stage.errorsByCode, { PRE_NO_FIAS: 1, PRE_CONTRACT_DATE: 1 }, JSON.stringify(first.summary));
        const contracts = await hydrate(pds, "contract", await pds.getRepository(Contract).find({ order: { id: "ASC" } }), STAND);
        const placed = contracts.filter((c) => c.gisRootGuid);
        assert.deepEqual(
          placed.map((c) => c.externalId),
          ["C2", "C4", "C5", "C6", "C7"],
        );
        const inStand = tables(env.stand.store).supplyContracts;
        assert.equal(inStand.size, 5, "five contracts in the stand");
        for (const c of placed) {
          const row = inStand.get(c.gisRootGuid!)!;
          assert.ok(row, `${c.externalId} is in the stand under its root GUID`);
          assert.deepEqual([c.gisVersionGuid, c.gisStatus, c.gisState, c.sync.status, row.contractNumber], [row.guid, "Posted", "Proceed", "ok", c.number]);
        }
        const bad = contracts.find((c) => c.externalId === "C3")!;
        assert.deepEqual([bad.sync.status, bad.sync.errorCode], ["error", "PRE_CONTRACT_DATE"]);
        assert.equal(
          bad.sync.errorText,
          "Не указана дата вступления договора в силу. Договор ресурсоснабжения: 3-РСО/2018 от 2018-08-01; Дом: " + (await houseFias(pds, c3.id)),
        );
        assert.ok(![...inStand.values()].some((r) => r.contractNumber === "3-РСО/2018" || r.contractNumber === "1-РСО/2017"), "failed checks: not sent");
        const journal = await pds.getRepository(MessageLog).findBy({ runId: first.id, objectType: "contract" });
        assert.deepEqual(journal.map((j) => j.code).sort(), ["PRE_CONTRACT_DATE", "PRE_NO_FIAS"]);
        assert.ok((await supply()).length >= 5);

        const second = await run("push");
        assert.deepEqual(second.ops.filter((o) => o.method === "importSupplyResourceContractData").length, 0, "a second push sends nothing");
        assert.equal(inStand.size, 5);

        // GIS has what we forgot: sync pulls first, links by number, and places only what is missing.
        await setContract(
          pds,
          placed.map((c) => c.id),
          { gisRootGuid: null, gisContractGuid: null, gisVersionGuid: null, gisStatus: null, gisState: null, sync: { status: "not_sent", syncedAt: null } },
        );
        await pds.getRepository(Contract).update(c3.id, { effectiveDate: "2018-08-10" });
        const sync = await run("sync");
        const exports = sync.ops.filter((o) => o.method === "exportSupplyResourceContractData");
        const imports = sync.ops.filter((o) => o.method === "importSupplyResourceContractData");
        assert.ok(exports.length > 0 && imports.length === 1, sync.ops.map((o) => o.method).join(","));
        assert.ok(
          exports.every((e) => e.createdAt <= imports[0].createdAt),
          "the pull comes first",
        );
        const relinked = await findAt(
          pds,
          "contract",
          "id",
          placed.map((c) => c.id),
          STAND,
        );
        for (const c of relinked)
          assert.equal(c.gisRootGuid, placed.find((p) => p.id === c.id)!.gisRootGuid, `${c.externalId} linked back to the contract GIS holds`);
        assert.equal(inStand.size, 6, "only C3 was placed");
        assert.ok((await reloadAt(pds, "contract", c3.id)).gisRootGuid);
      } finally {
        await env.close();
      }
    });
  });
}

async function houseFias(d: DataSource, contractId: number): Promise<string> {
  const o = await d.getRepository(ContractObject).findOneByOrFail({ contractId });
  const rows = await d.query(`SELECT "fiasHouseGuid" FROM house WHERE id = ${Number(o.houseId)}`);
  return rows[0].fiasHouseGuid;
}

test("pipeline: the whole chain runs with the contracts stage in it; nothing fails but the demo's broken objects", async () => {
  await withTestDb("sqlite", async (pds) => {
    const env = await pipelineEnv(pds);
    try {
      registerManager(env, await pds.getRepository(Organization).findOneByOrFail({ externalId: "O4" }));
      await seedManagedFund(pds, env.stand, env.ours.id);
      const r = await env.rt.pipeline.startRun({
        stand: "local",
        organizationId: env.ours.id,
        stages: ["services", "contracts", "fund", "accounts", "meters", "readings", "bills", "payments", "kvitirovanie"],
        mode: "sync",
        trigger: "test",
      });
      const summary = await env.rt.waitForRun(r.id, undefined, 180_000);
      assert.ok(["done", "done_with_errors"].includes(summary.state), summary.state);
      assert.deepEqual(
        summary.stages.find((s) => s.stage === "contracts")!.errorsByCode,
        { PRE_NO_FIAS: 1 },
        "only the contract of the house with a broken FIAS GUID",
      );
      const failed = await pds.getRepository(GisOperation).findBy({ runId: r.id, state: "failed" });
      assert.deepEqual(
        failed.map((o) => `${o.method}: ${o.errorText}`),
        [],
      );
      // What depends on the contracts: meters need the contract's resources, bills its services.
      const notInContract = summary.stages
        .flatMap((s) => Object.keys(s.errorsByCode))
        .filter((c) => ["SRV008076", "SRV006002", "SRV004001", "SRV004003"].includes(c));
      assert.deepEqual(notInContract, [], JSON.stringify(summary));
      assert.ok(summary.stages.find((s) => s.stage === "meters")!.objectsOk > 0, "meters placed under the supply contracts");
    } finally {
      await env.close();
    }
  });
});

test("pipeline (sqlite), УО: management contracts placed and approved in the stand, houses then go under them; sync finds them again by organization and house", async () => {
  await withTestDb("sqlite", async (pds) => {
    const env = await pipelineEnv(pds);
    try {
      const us = env.ours;
      await pds.getRepository(Organization).update(us.id, { role: "UO" });
      const ours = await pds.getRepository(Contract).find({ order: { id: "ASC" } });
      await pds.getRepository(Contract).update({ id: In(ours.map((c) => c.id)) }, { kind: "management", plannedEndDate: "2030-12-31" });
      for (const c of ours) {
        await saveAt(pds, "attachment", {
          ownerType: "contract",
          ownerId: c.id,
          fileName: `${c.externalId}.pdf`,
          storagePath: `${c.externalId}.pdf`,
          name: `Договор ${c.number}`,
          description: "Договор управления",
          documentType: null,
          sizeBytes: 1,
          hash: null,
          gisAttachmentGuid: guid(),
          uploadedAt: new Date(),
        });
      }
      await pds.getRepository(NsiItem).insert({
        registryNumber: 58,
        listGroup: "NSI",
        organizationId: null,
        code: "1",
        guid: nameGuid("58/1"),
        name: "Решение собрания собственников",
        fields: null,
        parentGuid: null,
        isActual: true,
        modifiedAt: null,
      });
      registerManager(env, await pds.getRepository(Organization).findOneByOrFail({ externalId: "O4" }));
      const run = async (mode: "push" | "sync" | "pull", stages: Array<"services" | "contracts" | "fund">) => {
        const r = await env.rt.pipeline.startRun({ stand: "local", organizationId: us.id, stages, mode, trigger: "test" });
        const summary = await env.rt.waitForRun(r.id, undefined, 60_000);
        return { summary, ops: await pds.getRepository(GisOperation).find({ where: { runId: r.id }, order: { createdAt: "ASC" } }) };
      };
      await run("sync", ["services"]);
      const first = await run("push", ["contracts", "fund"]);
      assert.deepEqual(first.summary.stages.find((s) => s.stage === "contracts")!.errorsByCode, { PRE_NO_FIAS: 1 }, JSON.stringify(first.summary));
      const rows = [...tables(env.stand.store).contracts.values()].filter((r) => r.kind === "contract");
      const placed = (await hydrate(pds, "contract", await pds.getRepository(Contract).find({ order: { id: "ASC" } }), STAND)).filter((c) => c.gisContractGuid);
      assert.equal(placed.length, 6);
      for (const c of placed) {
        const row = rows.find((r) => r.guid === c.gisContractGuid)!;
        assert.ok(row, `${c.externalId} in the stand`);
        assert.deepEqual([c.gisVersionGuid, c.gisStatus, c.gisState], [row.versionGuid, "Approved", "Running"]);
        const objects = await objectsOf(pds, c.id);
        assert.ok(
          objects.every((o) => o.gisObjectGuid === row.objects[0].objectVersionGuid),
          "object versions written back",
        );
        assert.ok(row.objects[0].services.length >= 2, "the objects' municipal services reached GIS");
      }
      assert.ok(
        first.summary.stages.find((s) => s.stage === "fund")!.objectsOk >= 6,
        `houses placed under the approved contracts: ${JSON.stringify(first.summary.stages.find((s) => s.stage === "fund"))}`,
      );

      // Forgotten locally: the pull finds them by our organization and house, nothing is placed twice.
      await setContract(
        pds,
        placed.map((c) => c.id),
        { gisContractGuid: null, gisRootGuid: null, gisVersionGuid: null, gisStatus: null, gisState: null, sync: { status: "not_sent" } },
      );
      const sync = await run("sync", ["contracts"]);
      assert.equal(sync.ops.filter((o) => o.method === "importContractData").length, 0, sync.ops.map((o) => o.method).join(","));
      const back = await findAt(
        pds,
        "contract",
        "id",
        placed.map((c) => c.id),
        STAND,
      );
      for (const c of back) assert.deepEqual([c.gisContractGuid, c.gisState], [placed.find((p) => p.id === c.id)!.gisContractGuid, "Running"], c.externalId);
      assert.equal([...tables(env.stand.store).contracts.values()].filter((r) => r.kind === "contract").length, rows.length, "no contract placed twice");
    } finally {
      await env.close();
    }
  });
});

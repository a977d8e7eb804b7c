/**
 * importSupplyResourceContractData: the sample and its variants valid in both official packages,
 * the builder's limits, the stand's rules (objects required, root/version GUIDs, a new version
 * keeps its objects' GUIDs), and a lost answer reconciled in a real pipeline run on SQLite and
 * PostgreSQL: every GUID column ends where an ordinary answer puts it (issue 15 §2).
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = process.env.GIS_SYNC_REDIS_PREFIX ?? `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { In } from "typeorm";
import { GisOperation, GisOperationItem, Organization } from "../../../entities";
import { importSupplyResourceContractData } from "../../../src/methods/house-management/import-supply-resource-contract-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { tables } from "../../../src/stand/domain/state";
import { makeOrganization } from "../../../src/stand";
import { objectsOf } from "../../../src/stand/rules/house-management/supply-contracts";
import { DB_KINDS, withTestDb } from "../../support/databases";
import { STAND } from "../../support/identity";
import { findAt } from "../../../src/storage/identity/store";
import { pipelineEnv } from "../../support/pipeline-env";
import { G, RSO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { IMPORT_SUPPLY_CONTRACT, IMPORT_SUPPLY_CONTRACT_VARIANTS, ref, src, srcCopy } from "./contracts-samples";

const m = importSupplyResourceContractData;
const build = (input: Parameters<typeof m.body>[0]) => buildMethodRequest(m, { orgPPAGUID: RSO }, input).xml;

test("importSupplyResourceContractData: the sample and every variant the pipeline uses are valid in both official packages", () => {
  assertValidInAllPackages(m, IMPORT_SUPPLY_CONTRACT);
  for (const [what, input] of IMPORT_SUPPLY_CONTRACT_VARIANTS) assert.doesNotThrow(() => assertValidInAllPackages(m, input), what);
});

test("importSupplyResourceContractData: the builder refuses what the schema or GIS refuses, naming the element", () => {
  const H = { orgPPAGUID: RSO };
  assert.throws(() => buildMethodRequest(m, H, { contracts: [{ transportGuid: G(1), contract: { ...src, subjects: [] } }] }), /ContractSubject — от 1 до 100/);
  assert.throws(
    () =>
      buildMethodRequest(m, H, {
        contracts: [
          {
            transportGuid: G(1),
            contract: { ...src, document: { kind: "contract", number: "1", signingDate: "2026-01-01", effectiveDate: "2026-01-01", attachments: [] } },
          },
        ],
      }),
    /ContractAttachment — от 1 до 100/,
  );
  assert.throws(
    () =>
      buildMethodRequest(m, H, {
        contracts: [{ transportGuid: G(1), contract: { ...src, party: { soleOwner: { person: { surname: "Иванов", firstName: "Иван" } } } } }],
      }),
    /СНИЛС или документ/,
  );
  assert.throws(
    () =>
      buildMethodRequest(m, H, {
        contracts: [
          { transportGuid: G(1), contractRootGuid: G(3), rollOver: { date: "2027-01-01" } },
          { transportGuid: G(2), contractRootGuid: G(3), annul: { reason: "x" } },
        ],
      }),
    /ContractRootGUID .* дважды/,
  );
  assert.throws(
    () =>
      buildMethodRequest(m, H, {
        contracts: [
          { transportGuid: G(1), contract: src },
          { transportGuid: G(2), contract: src },
        ],
      }),
    /TransportGUID «[0-9a-f-]+» встречается в запросе дважды/,
  );
  assert.throws(
    () => buildMethodRequest(m, H, { contracts: [{ transportGuid: G(1), contractGuid: G(2), contractRootGuid: G(3), rollOver: { date: "2027-01-01" } }] }),
    /contractGuid либо contractRootGuid/,
  );
  assert.throws(
    () => buildMethodRequest(m, H, { contracts: [{ transportGuid: G(1), contract: { ...src, billingDate: { day: 31, nextMonth: false } } }] }),
    /BillingDate — день от 1 до 30 или -1/,
  );
  assert.throws(() => buildMethodRequest(m, H, { contracts: [] }), /Contract — от 1 до 1000/);
});

test("importSupplyResourceContractData: the stand places a contract with its objects (SRV004003 without), gives root and version GUIDs; a new version keeps the objects' GUIDs", async () => {
  const store = newStandStore();
  const a = await runStand(
    store,
    m.name,
    build({
      contracts: [
        { transportGuid: G(10), contract: srcCopy(20) },
        { transportGuid: G(11), contract: { ...srcCopy(30), objects: [] } },
      ],
    }),
    RSO,
  );
  assertAnswerValid(a, "house-management");
  const placed = a.byTg(G(10));
  assert.deepEqual(placed.errors, []);
  assert.ok(placed.values.ContractRootGUID && placed.values.ContractGUID === placed.guid && placed.values.ContractRootGUID !== placed.guid);
  assert.equal(a.byTg(G(11)).errors[0].code, "SRV004003");
  const root = placed.values.ContractRootGUID;
  const before = objectsOf(store, root).map((o) => o.guid);
  assert.equal(before.length, 1, "the contract's object got its ObjectGUID");

  const v2 = await runStand(
    store,
    m.name,
    build({ contracts: [{ transportGuid: G(12), contractRootGuid: root, contract: srcCopy(40, { readingsPeriod: { start: 15, end: 25 } }) }] }),
    RSO,
  );
  const next = v2.byTg(G(12));
  assert.equal(next.values.ContractRootGUID, root, "the root GUID stays");
  assert.notEqual(next.values.ContractGUID, placed.values.ContractGUID, "a new version");
  assert.deepEqual(
    objectsOf(store, root).map((o) => o.guid),
    before,
    "the same object keeps its ObjectGUID",
  );
  assert.equal(tables(store).supplyContracts.get(root)!.versionNumber, 2);

  const old = await runStand(
    store,
    m.name,
    build({ contracts: [{ transportGuid: G(13), contractGuid: placed.values.ContractGUID, terminate: { date: "2026-12-31", reason: ref("4", 26) } }] }),
    RSO,
  );
  assert.equal(old.byTg(G(13)).errors[0].code, "INT002000", "an old version GUID is not the last one");
  const end = await runStand(
    store,
    m.name,
    build({ contracts: [{ transportGuid: G(14), contractGuid: next.values.ContractGUID, terminate: { date: "2026-12-31", reason: ref("4", 26) } }] }),
    RSO,
  );
  assert.deepEqual(end.byTg(G(14)).errors, []);
  assert.equal(tables(store).supplyContracts.get(root)!.versionStatus, "Terminated");
});

for (const kind of DB_KINDS) {
  test(`importSupplyResourceContractData (${kind}): every Ack lost — the reconciling export finds the contracts; root GUID in gisContractGuid and gisRootGuid, never in gisVersionGuid; the next sync fills the version`, async () => {
    await withTestDb(kind, async (ds) => {
      const env = await pipelineEnv(ds);
      try {
        const manager = await ds.getRepository(Organization).findOneByOrFail({ externalId: "O4" });
        env.stand.store.addOrganization(
          makeOrganization({
            ogrn: manager.ogrn!,
            inn: manager.inn!,
            kpp: manager.kpp,
            fullName: manager.fullName,
            shortName: manager.shortName ?? undefined,
            roles: ["UO"],
          }),
        );
        const run = async (mode: "push" | "sync", stages: Array<"services" | "contracts">) => {
          const r = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages, mode, trigger: "test" });
          await env.rt.waitForRun(r.id, undefined, 90_000);
          return ds.getRepository(GisOperation).findBy({ runId: r.id });
        };
        await run("sync", ["services"]);
        env.stand.setFaults({ rates: { lostAck: 1 }, operations: [m.name], seed: 1 });
        const ops = await run("push", ["contracts"]);
        const imports = ops.filter((o) => o.method === m.name);
        assert.ok(imports.length > 0, "contracts were sent");
        assert.deepEqual(
          imports.filter((o) => o.state === "failed").map((o) => `${o.errorCode} ${o.errorText}`),
          [],
          "no import failed for want of an answer",
        );
        const items = await ds.getRepository(GisOperationItem).findBy({ operationId: In(imports.map((o) => o.id)) });
        assert.ok(items.length > 0 && items.every((i) => i.outcome === "reconciled"), items.map((i) => i.outcome).join(","));

        const inStand = tables(env.stand.store).supplyContracts;
        const placed = await findAt(
          ds,
          "contract",
          "id",
          items.map((i) => i.objectId),
          STAND,
        );
        assert.equal(placed.length, inStand.size, "one contract in the stand per contract sent: nothing placed twice");
        for (const c of placed) {
          const row = inStand.get(c.gisRootGuid ?? "");
          assert.ok(row, `${c.externalId}: its gisRootGuid is the root GUID GIS holds`);
          assert.deepEqual(
            [c.gisContractGuid, c.gisRootGuid, c.gisVersionGuid, c.gisStatus, c.sync.status],
            [row.rootGuid, row.rootGuid, null, "Posted", "ok"],
            c.externalId,
          );
        }

        env.stand.setFaults({ rates: {} });
        await run("sync", ["contracts"]);
        for (const c of await findAt(
          ds,
          "contract",
          "id",
          placed.map((p) => p.id),
          STAND,
        )) {
          const row = inStand.get(c.gisRootGuid!)!;
          assert.deepEqual(
            [c.gisContractGuid, c.gisRootGuid, c.gisVersionGuid],
            [row.rootGuid, row.rootGuid, row.guid],
            `${c.externalId}: the export gave the version`,
          );
        }
        assert.equal(inStand.size, placed.length, "the sync placed nothing again");
        assert.deepEqual(env.stand.stats().duplicates, []);
      } finally {
        await env.close();
      }
    });
  });
}

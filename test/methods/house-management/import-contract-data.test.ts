/**
 * importContractData: the sample and its variants in both official packages (special characters
 * escaped), the builder's limits, the stand (placing auto-approves; the exports answer from its
 * state), and a lost answer reconciled in a real pipeline run: the contract's GUID lands where an
 * ordinary answer puts it, and a document whose version is not known yet is not edited blind.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = process.env.GIS_SYNC_REDIS_PREFIX ?? `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { In } from "typeorm";
import { Attachment, Contract, GisOperation, GisOperationItem, NsiItem, Organization } from "../../../entities";
import { importContractData } from "../../../src/methods/house-management/import-contract-data";
import { exportCAChData } from "../../../src/methods/house-management/export-cach-data";
import { exportStatusCAChData } from "../../../src/methods/house-management/export-status-cach-data";
import { buildMethodRequest } from "../../../src/transport/messages/build";
import { tables } from "../../../src/stand/domain/state";
import { makeOrganization } from "../../../src/stand";
import { withTestDb } from "../../support/databases";
import { STAND, reloadAt, saveAt } from "../../support/identity";
import { findAt } from "../../../src/storage/identity/store";
import { pipelineEnv } from "../../support/pipeline-env";
import { G, UO, assertAnswerValid, assertValidInAllPackages, newStandStore, runStand } from "../../support/method-harness";
import { IMPORT_CONTRACT, IMPORT_CONTRACT_VARIANTS, placeContract } from "./contracts-samples";

const m = importContractData;
const H = { orgPPAGUID: UO };

test("importContractData: the sample and every variant (edit, approve, roll over, terminate, annul) are valid in both official packages", () => {
  assertValidInAllPackages(m, IMPORT_CONTRACT);
  for (const [what, input] of IMPORT_CONTRACT_VARIANTS) assert.doesNotThrow(() => assertValidInAllPackages(m, input), what);
  assert.ok(buildMethodRequest(m, H, IMPORT_CONTRACT_VARIANTS[0][1]).container.includes("&amp;"), "special characters escaped in contracts");
});

test("importContractData: the builder refuses batches outside the schema's limits and impossible inputs, naming the element", () => {
  assert.throws(
    () =>
      buildMethodRequest(m, H, { contracts: Array.from({ length: 101 }, (_, k) => ({ transportGuid: G(6000 + k), approve: { contractVersionGuid: G(1) } })) }),
    /Contract — от 1 до 100/,
  );
  assert.throws(
    () => buildMethodRequest(m, H, { contracts: [{ transportGuid: G(1), place: { ...placeContract, attachments: [] } }] }),
    /ContractAttachment — от 1/,
  );
  assert.throws(
    () => buildMethodRequest(m, H, { contracts: [{ transportGuid: G(1), place: { ...placeContract, dates: { payment: { day: 31, nextMonth: false } } } }] }),
    /DateDetails/,
  );
  assert.throws(
    () =>
      buildMethodRequest(m, H, {
        contracts: [{ transportGuid: G(1), place: { ...placeContract, dates: { ...placeContract.dates, payment: { day: 31, nextMonth: false } } } }],
      }),
    /от 1 до 30/,
  );
  assert.throws(
    () =>
      buildMethodRequest(m, H, {
        contracts: [
          { transportGuid: G(1), approve: { contractVersionGuid: G(3) } },
          { transportGuid: G(2), annul: { contractVersionGuid: G(3), reason: "x" } },
        ],
      }),
    /ContractVersionGUID .* дважды/,
  );
  assert.throws(() => buildMethodRequest(m, H, { contracts: [{ transportGuid: G(1), place: { ...placeContract, objects: [] } }] }), /ContractObject — от 1/);
});

test("importContractData: placing auto-approves (Approved/Running, version 1) and the exports answer from the stand's state, valid per XSD", async () => {
  const store = newStandStore();
  const answer = await runStand(store, m.name, buildMethodRequest(m, H, IMPORT_CONTRACT).xml, UO);
  assertAnswerValid(answer, "house-management");
  const r = answer.byTg(G(100));
  assert.deepEqual(r.errors, []);
  assert.deepEqual([r.values.ContractStatus, r.values.State, r.values.VersionNumber, r.values.ContractGUID], ["Approved", "Running", "1", r.guid]);
  const status = await runStand(
    store,
    exportStatusCAChData.name,
    buildMethodRequest(exportStatusCAChData, H, { criteria: [{ contractGuid: r.guid! }] }).xml,
    UO,
  );
  assert.match(status.xml, /<hm:ContractStatus>Approved<\/hm:ContractStatus><hm:State>Running<\/hm:State>/);
  const full = await runStand(
    store,
    exportCAChData.name,
    buildMethodRequest(exportCAChData, H, { criteria: [{ contractVersionGuid: r.values.ContractVersionGUID }] }).xml,
    UO,
  );
  assertAnswerValid(full, "house-management");
  assert.match(full.xml, /<hm:DocNum>ДУ-7\/2026 «Центр»<\/hm:DocNum>/);
  // An edit of the version GIS holds makes version 2; the old version is history.
  const { objects: _objects, ...head } = placeContract;
  const edit = { transportGuid: G(101), edit: { ...head, contractVersionGuid: r.values.ContractVersionGUID } };
  const v2 = (await runStand(store, m.name, buildMethodRequest(m, H, { contracts: [edit] }).xml, UO)).byTg(G(101));
  assert.deepEqual([v2.errors, v2.values.VersionNumber, v2.guid], [[], "2", r.guid]);
  assert.equal(
    (await runStand(store, m.name, buildMethodRequest(m, H, { contracts: [{ ...edit, transportGuid: G(102) }] }).xml, UO)).byTg(G(102)).errors[0].code,
    "INT002000",
  );
});

test("importContractData (sqlite, УО): every Ack lost — the reconciling export finds the contracts by organization and house; their GUID lands in gisContractGuid/gisRootGuid; a change waits for the version", async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds);
    try {
      const us = env.ours;
      await ds.getRepository(Organization).update(us.id, { role: "UO" });
      const ours = await ds.getRepository(Contract).find({ order: { id: "ASC" } });
      await ds.getRepository(Contract).update({ id: In(ours.map((c) => c.id)) }, { kind: "management", plannedEndDate: "2030-12-31" });
      for (const c of ours) {
        await saveAt(ds, "attachment", {
          ownerType: "contract",
          ownerId: c.id,
          fileName: `${c.externalId}.pdf`,
          storagePath: `${c.externalId}.pdf`,
          name: `Договор ${c.number}`,
          description: "Договор управления",
          documentType: null,
          sizeBytes: 1,
          hash: null,
          gisAttachmentGuid: crypto.randomUUID(),
          uploadedAt: new Date(),
        });
      }
      await ds.getRepository(NsiItem).insert({
        registryNumber: 58,
        listGroup: "NSI",
        organizationId: null,
        code: "1",
        guid: G(958),
        name: "Решение собрания собственников",
        fields: null,
        parentGuid: null,
        isActual: true,
        modifiedAt: null,
      });
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
        const r = await env.rt.pipeline.startRun({ stand: "local", organizationId: us.id, stages, mode, trigger: "test" });
        await env.rt.waitForRun(r.id, undefined, 90_000);
        return ds.getRepository(GisOperation).findBy({ runId: r.id });
      };
      await run("sync", ["services"]);
      env.stand.setFaults({ rates: { lostAck: 1 }, operations: [m.name], seed: 1 });
      const ops = await run("push", ["contracts"]);
      const imports = ops.filter((o) => o.method === m.name);
      assert.ok(imports.length > 0);
      const items = await ds.getRepository(GisOperationItem).findBy({ operationId: In(imports.map((o) => o.id)) });
      assert.ok(items.length > 0 && items.every((i) => i.outcome === "reconciled"), items.map((i) => i.outcome).join(","));
      const rows = [...tables(env.stand.store).contracts.values()].filter((r) => r.kind === "contract");
      const placed = await findAt(
        ds,
        "contract",
        "id",
        items.map((i) => i.objectId),
        STAND,
      );
      assert.equal(rows.length, placed.length, "nothing placed twice");
      for (const c of placed) {
        const row = rows.find((r) => r.guid === c.gisContractGuid);
        assert.ok(row, `${c.externalId}: gisContractGuid is the ContractGUID GIS holds`);
        assert.deepEqual([c.gisRootGuid, c.gisVersionGuid, c.sync.status], [row.guid, null, "ok"], c.externalId);
      }
      // Changed before GIS was asked again: not edited blind, not placed twice.
      const prepared = await m.descriptor!.prepare(ds, [placed[0].id], {
        organizationId: us.id,
        role: "UO",
        stand: STAND,
        orgPPAGUID: (await reloadAt(ds, "organization", us.id)).gisOrgPpaGuid!,
        now: new Date(),
        setting: () => null,
      });
      assert.deepEqual(
        prepared.rejected.map((r) => [r.code, r.field]),
        [["PRE_NO_VERSION", "gisVersionGuid"]],
      );

      env.stand.setFaults({ rates: {} });
      await run("sync", ["contracts"]);
      for (const c of await findAt(
        ds,
        "contract",
        "id",
        placed.map((p) => p.id),
        STAND,
      )) {
        const row = rows.find((r) => r.guid === c.gisContractGuid)!;
        assert.deepEqual(
          [c.gisRootGuid, c.gisVersionGuid, c.gisStatus],
          [row.guid, row.versionGuid, "Approved"],
          `${c.externalId}: the export gave the version`,
        );
      }
      assert.equal([...tables(env.stand.store).contracts.values()].filter((r) => r.kind === "contract").length, rows.length, "the sync placed nothing again");
    } finally {
      await env.close();
    }
  });
});

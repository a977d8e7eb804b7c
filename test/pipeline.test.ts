/**
 * The pipeline end to end: BullMQ workers on the local Redis, the built-in stand over HTTP with
 * signatures and certificates checked, the demo organization's data.
 */
import "reflect-metadata";
import crypto from "node:crypto";
process.env.GIS_SYNC_REDIS_PREFIX = `gis-sync-test-${crypto.randomBytes(4).toString("hex")}`;
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTestDb } from "./support/databases";
import { pipelineEnv } from "./support/pipeline-env";
import { GisOperation, Organization, PipelineRun } from "../entities";
import { verifyArchive } from "../src/archive";

test("pipeline: the services stage runs against the stand — orgPPAGUID from the registry, NSI, private services; every operation final and applied once", async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds);
    try {
      const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["services"], mode: "sync", trigger: "test" });
      const summary = await env.rt.waitForRun(run.id, undefined, 60_000);
      const ops = await ds.getRepository(GisOperation).findBy({ runId: run.id });
      assert.ok(ops.length > 0, "operations were made");
      assert.deepEqual(ops.filter((o) => !o.appliedAt).map((o) => `${o.method} ${o.state} ${o.errorText}`), [], "every operation applied");
      const ours = await ds.getRepository(Organization).findOneByOrFail({ id: env.ours.id });
      const inStand = env.stand.store.organizations().find((o) => o.ogrn === ours.ogrn)!;
      assert.equal(ours.gisOrgPpaGuid, inStand.orgPPAGUID, "exportOrgRegistry wrote the orgPPAGUID GIS knows");
      assert.equal((await ds.getRepository(PipelineRun).findOneByOrFail({ id: run.id })).state, summary.state);
      assert.ok(summary.stages.find((s) => s.stage === "services")!.objectsOk > 0, JSON.stringify(summary));
      assert.deepEqual(env.stand.stats().duplicates, []);
      assert.equal((await verifyArchive(ds)).ok, true);
    } finally {
      await env.close();
    }
  });
});

/**
 * No hangs: an answer that cannot be applied marks its operation APPLY after a bounded number of
 * attempts and the run moves on; a run whose organization got no orgPPAGUID stops at the first
 * step that needs it with one clear error instead of failing every later operation; a run whose
 * stand stops answering ends with the stand, its address and what was tried.
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DataSource, In } from "typeorm";
import IORedis from "ioredis";
import { GisOperation, GisOperationItem, MessageLog, Organization, PipelineRun } from "../entities";
import { withTestDb } from "./support/databases";
import { REDIS_URL } from "./support/pipeline-env";
import { writeDemoBundle } from "../src/generator/demo";
import { importPath } from "../src/importer/import-run";
import { generateTestKey } from "../src/signing/keygen";
import { SoftwareSigner } from "../src/signing/software-signer";
import { RunningStand, makeOrganization, startStand } from "../src/stand";
import { PipelineRuntime, openPipeline } from "../src/runtime/pipeline-runtime";
import { STAGE_DESCRIPTORS } from "../src/runtime/descriptors";
import { DescriptorSource } from "../src/queue/plan";
import { REDIS_PREFIX } from "../src/queue/names";
import { setSetting } from "../src/settings/settings";
import { STAGES } from "../src/stages/descriptor";

interface Env {
  ds: DataSource;
  stand: RunningStand;
  rt: PipelineRuntime;
  ours: Organization;
  close(): Promise<void>;
}

async function env(ds: DataSource, o: { descriptors?: DescriptorSource; registerOurs?: boolean } = {}): Promise<Env> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-failures-"));
  await writeDemoBundle(dir);
  await importPath(ds, dir, { author: "test" });
  const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  const key = await generateTestKey({ commonName: ours.shortName ?? ours.fullName, days: 365 });
  const organizations =
    o.registerOurs === false
      ? []
      : [
          makeOrganization({
            ogrn: ours.ogrn!,
            inn: ours.inn!,
            kpp: ours.kpp,
            fullName: ours.fullName,
            roles: [ours.role === "UO" ? "UO" : "RSO"],
            certificatePem: key.certPem,
          }),
        ];
  const stand = await startStand({ organizations, latency: { receivedMs: 0, processingMs: 0 }, log: () => undefined });
  const rt = await openPipeline(ds, {
    stand: "local",
    url: stand.url,
    redisUrl: REDIS_URL,
    workers: true,
    descriptors: o.descriptors,
    signer: SoftwareSigner.fromPem(key.keyPem, key.certPem),
    schedule: { delaysMs: [5, 20, 50], processingDelayMs: 5, maxWaitMs: 60_000 },
  });
  return {
    ds,
    stand,
    rt,
    ours,
    async close() {
      await rt.close();
      await stand.close().catch(() => undefined);
      const r = new IORedis(REDIS_URL);
      const keys = await r.keys(`${REDIS_PREFIX}:*`);
      for (let i = 0; i < keys.length; i += 500) await r.del(...keys.slice(i, i + 500));
      r.disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test("an answer that cannot be applied: the operation gets APPLY after a bounded number of attempts, the run ends", { timeout: 120_000 }, async () => {
  await withTestDb("sqlite", async (ds) => {
    let tries = 0;
    // As a final answer that no longer parses, or a GIS value longer than its column on PostgreSQL, would.
    const descriptors: DescriptorSource = {
      ...STAGE_DESCRIPTORS,
      byMethod: (m) => {
        const d = STAGE_DESCRIPTORS.byMethod(m);
        return d && m === "exportNsiItem"
          ? {
              ...d,
              apply: async () => {
                tries++;
                throw new Error("value too long for type character varying(36)");
              },
            }
          : d;
      },
    };
    const e = await env(ds, { descriptors });
    try {
      const run = await e.rt.pipeline.startRun({ stand: "local", organizationId: e.ours.id, stages: ["services"], mode: "sync", trigger: "test" });
      const summary = await e.rt.waitForRun(run.id, undefined, 90_000);
      assert.equal(summary.state, "done_with_errors");
      const ops = await ds.getRepository(GisOperation).findBy({ runId: run.id, method: "exportNsiItem" });
      assert.ok(ops.length > 0);
      for (const op of ops) {
        assert.equal(op.errorCode, "APPLY");
        assert.ok(op.appliedAt, "marked applied: the sweep does not re-queue it");
        assert.match(op.errorText!, /не удалось применить.*value too long/);
      }
      const items = await ds.getRepository(GisOperationItem).findBy({ operationId: In(ops.map((o) => o.id)) });
      assert.ok(items.every((i) => i.outcome === "error" && i.errorCode === "APPLY"));
      assert.ok(tries >= ops.length * 2 && tries <= ops.length * 6, `bounded attempts (${tries} for ${ops.length})`);
      const services = summary.stages.find((s) => s.stage === "services")!;
      assert.ok(services.errorsByCode.APPLY > 0, JSON.stringify(services));
      assert.ok(services.objectsOk > 0, "the other steps did their work");
    } finally {
      await e.close();
    }
  });
});

test("no orgPPAGUID after exportOrgRegistry: the run stops at the first step that needs it, with one clear error", { timeout: 120_000 }, async () => {
  await withTestDb("sqlite", async (ds) => {
    const e = await env(ds, { registerOurs: false });
    try {
      const run = await e.rt.pipeline.startRun({ stand: "local", organizationId: e.ours.id, stages: [...STAGES], mode: "sync", trigger: "test" });
      const summary = await e.rt.waitForRun(run.id, undefined, 60_000);
      assert.equal(summary.state, "failed");
      assert.match(summary.errorText ?? "", /нет идентификатора ГИС ЖКХ orgPPAGUID/);
      assert.match(summary.errorText ?? "", /exportOrgRegistry/);
      const ops = await ds.getRepository(GisOperation).findBy({ runId: run.id });
      // Only methods under ISRequestHeader (no orgPPAGUID) may have gone, in whatever order `after` puts them.
      const sent = [...new Set(ops.map((o) => o.method))];
      assert.ok(sent.includes("exportOrgRegistry"), sent.join(", "));
      assert.deepEqual(
        sent.filter((m) => !["exportOrgRegistry", "exportNsiItem", "exportDataProvider"].includes(m)),
        [],
        "only what needs no orgPPAGUID was sent",
      );
      assert.equal(ops.filter((o) => o.errorCode === "BUILD").length, 0, "no operation failed for want of orgPPAGUID");
      const lines = await ds.getRepository(MessageLog).findBy({ runId: run.id, code: "PREREQUISITE" });
      assert.equal(lines.length, 1, "one journal line");
      assert.equal((await ds.getRepository(PipelineRun).findOneByOrFail({ id: run.id })).state, "failed");
    } finally {
      await e.close();
    }
  });
});

test("a stand that stops answering mid-run: the run ends with the stand, its address and what was tried, within the bound", { timeout: 120_000 }, async () => {
  await withTestDb("sqlite", async (ds) => {
    await setSetting(ds, "exchange.unreachableSeconds", 3);
    const e = await env(ds);
    try {
      const first = await e.rt.pipeline.startRun({ stand: "local", organizationId: e.ours.id, stages: ["services"], mode: "sync", trigger: "test" });
      assert.notEqual((await e.rt.waitForRun(first.id, undefined, 60_000)).state, "failed");
      await e.stand.close();
      const started = Date.now();
      const run = await e.rt.pipeline.startRun({ stand: "local", organizationId: e.ours.id, stages: ["services", "accounts"], mode: "sync", trigger: "test" });
      const summary = await e.rt.waitForRun(run.id, undefined, 60_000);
      assert.equal(summary.state, "failed");
      assert.ok(Date.now() - started < 30_000, `ended in ${Date.now() - started} ms`);
      assert.match(
        summary.errorText ?? "",
        /Стенд ГИС ЖКХ «local» \(http:\/\/127\.0\.0\.1:\d+\) не отвечает \d+ с: запросов без ответа \d+, последний — POST \/ext-bus-/,
      );
      const p = await e.rt.progress(run.id);
      assert.equal(p.state, "failed");
    } finally {
      await e.close();
    }
  });
});

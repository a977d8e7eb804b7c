/**
 * The pipeline for tests, end to end and for real: the demo bundle imported into a test database,
 * the built-in stand in-process (schema, signatures and certificates checked), our organization and
 * the managing organization registered in it with their own test keys, BullMQ on the local Redis
 * (a private key prefix per test run, removed afterwards), and workers in this process.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import IORedis from "ioredis";
import { Organization } from "../../entities";
import { writeDemoBundle } from "../../src/generator/demo";
import { importPath } from "../../src/importer/import-run";
import { generateTestKey } from "../../src/signing/keygen";
import { SoftwareSigner } from "../../src/signing/software-signer";
import { RunningStand, startStand, makeOrganization, FaultConfig } from "../../src/stand";
import { PipelineRuntime, openPipeline } from "../../src/runtime/pipeline-runtime";
import { REDIS_PREFIX } from "../../src/queue/names";
import { setSetting } from "../../src/settings/settings";
import { seedManagedFund } from "../../src/runtime/demo-fund";

export const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";

export interface PipelineEnv {
  ds: DataSource;
  stand: RunningStand;
  rt: PipelineRuntime;
  ours: Organization;
  /** The installation's certificate (PEM): what signs for our organization. */
  certPem: string;
  close(): Promise<void>;
}

/**
 * `fund`: as the demo does — the services stage runs (NSI, registry), then a managing organization
 * places the housing fund in the stand, so our resource supply organization finds its houses there.
 */
export async function pipelineEnv(ds: DataSource, o: { faults?: FaultConfig; workers?: boolean; fund?: boolean } = {}): Promise<PipelineEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-pipeline-"));
  await writeDemoBundle(dir);
  await importPath(ds, dir, { author: "test" });
  const ours = await ds.getRepository(Organization).findOneByOrFail({ isOurs: true });
  // As an installation is set up: which of "our" organizations the installation's key is (a bundle may bring more).
  await setSetting(ds, "gis.ourOrganizationId", ours.id, "test");
  const key = await generateTestKey({ commonName: ours.shortName ?? ours.fullName, days: 365 });
  const stand = await startStand({
    organizations: [
      makeOrganization({
        ogrn: ours.ogrn!,
        inn: ours.inn!,
        kpp: ours.kpp,
        fullName: ours.fullName,
        shortName: ours.shortName ?? undefined,
        roles: [ours.role === "UO" ? "UO" : "RSO"],
        certificatePem: key.certPem,
      }),
    ],
    faults: o.faults,
    latency: { receivedMs: 0, processingMs: 0 },
    log: () => undefined,
  });
  const rt = await openPipeline(ds, {
    stand: "local",
    url: stand.url,
    redisUrl: REDIS_URL,
    workers: o.workers ?? true,
    signer: SoftwareSigner.fromPem(key.keyPem, key.certPem),
    schedule: { delaysMs: [5, 20, 50], processingDelayMs: 5, maxWaitMs: 60_000 },
  });
  if (o.fund) {
    const run = await rt.pipeline.startRun({ stand: "local", organizationId: ours.id, stages: ["services"], mode: "sync", trigger: "test" });
    await rt.waitForRun(run.id, undefined, 60_000);
    await seedManagedFund(ds, stand, ours.id);
  }
  return {
    ds,
    stand,
    rt,
    ours,
    certPem: key.certPem,
    async close() {
      await rt.close();
      await stand.close();
      const r = new IORedis(REDIS_URL);
      const keys = await r.keys(`${REDIS_PREFIX}:*`);
      for (let i = 0; i < keys.length; i += 500) await r.del(...keys.slice(i, i + 500));
      r.disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The per-run cap on requests in flight (pipeline.maxInFlight): an operation over the cap waits
 * (nothing is sent), and it is released when an operation of the run has been applied.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTestDb } from "./support/databases";
import { createOperation, transition } from "../src/exchange/operation-store";
import { Enqueuer, Pipeline } from "../src/queue/pipeline";
import { STAGE_DESCRIPTORS } from "../src/runtime/descriptors";
import { setSetting } from "../src/settings/settings";
import { GisOperation, Organization, PipelineRun } from "../entities";
import { inFlight, releaseWaiting } from "../src/queue/in-flight";

class RecordingQueue implements Enqueuer {
  readonly jobs: string[] = [];
  async prepare(runId: string, step: number, lane?: number) {
    this.jobs.push(`prepare ${runId}.${step}.${lane}`);
  }
  async send(opId: string) {
    this.jobs.push(`send ${opId}`);
  }
  async poll(opId: string) {
    this.jobs.push(`poll ${opId}`);
  }
  async apply(opId: string) {
    this.jobs.push(`apply ${opId}`);
  }
}

test("in-flight cap: with pipeline.maxInFlight = 1 the second operation of a run waits, unsent, until the first is applied", async () => {
  await withTestDb("sqlite", async (ds) => {
    const org = (await ds.getRepository(Organization).save({
      externalId: "org-1",
      fullName: "ООО «Тест»",
      ogrn: "1027700000001",
      inn: "7700000001",
      isOurs: true,
      role: "RSO",
    } as never)) as unknown as Organization;
    await setSetting(ds, "pipeline.maxInFlight", 1);
    const run = await ds.getRepository(PipelineRun).save({
      id: "00000000-0000-4000-8000-000000000001",
      stand: "local",
      organizationId: org.id,
      stages: "accounts",
      mode: "push",
      scope: null,
      state: "running",
      step: 0,
      preparedStep: -1,
      author: null,
      trigger: "test",
      startedAt: new Date(),
      finishedAt: null,
      errorText: null,
    });
    const queue = new RecordingQueue();
    const exchanged: number[] = [];
    const pipeline = new Pipeline(
      ds,
      STAGE_DESCRIPTORS,
      async () => {
        exchanged.push(1);
        throw new Error("nothing is sent in this test");
      },
      queue,
    );
    const make = () =>
      createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        stage: "accounts",
        organizationId: org.id,
        runId: run.id,
        items: [{ objectType: "account", objectId: 1 }],
      });
    const first = await make();
    const second = await make();
    await transition(ds, first.id, ["created"], "validated");
    await transition(ds, first.id, ["validated"], "signed", { attempts: 1 });
    await transition(ds, first.id, ["signed"], "sent");
    assert.equal(await inFlight({ ds } as never, run.id), 1);

    // The second one's send job: over the cap, it waits (no exchange asked for), stamped as waiting.
    assert.equal(await pipeline.advanceOperation(second.id), "created");
    assert.deepEqual(exchanged, [], "nothing sent over the cap");
    const waiting = await ds.getRepository(GisOperation).findOneByOrFail({ id: second.id });
    assert.ok(waiting.nextPollAt, "stamped as waiting");

    // Not released while the first is on its way…
    await releaseWaiting({ ds, queue } as never, run);
    assert.deepEqual(
      queue.jobs.filter((j) => j.startsWith("send")),
      [],
    );
    // …released once it is final and applied.
    await transition(ds, first.id, ["sent"], "done");
    await ds.getRepository(GisOperation).update({ id: first.id }, { appliedAt: new Date() });
    await releaseWaiting({ ds, queue } as never, run);
    assert.deepEqual(
      queue.jobs.filter((j) => j.startsWith("send")),
      [`send ${second.id}`],
    );
  });
});

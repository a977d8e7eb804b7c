/**
 * Recovery of a reconciling import: the sweep finds every open operation, the reconciling export
 * child among them. The child has only the export's method; its import knows how to build it for
 * the import's objects. So the child is never driven on its own: its job is its import's, and a
 * child left open by an import that ended is cancelled.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTestDb } from "./support/databases";
import { RECONCILE_TRIGGER, createOperation, transition } from "../src/exchange/operation-store";
import { Enqueuer, Pipeline } from "../src/queue/pipeline";
import { STAGE_DESCRIPTORS } from "../src/runtime/descriptors";
import { GisOperation } from "../entities";

/** The queue as the pipeline sees it, keeping what it was asked to queue. */
class RecordingQueue implements Enqueuer {
  readonly jobs: string[] = [];
  async prepare(runId: string, step: number) {
    this.jobs.push(`prepare ${runId}.${step}`);
  }
  async send(opId: string, _delay: number, key: string) {
    this.jobs.push(`send ${opId} ${key}`);
  }
  async poll(opId: string, _delay: number, key: string) {
    this.jobs.push(`poll ${opId} ${key}`);
  }
  async apply(opId: string) {
    this.jobs.push(`apply ${opId}`);
  }
}

test("recovery: a reconciling export found by the sweep is driven through its import, with the import's recipe; left open by an ended import, it is cancelled", async () => {
  await withTestDb("sqlite", async (ds) => {
    const queue = new RecordingQueue();
    // Which organization's exchange each advance asked for (parent and child differ here to tell them apart).
    const asked: Array<number | null> = [];
    const noExchange = async (organizationId: number | null) => {
      asked.push(organizationId);
      throw new Error("nothing is sent in this test");
    };
    const pipeline = new Pipeline(ds, STAGE_DESCRIPTORS, noExchange, queue);
    const parent = await createOperation(ds, {
      stand: "local",
      service: "house-management",
      method: "importMeteringDeviceData",
      stage: "meters",
      organizationId: 1,
      items: [{ objectType: "meter", objectId: 7 }],
    });
    await transition(ds, parent.id, ["created"], "validated");
    await transition(ds, parent.id, ["validated"], "signed", { attempts: 1 });
    await transition(ds, parent.id, ["signed"], "reconciling");
    const child = await createOperation(ds, {
      stand: "local",
      service: "house-management",
      method: "exportMeteringDeviceData",
      stage: "meters",
      organizationId: 2,
      parentId: parent.id,
      trigger: RECONCILE_TRIGGER,
      items: [{ objectType: "meter", objectId: 7 }],
    });

    // The sweep schedules the open child: the job queued is the import's (a poll of the reconciling import).
    assert.equal(await pipeline.schedule(child.id), "reconciling");
    assert.equal(queue.jobs.length, 1);
    assert.match(queue.jobs[0], new RegExp(`^poll ${parent.id} ${parent.id}\\.reconciling\\..*\\.${child.id}\\.created\\.`));
    assert.ok(!queue.jobs.some((j) => j.startsWith(`send ${child.id}`)), "no job of the child's own");

    // A job already queued for the child alone (by an older worker) advances the import instead.
    await assert.rejects(pipeline.advanceOperation(child.id), /nothing is sent in this test/);
    assert.deepEqual(asked, [1], "the advance is the import's");

    // The import ends (cancelled by the operator): the child it left open is cancelled, not sent.
    await transition(ds, parent.id, ["reconciling"], "cancelled");
    assert.equal(await pipeline.schedule(child.id), "cancelled");
    const after = await ds.getRepository(GisOperation).findOneByOrFail({ id: child.id });
    assert.equal(after.state, "cancelled");
    assert.match(after.errorText!, /основная операция завершена/);
  });
});

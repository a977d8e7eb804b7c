import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { DB_KINDS, withTestDb } from "./support/databases";
import { claimDuePolls, createOperation, isLegal, rebuildForResend, settleParent, transition } from "../src/exchange/operation-store";
import { GisOperation, GisOperationItem } from "../entities";

for (const kind of DB_KINDS) {
  test(`${kind}: operation record walks its state machine; racing workers — exactly one wins`, async () => {
    await withTestDb(kind, async (ds) => {
      const op = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method: "importAccountData",
        stage: "accounts",
        items: [
          { objectType: "account", objectId: 1 },
          { objectType: "account", objectId: 2 },
        ],
      });
      const items = await ds.getRepository(GisOperationItem).findBy({ operationId: op.id });
      assert.equal(items.length, 2);
      assert.ok(
        items.every((i) => /^[0-9a-f-]{36}$/.test(i.transportGuid)),
        "each item has its TransportGUID",
      );
      assert.equal(await transition(ds, op.id, ["created"], "validated"), true);
      assert.equal(await transition(ds, op.id, ["validated"], "signed", { messageGuid: crypto.randomUUID(), attempts: 1 }), true);
      const race = await Promise.all([1, 2, 3].map(() => transition(ds, op.id, ["signed"], "sent", { gisMessageGuid: crypto.randomUUID() })));
      assert.deepEqual(race.filter(Boolean).length, 1, "exactly one worker sends");
      assert.equal(isLegal("done", "sent"), false);
      await assert.rejects(transition(ds, op.id, ["done"], "sent"), /Illegal operation transition done → sent/);
      const sent = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
      assert.equal(await rebuildForResend(ds, sent, crypto.randomUUID()), true, "EXP001000: rebuilt resend");
      assert.equal(await rebuildForResend(ds, sent, crypto.randomUUID()), false, "a stale copy cannot rebuild twice");
      const back = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
      assert.equal(back.state, "signed");
      assert.equal(back.attempts, 2);
      assert.equal(back.gisMessageGuid, null);
      assert.equal(await transition(ds, op.id, ["signed", "sent", "processing"], "failed", { errorCode: "AUT011000" }), true);
      assert.ok((await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id })).finishedAt, "final states stamp finishedAt");
      assert.equal(await transition(ds, op.id, ["signed"], "sent"), false, "a failed operation stays failed");
    });
  });

  test(`${kind}: due polls are claimed by one worker each; split batches settle their parent`, async () => {
    await withTestDb(kind, async (ds) => {
      const past = new Date(Date.now() - 1000);
      const parent = await createOperation(ds, { stand: "local", service: "device-metering", method: "importMeteringDeviceValues", items: [] });
      await ds.getRepository(GisOperation).update(parent.id, { state: "processing" });
      const children = [];
      for (let i = 0; i < 6; i++) {
        const c = await createOperation(ds, {
          stand: "local",
          service: "device-metering",
          method: "importMeteringDeviceValues",
          parentId: parent.id,
          items: [{ objectType: "meter_reading", objectId: i }],
        });
        await ds.getRepository(GisOperation).update(c.id, { state: "sent", nextPollAt: past });
        children.push(c);
      }
      const [a, b] = await Promise.all([claimDuePolls(ds, 4, 60_000), claimDuePolls(ds, 4, 60_000)]);
      const ids = [...a, ...b].map((o) => o.id);
      assert.equal(new Set(ids).size, ids.length, "no operation claimed twice");
      assert.equal(ids.length, 6, "all due polls claimed");
      assert.deepEqual(await claimDuePolls(ds, 10, 60_000), [], "leased ones are not due");

      for (const c of children.slice(0, 5)) await transition(ds, c.id, ["sent"], "done");
      assert.equal(await settleParent(ds, parent.id), null, "a child still running");
      await transition(ds, children[5].id, ["sent"], "failed");
      assert.equal(await settleParent(ds, parent.id), "done_with_errors");
      assert.equal((await ds.getRepository(GisOperation).findOneByOrFail({ id: parent.id })).state, "done_with_errors");
    });
  });
}

/**
 * Polling like a client that knows GIS: short first polls, the learned processing time of a method
 * moves them near the expected finish (and lets the estimate shrink), the long tail stays, and a
 * cap keeps getState per service under a rate.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { GisOperation } from "../entities";
import { DEFAULT_POLL_DELAYS, nextPollDelay, parseDelays, PollSchedule } from "../src/exchange/backoff";
import { takePollSlot } from "../src/exchange/poll-rate";
import { expectedProcessingMs, forgetProcessingTimes } from "../src/exchange/processing-times";
import { loadPollSchedule } from "../src/exchange/settings";
import { DB_KINDS, withTestDb } from "./support/databases";

const schedule: PollSchedule = { delaysMs: parseDelays(DEFAULT_POLL_DELAYS), processingDelayMs: null, maxWaitMs: 24 * 3_600_000, learn: true };

test("polling: the default table starts at 1 s and ends in GIS's 30-minute tail", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => nextPollDelay(schedule, n, 1, 0)),
    [1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 1_800_000],
  );
});

test("polling: a learned processing time puts the first polls near the expected finish, never a whole table step late", () => {
  assert.equal(nextPollDelay(schedule, 0, null, 0, 20_000), 16_000, "80 % of the expected 20 s");
  assert.equal(nextPollDelay(schedule, 1, 1, 16_000, 20_000), 2000, "past the estimate: the table again");
  assert.equal(nextPollDelay(schedule, 0, null, 0, 500), 1000, "an estimate under the first step changes nothing");
  assert.equal(nextPollDelay({ ...schedule, learn: false }, 0, null, 0, 20_000), 1000, "learning off");
  assert.equal(nextPollDelay({ ...schedule, maxWaitMs: 10_000 }, 0, null, 0, 20_000), null, "the waiting budget still holds");
  assert.equal(nextPollDelay(schedule, 0, null, 0, 3_000_000), 300_000, "a learned estimate puts a poll off by 5 minutes at most");
  assert.equal(nextPollDelay(schedule, 0, null, 0, 5000), 4000, "80 % of a short estimate");
});

for (const kind of DB_KINDS) {
  test(`polling (${kind}): the expected time is learned per method, stand and batch size from answered operations`, async () => {
    await withTestDb(kind, async (ds) => {
      const repo = ds.getRepository(GisOperation);
      const t0 = Date.UTC(2026, 10, 20, 7, 0, 0);
      const op = (method: string, items: number, ms: number, state: GisOperation["state"] = "done", stand: GisOperation["stand"] = "local") =>
        repo.insert({
          id: crypto.randomUUID(),
          stand,
          service: "house-management",
          method,
          state,
          itemCount: items,
          attempts: 1,
          polls: 1,
          createdAt: new Date(t0),
          sentAt: new Date(t0),
          answeredAt: new Date(t0 + ms),
        } as Partial<GisOperation>);
      assert.equal(await expectedProcessingMs(ds, "importAccountData", "local", 100), null, "nothing learned yet");
      forgetProcessingTimes(ds);
      await op("importAccountData", 100, 4000);
      await op("importAccountData", 120, 6000);
      await op("importAccountData", 10, 500);
      await op("importAccountData", 100, 90_000, "failed");
      await op("importAccountData", 100, 60_000, "done", "sit01");
      assert.equal(
        await expectedProcessingMs(ds, "importAccountData", "local", 100),
        4000,
        "lower quartile of the batches of a similar size, done ones of this stand only",
      );
      assert.equal(await expectedProcessingMs(ds, "importAccountData", "local", 1000), 40 * 1000, "no similar batch: time per object scaled");
      // An answer held up by our own trouble (faults, a client down for 40 minutes) does not move the estimate.
      await op("importAccountData", 100, 2_400_000);
      await op("importAccountData", 100, 5000);
      forgetProcessingTimes(ds);
      assert.equal(await expectedProcessingMs(ds, "importAccountData", "local", 100), 4000, "an outlier is not averaged in");
      assert.equal(await expectedProcessingMs(ds, "exportAccountData", "local", 1), null);
      const s = await loadPollSchedule(ds);
      assert.equal(s.learn, true);
      assert.equal(s.maxPollsPerSecond, 50);
      assert.equal(s.delaysMs[0], 1000);
    });
  });
}

test("polling: getState per service is capped by a token bucket; other services are not held up", async () => {
  const service = `svc-${crypto.randomUUID()}`;
  const started = Date.now();
  for (let i = 0; i < 30; i++) await takePollSlot(service, 10);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 1800 && elapsed < 4000, `30 polls at 10/s with a burst of 10 take about 2 s, took ${elapsed} ms`);
  const other = Date.now();
  await takePollSlot(`other-${crypto.randomUUID()}`, 10);
  assert.ok(Date.now() - other < 50);
  const free = Date.now();
  for (let i = 0; i < 100; i++) await takePollSlot(service, 0);
  assert.ok(Date.now() - free < 50, "no cap");
});

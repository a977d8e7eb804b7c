/**
 * Schedules: fire times (days, windows, dates, time zones), validation messages, the scheduler on
 * the local Redis (two instances fire a due schedule exactly once; a running job is not started
 * twice; what is recorded), the retention job, and the default job runner against the stand.
 * The clock is injected: nothing waits for a real minute.
 */
import "reflect-metadata";
import crypto from "node:crypto";
import { test } from "node:test";
import assert from "node:assert/strict";
import IORedis, { Redis } from "ioredis";
import { Worker } from "bullmq";
import { DataSource } from "typeorm";
import { DB_KINDS, withTestDb } from "./support/databases";
import { ArchiveEntry, AuditLog, GisOperation, MessageLog, PipelineRun } from "../entities";
import { Schedule } from "../entities/schedule";
import { appendArchive, verifyArchive } from "../src/archive";
import { REDIS_PREFIX, queueName } from "../src/queue/names";
import { StandQueues } from "../src/queue/workers";
import { setSetting } from "../src/settings/settings";
import { FireRule, describeRule, fireTimesOn, latestFireTime, nextFireTime, zonedInstant } from "../src/schedule/fire-times";
import { JOB_TYPES } from "../src/schedule/job-types";
import { defaultRunJob } from "../src/schedule/run-job";
import { pruneMessageLog } from "../src/schedule/maintenance";
import { JobResult, RunJob, Scheduler, startScheduler } from "../src/schedule/scheduler";
import { addSchedule } from "../src/schedule/store";
import { ScheduleInput, ScheduleValidationError, validateSchedule } from "../src/schedule/validate";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const MSK = "Europe/Moscow";
/** Moscow wall-clock time (UTC+3, no DST) as an instant. */
const msk = (s: string) => new Date(`${s}+03:00`);

const rule = (r: Partial<FireRule>): FireRule => ({
  daysOfWeek: "1,2,3,4,5,6,7",
  mode: "once",
  timeOfDay: "08:00",
  everyMinutes: null,
  windowStart: null,
  windowEnd: null,
  startDate: null,
  endDate: null,
  ...r,
});

test("fire times: once a day, on the chosen weekdays, in the time zone", () => {
  const weekdays = rule({ daysOfWeek: "1,2,3,4,5", timeOfDay: "08:00" });
  // 2026-12-04 is a Friday: the next working-day start is Monday 08:00 Moscow = 05:00 UTC.
  assert.equal(nextFireTime(weekdays, msk("2026-12-04T09:00:00"), MSK)?.toISOString(), "2026-12-07T05:00:00.000Z");
  assert.equal(nextFireTime(weekdays, msk("2026-12-04T07:59:00"), MSK)?.toISOString(), "2026-12-04T05:00:00.000Z");
  assert.equal(nextFireTime(weekdays, msk("2026-12-04T08:00:00"), MSK)?.toISOString(), "2026-12-07T05:00:00.000Z", "strictly after");
  assert.deepEqual(fireTimesOn(weekdays, "2026-12-05", MSK), [], "Saturday is not a chosen day");
  assert.equal(nextFireTime(rule({ daysOfWeek: "7", timeOfDay: "23:30" }), msk("2026-12-04T09:00:00"), MSK)?.toISOString(), "2026-12-06T20:30:00.000Z");
  // Another zone, and one with a DST change: the wall-clock time stays, the instant moves.
  assert.equal(nextFireTime(rule({}), new Date("2026-12-04T00:00:00Z"), "Asia/Yekaterinburg")?.toISOString(), "2026-12-04T03:00:00.000Z");
  assert.equal(zonedInstant("2026-03-28", 8 * 60, "Europe/Berlin").toISOString(), "2026-03-28T07:00:00.000Z");
  assert.equal(zonedInstant("2026-03-29", 8 * 60, "Europe/Berlin").toISOString(), "2026-03-29T06:00:00.000Z");
  // The DST day itself (its offset changes at 02:00): minutes on either side land right.
  const berlin = rule({ mode: "interval", timeOfDay: null, everyMinutes: 360, windowStart: "00:00", windowEnd: "23:00" });
  assert.deepEqual(
    fireTimesOn(berlin, "2026-03-29", "Europe/Berlin").map((d) => d.toISOString().slice(11, 16)),
    ["23:00", "04:00", "10:00", "16:00"],
  );
  assert.deepEqual(
    fireTimesOn(berlin, "2026-03-28", "Europe/Berlin").map((d) => d.toISOString().slice(11, 16)),
    ["23:00", "05:00", "11:00", "17:00"],
  );
  assert.throws(() => nextFireTime(rule({}), new Date(), "Mars/Olympus"), /Часовая зона «Mars\/Olympus» неизвестна/);
});

test("fire times: every N minutes only inside the window, end inclusive", () => {
  const every30 = rule({ mode: "interval", timeOfDay: null, everyMinutes: 30, windowStart: "08:00", windowEnd: "10:00" });
  assert.deepEqual(
    fireTimesOn(every30, "2026-12-01", MSK).map((d) => d.toISOString().slice(11, 16)),
    ["05:00", "05:30", "06:00", "06:30", "07:00"],
  );
  const every45 = { ...every30, everyMinutes: 45, windowEnd: "09:00" };
  assert.deepEqual(
    fireTimesOn(every45, "2026-12-01", MSK).map((d) => d.toISOString().slice(11, 16)),
    ["05:00", "05:45"],
    "09:00 is not on the 45-minute grid",
  );
  assert.equal(nextFireTime(every30, msk("2026-12-01T07:10:00"), MSK)?.toISOString(), msk("2026-12-01T08:00:00").toISOString());
  assert.equal(nextFireTime(every30, msk("2026-12-01T08:40:00"), MSK)?.toISOString(), msk("2026-12-01T09:00:00").toISOString());
  assert.equal(
    nextFireTime(every30, msk("2026-12-01T10:00:00"), MSK)?.toISOString(),
    msk("2026-12-02T08:00:00").toISOString(),
    "after the window: tomorrow's start",
  );
  // What a scheduler ticking at a moment still owes (2-minute grace).
  assert.equal(latestFireTime(every30, msk("2026-12-01T08:31:30"), MSK, 120_000)?.toISOString(), msk("2026-12-01T08:30:00").toISOString());
  assert.equal(latestFireTime(every30, msk("2026-12-01T08:33:00"), MSK, 120_000), null, "too late for 08:30, too early for 09:00");
  assert.equal(latestFireTime(every30, msk("2026-12-01T10:01:00"), MSK, 120_000)?.toISOString(), msk("2026-12-01T10:00:00").toISOString());
  assert.equal(latestFireTime(every30, msk("2026-12-01T10:05:00"), MSK, 120_000), null, "nothing after the window");
  assert.equal(latestFireTime(every30, msk("2026-12-01T07:59:59"), MSK, 120_000), null);
  // A window crossing midnight of the tick: yesterday's last fire is still owed right after midnight.
  const late = rule({ mode: "interval", timeOfDay: null, everyMinutes: 1, windowStart: "23:00", windowEnd: "23:59" });
  assert.equal(latestFireTime(late, msk("2026-12-02T00:00:30"), MSK, 120_000)?.toISOString(), msk("2026-12-01T23:59:00").toISOString());
  assert.equal(describeRule(every30), "ежедневно каждые 30 мин с 08:00 до 10:00");
});

test("fire times: start and end dates are respected (both inclusive)", () => {
  const dated = rule({ startDate: "2026-12-10", endDate: "2026-12-12" });
  assert.equal(nextFireTime(dated, msk("2026-11-30T12:00:00"), MSK)?.toISOString(), msk("2026-12-10T08:00:00").toISOString(), "waits for the start date");
  assert.equal(nextFireTime(dated, msk("2026-12-12T07:00:00"), MSK)?.toISOString(), msk("2026-12-12T08:00:00").toISOString(), "the end date itself runs");
  assert.equal(nextFireTime(dated, msk("2026-12-12T08:00:00"), MSK), null, "nothing after the end date");
  assert.equal(latestFireTime(dated, msk("2026-12-09T08:00:30"), MSK, 120_000), null, "not before the start date");
  assert.equal(
    nextFireTime(rule({ startDate: "2026-12-10", daysOfWeek: "1" }), msk("2026-11-30T12:00:00"), MSK)?.toISOString(),
    msk("2026-12-14T08:00:00").toISOString(),
    "first Monday from the start date",
  );
  assert.equal(describeRule({ ...dated, daysOfWeek: "1,3,5" }), "пн, ср, пт в 08:00, с 2026-12-10 по 2026-12-12");
});

function problems(input: ScheduleInput): Record<string, string> {
  try {
    validateSchedule(input);
  } catch (e) {
    assert.ok(e instanceof ScheduleValidationError, String(e));
    return Object.fromEntries(e.problems.map((p) => [p.field, p.text]));
  }
  assert.fail("expected a validation error");
}

test("validation: clear Russian errors naming the field; good input normalized", () => {
  const ok = validateSchedule({
    jobType: "send-readings",
    stand: "sit01",
    daysOfWeek: "5,1,1",
    timeOfDay: "8:05",
    startDate: "01.12.2026",
    endDate: "2026-12-01",
  });
  assert.deepEqual(
    { ...ok },
    {
      name: "Отправить показания приборов учёта",
      jobType: "send-readings",
      enabled: true,
      stand: "sit01",
      daysOfWeek: "1,5",
      mode: "once",
      timeOfDay: "08:05",
      everyMinutes: null,
      windowStart: null,
      windowEnd: null,
      startDate: "2026-12-01",
      endDate: "2026-12-01",
      scope: null,
    },
  );
  const interval = validateSchedule({
    jobType: "check-payments",
    stand: "prod",
    everyMinutes: "15",
    windowStart: "08:00",
    windowEnd: "20:00",
    scope: { houseIds: [1, 2] },
  });
  assert.equal(interval.mode, "interval");
  assert.equal(interval.everyMinutes, 15);
  assert.equal(interval.scope, '{"houseIds":[1,2]}');

  assert.match(
    problems({ jobType: "send-everything", stand: "prod", timeOfDay: "08:00" }).jobType,
    /неизвестное задание «send-everything»; допустимо: clear-journal, /,
  );
  assert.match(problems({ jobType: "sync-fund", stand: "test", timeOfDay: "08:00" }).stand, /неизвестный стенд «test»/);
  assert.match(problems({ jobType: "sync-fund", stand: "prod", daysOfWeek: "1,8,вт", timeOfDay: "08:00" }).daysOfWeek, /«8, вт» — дни недели числами от 1/);
  assert.match(problems({ jobType: "sync-fund", stand: "prod", timeOfDay: "24:00" }).timeOfDay, /«24:00» — не время ЧЧ:ММ/);
  assert.match(problems({ jobType: "sync-fund", stand: "prod", timeOfDay: "8 утра" }).timeOfDay, /не время/);
  for (const bad of [0, 1441, "10.5", "abc"]) {
    assert.match(
      problems({ jobType: "sync-fund", stand: "prod", everyMinutes: bad, windowStart: "08:00", windowEnd: "09:00" }).everyMinutes,
      /от 1 до 1440/,
      String(bad),
    );
  }
  assert.equal(validateSchedule({ jobType: "sync-fund", stand: "prod", everyMinutes: 1440, windowStart: "00:00", windowEnd: "23:59" }).everyMinutes, 1440);
  assert.match(
    problems({ jobType: "sync-fund", stand: "prod", everyMinutes: 5, windowStart: "10:00", windowEnd: "09:00" }).windowEnd,
    /09:00 должно быть позже начала 10:00/,
  );
  assert.match(problems({ jobType: "sync-fund", stand: "prod", everyMinutes: 5, windowStart: "10:00", windowEnd: "10:00" }).windowEnd, /позже начала/);
  assert.match(problems({ jobType: "sync-fund", stand: "prod", everyMinutes: 5, windowStart: "10:00" }).windowEnd, /не заполнено/);
  assert.match(
    problems({ jobType: "sync-fund", stand: "prod", timeOfDay: "08:00", startDate: "2026-12-10", endDate: "2026-12-09" }).endDate,
    /дата окончания 2026-12-09 раньше даты начала 2026-12-10/,
  );
  assert.match(problems({ jobType: "sync-fund", stand: "prod", timeOfDay: "08:00", startDate: "2026-02-30" }).startDate, /не дата/);
  assert.match(problems({ jobType: "sync-fund", stand: "prod", timeOfDay: "08:00", scope: { houses: [1] } }).scope, /неизвестные ключи houses/);
  // Everything wrong at once: every field is named in one message.
  try {
    validateSchedule({ jobType: "x", stand: "y", daysOfWeek: "0", timeOfDay: "99:99", endDate: "nope" });
    assert.fail("expected an error");
  } catch (e) {
    const msg = (e as Error).message;
    for (const label of ["«Задание» (jobType)", "«Стенд» (stand)", "«Дни недели» (daysOfWeek)", "«Время запуска» (timeOfDay)", "«Дата окончания» (endDate)"])
      assert.ok(msg.includes(label), `${label} in ${msg}`);
    assert.ok(msg.startsWith("Расписание не сохранено: "));
  }
});

test("job types: the manual's list, each mapped to stages and a mode or a maintenance task", () => {
  const ids = JOB_TYPES.map((j) => j.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of [
    "clear-journal",
    "refresh-nsi",
    "check-payments",
    "process-payments",
    "process-payment-documents",
    "send-readings",
    "sync-private-nsi",
    "sync-contracts",
    "sync-fund",
    "sync-accounts",
    "pull-readings",
    "retention",
  ]) {
    assert.ok(ids.includes(id), id);
  }
  for (const j of JOB_TYPES) assert.ok(j.id.length <= 40 && j.label.length > 0);
  assert.deepEqual(JOB_TYPES.find((j) => j.id === "send-readings")!.action, { kind: "pipeline", stages: ["readings"], mode: "push" });
  assert.deepEqual(JOB_TYPES.find((j) => j.id === "pull-readings")!.action, { kind: "pipeline", stages: ["readings"], mode: "pull" });
});

/** Redis keys of one test, removed afterwards. */
async function withRedis<T>(fn: (prefix: string, a: Redis, b: Redis) => Promise<T>): Promise<T> {
  const prefix = `${REDIS_PREFIX}:schedtest-${crypto.randomBytes(4).toString("hex")}`;
  const a = new IORedis(REDIS_URL);
  const b = new IORedis(REDIS_URL);
  try {
    return await fn(prefix, a, b);
  } finally {
    const keys = await a.keys(`${prefix}:*`);
    if (keys.length) await a.del(...keys);
    a.disconnect();
    b.disconnect();
  }
}

function fakeClock(start: Date) {
  let t = start.getTime();
  return { now: () => new Date(t), set: (d: Date) => (t = d.getTime()) };
}

const journal = (ds: DataSource, id: number) => ds.getRepository(MessageLog).find({ where: { group: "schedule", objectId: id }, order: { id: "ASC" } });

for (const kind of DB_KINDS) {
  test(`${kind}: two schedulers sharing one Redis fire a due schedule exactly once; start, duration and outcome recorded`, async () => {
    await withTestDb(kind, async (ds) => {
      await withRedis(async (prefix, ra, rb) => {
        const s = await addSchedule(ds, {
          jobType: "sync-accounts",
          stand: "sit01",
          everyMinutes: 1,
          windowStart: "08:00",
          windowEnd: "09:00",
          daysOfWeek: "1,2,3,4,5",
        });
        await addSchedule(ds, { jobType: "sync-fund", stand: "sit01", timeOfDay: "08:00", enabled: false });
        await addSchedule(ds, { jobType: "sync-fund", stand: "prod", timeOfDay: "08:00" });
        const clock = fakeClock(msk("2026-12-07T08:00:05"));
        const calls: Array<{ id: number; trigger: string; firedAt: string; by: string }> = [];
        const job =
          (by: string): RunJob =>
          async (sch, ctx) => {
            calls.push({ id: sch.id, trigger: ctx.trigger, firedAt: ctx.firedAt.toISOString(), by });
            await new Promise((r) => setTimeout(r, 60));
            return { text: "готово", runId: "00000000-0000-0000-0000-000000000001" };
          };
        const common = { ds, timeZone: MSK, prefix, ticker: false, refreshMs: 0, now: clock.now, stands: ["sit01"] };
        const a = await startScheduler({ ...common, redis: ra, runJob: job("a"), owner: "a" });
        const b = await startScheduler({ ...common, redis: rb, runJob: job("b"), owner: "b" });
        try {
          assert.deepEqual(
            a.loaded.map((x) => x.id),
            [s.id],
            "disabled schedules and other stands are not loaded",
          );

          const [fa, fb] = await Promise.all([a.tick(), b.tick()]);
          assert.equal(fa.length + fb.length, 1, "exactly one scheduler started the 08:00 fire");
          await Promise.all([a.idle(), b.idle()]);
          assert.deepEqual(
            calls.map((c) => [c.id, c.trigger, c.firedAt]),
            [[s.id, `schedule:${s.id}`, "2026-12-07T05:00:00.000Z"]],
          );

          const row = await ds.getRepository(Schedule).findOneByOrFail({ id: s.id });
          assert.equal(new Date(row.lastStartedAt!).getTime(), clock.now().getTime(), "lastStartedAt is the start time");
          assert.ok(row.lastDurationMs! >= 50 && row.lastDurationMs! < 5000, `duration ${row.lastDurationMs}`);
          assert.equal(row.lastOutcome, "ok");
          assert.equal(row.lastResult, "готово");
          assert.equal(row.lastRunId, "00000000-0000-0000-0000-000000000001");
          const entries = await journal(ds, s.id);
          assert.deepEqual(
            entries.map((e) => [e.level, e.subgroup, e.text.replace(/\d+\.\d с/, "N с")]),
            [
              ["info", "Синхронизировать лицевые счета", "Запущено (по расписанию)."],
              ["info", "Синхронизировать лицевые счета", "Выполнено за N с: готово"],
            ],
          );

          // Later in the same minute, nobody fires again; the next minute fires once more.
          clock.set(msk("2026-12-07T08:00:40"));
          assert.equal((await a.tick()).length + (await b.tick()).length, 0);
          clock.set(msk("2026-12-07T08:01:02"));
          const [ga, gb] = await Promise.all([b.tick(), a.tick()]);
          assert.equal(ga.length + gb.length, 1);
          await Promise.all([a.idle(), b.idle()]);
          assert.equal(calls.length, 2);

          // Outside the window and on a Saturday nothing is due.
          clock.set(msk("2026-12-07T09:05:00"));
          assert.equal((await a.tick()).length + (await b.tick()).length, 0);
          clock.set(msk("2026-12-12T08:30:00"));
          assert.equal((await a.tick()).length + (await b.tick()).length, 0);

          // A schedule added later is picked up on reload.
          const late = await addSchedule(ds, { jobType: "sync-fund", stand: "sit01", timeOfDay: "08:30", daysOfWeek: "6" });
          assert.equal((await a.tick()).length, 0, "not loaded yet");
          await a.reload();
          assert.deepEqual(
            (await a.tick()).map((f) => f.scheduleId),
            [late.id],
          );
          await a.idle();
        } finally {
          await a.stop();
          await b.stop();
        }
      });
    });
  });

  test(`${kind}: a schedule still running is not started again; failures are recorded`, async () => {
    await withTestDb(kind, async (ds) => {
      await withRedis(async (prefix, ra, rb) => {
        const s = await addSchedule(ds, {
          name: "Показания каждую минуту",
          jobType: "send-readings",
          stand: "sit02",
          everyMinutes: 1,
          windowStart: "08:00",
          windowEnd: "09:00",
        });
        const clock = fakeClock(msk("2026-12-07T08:00:05"));
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        let calls = 0;
        const runJob: RunJob = async () => {
          calls++;
          if (calls === 1) await gate;
          if (calls === 2) throw new Error("ГИС ЖКХ недоступна");
          return { outcome: "warning", text: "с ошибками у 2 объектов" } satisfies JobResult;
        };
        const common = { ds, timeZone: MSK, prefix, ticker: false, refreshMs: 0, now: clock.now, runJob, runningTtlMs: 3000 };
        const a = await startScheduler({ ...common, redis: ra, owner: "host-a:1" });
        const b = await startScheduler({ ...common, redis: rb, owner: "host-b:2" });
        try {
          assert.equal((await a.tick()).length, 1);
          clock.set(msk("2026-12-07T08:01:05"));
          assert.equal((await b.tick()).length, 0, "b won the 08:01 fire but a is still running the 08:00 one");
          assert.equal((await a.tick()).length, 0, "the 08:01 fire was taken by b");
          const running = await ds.getRepository(Schedule).findOneByOrFail({ id: s.id });
          assert.equal(running.lastOutcome, "running");
          await assert.rejects(b.runNow(s.id), /предыдущий запуск ещё выполняется \(host-a:1\)/);
          release();
          await a.idle();
          assert.equal(calls, 1);
          const warnings = (await journal(ds, s.id)).filter((e) => e.level === "warning").map((e) => e.text);
          assert.deepEqual(
            warnings,
            [
              "Не запущено: предыдущий запуск ещё выполняется (host-a:1).",
              "Не запущено: предыдущий запуск ещё выполняется (host-a:1).",
              "Выполнено за 0.0 с: с ошибками у 2 объектов",
            ].map((t) => t.replace("0.0", warnings.at(-1)!.match(/\d+\.\d/)![0])),
            "the skipped tick, the refused manual start, then the first run's end (with errors = warning)",
          );

          clock.set(msk("2026-12-07T08:02:01"));
          assert.equal((await b.tick()).length, 1, "free again: the next fire starts");
          await b.idle();
          const failed = await ds.getRepository(Schedule).findOneByOrFail({ id: s.id });
          assert.equal(failed.lastOutcome, "error");
          assert.equal(failed.lastResult, "ГИС ЖКХ недоступна");
          const last = (await journal(ds, s.id)).at(-1)!;
          assert.equal(last.level, "error");
          assert.match(last.text, /^Ошибка через \d+\.\d с: ГИС ЖКХ недоступна$/);

          const r = await a.runNow(s.id, "cli:test");
          assert.deepEqual(r, { outcome: "warning", text: "с ошибками у 2 объектов" });
          assert.equal((await ds.getRepository(Schedule).findOneByOrFail({ id: s.id })).lastOutcome, "warning");
          assert.equal((await journal(ds, s.id)).filter((e) => e.text === "Запущено (cli:test).").length, 1);
          assert.equal(await ra.get(`${prefix}:schedule:${s.id}:running`), null, "the running lock is released");
        } finally {
          await a.stop();
          await b.stop();
        }
      });
    });
  });

  test(`${kind}: over 30 simulated minutes two schedulers start every fire exactly once; an interrupted start is marked failed`, async () => {
    await withTestDb(kind, async (ds) => {
      await withRedis(async (prefix, ra, rb) => {
        const s = await addSchedule(ds, { jobType: "check-payments", stand: "prod", everyMinutes: 1, windowStart: "08:00", windowEnd: "09:00" });
        const clock = fakeClock(msk("2026-12-07T08:00:00"));
        const fires: string[] = [];
        const runJob: RunJob = async (_s, ctx) => {
          fires.push(ctx.firedAt.toISOString());
          return { text: "ok" };
        };
        const common = { ds, timeZone: MSK, prefix, ticker: false, refreshMs: 0, now: clock.now, runJob };
        const a = await startScheduler({ ...common, redis: ra });
        const b = await startScheduler({ ...common, redis: rb });
        try {
          for (let m = 0; m < 30; m++) {
            clock.set(new Date(msk("2026-12-07T08:00:00").getTime() + m * 60_000 + ((m * 7919) % 50) * 1000));
            const ticks = m % 2 ? [a.tick(), b.tick()] : [b.tick(), a.tick()];
            // Both tick twice in the minute, as a late timer would.
            await Promise.all([...ticks, a.tick(), b.tick()]);
            await Promise.all([a.idle(), b.idle()]);
          }
          assert.equal(fires.length, 30, "one start per minute");
          assert.equal(new Set(fires).size, 30, "each fire once");

          // A process died while running its job: once its running lock has expired, the start is marked failed.
          const crashedAt = msk("2026-12-07T07:00:00");
          const other = await addSchedule(ds, { jobType: "sync-fund", stand: "prod", timeOfDay: "07:00" });
          await ds.getRepository(Schedule).update({ id: other.id }, { lastStartedAt: crashedAt, lastOutcome: "running" });
          await ra.set(`${prefix}:schedule:${other.id}:running`, "dead-host:1", "PX", 60_000);
          await a.reload();
          assert.equal((await ds.getRepository(Schedule).findOneByOrFail({ id: other.id })).lastOutcome, "running", "lock still held: left alone");
          await ra.del(`${prefix}:schedule:${other.id}:running`);
          await a.reload();
          const row = await ds.getRepository(Schedule).findOneByOrFail({ id: other.id });
          assert.equal(row.lastOutcome, "error");
          assert.equal(row.lastResult, "прервано: процесс, выполнявший задание, остановлен");
          assert.equal((await journal(ds, other.id)).at(-1)!.text, "Ошибка: прервано: процесс, выполнявший задание, остановлен.");
          assert.equal(await b.recoverInterrupted(), 0, "marked once");
          assert.equal((await ds.getRepository(Schedule).findOneByOrFail({ id: s.id })).lastOutcome, "ok", "finished schedules are not touched");
        } finally {
          await a.stop();
          await b.stop();
        }
      });
    });
  });

  test(`${kind}: the retention job prunes the archive, the message log, the action history and finished queue jobs`, async () => {
    await withTestDb(kind, async (ds) => {
      await withRedis(async (prefix, redis) => {
        const opId = crypto.randomUUID();
        await ds.getRepository(GisOperation).insert({
          id: opId,
          stand: "local",
          service: "house-management",
          method: "importAccountData",
          stage: "accounts",
          state: "done",
          createdAt: new Date(),
        });
        for (const k of ["request", "signed_request", "ack", "result"] as const) await appendArchive(ds, { operationId: opId, kind: k, body: `<${k}/>` });
        // The record cap: only the newest N messages stay.
        await setSetting(ds, "retention.messagesRecords", 100);
        for (let i = 0; i < 110; i++) await ds.getRepository(MessageLog).insert({ createdAt: new Date(), level: "info", group: "cap", text: `сообщение ${i}` });
        assert.equal(await pruneMessageLog(ds), 10);
        const kept = await ds.getRepository(MessageLog).find({ where: { group: "cap" }, order: { id: "ASC" } });
        assert.deepEqual([kept.length, kept[0].text, kept.at(-1)!.text], [100, "сообщение 10", "сообщение 109"]);
        await ds.getRepository(MessageLog).delete({ group: "cap" });
        await ds.getRepository(MessageLog).insert({ createdAt: new Date(), level: "info", group: "import", text: "старое сообщение" });
        await ds.getRepository(AuditLog).insert({ createdAt: new Date(), actor: "admin", action: "archive.export" });
        await setSetting(ds, "retention.historyDays", 30);
        await setSetting(ds, "retention.queueRecords", 100);

        // 105 finished jobs in one of sit02's queues.
        const queues = new StandQueues("sit02", redis);
        const name = queueName("sit02", "apply");
        const workerConnection = redis.duplicate({ maxRetriesPerRequest: null });
        const worker = new Worker(name, async () => undefined, { connection: workerConnection, prefix: REDIS_PREFIX, concurrency: 20 });
        for (let i = 0; i < 105; i++) await queues.queues.apply.add("apply", { i }, { jobId: `t${i}` });
        for (let i = 0; i < 200 && (await queues.queues.apply.getJobCounts("completed")).completed < 105; i++) await new Promise((r) => setTimeout(r, 50));
        await worker.close();
        workerConnection.disconnect();
        assert.equal((await queues.queues.apply.getJobCounts("completed")).completed, 105);

        const s = await addSchedule(ds, { jobType: "retention", stand: "prod", timeOfDay: "03:00" });
        // 60 days on: everything above is older than the 30 days kept.
        const later = new Date(Date.now() + 60 * 86_400_000);
        const runJob = defaultRunJob({ ds, redisUrl: REDIS_URL, redis, now: () => later });
        const sch: Scheduler = await startScheduler({ ds, redis, runJob, timeZone: MSK, prefix, ticker: false, refreshMs: 0, now: () => later });
        try {
          const r = await sch.runNow(s.id);
          assert.equal(r.outcome, "ok", r.text);
          assert.match(r.text, /архив запросов и ответов — 4, сообщения — 1, история действий — 1, завершённые задания очередей — \d+/);
          assert.ok(Number(/очередей — (\d+)/.exec(r.text)![1]) >= 5, r.text);
        } finally {
          await sch.stop();
        }
        assert.equal(await ds.getRepository(ArchiveEntry).count(), 0);
        assert.equal((await verifyArchive(ds)).ok, true, "the chain still verifies from the checkpoint");
        assert.equal(await ds.getRepository(MessageLog).countBy({ group: "import" }), 0);
        assert.equal(await ds.getRepository(AuditLog).count(), 0);
        assert.equal((await queues.queues.apply.getJobCounts("completed")).completed, 100, "the newest 100 jobs stay");
        assert.equal((await ds.getRepository(Schedule).findOneByOrFail({ id: s.id })).lastOutcome, "ok");
        await queues.queues.apply.obliterate({ force: true });
        await queues.close();
      });
    });
  });
}

test("sqlite: the default job runner starts a pipeline run for the schedule's stand and waits for it", async () => {
  const { pipelineEnv } = await import("./support/pipeline-env");
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds);
    try {
      await withRedis(async (prefix, redis) => {
        const s = await addSchedule(ds, { jobType: "refresh-nsi", stand: "local", timeOfDay: "06:00" });
        let closed = 0;
        const runJob = defaultRunJob({ ds, redisUrl: REDIS_URL, open: async () => ({ ...env.rt, close: async () => void closed++ }) });
        const sch = await startScheduler({ ds, redis, runJob, timeZone: MSK, prefix, ticker: false, refreshMs: 0 });
        try {
          const r = await sch.runNow(s.id);
          assert.notEqual(r.outcome, "error", r.text);
          const run = await ds.getRepository(PipelineRun).findOneByOrFail({ id: r.runId! });
          assert.deepEqual(
            [run.stand, run.stages, run.mode, run.trigger, run.author, run.organizationId],
            ["local", "services", "pull", "manual", "scheduler", env.ours.id],
          );
          assert.notEqual(run.state, "running");
          assert.equal(closed, 1, "the runtime is closed after the run");
          const row = await ds.getRepository(Schedule).findOneByOrFail({ id: s.id });
          assert.equal(row.lastRunId, run.id);
          assert.match(row.lastResult!, /^запуск .* завершён/);
        } finally {
          await sch.stop();
        }
      });
    } finally {
      await env.close();
    }
  });
});

test("sqlite: the schedule command adds, lists, switches, runs and removes schedules; bad input gets the field named", async () => {
  await withTestDb("sqlite", async (ds, db) => {
    await ds.destroy();
    const { spawnSync } = await import("node:child_process");
    const path = await import("node:path");
    const env = { ...process.env, DB_URL: db.url, REDIS_URL, GIS_SYNC_REDIS_PREFIX: `${REDIS_PREFIX}:schedcli` };
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.resolve("bin/gis-sync.js"), "schedule", ...args], { env, encoding: "utf8" });
    const added = cli(
      "add",
      "--job",
      "sync-accounts",
      "--stand",
      "sit01",
      "--every",
      "30",
      "--from",
      "08:00",
      "--to",
      "18:00",
      "--days",
      "1,2,3,4,5",
      "--start",
      "2026-12-01",
    );
    assert.equal(added.status, 0, added.stderr);
    assert.match(added.stdout, /Расписание 1 добавлено:[\s\S]*пн, вт, ср, чт, пт каждые 30 мин с 08:00 до 18:00, с 2026-12-01/);
    const bad = cli("add", "--job", "sync-accounts", "--stand", "sit01", "--at", "8:75");
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr.trim(), "gis-sync: Расписание не сохранено: поле «Время запуска» (timeOfDay): «8:75» — не время ЧЧ:ММ от 00:00 до 23:59");
    assert.doesNotMatch(bad.stderr, /at .*\.js:\d+/, "no stack trace");
    assert.equal(cli("add", "--job", "clear-journal", "--stand", "prod", "--at", "02:00", "--disabled").status, 0);
    const list = JSON.parse(cli("list", "--json").stdout) as Array<Schedule & { nextFireAt: string | null }>;
    assert.deepEqual(
      list.map((s) => [s.id, s.jobType, s.enabled, s.mode, s.everyMinutes, s.daysOfWeek]),
      [
        [1, "sync-accounts", true, "interval", 30, "1,2,3,4,5"],
        [2, "clear-journal", false, "once", null, "1,2,3,4,5,6,7"],
      ],
    );
    assert.ok(list[0].nextFireAt && new Date(list[0].nextFireAt) >= new Date("2026-12-01T05:00:00Z"));
    assert.equal(cli("disable", "1").status, 0);
    assert.match(cli("enable", "2").stdout, /Расписание 2 «Очистить журнал БД» включено/);
    const run = cli("run", "2");
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^успешно: удалено сообщений журнала: 0/);
    assert.match(cli("list").stdout, /последний запуск .*, успешно/);
    assert.equal(cli("remove", "1").status, 0);
    const gone = cli("remove", "1");
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /Расписание 1 не найдено/);
  });
});

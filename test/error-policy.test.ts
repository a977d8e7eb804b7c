import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { ErrorPolicy, Failure, parsePolicyOverrides } from "../src/exchange/error-policy";
import { nextPollDelay, parseDelays, GIS_ADVISED_SCHEDULE } from "../src/exchange/backoff";
import { withTestDb } from "./support/databases";
import { setSetting } from "../src/settings/settings";
import { loadErrorPolicy, loadPollSchedule } from "../src/exchange/settings";

const policy = new ErrorPolicy();
const itemOf = (code: string, extra: Partial<Failure> = {}) => policy.decide({ code, phase: "poll", methodKind: "import", attempt: 1, ...extra });

test("error policy: every code GIS practice names maps to its action", () => {
  const cases: Array<[string, string]> = [
    ["EXP001000", "resend_rebuilt"],
    ["EXP002001", "resend_rebuilt"],
    ["EXP002003", "resend_rebuilt"],
    ["INT002012", "empty_result"],
    ["INT002000", "empty_result"],
    ["INT016001", "empty_dictionary"],
    ["INT016041", "empty_dictionary"],
    ["AUT011000", "abort_rights"],
    ["AUT011005", "abort_rights"],
    ["FMT001300", "abort_format"],
    ["FMT001310", "abort_format"],
    ["INT002029", "retry_later"],
    ["SRV008070", "mark_withdrawn"],
    ["SRV008076", "prerequisite_missing"],
    ["SRV007013", "wait_window"],
    ["FIL001003", "abort"],
    ["SRV006001", "item_error"],
    ["INT008255", "item_error"],
    ["SRV008203", "item_error"],
  ];
  for (const [code, action] of cases) assert.equal(itemOf(code).action, action, code);
  assert.match(itemOf("AUT011003").text, /не предоставила информационной системе права/);
  // the 16.x formats' new controls: refused items with the operator's explanation, never repeated
  assert.match(itemOf("INT008255").text, /помещени.*Accommodation/);
  assert.match(itemOf("SRV008203").text, /SRV008203/);
  for (const code of ["INT008255", "SRV008203"]) assert.equal(itemOf(code).retryInMs, undefined, code);
  assert.ok(itemOf("EXP001000").retryInMs! >= 10_000, "rebuilt resend waits");
  assert.ok(itemOf("INT002029").retryInMs! >= 600_000, "maintenance waits long");
});

test("error policy: rebuilt resends are bounded; the last attempt aborts with the reason", () => {
  assert.equal(itemOf("EXP001000", { attempt: 4 }).action, "resend_rebuilt");
  const d = itemOf("EXP001000", { attempt: 5 });
  assert.equal(d.action, "abort");
  assert.match(d.text, /Попытки исчерпаны \(5\)/);
  assert.ok(itemOf("EXP001000", { attempt: 2 }).retryInMs! > itemOf("EXP001000", { attempt: 1 }).retryInMs!, "backoff grows");
});

test("error policy: transport failures — exports and polls repeat, a sent import is reconciled, never blindly resent", () => {
  const base = { attempt: 1 } as const;
  assert.equal(policy.decide({ ...base, networkError: "ECONNRESET", phase: "send", methodKind: "export" }).action, "resend_rebuilt");
  assert.equal(policy.decide({ ...base, httpStatus: 503, phase: "poll", methodKind: "import" }).action, "resend_rebuilt");
  assert.equal(policy.decide({ ...base, networkError: "ETIMEDOUT", phase: "send", methodKind: "import" }).action, "reconcile");
  assert.equal(
    policy.decide({ ...base, networkError: "ETIMEDOUT", phase: "send", methodKind: "import", safeToRepeat: true }).action,
    "resend_rebuilt",
    "an import GIS takes twice without harm is sent again",
  );
  assert.equal(policy.decide({ ...base, httpStatus: 502, phase: "send", methodKind: "import" }).action, "reconcile");
  assert.equal(
    policy.decide({ ...base, networkError: "ECONNREFUSED", requestMayHaveArrived: false, phase: "send", methodKind: "import" }).action,
    "resend_rebuilt",
    "a connection that never opened carried nothing",
  );
  assert.equal(policy.decide({ attempt: 5, networkError: "ECONNRESET", phase: "poll", methodKind: "export" }).action, "abort");
  assert.equal(policy.decide({ attempt: 1, httpStatus: 400, phase: "send", methodKind: "export" }).action, "abort", "a 4xx without a GIS code is not retried");
});

test("error policy: installation overrides win and are validated with the rule named", () => {
  const p = new ErrorPolicy(
    parsePolicyOverrides(
      JSON.stringify([
        { code: "SRV006001", action: "retry_later", maxAttempts: 2 },
        { code: "AUT011004", action: "item_error", text: "своя" },
      ]),
    ),
  );
  assert.equal(p.decide({ code: "SRV006001", phase: "poll", methodKind: "import", attempt: 1 }).action, "retry_later");
  assert.equal(p.decide({ code: "SRV006001", phase: "poll", methodKind: "import", attempt: 2 }).action, "abort");
  assert.equal(p.decide({ code: "AUT011004", phase: "poll", methodKind: "import", attempt: 1 }).text, "своя", "exact override beats the default family");
  assert.equal(p.decide({ code: "AUT011000", phase: "poll", methodKind: "import", attempt: 1 }).action, "abort_rights");
  assert.throws(() => parsePolicyOverrides('[{"code":"SRV1","action":"explode"}]'), /правило 1 \(SRV1\): action «explode»/);
  assert.throws(() => parsePolicyOverrides("{"), /не JSON/);
  assert.throws(() => parsePolicyOverrides('[{"code":"bad code","action":"abort"}]'), /правило 1: code «bad code»/);
});

test("poll schedule: GIS advice by default, configurable, bounded by the waiting budget", async () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 9].map((n) => nextPollDelay(GIS_ADVISED_SCHEDULE, n, 1, 0)),
    [10_000, 60_000, 300_000, 900_000, 1_800_000, 1_800_000, 1_800_000],
  );
  const fast = { delaysMs: parseDelays("5ms,20ms"), processingDelayMs: 2, maxWaitMs: 100 };
  assert.equal(nextPollDelay(fast, 0, null, 0), 5);
  assert.equal(nextPollDelay(fast, 3, 2, 0), 2, "fixed short delay while processing");
  assert.equal(nextPollDelay(fast, 3, 1, 90), null, "budget spent");
  assert.throws(() => parseDelays("10x"), /ожидается число с единицей/);
  await withTestDb("sqlite", async (ds) => {
    await setSetting(ds, "exchange.pollDelays", "1s,2s");
    await setSetting(ds, "exchange.errorPolicy", JSON.stringify([{ code: "SRV006001", action: "abort" }]));
    assert.deepEqual((await loadPollSchedule(ds)).delaysMs, [1000, 2000]);
    assert.equal((await loadErrorPolicy(ds)).decide({ code: "SRV006001", phase: "poll", methodKind: "import", attempt: 1 }).action, "abort");
  });
});

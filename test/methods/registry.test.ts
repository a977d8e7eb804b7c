/**
 * The registries derived from the method modules: every method module is found, its wire facts
 * agree with both official packages (batch maximum = the XSD's maxOccurs), every `after` names a
 * method that exists, the planner's order honours them, and the stand answers every method the
 * pipeline sends.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FORMAT_PACKAGES } from "../../src/methods/method";
import { allMethods } from "../../src/methods/registry";
import { DESCRIPTORS, DESCRIPTORS_BY_STAGE, orderByDependencies } from "../../src/stages/registry";
import { STAGES } from "../../src/stages/descriptor";
import { handlerFor } from "../../src/stand/handlers/index";
import { OPERATIONS } from "../../src/transport/messages";
import { maxOccursIn, officialPackages } from "../support/method-harness";

test("method registry: every module's method is found once, with a version for every format package", () => {
  const methods = allMethods();
  assert.ok(methods.length > 0);
  assert.equal(new Set(methods.map((m) => m.name)).size, methods.length);
  for (const m of methods) {
    for (const pkg of FORMAT_PACKAGES)
      assert.ok(m.element === "getStateRequest" || /^\d+\.\d+\.\d+\.\d+$/.test(m.versions[pkg] ?? ""), `${m.name}: version under ${pkg}`);
    assert.ok(OPERATIONS[m.name], `${m.name} is in the operations table`);
    if (m.descriptor) assert.equal(m.descriptor.method, m.name);
  }
});

test("method registry: each batch maximum is the XSD's maxOccurs in every official package", () => {
  for (const { pkg, dir } of officialPackages()) {
    for (const m of allMethods()) {
      if (!m.batch || !m.service) continue;
      assert.equal(maxOccursIn(dir, m.service, m.batch.element, m.element), m.batch.max, `${m.name}: ${m.batch.element} maxOccurs in ${pkg}`);
    }
  }
});

test("method registry: every `after` names a known method, and the plan honours it within each stage", () => {
  const names = new Set(DESCRIPTORS.map((d) => d.method));
  for (const d of DESCRIPTORS) for (const a of d.after ?? []) assert.ok(names.has(a) || OPERATIONS[a], `${d.method}: after ${a} — no such method`);
  for (const stage of STAGES) {
    const list = DESCRIPTORS_BY_STAGE[stage];
    list.forEach((d, i) => {
      for (const a of d.after ?? []) {
        const j = list.findIndex((x) => x.method === a);
        if (j >= 0) assert.ok(j < i, `${stage}: ${d.method} runs after ${a}`);
      }
    });
  }
  assert.throws(
    () =>
      orderByDependencies([
        { method: "a", after: ["b"] },
        { method: "b", after: ["a"] },
      ] as never),
    /цикл: a → b → a/,
  );
});

test("method registry: the stand answers every method the pipeline sends", () => {
  for (const d of DESCRIPTORS) assert.ok(handlerFor(d.method), `the stand has no handler for ${d.method}`);
});

test("method registry: wsdl/operations.json is the one the method modules give (node dist/scripts/write-operations.js)", async () => {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const { operationsFileText } = await import("../../src/methods/operations-file");
  const file = path.resolve(__dirname, "..", "..", "..", "wsdl", "operations.json");
  assert.equal(
    fs.readFileSync(file, "utf8"),
    operationsFileText(),
    "wsdl/operations.json is stale: run node dist/scripts/write-operations.js and regenerate wsdl/",
  );
});

test("method registry: an object action runs only the descriptors that perform it; action-only ones stay out of ordinary runs", async () => {
  const { planOf } = await import("../../src/queue/plan");
  const { STAGE_DESCRIPTORS } = await import("../../src/runtime/descriptors");
  const { OBJECT_ACTIONS } = await import("../../src/stages/descriptor");
  const performed = new Set(DESCRIPTORS.flatMap((d) => d.actions ?? []));
  for (const action of OBJECT_ACTIONS) {
    assert.ok(performed.has(action), `some method performs «${action}»`);
    const steps = planOf(STAGE_DESCRIPTORS, [...STAGES], "push", action);
    assert.ok(steps.length > 0, action);
    for (const s of steps) assert.ok(DESCRIPTORS.find((d) => d.method === s.method)?.actions?.includes(action), `${s.method} performs ${action}`);
  }
  const ordinary = planOf(STAGE_DESCRIPTORS, [...STAGES], "sync").map((s) => s.method);
  for (const d of DESCRIPTORS.filter((x) => x.actionOnly)) assert.ok(!ordinary.includes(d.method), `${d.method} is action-only`);
  assert.ok(planOf(STAGE_DESCRIPTORS, ["accounts"], "push", "reopen").some((s) => s.method === "importAccountData"));
});

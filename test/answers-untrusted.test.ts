/**
 * GIS's answers are untrusted input: one rule per test, over real HTTP against a scripted GIS.
 * A broken answer is a poll that failed (asked again, bounded); a broken Ack is an unknown outcome;
 * an answer is believed only if it names the message asked, our TransportGUIDs once each, and
 * identifiers of their shape; an import is done only when GIS named every item.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { withTestDb } from "./support/databases";
import {
  Answer,
  accountRecipe,
  ack,
  env,
  exchangeContext,
  exportAccountsRecipe,
  fault,
  importResult,
  ok,
  scriptedGis,
  state,
  wholeError,
} from "./support/scripted-gis";
import { createOperation } from "../src/exchange/operation-store";
import { RequestRecipe, advance, operationArchive, reconcileChild } from "../src/exchange/exchange";
import { MAX_BROKEN_ANSWERS } from "../src/exchange/outcome";
import { parseResponse } from "../src/transport/results/results";
import { GisOperation, GisOperationItem } from "../entities";

type Script = Array<(body: string) => Answer>;

/** Runs an operation of `n` accounts against the script; `steps` advances, returns the states seen. */
async function run(script: Script | ((tgs: () => string[]) => Script), steps: number, o: { recipe?: RequestRecipe; n?: number; method?: string } = {}) {
  return withTestDb("sqlite", async (ds: DataSource) => {
    let tgs: string[] = [];
    const gis = await scriptedGis(typeof script === "function" ? script(() => tgs) : script);
    const ctx = await exchangeContext(ds, gis.url);
    const recipe = o.recipe ?? accountRecipe();
    try {
      const method = o.method ?? (recipe.methodKind === "import" ? "importAccountData" : "exportAccountData");
      const op = await createOperation(ds, {
        stand: "local",
        service: "house-management",
        method,
        items: Array.from({ length: o.n ?? 1 }, (_, i) => ({ objectType: "account", objectId: i + 1 })),
      });
      tgs = (await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id }, order: { id: "ASC" } })).map((i) => i.transportGuid);
      const states: string[] = [];
      for (let i = 0; i < steps; i++) states.push(await advance(ctx, op.id, () => recipe));
      const after = await ds.getRepository(GisOperation).findOneByOrFail({ id: op.id });
      const items = await ds.getRepository(GisOperationItem).find({ where: { operationId: op.id }, order: { id: "ASC" } });
      const archive = (await operationArchive(ds, op.id)).map((e) => e.kind);
      const child = await reconcileChild(ds, op.id);
      return { states, op: after, items, archive, child, seen: gis.seen };
    } finally {
      ctx.client.close();
      await gis.close();
    }
  });
}

const broken = (): Answer => ok(env("<hm:getStateResult><base:RequestState>3</base:Request")); // truncated

test("answers: a broken getState answer after the Ack is a poll that failed — asked again, then GIS's answer counts", async () => {
  const r = await run((tgs) => [ack, broken, () => ok(state(3, importResult(tgs())))], 3);
  assert.deepEqual(r.states, ["sent", "processing", "done"]);
  assert.equal(r.items[0].outcome, "ok");
  assert.equal(r.op.errorCode, null, "a good answer clears the broken-answer mark");
  assert.deepEqual(r.archive, ["request", "signed_request", "ack", "fault", "result"], "the refused answer is archived, not as a result");
});

test("answers: after MAX_BROKEN_ANSWERS broken answers in a row an import ends polling under a named error and is reconciled", async () => {
  const r = await run([ack, ...Array.from({ length: MAX_BROKEN_ANSWERS }, () => broken)], 1 + MAX_BROKEN_ANSWERS);
  assert.deepEqual(r.states, ["sent", ...Array(MAX_BROKEN_ANSWERS - 1).fill("processing"), "reconciling"]);
  assert.match(r.op.errorText ?? "", /MALFORMED.*5 подряд/);
  assert.ok(r.child, "an export child asks GIS what it has");
  assert.equal(r.items[0].outcome, "pending", "never failed silently, never ok");
});

test("answers: a broken Ack of an import is an unknown outcome (reconciled); of a safe-to-repeat import or an export, a rebuilt resend", async () => {
  const imp = await run([() => ok("<html><body>502 Bad Gateway</body></html>")], 1);
  assert.deepEqual(imp.states, ["reconciling"]);
  const repeat = await run([() => ok(env("<base:AckRequest/>")), ack], 2, { recipe: accountRecipe({ safeToRepeat: true }) });
  assert.deepEqual(repeat.states, ["signed", "sent"]);
  const exp = await run([() => ok(env("<base:AckRequest><base:Ack><base:MessageGUID>nope</base:MessageGUID></base:Ack></base:AckRequest>")), ack], 2, {
    recipe: exportAccountsRecipe,
  });
  assert.deepEqual(exp.states, ["signed", "sent"]);
  const guids = exp.seen.map((s) => /<base:MessageGUID>([^<]+)</.exec(s.body)![1]);
  assert.notEqual(guids[0], guids[1], "a new MessageGUID");
});

test("answers: an Ack naming another sender message is refused; a getStateResult for another message is refused and polled again", async () => {
  const other = ok(
    env(
      `<base:AckRequest><base:Ack><base:MessageGUID>${crypto.randomUUID()}</base:MessageGUID><base:RequesterMessageGUID>${crypto.randomUUID()}</base:RequesterMessageGUID></base:Ack></base:AckRequest>`,
    ),
  );
  const a = await run([() => other], 1);
  assert.deepEqual(a.states, ["reconciling"]);
  const r = await run(
    (tgs) => [ack, (): Answer => ({ status: 200, body: state(3, importResult(tgs())), asIs: true }), () => ok(state(3, importResult(tgs())))],
    3,
  );
  assert.deepEqual(r.states, ["sent", "processing", "done"]);
});

test("answers: a result for a TransportGUID not of this operation, or two results for one, refuses the answer", async () => {
  const foreign = await run((tgs) => [ack, () => ok(state(3, importResult([tgs()[0], crypto.randomUUID()])))], 2);
  assert.deepEqual(foreign.states, ["sent", "processing"]);
  assert.equal(foreign.items[0].outcome, "pending");
  const twice = await run((tgs) => [ack, () => ok(state(3, importResult([tgs()[0], tgs()[0]])))], 2);
  assert.deepEqual(twice.states, ["sent", "processing"]);
  assert.match(twice.op.errorText ?? "", /два результата/);
});

test("answers: identifiers must have their shape — a script in a GUID, a 20,000-character unique number, a bad ЕЛС refuse the answer", async () => {
  for (const extra of [
    `<base:GUID>"&gt;&lt;script&gt;</base:GUID>`,
    `<base:UniqueNumber>${"1".repeat(20_000)}</base:UniqueNumber>`,
    `<hm:UnifiedAccountNumber>12 АБ</hm:UnifiedAccountNumber>`,
  ]) {
    const r = await run(
      (tgs) => [
        ack,
        () =>
          ok(
            state(
              3,
              importResult(tgs(), () => extra),
            ),
          ),
      ],
      2,
    );
    assert.deepEqual(r.states, ["sent", "processing"], extra.slice(0, 40));
    assert.equal(r.items[0].gisGuid, null);
    assert.equal(r.items[0].outcome, "pending");
  }
});

test("answers: an import is done only when GIS named every item — the item GIS said nothing about is reconciled, never ok", async () => {
  const r = await run((tgs) => [ack, () => ok(state(3, importResult([tgs()[0]])))], 2, { n: 2 });
  assert.deepEqual(r.states, ["sent", "reconciling"]);
  assert.deepEqual(
    r.items.map((i) => i.outcome),
    ["ok", "pending"],
  );
  assert.ok(r.child);
  assert.equal(r.child!.itemCount, 1, "only the silent item is checked");
});

test("answers: a whole-message INT002012 / INT002000 on an import is not done for its items: reconciled", async () => {
  for (const code of ["INT002012", "INT002000"]) {
    const r = await run([ack, () => ok(state(3, wholeError(code)))], 2, { n: 2 });
    assert.deepEqual(r.states, ["sent", "reconciling"], code);
    assert.deepEqual(
      r.items.map((i) => i.outcome),
      ["pending", "pending"],
    );
  }
  const exp = await run([ack, () => ok(state(3, wholeError("INT002012")))], 2, { recipe: exportAccountsRecipe });
  assert.deepEqual(exp.states, ["sent", "done"], "for an export it is an empty result");
});

test("answers: getState for a message GIS does not know is an unknown outcome — an import reconciled, an export sent again", async () => {
  const imp = await run([ack, () => fault("INT002000")], 2);
  assert.deepEqual(imp.states, ["sent", "reconciling"]);
  const exp = await run([ack, () => fault("INT002000"), ack], 3, { recipe: exportAccountsRecipe });
  assert.deepEqual(exp.states, ["sent", "signed", "sent"]);
  assert.equal(exp.op.attempts, 2);
});

test("answers: a final answer with EXP001000 is rebuilt and resent under a new MessageGUID, not polled again", async () => {
  const r = await run((tgs) => [ack, () => ok(state(3, wholeError("EXP001000"))), ack, () => ok(state(3, importResult(tgs())))], 4);
  assert.deepEqual(r.states, ["sent", "signed", "sent", "done"]);
  const sends = r.seen.filter((s) => s.action === "urn:importAccountData").map((s) => /<base:MessageGUID>([^<]+)</.exec(s.body)![1]);
  assert.equal(new Set(sends).size, 2);
});

test("answers: RequestState outside 1–3 (7) is polled again instead of failing at once", async () => {
  const r = await run((tgs) => [ack, () => ok(state(7)), () => ok(state(3, importResult(tgs())))], 3);
  assert.deepEqual(r.states, ["sent", "processing", "done"]);
});

test("answers: invalid UTF-8 refuses the answer; so does nesting deeper than the bound", async () => {
  const bytes = Buffer.concat([Buffer.from(state(3).slice(0, 200)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(state(3).slice(200))]);
  const r = await run([ack, () => ({ status: 200, body: bytes })], 2);
  assert.deepEqual(r.states, ["sent", "processing"]);
  assert.match(r.op.errorText ?? "", /UTF-8/);
  const deep = state(3, "<a>".repeat(500) + "</a>".repeat(500));
  assert.throws(() => parseResponse(deep), /вложенность/);
  const d = await run([ack, () => ok(deep)], 2);
  assert.deepEqual(d.states, ["sent", "processing"]);
});

test("answers: GIS's own verdict in a well-formed answer still fails the object it names", async () => {
  const r = await run(
    (tgs) => [
      ack,
      () =>
        ok(
          state(
            3,
            importResult(tgs(), () => `<base:Error><base:ErrorCode>SRV006001</base:ErrorCode><base:Description>нет</base:Description></base:Error>`),
          ),
        ),
    ],
    2,
  );
  assert.deepEqual(r.states, ["sent", "done_with_errors"]);
  assert.deepEqual([r.items[0].outcome, r.items[0].errorCode], ["error", "SRV006001"]);
});

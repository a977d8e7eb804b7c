/**
 * Scope is exact: a run started from a card sends, in every stage, exactly what belongs to that
 * card's object — from an account card its places, the account, its meters, their readings, its
 * documents, its payments and their acknowledgments; from a meter card the meter and its readings;
 * from a house card what is in the house — never an object of another kind that has the same id.
 * (The issue: account 1600000004's card sent payment document 1600000001-202503.)
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import { In } from "typeorm";
import { withTestDb } from "./support/databases";
import { PipelineEnv, pipelineEnv } from "./support/pipeline-env";
import {
  Account,
  AccountAccommodation,
  Acknowledgment,
  GisOperation,
  GisOperationItem,
  Meter,
  MeterAccount,
  MeterReading,
  Payment,
  PaymentDocument,
} from "../entities";
import { Premise } from "../entities/premise";
import { StageName } from "../src/stages/descriptor";
import { Scope } from "../src/stages/descriptor";
import { hydrate } from "../src/storage/identity/store";
import { STAND } from "./support/identity";

const STAGES: StageName[] = ["fund", "accounts", "meters", "readings", "bills", "payments", "kvitirovanie"];

/** Objects (kind#id) each import of a run carried. */
async function carried(env: PipelineEnv, runId: string): Promise<string[]> {
  const ops = await env.ds.getRepository(GisOperation).find({ where: { runId } });
  const imports = ops.filter((o) => o.method.startsWith("import")).map((o) => o.id);
  if (!imports.length) return [];
  const items = await env.ds.getRepository(GisOperationItem).find({ where: { operationId: In(imports) } });
  return [...new Set(items.map((i) => `${i.objectType}#${i.objectId}`))].sort();
}

async function runFrom(env: PipelineEnv, stage: StageName, scope: Omit<Scope, "organizationId">): Promise<string[]> {
  const run = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: [stage], mode: "push", scope, trigger: "test" });
  const done = await env.rt.waitForRun(run.id, undefined, 60_000);
  assert.notEqual(done.state, "failed", `${stage}: ${done.errorText ?? ""}`);
  return carried(env, run.id);
}

const tagged = (kind: string, ids: number[]) => ids.map((id) => `${kind}#${id}`);

test("card scope: each stage from an account, a meter and a house card sends exactly that object's data", { timeout: 600_000 }, async () => {
  await withTestDb("sqlite", async (ds) => {
    const env = await pipelineEnv(ds, { fund: true });
    try {
      const all = await env.rt.pipeline.startRun({
        stand: "local",
        organizationId: env.ours.id,
        stages: ["contracts", ...STAGES],
        mode: "sync",
        trigger: "test",
      });
      await env.rt.waitForRun(all.id, undefined, 300_000);
      // Everything changed since GIS took it: a push would send it all again, unless the scope holds.
      for (const t of ["house", "entrance", "premise", "room", "account", "meter", "meter_reading", "payment_document", "payment", "acknowledgment"])
        await ds.query(`UPDATE "${t}" SET "syncChangedAt" = ?`, [new Date(Date.now() + 60_000).toISOString().replace("T", " ").slice(0, 23)]);

      // An account with meters, readings, documents and payments; one of its meters; its house.
      const docs = await ds.getRepository(PaymentDocument).find({ where: { organizationId: env.ours.id } });
      const links = await ds.getRepository(MeterAccount).find();
      // (placed, so a push sends it again: the bundle's broken objects are refused before sending)
      const okMeters = new Set(
        (await hydrate(ds, "meter", await ds.getRepository(Meter).find(), STAND)).filter((m) => m.sync.status === "ok").map((m) => m.id),
      );
      const account = (await hydrate(ds, "account", await ds.getRepository(Account).findBy({ id: In(docs.map((d) => d.accountId)) }), STAND)).find(
        (a) => a.sync.status === "ok" && links.some((l) => l.accountId === a.id && okMeters.has(l.meterId)),
      );
      assert.ok(account, "the bundle has an account with meters and documents");
      const meterIds = links.filter((l) => l.accountId === account.id).map((l) => l.meterId);
      const readings = (await ds.getRepository(MeterReading).findBy({ meterId: In(meterIds) })).map((r) => r.id);
      const docIds = docs.filter((d) => d.accountId === account.id).map((d) => d.id);
      const payments = (await ds.getRepository(Payment).find()).filter(
        (p) => p.accountId === account.id || (p.paymentDocumentId !== null && docIds.includes(p.paymentDocumentId)),
      );
      const acks = (await ds.getRepository(Acknowledgment).findBy({ paymentId: In(payments.map((p) => p.id).concat(-1)) })).map((k) => k.id);
      const places = await ds.getRepository(AccountAccommodation).findBy({ accountId: account.id });
      const premiseIds = places.map((p) => p.premiseId).filter((x): x is number => x !== null);
      const houseIds = [
        ...new Set([
          ...places.map((p) => p.houseId).filter((x): x is number => x !== null),
          ...(await ds.getRepository(Premise).findBy({ id: In(premiseIds.concat(-1)) })).map((p) => p.houseId),
        ]),
      ];
      const ofAccount: Record<string, Set<string>> = {
        fund: new Set([...tagged("house", houseIds), ...tagged("premise", premiseIds)]),
        accounts: new Set(tagged("account", [account.id])),
        meters: new Set(tagged("meter", meterIds)),
        readings: new Set(tagged("meter_reading", readings)),
        bills: new Set(tagged("payment_document", docIds)),
        payments: new Set(
          tagged(
            "payment",
            payments.map((p) => p.id),
          ),
        ),
        kvitirovanie: new Set([
          ...tagged("acknowledgment", acks),
          ...tagged(
            "payment",
            payments.map((p) => p.id),
          ),
        ]),
      };
      const sent: Record<string, string[]> = {};
      for (const stage of STAGES) {
        const got = await runFrom(env, stage, { objectType: "account", objectIds: [account.id] });
        sent[stage] = got;
        const foreign = got.filter((x) => !ofAccount[stage].has(x));
        assert.deepEqual(foreign, [], `account card, ${stage}: only the account's objects`);
      }
      for (const stage of ["accounts", "meters"] as const) assert.ok(sent[stage].length > 0, `account card, ${stage}: something was sent`);

      // A meter card: the meter, its readings; no account, document or payment of the same id.
      const meter = meterIds.find((m) => okMeters.has(m))!;
      const meterReadings = new Set(
        tagged(
          "meter_reading",
          (await ds.getRepository(MeterReading).findBy({ meterId: meter })).map((r) => r.id),
        ),
      );
      for (const stage of ["accounts", "meters", "readings", "bills", "payments"] as StageName[]) {
        const got = await runFrom(env, stage, { objectType: "meter", objectIds: [meter] });
        const allowed =
          stage === "meters"
            ? new Set([`meter#${meter}`])
            : stage === "readings"
              ? meterReadings
              : stage === "accounts"
                ? ofAccount.accounts
                : new Set<string>();
        assert.deepEqual(
          got.filter(
            (x) =>
              !allowed.has(x) &&
              !(stage === "accounts" && x.startsWith("account#") && links.some((l) => l.meterId === meter && `account#${l.accountId}` === x)),
          ),
          [],
          `meter card, ${stage}: only the meter's objects`,
        );
        if (stage === "meters") assert.deepEqual(got, [`meter#${meter}`]);
      }

      // A house card: everything sent lies in that house.
      const house = houseIds[0];
      const meterOfHouse = new Set((await ds.getRepository(Meter).findBy({ houseId: house })).map((m) => m.id));
      const got = await runFrom(env, "meters", { houseIds: [house] });
      assert.ok(got.length > 0 && got.every((x) => meterOfHouse.has(Number(x.split("#")[1]))), `house card, meters: the house's meters only (${got})`);
    } finally {
      await env.close();
    }
  });
});

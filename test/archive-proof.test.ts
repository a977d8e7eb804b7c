/**
 * The archive as proof: signed anchors of the chain's head (in the database and as files kept
 * apart) catch a removed tail and a recomputed chain that the chain alone cannot; GIS's signature
 * on each answer is checked on arrival, kept, and covered by the chain.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { ArchiveAnchor, ArchiveEntry, GisOperation } from "../entities";
import { anchorArchive, appendArchive, entryHash, verifyAnchors, verifyArchive } from "../src/archive";
import { writeTestKey } from "../src/signing/keygen";
import { SoftwareSigner } from "../src/signing/software-signer";
import { signRequest } from "../src/signing/xades";
import { exportOrgRegistry } from "./support/requests";
import { DB_KINDS, withTestDb } from "./support/databases";

async function signer(): Promise<{ signer: SoftwareSigner; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-anchor-"));
  const k = await writeTestKey(path.join(dir, "key"), { commonName: "Тест архива", organization: "АО «Тест»", days: 30 });
  return { signer: SoftwareSigner.fromFiles(k.key, k.cert), dir };
}

async function entries(ds: DataSource, n: number): Promise<string> {
  const id = crypto.randomUUID();
  await ds
    .getRepository(GisOperation)
    .insert({ id, stand: "local", service: "house-management", method: "importAccountData", stage: "accounts", state: "done", createdAt: new Date() });
  for (let i = 0; i < n; i++) await appendArchive(ds, { operationId: id, kind: i === 0 ? "request" : "state", body: `<m n="${i}">Иванов</m>` });
  return id;
}

/** What an intruder with database access does to hide a change: rewrite an entry, then recompute every hash after it. */
async function recomputeFrom(ds: DataSource, id: number, body: string): Promise<void> {
  const repo = ds.getRepository(ArchiveEntry);
  const all = await repo.find({ order: { id: "ASC" } });
  let prev = all.find((e) => e.id === id)!.prevHash;
  for (const e of all.filter((x) => x.id >= id)) {
    if (e.id === id) e.body = body;
    e.prevHash = prev;
    e.sizeBytes = Buffer.byteLength(e.body, "utf8");
    e.hash = entryHash(prev, e);
    prev = e.hash;
    await repo.save(e);
  }
}

for (const kind of DB_KINDS) {
  test(`${kind}: anchors catch a removed tail and a recomputed chain; files kept apart survive deleted anchor rows`, async () => {
    await withTestDb(kind, async (ds) => {
      const { signer: s, dir } = await signer();
      const anchors = path.join(dir, "anchors");
      await entries(ds, 4);
      const a1 = await anchorArchive(ds, s, anchors);
      await entries(ds, 3);
      const a2 = await anchorArchive(ds, s, anchors);
      assert.equal(fs.readdirSync(anchors).length, 2, "one file per anchor");
      let r = await verifyAnchors(ds, anchors, [s.certificate]);
      assert.deepEqual(r.problems, []);
      assert.equal(r.checked, 2, "the same anchor in the database and in a file counts once");
      assert.equal(r.newest?.headId, a2.headId);

      // The newest two entries removed: the chain itself still verifies, the anchor does not.
      const repo = ds.getRepository(ArchiveEntry);
      const tail = await repo.find({ order: { id: "DESC" }, take: 2 });
      await repo.delete(tail.map((e) => e.id));
      assert.equal((await verifyArchive(ds)).ok, true, "a cut tail leaves a consistent chain");
      r = await verifyAnchors(ds, anchors);
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0].reason, new RegExp(`после №${a2.headId - 2} удалены`));

      // An entry rewritten and every later hash recomputed.
      const victim = (await repo.find({ order: { id: "ASC" }, take: 2 }))[1];
      await recomputeFrom(ds, victim.id, "<m>подделка</m>");
      assert.equal((await verifyArchive(ds)).ok, true, "a recomputed chain verifies on its own");
      r = await verifyAnchors(ds, anchors);
      assert.equal(r.problems.length, 2, "both anchors fail: the first on the recomputed chain, the second on the cut tail");
      assert.match(r.problems.find((p) => p.headId === a1.headId)!.reason, /пересчитана/);

      // The intruder deletes the anchor rows too: the files kept apart still tell.
      await ds.getRepository(ArchiveAnchor).clear();
      assert.equal((await verifyAnchors(ds, anchors)).problems.length, 2);

      // A forged anchor file (another head) fails its signature; an anchor by a foreign key is refused.
      const file = path.join(anchors, fs.readdirSync(anchors)[0]);
      const forged = JSON.parse(fs.readFileSync(file, "utf8"));
      forged.statement = forged.statement.replace(/head-id: \d+/, `head-id: ${a1.headId + 1}`);
      fs.writeFileSync(file, JSON.stringify(forged));
      r = await verifyAnchors(ds, anchors);
      assert.ok(
        r.problems.some((p) => /подпись отметки неверна/.test(p.reason)),
        JSON.stringify(r.problems),
      );
      const other = await signer();
      r = await verifyAnchors(ds, anchors, [other.signer.certificate]);
      assert.ok(r.problems.every((p) => /не доверенным|неверна/.test(p.reason)));
    });
  });

  test(`${kind}: GIS's signature is checked when an answer arrives, kept on the entry and covered by the chain`, async () => {
    await withTestDb(kind, async (ds) => {
      const { signer: s } = await signer();
      const op = crypto.randomUUID();
      await ds.getRepository(GisOperation).insert({
        id: op,
        stand: "local",
        service: "organizations-registry-common",
        method: "exportOrgRegistry",
        stage: "services",
        state: "done",
        createdAt: new Date(),
      });
      const signed = await signRequest(exportOrgRegistry([{ ogrn: "1027700132195" }]).xml, s);
      const good = await appendArchive(ds, { operationId: op, kind: "result", body: signed });
      const bad = await appendArchive(ds, { operationId: op, kind: "result", body: signed.replace("1027700132195", "1027700132196") });
      const none = await appendArchive(ds, { operationId: op, kind: "ack", body: "<ack/>" });
      const ours = await appendArchive(ds, { operationId: op, kind: "signed_request", body: signed });
      assert.equal(good.signatureState, "valid");
      assert.match(good.signatureNote ?? "", /Тест архива/);
      assert.equal(bad.signatureState, "invalid");
      assert.equal(none.signatureState, "unsigned");
      assert.equal(ours.signatureState, null, "our own messages are not GIS's answers");
      assert.equal((await verifyArchive(ds)).ok, true);
      await ds.getRepository(ArchiveEntry).update(bad.id, { signatureState: "valid" });
      const r = await verifyArchive(ds);
      assert.equal(r.ok, false, "a changed verdict breaks the chain");
      assert.equal(r.firstBadId, bad.id);
    });
  });
}

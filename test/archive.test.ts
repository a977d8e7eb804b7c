import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { DataSource } from "typeorm";
import { DB_KINDS, withTestDb } from "./support/databases";
import { appendArchive, exportArchive, pruneArchive, verifyArchive, verifyArchivedSignatures } from "../src/archive";
import { REFERENCE } from "./support/gost-tools";
import { ArchiveEntry, AuditLog, GisOperation } from "../entities";

async function operation(ds: DataSource, method = "importAccountData", createdAt = new Date()): Promise<string> {
  const id = crypto.randomUUID();
  await ds.getRepository(GisOperation).insert({ id, stand: "local", service: "house-management", method, stage: "accounts", state: "done", createdAt });
  return id;
}

async function exchange(ds: DataSource, opId: string, states = 2): Promise<void> {
  await appendArchive(ds, { operationId: opId, kind: "request", body: "<req>Иванов & Ко <ЛС></req>" });
  await appendArchive(ds, { operationId: opId, kind: "signed_request", body: "<req><ds:Signature/>Иванов</req>" });
  await appendArchive(ds, { operationId: opId, kind: "ack", body: "<ack/>", httpStatus: 200, messageGuid: crypto.randomUUID() });
  for (let i = 0; i < states; i++) await appendArchive(ds, { operationId: opId, kind: "state", body: `<state n="${i}"/>`, httpStatus: 200 });
  await appendArchive(ds, { operationId: opId, kind: "result", body: "<result>ok\r\n</result>" });
}

for (const kind of DB_KINDS) {
  test(`${kind}: archive chain verifies, and names the first altered or removed entry`, async () => {
    await withTestDb(kind, async (ds) => {
      const a = await operation(ds);
      const b = await operation(ds);
      await exchange(ds, a);
      await exchange(ds, b);
      assert.deepEqual(await verifyArchive(ds), { ok: true, checked: 12 });

      const repo = ds.getRepository(ArchiveEntry);
      const victim = (await repo.find({ where: { operationId: a }, order: { seq: "ASC" } }))[3];
      await repo.update(victim.id, { body: '<state n="0">forged</state>' });
      const r = await verifyArchive(ds);
      assert.equal(r.ok, false);
      assert.equal(r.firstBadId, victim.id, "the altered entry is named");
      assert.equal(r.operationId, a);
      assert.equal(r.checked, 3);

      await repo.update(victim.id, { body: victim.body });
      assert.equal((await verifyArchive(ds)).ok, true, "restoring the body restores the chain");
      const removed = (await repo.find({ where: { operationId: b }, order: { seq: "ASC" } }))[0];
      await repo.delete(removed.id);
      const r2 = await verifyArchive(ds);
      assert.equal(r2.ok, false);
      assert.equal(r2.firstBadId, removed.id + 1, "the entry after a deleted one is named");
      assert.match(r2.reason!, /удалена/);
    });
  });

  test(`${kind}: concurrent appends keep one unbroken chain; seq numbers per operation`, async () => {
    await withTestDb(kind, async (ds) => {
      const ops = await Promise.all([operation(ds), operation(ds), operation(ds)]);
      await Promise.all(ops.flatMap((op) => Array.from({ length: 8 }, (_, i) => appendArchive(ds, { operationId: op, kind: "state", body: `<s>${i}</s>` }))));
      const v = await verifyArchive(ds);
      assert.deepEqual(v, { ok: true, checked: 24 });
      for (const op of ops) {
        const seqs = (await ds.getRepository(ArchiveEntry).find({ where: { operationId: op }, order: { seq: "ASC" } })).map((e) => e.seq);
        assert.deepEqual(seqs, [0, 1, 2, 3, 4, 5, 6, 7]);
      }
    });
  });

  test(`${kind}: retention prunes whole old operations and the rest still verifies`, async () => {
    await withTestDb(kind, async (ds) => {
      const old = await operation(ds);
      await exchange(ds, old);
      await ds.getRepository(ArchiveEntry).update({ operationId: old }, { createdAt: new Date("2020-01-01T00:00:00Z") });
      // Re-hash the back-dated entries so the chain is valid before pruning (as if written in 2020).
      const { entryHash, GENESIS_HASH } = await import("../src/archive/chain");
      let prev = GENESIS_HASH;
      for (const e of await ds.getRepository(ArchiveEntry).find({ order: { id: "ASC" } })) {
        await ds.getRepository(ArchiveEntry).update(e.id, { prevHash: prev, hash: entryHash(prev, e) });
        prev = entryHash(prev, e);
      }
      const fresh = await operation(ds);
      await exchange(ds, fresh);
      assert.equal((await verifyArchive(ds)).ok, true);
      const r = await pruneArchive(ds, { days: 30, maxRecords: 1000 });
      assert.equal(r.deleted, 6);
      assert.equal(await ds.getRepository(ArchiveEntry).countBy({ operationId: old }), 0);
      assert.deepEqual(await verifyArchive(ds), { ok: true, checked: 6 }, "verification starts from the checkpoint");
      await exchange(ds, fresh, 0);
      assert.equal((await verifyArchive(ds)).ok, true, "appends after pruning continue the chain");

      const newer = await operation(ds);
      await exchange(ds, newer);
      const r2 = await pruneArchive(ds, { days: 30, maxRecords: 5 });
      assert.equal(r2.deleted, 10, "the record cap cuts at an operation boundary: all of `fresh`, none of `newer`");
      assert.equal(await ds.getRepository(ArchiveEntry).countBy({ operationId: newer }), 6);
      assert.equal((await verifyArchive(ds)).ok, true);
      // Deleting the first surviving entry is still caught.
      const [first] = await ds.getRepository(ArchiveEntry).find({ order: { id: "ASC" }, take: 1 });
      await ds.getRepository(ArchiveEntry).delete(first.id);
      assert.equal((await verifyArchive(ds)).ok, false);
    });
  });
}

test("sqlite: archive export writes the files GIS support asks for; CLI verify reports tampering", async () => {
  await withTestDb("sqlite", async (ds, db) => {
    const a = await operation(ds, "importAccountData");
    const b = await operation(ds, "exportNsiItem");
    await exchange(ds, a, 2);
    await exchange(ds, b, 1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-export-"));
    const r = await exportArchive(ds, dir, { method: "importAccountData" });
    assert.equal(r.operations, 1);
    assert.deepEqual(
      fs.readdirSync(dir).sort(),
      [`${a}-ack.xml`, `${a}-request.xml`, `${a}-result.xml`, `${a}-signed-request.xml`, `${a}-state-1.xml`, `${a}-state-2.xml`].sort(),
    );
    assert.equal(fs.readFileSync(path.join(dir, `${a}-result.xml`), "utf8"), "<result>ok\r\n</result>", "bytes as stored");

    const env = { ...process.env, DB_URL: db.url };
    const bin = path.resolve("bin/gis-sync.js");
    const ok = spawnSync(process.execPath, [bin, "archive", "verify"], { env, encoding: "utf8" });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Архив цел: проверено записей 11/);
    const out = path.join(dir, "cli");
    const ex = spawnSync(process.execPath, [bin, "archive", "export", "--dir", out, "--operation", b], { env, encoding: "utf8" });
    assert.equal(ex.status, 0, ex.stderr);
    assert.equal(fs.readdirSync(out).length, 5);
    assert.equal(await ds.getRepository(AuditLog).countBy({ action: "archive.export" }), 1, "personal-data export is audited");
    const victim = await ds.getRepository(ArchiveEntry).findOneByOrFail({ operationId: b, kind: "ack" });
    await ds.getRepository(ArchiveEntry).update(victim.id, { httpStatus: 500 });
    const bad = spawnSync(process.execPath, [bin, "archive", "verify"], { env, encoding: "utf8" });
    assert.equal(bad.status, 4);
    assert.match(bad.stderr, new RegExp(`запись ${victim.id} \\(операция ${b}\\)`));
    const badDate = spawnSync(process.execPath, [bin, "archive", "export", "--dir", out, "--from", "31.02.2026"], { env, encoding: "utf8" });
    assert.equal(badDate.status, 1);
    assert.match(badDate.stderr, /^gis-sync: --from: «31\.02\.2026» — не дата/);
  });
});

test("archive: GIS's own signatures on its answers are kept byte for byte and re-verify; a changed answer is named", {
  skip: !REFERENCE && "reference samples not found",
}, async () => {
  const sample = fs.readFileSync(path.join(REFERENCE!, "samples/gis-resp-2016.xml"), "utf8");
  await withTestDb("sqlite", async (ds) => {
    const opId = crypto.randomUUID();
    await appendArchive(ds, { operationId: opId, kind: "result", body: sample });
    await appendArchive(ds, { operationId: opId, kind: "ack", body: "<soap:Envelope><soap:Body/></soap:Envelope>" });
    const ok = await verifyArchivedSignatures(ds);
    assert.deepEqual([ok.checked, ok.valid, ok.unsigned, ok.invalid.length], [1, 1, 1, 0]);
    // The same answer with one signed character changed (as if someone edited the stored copy and its chain).
    const changed = sample.replace("RequestState>2<", "RequestState>3<");
    assert.notEqual(changed, sample);
    const other = crypto.randomUUID();
    await appendArchive(ds, { operationId: other, kind: "state", body: changed });
    const bad = await verifyArchivedSignatures(ds);
    assert.equal(bad.invalid.length, 1);
    assert.equal(bad.invalid[0].operationId, other);
    assert.equal((await verifyArchivedSignatures(ds, [opId])).invalid.length, 0, "filter by operation");
  });
});

/**
 * The archive's XML at rest: with a key outside the database, bodies are stored encrypted and read
 * back as plain text; the chain still verifies; without the key an encrypted body is a clear error.
 */
import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ArchiveEntry, GisOperation } from "../entities";
import { appendArchive, verifyArchive } from "../src/archive";
import { createArchiveKey, decryptBody, encryptBody } from "../src/archive/at-rest";
import { DB_KINDS, withTestDb } from "./support/databases";

const PAYER = "<hm:Ind><hm:Surname>Иванова</hm:Surname><hm:SNILS>11223344595</hm:SNILS></hm:Ind>";

for (const kind of DB_KINDS) {
  test(`${kind}: with an archive key, bodies are encrypted in the database and plain in the entity; the chain verifies`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-key-"));
    const file = path.join(dir, "archive.key");
    createArchiveKey(file);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.throws(() => createArchiveKey(file), /уже есть/);
    process.env.GIS_SYNC_ARCHIVE_KEY_FILE = file;
    try {
      await withTestDb(kind, async (ds) => {
        const op = crypto.randomUUID();
        await ds.getRepository(GisOperation).insert({
          id: op,
          stand: "local",
          service: "house-management",
          method: "importAccountData",
          stage: "accounts",
          state: "done",
          createdAt: new Date(),
        });
        const e = await appendArchive(ds, { operationId: op, kind: "request", body: PAYER });
        const raw = await ds.query(`SELECT body FROM archive_entry WHERE id = ${e.id}`);
        assert.doesNotMatch(raw[0].body, /Иванова|11223344595/, "no personal data in the stored row");
        assert.match(raw[0].body, /^gsenc1:/);
        assert.equal((await ds.getRepository(ArchiveEntry).findOneByOrFail({ id: e.id })).body, PAYER);
        assert.equal((await verifyArchive(ds)).ok, true);
        delete process.env.GIS_SYNC_ARCHIVE_KEY_FILE;
        await assert.rejects(ds.getRepository(ArchiveEntry).findOneByOrFail({ id: e.id }), /зашифрован, а ключ не найден/);
      });
    } finally {
      delete process.env.GIS_SYNC_ARCHIVE_KEY_FILE;
    }
  });
}

test("archive at rest: a changed byte or another key is refused by name; no key means plain text", () => {
  const k = crypto.randomBytes(32);
  const enc = encryptBody(PAYER, k);
  assert.notEqual(encryptBody(PAYER, k), enc, "a fresh nonce per entry");
  assert.equal(decryptBody(enc, k), PAYER);
  assert.throws(() => decryptBody(enc, crypto.randomBytes(32)), /не расшифровывается/);
  const flipped = enc.slice(0, -4) + (enc.endsWith("AAAA") ? "BBBB" : "AAAA");
  assert.throws(() => decryptBody(flipped, k), /не расшифровывается/);
  assert.equal(encryptBody(PAYER, null), PAYER);
  assert.equal(decryptBody(PAYER, null), PAYER);
});

/**
 * GIS's file store: attachments are uploaded over REST before the message that cites them, once;
 * the pipeline does it for contracts, and a file that cannot be uploaded is named in the journal.
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTestDb } from "./support/databases";
import { pipelineEnv } from "./support/pipeline-env";
import { Attachment, Contract, MessageLog } from "../entities";
import { startStand } from "../src/stand";
import { GisHttpClient } from "../src/transport/http";
import { streebog256 } from "../src/signing/streebog";
import { hydrate } from "../src/storage/identity/store";

test("file store: a file PUT to the stand comes back byte for byte under the id it answered with; a refusal is an error", async () => {
  const stand = await startStand({ log: () => undefined });
  const client = new GisHttpClient({ baseUrl: stand.url, mode: "plain" });
  try {
    const bytes = Buffer.from("%PDF-1.4 договор № 1 от 01.02.2025", "utf8");
    const id = await client.uploadFile("homemanagement", "Договор № 1.pdf", bytes, "11111111-2222-3333-4444-555555555555");
    assert.match(id, /^[0-9a-f-]{36}$/);
    const back = await fetch(`${stand.url}/ext-bus-file-store-service/rest/homemanagement/${id}`);
    assert.equal(back.status, 200);
    assert.deepEqual(Buffer.from(await back.arrayBuffer()), bytes);
    assert.equal(decodeURIComponent(back.headers.get("x-upload-filename")!), "Договор № 1.pdf");
    await assert.rejects(client.uploadFile("Bad-Context", "x.pdf", bytes, "11111111-2222-3333-4444-555555555555"), /не приняло «x\.pdf»: HTTP 404 FIL001001/);
  } finally {
    client.close();
    await stand.close();
  }
});

test("file store: the contracts stage uploads a contract's file first — GUID and hash kept, sent once; a missing file is named", async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-files-"));
  const before = process.env.GIS_SYNC_HOME;
  process.env.GIS_SYNC_HOME = home;
  try {
    await withTestDb("sqlite", async (ds) => {
      const env = await pipelineEnv(ds);
      try {
        const contracts = await ds.getRepository(Contract).find({ where: { organizationId: env.ours.id }, order: { id: "ASC" } });
        assert.ok(contracts.length >= 2);
        fs.mkdirSync(path.join(home, "attachments"), { recursive: true });
        const bytes = Buffer.from("скан договора ресурсоснабжения", "utf8");
        fs.writeFileSync(path.join(home, "attachments", "c2.pdf"), bytes);
        const repo = ds.getRepository(Attachment);
        const base = { description: null, documentType: null, sizeBytes: null, hash: null, uploadedAt: null, name: null };
        await repo.insert({ ...base, ownerType: "contract", ownerId: contracts[1].id, fileName: "Договор.pdf", storagePath: "c2.pdf" });
        await repo.insert({ ...base, ownerType: "contract", ownerId: contracts[2].id, fileName: "Пропал.pdf", storagePath: "missing.pdf" });

        const run = await env.rt.pipeline.startRun({
          stand: "local",
          organizationId: env.ours.id,
          stages: ["services", "contracts"],
          mode: "sync",
          trigger: "test",
        });
        await env.rt.waitForRun(run.id, undefined, 60_000);
        const uploaded = (await hydrate(ds, "attachment", [await repo.findOneByOrFail({ storagePath: "c2.pdf" })], "local"))[0];
        assert.match(uploaded.gisAttachmentGuid ?? "", /^[0-9a-f-]{36}$/, "the file went to the file store");
        assert.equal(uploaded.hash, streebog256(bytes).toString("hex"));
        assert.equal(Number(uploaded.sizeBytes), bytes.length);
        const missing = (await hydrate(ds, "attachment", [await repo.findOneByOrFail({ storagePath: "missing.pdf" })], "local"))[0];
        const localGuid = uploaded.gisAttachmentGuid;
        const onProd = (await hydrate(ds, "attachment", [await repo.findOneByOrFail({ storagePath: "c2.pdf" })], "prod"))[0];
        assert.equal(onProd.gisAttachmentGuid, null, "production's file store has not got it");
        assert.equal(missing.gisAttachmentGuid, null);
        const logged = await ds.getRepository(MessageLog).findOneByOrFail({ code: "FILE_UPLOAD", objectId: contracts[2].id });
        assert.match(logged.text, /«Пропал\.pdf» не загружено в файловое хранилище ГИС ЖКХ: файл не найден/);

        // A second run does not upload the same file again.
        const files = () => Object.keys(Object.fromEntries(env.stand.store.table("fileStore"))).length;
        const count = files();
        const again = await env.rt.pipeline.startRun({ stand: "local", organizationId: env.ours.id, stages: ["contracts"], mode: "sync", trigger: "test" });
        await env.rt.waitForRun(again.id, undefined, 60_000);
        assert.equal(files(), count);
        assert.equal((await hydrate(ds, "attachment", [await repo.findOneByOrFail({ storagePath: "c2.pdf" })], "local"))[0].gisAttachmentGuid, localGuid);
      } finally {
        await env.close();
      }
    });
  } finally {
    if (before === undefined) delete process.env.GIS_SYNC_HOME;
    else process.env.GIS_SYNC_HOME = before;
    fs.rmSync(home, { recursive: true, force: true });
  }
});

/**
 * Bounded input, with files made on the fly: an xlsx of a few MB holding 1.5 GB of shared strings,
 * a DOCTYPE in sharedStrings, zip bombs (declared and lying sizes, too many entries), a CSV of
 * 10 million columns and an upload over the size limit — each refused with a message naming the
 * file and the setting, by `excel import-ids`, by `import` and by the browser's uploads, without
 * the heap growing. And a good bundle uploaded as a zip: its import run and its filtered journal.
 */
import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { DataSource } from "typeorm";
import { ImportIssue, User } from "../entities";
import { hashPassword } from "../src/auth/password";
import { RunningServer, startServer } from "../src/api/server";
import { zipFiles } from "../src/api/zip";
import { importIds } from "../src/excel/import-ids";
import { openXlsx } from "../src/excel/xlsx-stream";
import { importPath } from "../src/importer/import-run";
import { setSetting } from "../src/settings/settings";
import { DEFAULT_INPUT_LIMITS } from "../src/util/input-bounds";
import { FIXTURE } from "./support/bundle-fixture";
import { Client } from "./support/browser";
import { writeCraftedXlsx, writeCraftedZip } from "./support/crafted-zip";
import { withTestDb } from "./support/databases";
import { STAND } from "./support/identity";

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const PASSWORD = "bounded input password";
const MB = 1 << 20;

let ds: DataSource;
let server: RunningServer;
let release: () => void;
let finished: Promise<void>;
let dir: string;
let operator: Client;
let accountant: Client;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-bounds-"));
  await new Promise<void>((ready) => {
    finished = withTestDb("sqlite", async (d) => {
      ds = d;
      const passwordHash = await hashPassword(PASSWORD);
      for (const role of ["operator", "accountant"] as const)
        await ds.getRepository(User).insert({ login: role, role, passwordHash, active: true, createdAt: new Date(), displayName: null, lastLoginAt: null });
      server = await startServer({ ds, port: 0, redisUrl: REDIS_URL, defaultStand: "local" });
      operator = new Client(server.url);
      accountant = new Client(server.url);
      assert.equal((await operator.login("operator", PASSWORD)).status, 200);
      assert.equal((await accountant.login("accountant", PASSWORD)).status, 200);
      ready();
      await new Promise<void>((r) => (release = r));
      await server.close();
    });
  });
});

after(async () => {
  release?.();
  await finished;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** POST a file as the browser does: raw body, its name in X-File-Name. */
async function uploadFile(client: Client, url: string, file: string, name = path.basename(file)) {
  const res = await fetch(server.url + url, {
    method: "POST",
    headers: {
      cookie: client.cookie,
      "x-csrf-token": client.csrf,
      "content-type": "application/octet-stream",
      "x-file-name": encodeURIComponent(name),
    },
    body: fs.createReadStream(file) as unknown as BodyInit,
    duplex: "half",
  } as RequestInit);
  const text = await res.text();
  let json: any = null; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

async function withSettings(values: Record<string, number>, fn: () => Promise<void>): Promise<void> {
  for (const [k, v] of Object.entries(values)) await setSetting(ds, k, v);
  try {
    await fn();
  } finally {
    const { Setting } = await import("../entities");
    for (const k of Object.keys(values)) await ds.getRepository(Setting).delete({ key: k });
  }
}

const journalOf = async (runId: number) => (await ds.getRepository(ImportIssue).findBy({ runId })).map((i) => i.message).join("\n");

const SI = "<si><t>Лицевой счёт 0000000001, плательщик Иванов Иван Иванович</t></si>";
const SST_START = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">';

describe("bounded input", () => {
  test("an xlsx of a few MB with 1.5 GB of shared strings: refused by excel import-ids, import and the upload; the heap stays", async () => {
    const block = SI.repeat(Math.floor(MB / Buffer.byteLength(SI)));
    const file = path.join(dir, "accounts.xlsx");
    const t0 = Date.now();
    const size = writeCraftedXlsx(file, { prefix: SST_START, block, times: 1500, suffix: "</sst>" });
    const gb = (1500 * Buffer.byteLength(block)) / 2 ** 30;
    console.log(`crafted xlsx: ${(size / MB).toFixed(1)} MB on disk, ${gb.toFixed(2)} GB of shared strings, written in ${Date.now() - t0} ms`);
    assert.ok(gb > 1.4);
    global.gc?.();
    const heap = process.memoryUsage().heapUsed;
    const started = Date.now();

    await assert.rejects(importIds(ds, STAND, file), (e: Error) => {
      assert.match(e.message, /accounts\.xlsx: общие строки книги \(xl\/sharedStrings\.xml\) больше 256 МБ \(настройка import\.maxSharedStringsMb\)/);
      return true;
    });
    const run = await importPath(ds, file);
    assert.equal(run.status, "failed");
    assert.match(await journalOf(run.runId), /файл не загружен: общие строки книги .* больше 256 МБ/);
    const up = await uploadFile(operator, "/api/files/excel/import-ids", file);
    assert.equal(up.status, 400, up.text);
    assert.match(up.json.message, /sharedStrings\.xml\) больше 256 МБ/);

    const grown = (process.memoryUsage().heapUsed - heap) / MB;
    console.log(`refused three times in ${Date.now() - started} ms; heap grew ${grown.toFixed(1)} MB`);
    assert.ok(grown < 64, `heap grew ${grown.toFixed(1)} MB`);
  });

  test("shared strings that lie about their size are counted as they are unpacked", async () => {
    const block = SI.repeat(Math.floor(MB / Buffer.byteLength(SI)));
    const file = path.join(dir, "lying.xlsx");
    writeCraftedXlsx(file, { prefix: SST_START, block, times: 20, suffix: "</sst>", declaredSize: 1000 });
    await withSettings({ "import.maxSharedStringsMb": 4 }, async () => {
      await assert.rejects(importIds(ds, STAND, file), /lying\.xlsx: общие строки книги .* больше 4 МБ/);
    });
    await withSettings({ "import.maxSharedStrings": 1000 }, async () => {
      await assert.rejects(importIds(ds, STAND, file), /lying\.xlsx: в книге больше 1000 общих строк \(настройка import\.maxSharedStrings\)/);
    });
    // The streaming reader counts on its own too, for a caller that skipped the check.
    await assert.rejects(
      (async () => {
        await openXlsx(file, { ...DEFAULT_INPUT_LIMITS, sharedStrings: 500 });
      })(),
      /общих строк в книге больше допустимого/,
    );
  });

  test("a DOCTYPE in sharedStrings is refused (XXE and entity bombs)", async () => {
    const file = path.join(dir, "doctype.xlsx");
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>';
    writeCraftedXlsx(file, { data: `${bomb}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;&x;</t></si></sst>` });
    await assert.rejects(importIds(ds, STAND, file), /doctype\.xlsx: в общих строках книги .* есть DOCTYPE/);
    const up = await uploadFile(operator, "/api/files/excel/import-ids", file);
    assert.equal(up.status, 400);
    assert.match(up.json.message, /DOCTYPE/);
    const copy = path.join(dir, "accounts-doctype", "accounts.xlsx");
    fs.mkdirSync(path.dirname(copy));
    fs.copyFileSync(file, copy);
    const run = await importPath(ds, copy);
    assert.equal(run.status, "failed");
    assert.match(await journalOf(run.runId), /DOCTYPE/);
  });

  test("zip bombs: a declared 2 GB, a lying entry, too many entries — refused before or while unpacking", async () => {
    const declared = path.join(dir, "bomb.zip");
    writeCraftedZip(declared, [{ name: "accounts.csv", prefix: "id;number\n", block: "a1;100001\n".repeat(100_000), times: 2100 }]);
    const a = await uploadFile(operator, "/api/imports", declared);
    assert.equal(a.status, 400, a.text);
    assert.match(
      a.json.message,
      /bomb\.zip: архив распаковывается в .* МБ, допустимо не более 1024 МБ \(настройка import\.maxUnzippedMb\) — похоже на zip-бомбу/,
    );

    const lying = path.join(dir, "lying.zip");
    writeCraftedZip(lying, [{ name: "accounts.csv", prefix: "id;number\n", block: "a1;100001\n".repeat(100_000), times: 30, declaredSize: 100 }]);
    await withSettings({ "import.maxUnzippedMb": 8 }, async () => {
      const b = await uploadFile(operator, "/api/imports", lying);
      assert.equal(b.status, 400, b.text);
      assert.match(b.json.message, /lying\.zip: содержимое архива больше 8 МБ \(настройка import\.maxUnzippedMb\)/);
    });

    const many = path.join(dir, "many.zip");
    writeCraftedZip(
      many,
      Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.csv`, data: "id\n" })),
    );
    await withSettings({ "import.maxZipEntries": 10 }, async () => {
      const c = await uploadFile(operator, "/api/imports", many);
      assert.equal(c.status, 400);
      assert.match(c.json.message, /many\.zip: в архиве 12 файлов, допустимо не более 10 \(настройка import\.maxZipEntries\)/);
    });
    // Nothing was left behind in the temporary folder.
    assert.equal(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("gis-sync-upload-")).length, 0);
  });

  test("a CSV of 10 million columns, and a row of 10 million fields, are refused", async () => {
    const wide = path.join(dir, "wide", "accounts.csv");
    fs.mkdirSync(path.dirname(wide));
    fs.writeFileSync(wide, `${";".repeat(10_000_000)}\n1;2\n`);
    const r1 = await importPath(ds, wide);
    assert.equal(r1.status, "failed");
    assert.match(await journalOf(r1.runId), /строка заголовка длиннее 64 КБ/);

    const up = await uploadFile(operator, "/api/imports", wide);
    assert.equal(up.status, 200, up.text);
    const done = await waitImport(up.json.runId);
    assert.equal(done.status, "failed");
    const issues = await accountant.get(`/api/imports/${up.json.runId}/issues?severity=error`);
    assert.match(issues.json.items[0].message, /строка заголовка длиннее/);

    const longRow = path.join(dir, "long", "accounts.csv");
    fs.mkdirSync(path.dirname(longRow));
    fs.writeFileSync(longRow, `id;organization_id;number;account_type;payer_kind\n${";".repeat(10_000_000)}\n`);
    const r2 = await importPath(ds, longRow);
    assert.equal(r2.status, "failed");
    assert.match(await journalOf(r2.runId), /строка 2 длиннее 1024 КБ \(настройка import\.maxCsvRecordKb\)/);

    const manyColumns = path.join(dir, "cols", "accounts.csv");
    fs.mkdirSync(path.dirname(manyColumns));
    fs.writeFileSync(manyColumns, `${Array.from({ length: 2000 }, (_, i) => `c${i}`).join(";")}\n`);
    const r3 = await importPath(ds, manyColumns);
    assert.match(await journalOf(r3.runId), /в заголовке 2000 столбцов, допустимо не более 1000 \(настройка import\.maxCsvColumns\)/);
  });

  test("an upload over import.maxUploadMb is refused with 413; wrong names and types with 400/415", async () => {
    const big = path.join(dir, "accounts.csv");
    fs.writeFileSync(big, Buffer.alloc(3 * MB, 0x41));
    await withSettings({ "import.maxUploadMb": 1 }, async () => {
      const r = await uploadFile(operator, "/api/imports", big);
      assert.equal(r.status, 413);
      assert.match(r.json.message, /accounts\.csv» больше 1 МБ \(настройка import\.maxUploadMb\)/);
    });
    const exe = await uploadFile(operator, "/api/imports", big, "setup.exe");
    assert.equal(exe.status, 400);
    assert.match(exe.json.message, /допустимы \.csv, \.txt, \.xlsx, \.zip/);
    const notForAccountant = await uploadFile(accountant, "/api/imports", big);
    assert.equal(notForAccountant.status, 403);
  });

  test("a good bundle as a zip: imported in the background, its run and its journal filtered by file and severity", async () => {
    const zip = path.join(dir, "bundle.zip");
    fs.writeFileSync(zip, await zipFiles(Object.entries(FIXTURE).map(([name, text]) => ({ name: `выгрузка/${name}.csv`, data: `${text}\n` }))));
    const up = await uploadFile(operator, "/api/imports", zip);
    assert.equal(up.status, 200, up.text);
    assert.equal(up.json.files.length, Object.keys(FIXTURE).length);
    const run = await waitImport(up.json.runId);
    assert.equal(run.status, "ok_with_errors");
    assert.match(run.source, /bundle\.zip/);
    assert.ok(run.rowsRead > 10);
    const all = await accountant.get(`/api/imports/${run.id}/issues?total=true`);
    assert.equal(all.status, 200);
    assert.equal(all.json.total, 9);
    const errors = await accountant.get(`/api/imports/${run.id}/issues?severity=error&file=premises.csv`);
    assert.deepEqual(
      errors.json.items.map((i: { row: number; column: string }) => [i.row, i.column]),
      [[4, "house_id"]],
    );
    const text = await accountant.get(`/api/imports/${run.id}/issues?q=${encodeURIComponent("abc")}`);
    assert.equal(text.json.items.length, 1);
    const list = await accountant.get("/api/imports?limit=5");
    assert.equal(list.json.items[0].id, run.id);
  });
});

async function waitImport(id: number) {
  for (let i = 0; i < 300; i++) {
    const r = await accountant.get(`/api/imports/${id}`);
    assert.equal(r.status, 200, r.text);
    if (r.json.status !== "running") return r.json;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`import ${id} still running`);
}

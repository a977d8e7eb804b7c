/**
 * `gis-sync demo --once` as a user runs it: a settlement centre's installation sending for a
 * managing organization (it places the housing fund with importHouseUOData) and a resource supplier,
 * each signing with its own test certificate, data dated from today so the readings window is open
 * and importMeteringDeviceValues is really sent. Every stage sends its imports; the only errors are
 * the deliberately broken objects' codes (and what cannot go without them).
 */
import "reflect-metadata";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DOMParser } from "@xmldom/xmldom";
import { openDatabase } from "../src/storage/database";
import { Account, ArchiveEntry, GisOperation, Organization } from "../entities";
import { STAGES } from "../src/stages/descriptor";
import { writeCentreBundle } from "../src/generator/demo";
import { hydrate } from "../src/storage/identity/store";

const BIN = path.resolve(__dirname, "../../bin/gis-sync.js");

/**
 * Codes the deliberately broken objects end with: a house without a valid FIAS GUID (its contracts,
 * house and meters: PRE_NO_FIAS), an account linked to a premises that does not exist (PRE_NO_PLACE),
 * and objects whose parent was refused for one of those (PRE_NO_PARENT_GUID).
 */
const BROKEN_CODES = new Set(["PRE_NO_FIAS", "PRE_NO_PLACE", "PRE_NO_PARENT_GUID"]);

const pemBody = (pem: string) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");

test("the centre's bundle is the same for the same day, and dated from it: bills to last month, readings of this month inside the contracts' window", async () => {
  const [a, b] = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-centre-")));
  try {
    const ra = await writeCentreBundle(a, "2026-12-01");
    await writeCentreBundle(b, "2026-12-01");
    for (const f of ra.files) assert.equal(fs.readFileSync(path.join(a, f.file), "utf8"), fs.readFileSync(path.join(b, f.file), "utf8"), f.file);
    assert.deepEqual(ra.periods, { from: "2026-06", to: "2026-11" });
    const readings = fs.readFileSync(path.join(a, "readings.csv"), "utf8").trim().split("\n").slice(1);
    assert.ok(readings.length > 0);
    for (const r of readings) {
      const [, , date, , , , year, month] = r.split(";");
      assert.deepEqual([date, year, month], ["2026-12-01", "2026", "12"], r);
    }
    const contracts = fs.readFileSync(path.join(a, "contracts.csv"), "utf8").trim().split("\n");
    const cols = contracts[0].split(";");
    const rows = contracts.slice(1).map((l) => Object.fromEntries(l.split(";").map((v, i) => [cols[i], v])));
    assert.deepEqual([...new Set(rows.map((r) => `${r.organization_id} ${r.kind}`))].sort(), ["O4 management", "O6 supply"]);
    for (const r of rows) assert.deepEqual([r.readings_from_day, r.readings_to_day, r.readings_to_next_month], ["1", "25", "0"]);
    const payments = fs.readFileSync(path.join(a, "payments.csv"), "utf8").trim().split("\n").slice(1);
    assert.ok(
      payments.every((p) => p.split(";")[3] <= "2026-12-01"),
      "no payment dated after today",
    );
  } finally {
    for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
  }
});

/** Every *.log file the installation wrote under its home. */
function logFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".log"))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

test("demo --once: two organizations, each its own certificate; no personal data in its logs; the fund placed by the managing organization; readings sent; every stage sends its imports; only the broken objects' codes", {
  timeout: 400_000,
}, async () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-demo-"));
  try {
    // At the default level: the personal-data check below reads what an operator's logs would hold.
    const env: NodeJS.ProcessEnv = { ...process.env, GIS_SYNC_HOME: home, LOG_LEVEL: "info" };
    delete env.DB_URL;
    delete env.GIS_SYNC_ARCHIVE_KEY_FILE;
    const started = Date.now();
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, "demo", "--once"], { env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      p.stdout!.on("data", (d) => (out += d));
      p.stderr!.on("data", (d) => (err += d));
      const killer = setTimeout(() => p.kill("SIGKILL"), 360_000);
      p.on("exit", (code) => {
        clearTimeout(killer);
        resolve({ code, out, err });
      });
    });
    console.log(`demo --once: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.equal(r.code, 0, r.err.slice(-3000));
    const summary = JSON.parse(r.out);
    assert.match(summary.state, /^done/, summary.errorText ?? "");

    // Grouped by organization: the managing organization first, then the supplier; each its own orgPPAGUID.
    const orgs = summary.organizations as Array<{
      organization: { externalId: string; role: string; orgPPAGUID: string };
      stages: Array<{ stage: string; errorsByCode: Record<string, number> }>;
    }>;
    assert.deepEqual(
      orgs.map((o) => o.organization.role),
      ["UO", "RSO"],
    );
    const guids = orgs.map((o) => o.organization.orgPPAGUID);
    assert.ok(guids.every(Boolean) && new Set(guids).size === 2, `two orgPPAGUIDs: ${guids}`);
    for (const o of orgs)
      for (const s of o.stages)
        for (const code of Object.keys(s.errorsByCode))
          assert.ok(BROKEN_CODES.has(code), `${o.organization.externalId} ${s.stage}: ${code} is no broken object's code`);

    // Stands apart: the demo sent to the built-in stand ("local"); SIT01's view has nothing ok.
    const status = (stand: string) => {
      const st = spawnSync(process.execPath, [BIN, "status", "--stand", stand, "--json"], { env, encoding: "utf8", timeout: 60_000 });
      assert.equal(st.status, 0, st.stderr);
      return JSON.parse(st.stdout) as Array<{ table: string; byStatus: Record<string, number> }>;
    };
    const okOn = (stand: string) => status(stand).reduce((n, o) => n + (o.byStatus.ok ?? 0), 0);
    assert.equal(okOn("sit01"), 0, "status --stand sit01: no object ok");
    assert.ok(okOn("local") > 100, "status --stand local: what the demo placed");

    // The archive is encrypted at rest with the key the demo made on first start.
    const keyFile = path.join(home, "keys", "archive.key");
    assert.ok(fs.existsSync(keyFile), "archive key made");
    const before = process.env.GIS_SYNC_ARCHIVE_KEY_FILE;
    process.env.GIS_SYNC_ARCHIVE_KEY_FILE = keyFile;

    const db = await openDatabase(`sqlite:${path.join(home, "gis-sync.sqlite")}`);
    try {
      const ops = await db.getRepository(GisOperation).find({ where: { stand: "local" } });
      const methods = new Set(ops.map((o) => o.method));
      for (const m of ["importHouseUOData", "importMeteringDeviceValues", "importContractData", "importSupplyResourceContractData"])
        assert.ok(methods.has(m), `${m} sent`);
      for (const stage of STAGES)
        assert.ok(
          ops.some((o) => o.stage === stage && o.method.startsWith("import") && o.sentAt),
          `stage ${stage} sent imports`,
        );

      // No payer's name, SNILS or identity document reaches the output or any log file of the run.
      const logs = [r.out, r.err, ...logFiles(home).map((f) => fs.readFileSync(f, "utf8"))].join("\n");
      const payers = await db.getRepository(Account).find();
      let checked = 0;
      for (const a of payers) {
        const name = [a.payerLastName, a.payerFirstName, a.payerMiddleName].filter(Boolean).join(" ");
        for (const secret of [name.includes(" ") ? name : null, a.payerSnils, a.payerDocumentNumber]) {
          if (!secret) continue;
          checked++;
          assert.ok(!logs.includes(secret), `account ${a.number}: personal data in the demo's logs`);
        }
      }
      assert.ok(checked > 40, `personal data checked: ${checked} values`);

      // Each organization's requests carry its orgPPAGUID and are signed with its own certificate.
      const byOrg = new Map((await hydrate(db, "organization", await db.getRepository(Organization).find(), "local")).map((o) => [o.id, o]));
      const stored: Array<{ body: string }> = await db.query("SELECT body FROM archive_entry");
      assert.ok(stored.length > 0 && stored.every((e) => e.body.startsWith("gsenc1:")), "the archive's bodies are stored encrypted");
      const requests = await db.getRepository(ArchiveEntry).find({ where: { kind: "signed_request" } });
      const opOf = new Map(ops.map((o) => [o.id, o]));
      const seen = new Map<string, Set<string>>();
      for (const e of requests) {
        const op = opOf.get(e.operationId);
        if (!op?.organizationId || !op.sentAt) continue;
        const xml = e.body;
        const doc = new DOMParser().parseFromString(xml, "text/xml");
        const org = doc.getElementsByTagNameNS("*", "orgPPAGUID")[0]?.textContent ?? "";
        const cert = (doc.getElementsByTagNameNS("*", "X509Certificate")[0]?.textContent ?? "").replace(/\s+/g, "");
        // The registry look-up that finds the organization's orgPPAGUID goes out before it is known.
        if (!org) continue;
        const owner = byOrg.get(op.organizationId)!;
        assert.equal(org, owner.gisOrgPpaGuid, `${op.method}: the organization's orgPPAGUID`);
        const certs = seen.get(org) ?? new Set<string>();
        certs.add(cert);
        seen.set(org, certs);
      }
      assert.ok(seen.size >= 2, `requests under ${seen.size} orgPPAGUIDs`);
      for (const o of orgs) {
        const expected = pemBody(fs.readFileSync(path.join(home, "keys", `demo-${o.organization.externalId}-cert.pem`), "utf8"));
        assert.deepEqual([...(seen.get(o.organization.orgPPAGUID) ?? [])], [expected], `${o.organization.externalId} signs with its own certificate`);
      }
    } finally {
      await db.destroy();
      if (before === undefined) delete process.env.GIS_SYNC_ARCHIVE_KEY_FILE;
      else process.env.GIS_SYNC_ARCHIVE_KEY_FILE = before;
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

/**
 * The format packages: wsdl/ is what scripts/gen-wsdl.mjs makes from 16.3.0.0 (and the script takes
 * the list of operations as input); the package in force decides which base:version is accepted
 * (an official folder's own table, or wsdl/ with the selected package's); the stand validates
 * against the package it is started with; the 16.3.0.0 relaxations are real; the setting exists;
 * a test needing the official packages fails, not skips, under CI.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildRequest } from "../src/transport/messages/index";
import type { HeaderInput } from "../src/transport/envelope/envelope";
import { schemaInForce, validateRequest } from "../src/transport/schema/validate";
import { DEFAULT_FORMAT_PACKAGE, FORMAT_PACKAGES, formatPackage } from "../src/transport/schema/packages";
import { settingDefinition } from "../src/settings/definitions";
import { intake } from "../src/stand/core/intake";
import { Rejection } from "../src/stand/core/codes";
import { MemoryStore } from "../src/stand/store";
import { demoOrganization } from "../src/stand";
import { assertValidIn, complaintsIn, officialDirs, officialSkip, xmllintBody, xsdFor } from "./support/xsd";

const skip = officialSkip();
const ROOT = path.resolve(__dirname, "../..");
const GEN = path.join(ROOT, "scripts", "gen-wsdl.mjs");
import { G } from "./support/guids";
const H: HeaderInput = { orgPPAGUID: G(1), date: new Date("2026-11-23T07:00:00Z"), messageGuid: G(2) };
const HM = "house-management";

/** exportMeteringDeviceDataRequest: fixed 11.1.0.2 in 14.4.0.1; 11.1.0.2 or 14.8.0.1 in 16.3.0.0. */
const meters = (version: string, org = G(1)) =>
  buildRequest("exportMeteringDeviceData", { ...H, orgPPAGUID: org }, { fiasHouseGuid: G(11) }).xml.replace(
    /base:version="11\.1\.0\.2"/,
    `base:version="${version}"`,
  );

const account = () =>
  buildRequest("importAccountData", H, {
    accounts: [
      {
        transportGuid: G(10),
        role: "UO",
        livingPersonsNumber: 3,
        totalSquare: 54.3,
        residentialSquare: 38.25,
        heatedArea: 54.3,
        accommodations: [{ premisesGuid: G(20), sharePercent: 100 }],
        payer: { person: { surname: "Иванов", firstName: "Пётр", patronymic: "Сергеевич", sex: "M", dateOfBirth: "1980-05-01", snils: "11223344595" } },
      },
    ],
  } as never).xml;

test("formats: wsdl/ is what scripts/gen-wsdl.mjs makes from the official 16.3.0.0 package", { skip }, () => {
  const r = spawnSync(process.execPath, [GEN, "--check"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, `wsdl/ is stale — run node scripts/gen-wsdl.mjs\n${r.stdout}${r.stderr}`);
  assert.equal(fs.readFileSync(path.join(ROOT, "wsdl", "format-package.txt"), "utf8").trim(), "16.3.0.0");
  for (const pkg of FORMAT_PACKAGES) assert.ok(fs.existsSync(path.join(ROOT, "wsdl", `request-versions-${pkg}.tsv`)), pkg);
  assert.ok(!fs.existsSync(path.join(ROOT, "wsdl", "trim.mjs")), "the generator lives in scripts/");
});

test("formats: the generator takes the operations as input (a registry's [{service, operation}]) and says what is wrong", { skip }, () => {
  const dirs = officialDirs();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gen-wsdl-"));
  try {
    const list = path.join(tmp, "methods.json");
    fs.writeFileSync(
      list,
      JSON.stringify([
        { service: "payment", operation: "importNotificationsOfOrderExecution" },
        { service: HM, operation: "exportAccountData" },
      ]),
    );
    const out = path.join(tmp, "wsdl");
    const r = spawnSync(process.execPath, [GEN, "--from", dirs["16.3.0.0"], "--operations", list, "--out", out], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, "operations.json"), "utf8")), {
      payment: ["getState", "importNotificationsOfOrderExecution"],
      [HM]: ["getState", "exportAccountData"],
    });
    const wsdl = fs.readFileSync(path.join(out, "payment", "hcs-payment-service-async.wsdl"), "utf8");
    assert.match(wsdl, /operation name="importNotificationsOfOrderExecution"/);
    assert.doesNotMatch(wsdl, /importNotificationsOfOrderExecutionCancellation|exportForPaymentAggregator/);
    assert.ok(!fs.existsSync(path.join(out, "bills")), "services not listed are not written");
    const v14 = fs.readFileSync(path.join(out, "request-versions-14.4.0.1.tsv"), "utf8");
    assert.match(v14, /^payment\timportNotificationsOfOrderExecutionRequest\tfixed=10\.0\.1\.1\t/m);
    assert.match(v14, /^house-management\texportAccountRequest\tfixed=10\.0\.1\.1\t/m);
    const built = buildRequest("exportAccountData", H, { fiasHouseGuid: G(11) });
    assert.equal(
      xmllintBody(built.xml, xsdFor(out, HM, "http://dom.gosuslugi.ru/schema/integration/house-management/")),
      "",
      "the trimmed XSD compiles and validates",
    );

    fs.writeFileSync(list, JSON.stringify({ payment: ["payEverything"] }));
    const bad = spawnSync(process.execPath, [GEN, "--from", dirs["16.3.0.0"], "--operations", list, "--out", out], { encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /payment: нет операции payEverything/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("formats: the package in force decides base:version — an official folder by its own table, wsdl/ by the selected package", { skip }, async () => {
  const dirs = officialDirs();
  const v148 = meters("14.8.0.1");
  assert.deepEqual(await validateRequest(v148, HM, { formatPackage: "16.3.0.0" }), []);
  assert.deepEqual(await validateRequest(v148, HM), [], `${DEFAULT_FORMAT_PACKAGE} by default`);
  assert.deepEqual(await validateRequest(v148, HM, { formatPackage: "14.4.0.1" }), [
    { element: "exportMeteringDeviceDataRequest", message: "base:version «14.8.0.1», пакет 14.4.0.1 требует «11.1.0.2»" },
  ]);
  assert.deepEqual(await validateRequest(v148, HM, { schemaDir: dirs["16.3.0.0"] }), []);
  assert.match((await validateRequest(v148, HM, { schemaDir: dirs["14.4.0.1"] }))[0]?.message ?? "", /пакет 14\.4\.0\.1 требует «11\.1\.0\.2»/);
  assert.match(
    (await validateRequest(v148, HM, { schemaDir: dirs["14.4.0.1"], engine: "xmllint" }))[0]?.message ?? "",
    /требует «11\.1\.0\.2»/,
    "the xmllint path too",
  );
  assert.match((await validateRequest(meters("9.9.9.9"), HM))[0]?.message ?? "", /не из допустимых \(пакет 16\.3\.0\.0\): 11\.1\.0\.2, 14\.8\.0\.1/);
  // what the method declares for the package is required on top of the table
  assert.match((await validateRequest(v148, HM, { fixedVersion: "11.1.0.2" }))[0]?.message ?? "", /отправляет «11\.1\.0\.2»/);
  // the test helper, independent of the code under test, agrees
  assertValidIn(v148, ["16.3.0.0"]);
  assert.match(complaintsIn(v148, "14.4.0.1").join("\n"), /fixes «11\.1\.0\.2»/);
  assertValidIn(meters("11.1.0.2"), FORMAT_PACKAGES, "11.1.0.2 is good in both");
  // a folder of another package than the selected one is said so
  const s = schemaInForce({ schemaDir: dirs["14.4.0.1"], formatPackage: "16.3.0.0" });
  assert.equal(s.package, "14.4.0.1");
  assert.match(s.mismatch ?? "", /выбран пакет форматов 16\.3\.0\.0.*пакет 14\.4\.0\.1/);
  assert.equal(path.basename(schemaInForce({ schemaDir: dirs["14.4.0.1"] }).versions?.file ?? ""), "request-versions.tsv", "14.4.0.1's table is the first one");
  assert.equal(path.basename(schemaInForce({ schemaDir: dirs["16.3.0.0"] }).versions?.file ?? ""), "request-versions-16.3.0.0.tsv");
  assert.throws(() => formatPackage("15.0.0.0"), /gis\.formatPackage: пакет форматов «15\.0\.0\.0» не поддерживается \(допустимо: 16\.3\.0\.0, 14\.4\.0\.1\)/);
  await assert.rejects(validateRequest(v148, HM, { formatPackage: "13.0.0.0" }), /не поддерживается/);
});

test("formats: 16.3.0.0 makes an account's Accommodation optional; 14.4.0.1 requires it", { skip }, async () => {
  const dirs = officialDirs();
  const full = account();
  assertValidIn(full, FORMAT_PACKAGES);
  const bare = full.replace(/<hm:Accommodation>.*?<\/hm:Accommodation>/, "");
  assert.notEqual(bare, full);
  assertValidIn(bare, ["16.3.0.0"]);
  assert.match(complaintsIn(bare, "14.4.0.1").join("\n"), /Accommodation/);
  assert.deepEqual(await validateRequest(bare, HM), [], "wsdl/ is 16.3.0.0");
  assert.ok((await validateRequest(bare, HM, { schemaDir: dirs["14.4.0.1"] })).some((p) => p.expected?.includes("Accommodation")));
});

test("formats: the stand validates against the package it is started with (--schema-dir)", { skip }, async () => {
  const dirs = officialDirs();
  const store = new MemoryStore();
  const org = demoOrganization();
  store.addOrganization(org);
  const take = (xml: string, o: { schemaDir?: string; formatPackage?: string }) =>
    intake(xml, HM, "exportMeteringDeviceData", { store, wasReceived: () => false, validate: true, verify: false, strict: false, maxBytes: 1 << 20, ...o });
  const v148 = meters("14.8.0.1", org.orgPPAGUID);
  assert.equal((await take(v148, { schemaDir: dirs["16.3.0.0"] })).kind, "send");
  assert.equal((await take(v148, {})).kind, "send", "wsdl/ with 16.3.0.0's versions");
  for (const o of [{ schemaDir: dirs["14.4.0.1"] }, { formatPackage: "14.4.0.1" }]) {
    await assert.rejects(
      take(v148, o),
      (e: unknown) => e instanceof Rejection && e.code === "FMT001300" && /требует «11\.1\.0\.2»/.test(e.text),
      JSON.stringify(o),
    );
  }
  assert.equal((await take(meters("11.1.0.2", org.orgPPAGUID), { schemaDir: dirs["14.4.0.1"] })).kind, "send");
});

test("formats: the stand command refuses a folder that is not a package, and a package that contradicts --format-package", { skip }, () => {
  const dirs = officialDirs();
  const bin = path.join(ROOT, "bin", "gis-sync.js");
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, "stand", "--port", "0", ...args], { encoding: "utf8", timeout: 20_000 });
  assert.throws(() => schemaInForce({ schemaDir: os.tmpdir() }), /не похож на пакет WSDL\/XSD: нет lib\/hcs-base\.xsd/);
  const contradicts = run("--schema-dir", dirs["14.4.0.1"], "--format-package", "16.3.0.0");
  assert.notEqual(contradicts.status, 0);
  assert.match(contradicts.stderr, /--format-package: выбран пакет форматов 16\.3\.0\.0/);
});

test("formats: the setting gis.formatPackage — 16.3.0.0 by default, 14.4.0.1 selectable, explained in Russian", () => {
  const d = settingDefinition("gis.formatPackage");
  assert.equal(d.default, "16.3.0.0");
  assert.deepEqual(d.values, ["16.3.0.0", "14.4.0.1"]);
  assert.equal(d.type, "enum");
  assert.match(d.label, /Пакет форматов/);
  assert.match(d.help ?? "", /base:version/);
});

test("formats: a test needing ../shared/gis-schema fails under CI, naming where it looked, and skips elsewhere", () => {
  const helper = path.join(__dirname, "support", "xsd.js");
  const probe = `const x = require(${JSON.stringify(helper)}); const skip = x.officialSkip(); let err = ""; try { x.officialDirs(); } catch (e) { err = e.message; } console.log(JSON.stringify({ skip, err }));`;
  const away = fs.mkdtempSync(path.join(os.tmpdir(), "no-schema-"));
  try {
    const env = { ...process.env };
    delete env.CI;
    const local = JSON.parse(spawnSync(process.execPath, ["-e", probe], { cwd: away, env, encoding: "utf8" }).stdout);
    assert.match(local.skip, /not found: looked for .*no-schema-[^,]*\/shared\/gis-schema\/16\.3\.0\.0/);
    const ci = JSON.parse(spawnSync(process.execPath, ["-e", probe], { cwd: away, env: { ...env, CI: "true" }, encoding: "utf8" }).stdout);
    assert.equal(ci.skip, false, "under CI the test runs…");
    assert.match(
      ci.err,
      /official GIS schema packages? 16\.3\.0\.0.*not found: looked for .*\/shared\/gis-schema\/16\.3\.0\.0/,
      "…and fails saying where it looked",
    );
  } finally {
    fs.rmSync(away, { recursive: true, force: true });
  }
});

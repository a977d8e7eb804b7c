import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { SoftwareSigner, verifyGost } from "../src/signing/software-signer";
import { expiryCheck, readCertificate } from "../src/signing/certificate";
import { signRequest, signingTime } from "../src/signing/xades";
import { streebog256 } from "../src/signing/streebog";
import { gostEngineMissing, OPENSSL_ENV, opensslKeyAndCert, REFERENCE, referenceVerify } from "./support/gost-tools";

const skip = gostEngineMissing();

const envelope = (note: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ` +
  `xmlns:base="http://dom.gosuslugi.ru/schema/integration/base/" xmlns:hm="http://dom.gosuslugi.ru/schema/integration/house-management/">` +
  `<soapenv:Header><base:RequestHeader><base:Date>2026-11-23T10:00:00.000+03:00</base:Date></base:RequestHeader></soapenv:Header>` +
  `<soapenv:Body><hm:importAccountData Id="signed-data-container" base:version="13.0.0.1"><hm:Account><hm:Note>${note}</hm:Note>` +
  `</hm:Account></hm:importAccountData></soapenv:Body></soapenv:Envelope>`;

test("signing: software GOST signer's XAdES verifies with the independent verifier; tampering is caught", { skip }, async () => {
  const { key, cert } = opensslKeyAndCert();
  const signer = SoftwareSigner.fromFiles(key, cert);
  const notes = ["Иванов Иван Иванович", "ООО «Ромашка» &amp; Ко &lt;ЛС 100&gt;", "строка1&#xD;\nстрока2", "tab\tand \"quotes\" 'single'"];
  for (const note of notes) {
    const signed = await signRequest(envelope(note), signer);
    const v = referenceVerify(signed);
    assert.ok(v.valid, `${note}: ${v.output}`);
    assert.match(signed, /<hm:importAccountData Id="signed-data-container" base:version="13.0.0.1"><ds:Signature /, "Signature is the first child");
    assert.ok(signed.endsWith(envelope(note).slice(envelope(note).indexOf("<hm:Account>"))), "the rest of the bytes are untouched");
  }
  const signed = await signRequest(envelope("Петров"), signer);
  assert.equal(referenceVerify(signed.replace("Петров", "Петрова")).valid, false, "changed data fails");
  assert.equal(referenceVerify(signed.replace(/<xades:SigningTime>[^<]+/, "<xades:SigningTime>2020-01-01T00:00:00.000+03:00")).valid, false, "changed signed properties fail");
});

test("signing: raw signatures are s‖r as openssl makes and checks them; fresh nonce every time", { skip }, async () => {
  const { dir, key, cert } = opensslKeyAndCert();
  const signer = SoftwareSigner.fromFiles(key, cert);
  const data = Buffer.from("<ds:SignedInfo>данные</ds:SignedInfo>");
  const a = await signer.sign(data);
  const b = await signer.sign(data);
  assert.equal(a.length, 64);
  assert.notDeepEqual(a, b, "a new random k per signature");
  fs.writeFileSync(path.join(dir, "data"), data);
  fs.writeFileSync(path.join(dir, "sig"), a);
  spawnSync("openssl", ["pkey", "-in", key, "-pubout", "-out", path.join(dir, "pub.pem")], { env: OPENSSL_ENV });
  const v = spawnSync("openssl", ["dgst", "-md_gost12_256", "-verify", path.join(dir, "pub.pem"), "-signature", path.join(dir, "sig"), path.join(dir, "data")], { env: OPENSSL_ENV, encoding: "utf8" });
  assert.match(v.stdout, /Verified OK/);
  // And the other way: openssl's signature checks with our verifier.
  spawnSync("openssl", ["dgst", "-md_gost12_256", "-sign", key, "-out", path.join(dir, "osig"), path.join(dir, "data")], { env: OPENSSL_ENV });
  const info = readCertificate(fs.readFileSync(cert, "utf8"));
  assert.equal(verifyGost(info, data, fs.readFileSync(path.join(dir, "osig"))), true);
  assert.equal(verifyGost(info, Buffer.from("другие данные"), fs.readFileSync(path.join(dir, "osig"))), false);
  const digest = spawnSync("openssl", ["dgst", "-md_gost12_256", "-binary", path.join(dir, "data")], { env: OPENSSL_ENV });
  assert.deepEqual(streebog256(data), digest.stdout, "Streebog-256 equals openssl's");
});

test("signing: issuer name and serial are written the way the GIS server writes them", { skip: !fs.existsSync(REFERENCE) && "reference samples not found" }, () => {
  const gis = readCertificate(fs.readFileSync(path.join(REFERENCE, "samples/gis-resp-cert.pem"), "utf8"));
  const sample = fs.readFileSync(path.join(REFERENCE, "samples/gis-resp-2016.xml"), "utf8");
  assert.equal(gis.issuerName, /<ds:X509IssuerName>([^<]+)</.exec(sample)![1]);
  assert.equal(gis.serialDecimal, /<ds:X509SerialNumber>([^<]+)</.exec(sample)![1]);
  const ours = readCertificate(fs.readFileSync(path.join(REFERENCE, "samples/cert.pem"), "utf8"));
  const signedSample = fs.readFileSync(path.join(REFERENCE, "samples/signed.xml"), "utf8");
  assert.equal(ours.issuerName, /<ds:X509IssuerName>([^<]+)</.exec(signedSample)![1].replace(/&quot;/g, '"'));
});

test("signing: certificate expiry warns at 30, 7 and 1 day(s) and errors once expired", () => {
  const c = { subjectName: "cn=Подписант", notAfter: new Date("2026-12-31T00:00:00Z") };
  const at = (iso: string) => expiryCheck(c, new Date(iso)).level;
  assert.equal(at("2026-11-01T00:00:00Z"), "ok");
  assert.equal(at("2026-12-05T00:00:00Z"), "warn30");
  assert.equal(at("2026-12-27T00:00:00Z"), "warn7");
  assert.equal(at("2026-12-30T12:00:00Z"), "warn1");
  assert.equal(at("2027-01-01T00:00:00Z"), "expired");
  assert.match(expiryCheck(c, new Date("2026-12-27T00:00:00Z")).message!, /истекает 2026-12-31/);
  assert.equal(signingTime(new Date("2026-11-23T07:00:00.123Z")), "2026-11-23T10:00:00.123+03:00");
});

test("signing: an external command (openssl + gost engine) signs; its XAdES verifies; failures are explained", { skip }, async () => {
  const { CommandSigner } = await import("../src/signing/command-signer");
  const { pemToDer } = await import("../src/signing/certificate");
  const { key, cert } = opensslKeyAndCert();
  const certificate = pemToDer(fs.readFileSync(cert, "utf8"));
  const signer = new CommandSigner({ command: ["openssl", "dgst", "-md_gost12_256", "-sign", key], certificate, env: OPENSSL_ENV });
  const signed = await signRequest(envelope("Сидорова &amp; дети"), signer);
  const v = referenceVerify(signed);
  assert.ok(v.valid, v.output);
  const broken = new CommandSigner({ command: ["openssl", "dgst", "-md_gost12_256", "-sign", "/nonexistent/key.pem"], certificate, env: OPENSSL_ENV });
  await assert.rejects(broken.sign(Buffer.from("x")), /завершился с кодом 1/);
  const wrong = new CommandSigner({ command: ["echo", "short"], certificate });
  await assert.rejects(wrong.sign(Buffer.from("x")), /вернул 6 байт, ожидалось 64/);
});

test("keygen: pure-JS GOST key and certificate that openssl accepts and verifies; XAdES with them verifies", { skip }, async () => {
  const { writeTestKey } = await import("../src/signing/keygen");
  const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "gis-sync-keygen-"));
  const { key, cert } = await writeTestKey(dir, { commonName: "Тестовый подписант", organization: "ООО \"Ромашка\"", days: 30 });
  assert.equal(fs.statSync(key).mode & 0o777, 0o600, "the key file is private");
  const v = spawnSync("openssl", ["verify", "-CAfile", cert, cert], { env: OPENSSL_ENV, encoding: "utf8" });
  assert.match(v.stdout, /OK/, v.stderr);
  const data = path.join(dir, "data");
  fs.writeFileSync(data, "проверка");
  const s = spawnSync("openssl", ["dgst", "-md_gost12_256", "-sign", key, "-out", path.join(dir, "sig"), data], { env: OPENSSL_ENV, encoding: "utf8" });
  assert.equal(s.status, 0, `openssl reads our key: ${s.stderr}`);
  const signed = await signRequest(envelope("Ключ из keygen"), SoftwareSigner.fromFiles(key, cert));
  const r = referenceVerify(signed);
  assert.ok(r.valid, r.output);
  await assert.rejects(writeTestKey(dir, { commonName: "x", days: 1 }), /уже существует/);
});

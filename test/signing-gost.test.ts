/**
 * The GOST R 34.10 arithmetic: the independent BigInt verifier against openssl (parameter sets A, B, C),
 * the software signer's retry/self-check, and key/certificate consistency.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checkCurves, gostPublicKey } from "../src/signing/gost3410";
import { readCertificate } from "../src/signing/certificate";
import { readPkcs8GostKey, SoftwareSigner, verifyGost } from "../src/signing/software-signer";
import { gostEngineMissing, OPENSSL_ENV, opensslKeyAndCert } from "./support/gost-tools";

const skip = gostEngineMissing();

test("gost3410: curve constants are consistent (G on the curve, q·G = O)", () => {
  assert.equal(checkCurves(), true);
});

test("gost3410: openssl signatures verify with the BigInt verifier and ours with openssl, parameter sets A, B, C", { skip }, async () => {
  for (const paramset of ["A", "B", "C", "XA", "XB"]) {
    const { dir, key, cert } = opensslKeyAndCert(undefined, paramset);
    const info = readCertificate(fs.readFileSync(cert, "utf8"));
    const k = readPkcs8GostKey(fs.readFileSync(key, "utf8"));
    assert.deepEqual(gostPublicKey(k.curveOid, k.d), info.publicKey, `${paramset}: public key from d equals the certificate's`);
    const data = Buffer.from(`<ds:SignedInfo>набор ${paramset} &amp; данные</ds:SignedInfo>`);
    const file = path.join(dir, "data");
    fs.writeFileSync(file, data);
    const s = spawnSync("openssl", ["dgst", "-md_gost12_256", "-sign", key, file], { env: OPENSSL_ENV });
    assert.equal(s.status, 0, String(s.stderr));
    assert.equal(verifyGost(info, data, s.stdout), true, `${paramset}: openssl → ours`);
    assert.equal(verifyGost(info, Buffer.concat([data, Buffer.from(" ")]), s.stdout), false);
    const ours = await SoftwareSigner.fromFiles(key, cert).sign(data);
    fs.writeFileSync(path.join(dir, "sig"), ours);
    spawnSync("openssl", ["pkey", "-in", key, "-pubout", "-out", path.join(dir, "pub.pem")], { env: OPENSSL_ENV });
    const v = spawnSync("openssl", ["dgst", "-md_gost12_256", "-verify", path.join(dir, "pub.pem"), "-signature", path.join(dir, "sig"), file], {
      env: OPENSSL_ENV,
      encoding: "utf8",
    });
    assert.match(v.stdout, /Verified OK/, `${paramset}: ours → openssl`);
  }
});

test("software signer: retries with a fresh k when the library fails, checks every signature, refuses a foreign certificate", { skip }, async () => {
  const a = opensslKeyAndCert();
  const b = opensslKeyAndCert();
  assert.throws(() => SoftwareSigner.fromFiles(a.key, b.cert), /не соответствует сертификату/);
  const signer = SoftwareSigner.fromFiles(a.key, a.cert, { backend: "js" });
  const real = (signer as unknown as { attempt(d: Buffer): Buffer }).attempt.bind(signer);
  let calls = 0;
  (signer as unknown as { attempt(d: Buffer): Buffer }).attempt = (d: Buffer) => {
    calls++;
    if (calls === 1) throw new ReferenceError("subtract is not defined"); // the library's bug
    if (calls === 2) return Buffer.alloc(64, 1); // a wrong signature: caught by the self-check
    return real(d);
  };
  const data = Buffer.from("данные");
  const sig = await signer.sign(data);
  assert.equal(calls, 3);
  assert.equal(verifyGost(signer.info, data, sig), true);
  (signer as unknown as { attempt(d: Buffer): Buffer }).attempt = () => {
    throw new ReferenceError("subtract is not defined");
  };
  await assert.rejects(signer.sign(data), /программная подпись ГОСТ не удалась: subtract is not defined/);
});

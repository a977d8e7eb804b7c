/**
 * PKCS#11 plumbing against SoftHSM2: token lookup by label, login with a PIN from a secret source,
 * finding the certificate and the key by CKA_ID, signing. SoftHSM has no GOST, so the mechanism is
 * ECDSA P-256 here and the signature is checked with node:crypto; the GOST mechanisms are the same
 * calls with other constants (src/signing/pkcs11-signer.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const LIB = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"].find((p) => fs.existsSync(p));
const skip = !LIB || spawnSync("pkcs11-tool", ["--version"]).error ? "SoftHSM2 / OpenSC (pkcs11-tool) not installed" : false;

function makeToken(): { conf: string; certDer: Buffer } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-hsm-"));
  fs.mkdirSync(path.join(dir, "tokens"));
  const conf = path.join(dir, "softhsm2.conf");
  fs.writeFileSync(conf, `directories.tokendir = ${dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { env, cwd: dir, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  };
  run("softhsm2-util", ["--init-token", "--free", "--label", "gis-test", "--pin", "1234", "--so-pin", "5678"]);
  run("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem"]);
  run("openssl", ["pkcs8", "-topk8", "-nocrypt", "-in", "k.pem", "-outform", "DER", "-out", "k.der"]);
  run("openssl", ["req", "-x509", "-new", "-key", "k.pem", "-subj", "/CN=Token test", "-days", "10", "-outform", "DER", "-out", "c.der"]);
  for (const [file, type] of [
    ["k.der", "privkey"],
    ["c.der", "cert"],
  ]) {
    run("pkcs11-tool", [
      "--module",
      LIB!,
      "--token-label",
      "gis-test",
      "--login",
      "--pin",
      "1234",
      "--write-object",
      file,
      "--type",
      type,
      "--id",
      "01",
      "--label",
      "k",
    ]);
  }
  return { conf, certDer: fs.readFileSync(path.join(dir, "c.der")) };
}

test("pkcs11: finds the token by label, logs in, signs with the key and reads the certificate (SoftHSM, ECDSA)", { skip }, async () => {
  const { conf, certDer } = makeToken();
  process.env.SOFTHSM2_CONF = conf;
  const { Pkcs11Signer } = await import("../src/signing/pkcs11-signer");
  const signer = new Pkcs11Signer({ library: LIB!, tokenLabel: "gis-test", keyId: "01", pin: "1234", mode: "ecdsa-sha256" });
  try {
    assert.deepEqual(signer.certificate, certDer, "the certificate for KeyInfo comes from the token");
    const data = Buffer.from("<ds:SignedInfo>данные</ds:SignedInfo>");
    const sig = await signer.sign(data);
    assert.equal(sig.length, 64, "raw r‖s, 32 bytes each");
    const pub = new crypto.X509Certificate(certDer).publicKey;
    assert.equal(crypto.verify("sha256", data, { key: pub, dsaEncoding: "ieee-p1363" }, sig), true);
    assert.equal(crypto.verify("sha256", Buffer.from("другое"), { key: pub, dsaEncoding: "ieee-p1363" }, sig), false);
  } finally {
    signer.close();
  }
  // PIN from a secret source (env:NAME); the signer keeps no copy of it; a mechanism given as an object.
  process.env.GIS_TEST_TOKEN_PIN = "1234";
  const { inspect } = await import("node:util");
  const { MECHANISMS } = await import("../src/signing/pkcs11-signer");
  const viaEnv = await Pkcs11Signer.open({
    library: LIB!,
    tokenLabel: "gis-test",
    keyLabel: "k",
    pinSource: "env:GIS_TEST_TOKEN_PIN",
    mode: { ...MECHANISMS["ecdsa-sha256"] },
  });
  try {
    assert.doesNotMatch(inspect(viaEnv, { depth: 5 }), /1234/, "the PIN is not kept on the object");
    const data = Buffer.from("через env:");
    const pub = new crypto.X509Certificate(certDer).publicKey;
    assert.equal(crypto.verify("sha256", data, { key: pub, dsaEncoding: "ieee-p1363" }, await viaEnv.sign(data)), true);
  } finally {
    viaEnv.close();
    delete process.env.GIS_TEST_TOKEN_PIN;
  }
  await assert.rejects(
    Pkcs11Signer.open({ library: LIB!, tokenLabel: "gis-test", keyId: "01", pinSource: "env:GIS_TEST_TOKEN_PIN", mode: "ecdsa-sha256" }),
    /переменная окружения GIS_TEST_TOKEN_PIN не установлена/,
  );
  assert.throws(
    () => new Pkcs11Signer({ library: LIB!, tokenLabel: "gis-test", keyId: "01", pin: "0000", mode: "ecdsa-sha256" }),
    (e: Error) => /вход на токен не выполнен/.test(e.message) && !e.message.includes("0000"),
    "a wrong PIN is named, never printed",
  );
  assert.throws(() => new Pkcs11Signer({ library: LIB!, tokenLabel: "нет-такого", pin: "1234", mode: "ecdsa-sha256" }), /токен нет-такого не найден/);
  assert.throws(() => new Pkcs11Signer({ library: LIB!, tokenLabel: "gis-test", keyId: "02", pin: "1234", mode: "ecdsa-sha256" }), /сертификат 02 не найден/);
});

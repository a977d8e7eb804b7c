/**
 * The native GOST backend: Node's own OpenSSL with Debian's gost engine (libengine-gost-openssl)
 * loaded in process by `crypto.setEngine` — Streebog ≈10×, signing ≈100× faster than pure JS
 * (../shared/reference/signing-toolchain.md §8.1). Node 20 ships OpenSSL 3 statically linked;
 * gost.so binds to node's exported OpenSSL symbols, so there is one OpenSSL in the process. Engines
 * are deprecated in OpenSSL 3 and gone in 4: `loadNativeGost` therefore never assumes, it loads,
 * then proves the engine against the standard's test vectors and a fixed signature (and the pure-JS
 * code) before anything uses it. Debian's gost *provider* has digests only, no signatures.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import type { CertInfo } from "./certificate";
import { gostVerifyHash } from "./gost3410";
import { GostBackend, gost94Js, hashKind, streebog256Js } from "./gost-js";

const MD_2012 = "md_gost12_256";
const MD_94 = "md_gost94";

const TRIPLETS: Record<string, string> = {
  x64: "x86_64-linux-gnu",
  arm64: "aarch64-linux-gnu",
  ia32: "i386-linux-gnu",
  ppc64: "powerpc64le-linux-gnu",
  s390x: "s390x-linux-gnu",
};

/** Where Debian/Ubuntu and other distributions put the engine (Node's static OpenSSL has its own ENGINESDIR, so by id "gost" it is not found). */
export function engineCandidates(): string[] {
  const t = TRIPLETS[process.arch];
  return [
    ...(t ? [`/usr/lib/${t}/engines-3/gost.so`] : []),
    "/usr/lib64/engines-3/gost.so",
    "/usr/lib/engines-3/gost.so",
    "/usr/local/lib/engines-3/gost.so",
    "/usr/local/lib64/engines-3/gost.so",
  ];
}

// Self-test material: GOST R 34.11-2012 example M1, digests of "" and "abc" (openssl), and a signature
// made by `openssl dgst -md_gost12_256 -sign` with a CryptoPro-A key (public half only).
const M1 = "012345678901234567890123456789012345678901234567890123456789012";
const VECTORS: Array<[string, string, string]> = [
  [MD_2012, M1, "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"],
  [MD_2012, "", "3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb"],
  [MD_94, "abc", "b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c"],
];
const TEST_SPKI =
  "MGYwHwYIKoUDBwEBAQEwEwYHKoUDAgIjAQYIKoUDBwEBAgIDQwAEQOQkshpfZA2QJTUSITTPDhUpRYpog0zRJA5g7VVZSiVNE4E/FLTUb2Y+MYCbS31/xsFmTpdcvoDXsnmeg6aEU+M=";
const TEST_MESSAGE = "gis-sync gost self-test";
const TEST_SIGNATURE = "wZa1fEFTcZy30KzWOkBNtjEOpoHG+NJlnNZAbo7SGlSPkpzp2mcpBMWEBSn25EadKlRGpl2KxplDrbG/kGJBQg==";

const digest = (md: string, data: Buffer | string): Buffer => crypto.createHash(md).update(data).digest();

/** Public keys of certificates, by DER (GIS answers repeat the same few certificates). */
const publicKeys = new Map<string, crypto.KeyObject>();

function publicKeyOf(cert: CertInfo): crypto.KeyObject {
  const id = cert.der.toString("base64");
  let k = publicKeys.get(id);
  if (!k) {
    k = new crypto.X509Certificate(cert.der).publicKey;
    if (publicKeys.size >= 64) publicKeys.delete(publicKeys.keys().next().value!);
    publicKeys.set(id, k);
  }
  return k;
}

export const nativeBackend: GostBackend = {
  name: "native",
  streebog256: (data) => digest(MD_2012, data),
  // The engine's GOST 94 of the empty input is not the published CryptoPro value (981e5f3c…).
  gost94: (data) => (data.length === 0 ? gost94Js(data) : digest(MD_94, data)),
  verify(cert, data, signature) {
    const md = hashKind(cert) === "2012" ? MD_2012 : MD_94;
    if (signature.length !== 64) return false;
    return crypto.verify(md, data, publicKeyOf(cert), signature);
  },
};

/**
 * A GOST private key (PKCS#8 DER, openssl's form) as a native KeyObject. Passed as PEM: Node imports
 * DER through OpenSSL 3's provider decoders, which know no engine keys ("DECODER routines::unsupported"),
 * PEM through the legacy reader, which does. OpenSSL also leaves a harmless "unsupported" entry on
 * its error queue when a digest comes from the engine rather than a provider, and Node's key import
 * then reports it as its own failure; the queue is empty after that, so one retry is the fix
 * (measured: only key import is affected, never sign or verify).
 */
export function nativePrivateKey(pkcs8Der: Buffer): crypto.KeyObject {
  const pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8Der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "")}\n-----END PRIVATE KEY-----\n`;
  try {
    return crypto.createPrivateKey(pem);
  } catch {
    return crypto.createPrivateKey(pem);
  }
}

/** GOST R 34.10-2012 (256) signature s‖r over Streebog-256 of data, by OpenSSL. */
export function nativeSign(key: crypto.KeyObject, data: Buffer): Buffer {
  return crypto.sign(MD_2012, data, key);
}

/** Why the native path works, or why not: null = it works. Cheap (< 1 ms); never throws. */
function selfTest(): string | null {
  try {
    for (const [md, input, hex] of VECTORS) {
      if (digest(md, input).toString("hex") !== hex) return `${md} не совпал с контрольным примером`;
    }
    const sample = crypto.randomBytes(1000);
    if (!digest(MD_2012, sample).equals(streebog256Js(sample))) return "Streebog OpenSSL и JavaScript расходятся";
    if (!digest(MD_94, sample).equals(gost94Js(sample))) return "ГОСТ Р 34.11-94 OpenSSL и JavaScript расходятся";
    const spki = Buffer.from(TEST_SPKI, "base64");
    const pub = crypto.createPublicKey({ key: spki, format: "der", type: "spki" });
    const sig = Buffer.from(TEST_SIGNATURE, "base64");
    const msg = Buffer.from(TEST_MESSAGE);
    if (!crypto.verify(MD_2012, msg, pub, sig)) return "контрольная подпись не проверилась";
    if (crypto.verify(MD_2012, Buffer.from(`${TEST_MESSAGE}!`), pub, sig)) return "искажённые данные прошли проверку подписи";
    if (!gostVerifyHash("1.2.643.2.2.35.1", spki.subarray(-64), streebog256Js(msg), sig)) return "контрольная подпись не проверилась кодом JavaScript";
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export interface NativeLoad {
  ok: boolean;
  /** The engine file loaded, or null when the engine was already there (OPENSSL_CONF) or not loaded. */
  enginePath: string | null;
  reason: string;
}

function digestAvailable(): boolean {
  try {
    digest(MD_2012, "");
    return true;
  } catch {
    return false;
  }
}

/** Loads the gost engine into Node's OpenSSL (process-wide) and proves it. `enginePath` overrides the search. */
export function loadNativeGost(enginePath?: string): NativeLoad {
  const openssl = `OpenSSL ${process.versions.openssl}`;
  if (digestAvailable()) {
    const problem = selfTest();
    return problem
      ? { ok: false, enginePath: null, reason: `ГОСТ в ${openssl} уже есть, но самопроверка не прошла: ${problem}` }
      : { ok: true, enginePath: null, reason: `ГОСТ уже подключён к ${openssl} (OPENSSL_CONF); самопроверка пройдена` };
  }
  if (typeof crypto.setEngine !== "function") return { ok: false, enginePath: null, reason: `node:crypto без setEngine (${openssl} собран без engines)` };
  const path = enginePath ?? engineCandidates().find((p) => fs.existsSync(p));
  if (!path) return { ok: false, enginePath: null, reason: "gost engine не найден (apt-get install libengine-gost-openssl, или укажите GIS_SYNC_GOST_ENGINE)" };
  if (!fs.existsSync(path)) return { ok: false, enginePath: path, reason: `файл gost engine ${path} не найден` };
  try {
    const c = crypto.constants;
    // Digests and GOST keys only: nothing else in the process (TLS, SHA, AES) is routed to the engine.
    crypto.setEngine(path, c.ENGINE_METHOD_DIGESTS | c.ENGINE_METHOD_PKEY_METHS | c.ENGINE_METHOD_PKEY_ASN1_METHS);
  } catch (e) {
    return { ok: false, enginePath: path, reason: `crypto.setEngine(${path}) не удался: ${(e as Error).message}` };
  }
  const problem = selfTest();
  if (problem) return { ok: false, enginePath: path, reason: `gost engine ${path} загружен в ${openssl}, но самопроверка не прошла: ${problem}` };
  return { ok: true, enginePath: path, reason: `gost engine ${path} загружен в ${openssl} Node ${process.version}; самопроверка пройдена` };
}

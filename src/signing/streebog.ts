/**
 * Streebog-256 (GOST R 34.11-2012) as `openssl dgst -md_gost12_256 -binary` emits it, and the legacy
 * GOST R 34.11-94 (CryptoPro parameters) for verifying old GIS answers.
 *
 * Pure JS (node-gost-crypto) by default. When Node's OpenSSL already has the gost engine loaded
 * (e.g. `OPENSSL_CONF=…/openssl-gost.cnf node --openssl-shared-config`, or after
 * `loadGostEngine()`), the native digest is used instead — ≈10× faster — after checking it against
 * the standard's test vector, so a broken engine can never silently change digests.
 */
import crypto from "node:crypto";
import { gostEngine } from "node-gost-crypto";

const HASH = { name: "GOST R 34.11", version: 2012, length: 256 };
const HASH_94 = { name: "GOST R 34.11", version: 1994 };

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** GOST R 34.11-2012 example M1 → 256-bit digest (as openssl prints it). */
const M1 = "012345678901234567890123456789012345678901234567890123456789012";
const M1_256 = "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500";

let native: boolean | null = null;

function nativeAvailable(): boolean {
  if (native === null) {
    try {
      native = crypto.createHash("md_gost12_256").update(M1).digest("hex") === M1_256;
    } catch {
      native = false;
    }
  }
  return native;
}

/** Which implementation streebog256 uses in this process. */
export function streebogBackend(): "native" | "js" {
  return nativeAvailable() ? "native" : "js";
}

/**
 * Loads Debian's gost engine into Node's OpenSSL (process-wide; see signing-toolchain.md §8.1 for
 * the risks). Returns true if the native digest then works. Opt-in only.
 */
export function loadGostEngine(enginePath = "/usr/lib/x86_64-linux-gnu/engines-3/gost.so"): boolean {
  try {
    crypto.setEngine(enginePath, crypto.constants.ENGINE_METHOD_ALL);
  } catch {
    return false;
  }
  native = null;
  return nativeAvailable();
}

/** Pure-JS Streebog-256, regardless of the native engine. */
export function streebog256Js(data: Buffer | string): Buffer {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return Buffer.from(gostEngine.getGostDigest(HASH).digest(toArrayBuffer(buf)));
}

export function streebog256(data: Buffer | string): Buffer {
  if (nativeAvailable()) return crypto.createHash("md_gost12_256").update(data).digest();
  return streebog256Js(data);
}

/** GOST R 34.11-94 with the CryptoPro S-box (GOST 2001 signatures, GIS answers before 2019). */
export function gost94(data: Buffer | string): Buffer {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return Buffer.from(gostEngine.getGostDigest(HASH_94).digest(toArrayBuffer(buf)));
}

export { toArrayBuffer, HASH as STREEBOG_256, HASH_94 as GOST_94 };

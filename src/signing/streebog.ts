/**
 * Streebog-256 (GOST R 34.11-2012) as `openssl dgst -md_gost12_256 -binary` emits it, and the legacy
 * GOST R 34.11-94 (CryptoPro parameters) for verifying old GIS answers — by the GOST backend in force
 * (./gost-backend.ts: native OpenSSL + gost engine when it loads and passes its self-test, else pure JS).
 */
import { gostBackend, gostBackendStatus } from "./gost-backend";

export { streebog256Js, gost94Js, toArrayBuffer, STREEBOG_256, GOST_94 } from "./gost-js";

export function streebog256(data: Buffer | string): Buffer {
  return gostBackend().streebog256(data);
}

export function gost94(data: Buffer | string): Buffer {
  return gostBackend().gost94(data);
}

/** Which implementation streebog256 uses in this process. */
export function streebogBackend(): "native" | "js" {
  return gostBackendStatus().backend;
}

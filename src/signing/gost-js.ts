/**
 * The pure-JavaScript GOST backend: Streebog-256 and GOST R 34.11-94 from node-gost-crypto (a port of
 * the WebCrypto GOST library, MIT), signature verification with the independent BigInt code in
 * ./gost3410.ts. Runs on any machine; the fallback when Node's OpenSSL has no gost engine, and the
 * independent path that checks what the native backend signed.
 */
import { gostEngine } from "node-gost-crypto";
import type { CertInfo } from "./certificate";
import { gostVerifyHash } from "./gost3410";

export const STREEBOG_256 = { name: "GOST R 34.11", version: 2012, length: 256 };
export const GOST_94 = { name: "GOST R 34.11", version: 1994 };
export const GOST_2012_256 = "1.2.643.7.1.1.1.1";
export const GOST_2001 = "1.2.643.2.2.19";

export const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const bytes = (data: Buffer | string): Buffer => (typeof data === "string" ? Buffer.from(data, "utf8") : data);

/** What a GOST implementation offers gis-sync: the two digests and signature verification. */
export interface GostBackend {
  readonly name: "native" | "js";
  streebog256(data: Buffer | string): Buffer;
  /** GOST R 34.11-94, CryptoPro S-box (GOST 2001 signatures: GIS answers before 2019). */
  gost94(data: Buffer | string): Buffer;
  /**
   * A 64-byte s‖r signature over `data` with the certificate's key: Streebog-256 for a 2012 key,
   * GOST 34.11-94 for a 2001 key. False for a bad signature; throws for a key it cannot use.
   */
  verify(cert: CertInfo, data: Buffer, signature: Buffer): boolean;
}

export function streebog256Js(data: Buffer | string): Buffer {
  return Buffer.from(gostEngine.getGostDigest(STREEBOG_256).digest(toArrayBuffer(bytes(data))));
}

export function gost94Js(data: Buffer | string): Buffer {
  return Buffer.from(gostEngine.getGostDigest(GOST_94).digest(toArrayBuffer(bytes(data))));
}

/** The hash a certificate's key algorithm signs with; throws for a key that is not GOST 256-bit. */
export function hashKind(cert: Pick<CertInfo, "keyAlgorithm">): "2012" | "2001" {
  if (cert.keyAlgorithm === GOST_2012_256) return "2012";
  if (cert.keyAlgorithm === GOST_2001) return "2001";
  throw new Error(`ключ сертификата не ГОСТ Р 34.10 256 бит (${cert.keyAlgorithm})`);
}

export const jsBackend: GostBackend = {
  name: "js",
  streebog256: streebog256Js,
  gost94: gost94Js,
  verify(cert, data, signature) {
    const hash = hashKind(cert) === "2012" ? streebog256Js(data) : gost94Js(data);
    return gostVerifyHash(cert.curveOid ?? "", cert.publicKey, hash, signature);
  },
};

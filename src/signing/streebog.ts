/** Streebog-256 (GOST R 34.11-2012), as `openssl dgst -md_gost12_256 -binary` emits it. */
import { gostEngine } from "node-gost-crypto";

const HASH = { name: "GOST R 34.11", version: 2012, length: 256 };

const toArrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export function streebog256(data: Buffer | string): Buffer {
  const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return Buffer.from(gostEngine.getGostDigest(HASH).digest(toArrayBuffer(buf)));
}

export { toArrayBuffer, HASH as STREEBOG_256 };

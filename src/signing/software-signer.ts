/**
 * A GOST key in a file (PKCS#8 PEM, as `openssl genpkey -algorithm gost2012_256` writes it) and its
 * certificate: for test stands and the demo. Pure JavaScript (node-gost-crypto, a port of the
 * WebCrypto GOST library), so it runs on any machine. Every signature takes a fresh random k from
 * the OS CSPRNG (the library would otherwise fall back to Math.random where WebCrypto is absent).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import forge from "node-forge";
import { gostEngine } from "node-gost-crypto";
import { CertInfo, pemToDer, readCertificate } from "./certificate";
import { Signer } from "./signer";
import { GOST_CURVES, gostPublicKey, gostVerifyHash } from "./gost3410";
import { STREEBOG_256, gost94, streebog256, toArrayBuffer } from "./streebog";

/** Parameter-set OIDs → the library's curve names (CryptoPro A/B/C and their TC26 aliases). */
const CURVES: Record<string, string> = {
  "1.2.643.2.2.35.1": "S-256-A", "1.2.643.2.2.36.0": "S-256-A", "1.2.643.7.1.2.1.1.2": "S-256-A",
  "1.2.643.2.2.35.2": "S-256-B", "1.2.643.7.1.2.1.1.3": "S-256-B",
  "1.2.643.2.2.35.3": "S-256-C", "1.2.643.2.2.36.1": "S-256-C", "1.2.643.7.1.2.1.1.4": "S-256-C",
};

const GOST_2012_256 = "1.2.643.7.1.1.1.1";
const GOST_2001 = "1.2.643.2.2.19";

export interface GostPrivateKey {
  /** 32 bytes, little-endian (the CryptoPro/openssl convention the library expects). */
  d: Buffer;
  curveOid: string;
}

export function readPkcs8GostKey(pem: string): GostPrivateKey {
  const der = pemToDer(pem);
  const info = forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")));
  const [, alg, keyOctets] = info.value as forge.asn1.Asn1[];
  const [oid, params] = alg.value as forge.asn1.Asn1[];
  const algOid = forge.asn1.derToOid(oid.value as string);
  if (algOid !== GOST_2012_256) throw new Error(`ключ не ГОСТ Р 34.10-2012 256 бит (алгоритм ${algOid})`);
  const curveOid = forge.asn1.derToOid(((params.value as forge.asn1.Asn1[])[0]).value as string);
  // openssl writes the 32 key bytes (little-endian) straight into the OCTET STRING; other tools wrap
  // them in an inner OCTET STRING (little-endian) or INTEGER (big-endian).
  let d = Buffer.from(keyOctets.value as string, "binary");
  if (d.length !== 32) {
    const inner = forge.asn1.fromDer(forge.util.createBuffer(keyOctets.value as string));
    d = Buffer.from(inner.value as string, "binary");
    if (inner.type === forge.asn1.Type.INTEGER) d = Buffer.from(d.subarray(-32)).reverse();
  }
  if (d.length !== 32) throw new Error(`закрытый ключ: ожидается 32 байта, получено ${d.length}`);
  return { d, curveOid };
}

function curveName(oid: string): string {
  const name = CURVES[oid];
  if (!name) throw new Error(`набор параметров ${oid} не поддерживается программной подписью (нужны CryptoPro A/B/C)`);
  return name;
}

export interface SoftwareSignerOptions {
  /**
   * Verify every signature (independent BigInt code, ./gost3410.ts) before returning it; default
   * true. Costs ≈4 ms per signature; guards against faults in the signing library.
   */
  selfCheck?: boolean;
}

export class SoftwareSigner implements Signer {
  readonly certificate: Buffer;
  readonly info: CertInfo;
  private readonly curve: string;

  constructor(private readonly key: GostPrivateKey, certificate: Buffer, private readonly opts: SoftwareSignerOptions = {}) {
    this.certificate = certificate;
    this.info = readCertificate(certificate);
    this.curve = curveName(key.curveOid);
    if (this.info.keyAlgorithm === GOST_2012_256 && this.info.publicKey.length === 64 && this.info.curveOid && GOST_CURVES[this.info.curveOid]) {
      if (!gostPublicKey(key.curveOid, key.d).equals(this.info.publicKey)) throw new Error("закрытый ключ не соответствует сертификату (открытые ключи различаются)");
    }
  }

  static fromPem(keyPem: string, certPem: string, opts?: SoftwareSignerOptions): SoftwareSigner {
    return new SoftwareSigner(readPkcs8GostKey(keyPem), pemToDer(certPem), opts);
  }

  static fromFiles(keyFile: string, certFile: string, opts?: SoftwareSignerOptions): SoftwareSigner {
    return SoftwareSigner.fromPem(fs.readFileSync(keyFile, "utf8"), fs.readFileSync(certFile, "utf8"), opts);
  }

  /** One attempt with a fresh random k (never reused: a failed attempt's k is discarded). */
  private attempt(data: Buffer): Buffer {
    const engine = gostEngine.getGostSign({
      name: "GOST R 34.10", version: 2012, length: 256, namedCurve: this.curve,
      procreator: "CP", hash: STREEBOG_256, ukm: crypto.randomBytes(32),
    });
    return Buffer.from(engine.sign(toArrayBuffer(this.key.d), toArrayBuffer(data)));
  }

  async sign(data: Buffer): Promise<Buffer> {
    let last: unknown = null;
    // node-gost-crypto 1.0.2 throws "subtract is not defined" on a rare branch of its modular
    // inverse (about once per thousand signatures); a new k takes another path.
    for (let i = 0; i < 4; i++) {
      let sig: Buffer;
      try {
        sig = this.attempt(data);
      } catch (e) {
        last = e;
        continue;
      }
      if (this.opts.selfCheck === false || verifyGost(this.info, data, sig)) return sig;
      last = new Error("подпись не прошла самопроверку");
    }
    throw new Error(`программная подпись ГОСТ не удалась: ${(last as Error)?.message ?? last}`);
  }
}

/**
 * Checks a GOST signature (s‖r) with a certificate's public key: GIS's signed answers, our own output.
 * Independent BigInt implementation (./gost3410.ts); hash Streebog-256 (2012) or GOST 34.11-94 (2001).
 */
export function verifyGost(cert: CertInfo, data: Buffer, signature: Buffer): boolean {
  const is2012 = cert.keyAlgorithm === GOST_2012_256;
  if (!is2012 && cert.keyAlgorithm !== GOST_2001) throw new Error(`ключ сертификата не ГОСТ Р 34.10 256 бит (${cert.keyAlgorithm})`);
  return gostVerifyHash(cert.curveOid ?? "", cert.publicKey, is2012 ? streebog256(data) : gost94(data), signature);
}

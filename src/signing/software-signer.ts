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
import { STREEBOG_256, toArrayBuffer } from "./streebog";

/** Parameter-set OIDs → the library's curve names (CryptoPro A/B/C and their TC26 aliases). */
const CURVES: Record<string, string> = {
  "1.2.643.2.2.35.1": "S-256-A", "1.2.643.2.2.36.0": "S-256-A", "1.2.643.7.1.2.1.1.2": "S-256-A",
  "1.2.643.2.2.35.2": "S-256-B", "1.2.643.7.1.2.1.1.3": "S-256-B",
  "1.2.643.2.2.35.3": "S-256-C", "1.2.643.2.2.36.1": "S-256-C", "1.2.643.7.1.2.1.1.4": "S-256-C",
};

const GOST_2012_256 = "1.2.643.7.1.1.1.1";

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

export class SoftwareSigner implements Signer {
  readonly certificate: Buffer;
  readonly info: CertInfo;
  private readonly curve: string;

  constructor(private readonly key: GostPrivateKey, certificate: Buffer) {
    this.certificate = certificate;
    this.info = readCertificate(certificate);
    this.curve = curveName(key.curveOid);
  }

  static fromPem(keyPem: string, certPem: string): SoftwareSigner {
    return new SoftwareSigner(readPkcs8GostKey(keyPem), pemToDer(certPem));
  }

  static fromFiles(keyFile: string, certFile: string): SoftwareSigner {
    return SoftwareSigner.fromPem(fs.readFileSync(keyFile, "utf8"), fs.readFileSync(certFile, "utf8"));
  }

  async sign(data: Buffer): Promise<Buffer> {
    const engine = gostEngine.getGostSign({
      name: "GOST R 34.10", version: 2012, length: 256, namedCurve: this.curve,
      procreator: "CP", hash: STREEBOG_256, ukm: crypto.randomBytes(32),
    });
    return Buffer.from(engine.sign(toArrayBuffer(this.key.d), toArrayBuffer(data)));
  }
}

/** Checks a GOST signature (s‖r) with a certificate's public key: GIS's signed answers, our own output. */
export function verifyGost(cert: CertInfo, data: Buffer, signature: Buffer): boolean {
  const engine = gostEngine.getGostSign({
    name: "GOST R 34.10", version: cert.keyAlgorithm === GOST_2012_256 ? 2012 : 2001, length: 256,
    namedCurve: curveName(cert.curveOid ?? ""), procreator: "CP",
    hash: cert.keyAlgorithm === GOST_2012_256 ? STREEBOG_256 : { name: "GOST R 34.11", version: 1994 },
  });
  return engine.verify(toArrayBuffer(cert.publicKey), toArrayBuffer(signature), toArrayBuffer(data));
}

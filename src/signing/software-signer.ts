/**
 * A GOST key in a file (PKCS#8 PEM, as `openssl genpkey -algorithm gost2012_256` writes it) and its
 * certificate: for test stands and the demo. Signs with the GOST backend in force
 * (./gost-backend.ts): OpenSSL's gost engine when it is loaded, else pure JavaScript
 * (node-gost-crypto, a port of the WebCrypto GOST library), so it runs on any machine. In JS every
 * signature takes a fresh random k from the OS CSPRNG (the library would otherwise fall back to
 * Math.random where WebCrypto is absent).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import forge from "node-forge";
import { gostEngine } from "node-gost-crypto";
import { CertInfo, pemToDer, readCertificate } from "./certificate";
import { Signer } from "./signer";
import { GOST_CURVES, gostPublicKey } from "./gost3410";
import { gostBackend, independentBackend } from "./gost-backend";
import { GOST_2012_256, GostBackend, STREEBOG_256, toArrayBuffer } from "./gost-js";
import { nativePrivateKey, nativeSign } from "./gost-native";

/** Parameter-set OIDs → the library's curve names (CryptoPro A/B/C and their TC26 aliases). */
const CURVES: Record<string, string> = {
  "1.2.643.2.2.35.1": "S-256-A",
  "1.2.643.2.2.36.0": "S-256-A",
  "1.2.643.7.1.2.1.1.2": "S-256-A",
  "1.2.643.2.2.35.2": "S-256-B",
  "1.2.643.7.1.2.1.1.3": "S-256-B",
  "1.2.643.2.2.35.3": "S-256-C",
  "1.2.643.2.2.36.1": "S-256-C",
  "1.2.643.7.1.2.1.1.4": "S-256-C",
};

const OID_STREEBOG_256 = "1.2.643.7.1.1.2.2";

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
  const curveOid = forge.asn1.derToOid((params.value as forge.asn1.Asn1[])[0].value as string);
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

/** openssl's PKCS#8 form of a GOST 2012-256 key (32 bytes little-endian in an OCTET STRING). */
export function gostPkcs8(key: GostPrivateKey): Buffer {
  const { asn1 } = forge;
  const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
  const seq = (v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
  const info = seq([
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, "\u0000"),
    seq([oid(GOST_2012_256), seq([oid(key.curveOid), oid(OID_STREEBOG_256)])]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, key.d.toString("binary")),
  ]);
  return Buffer.from(asn1.toDer(info).getBytes(), "binary");
}

export interface SoftwareSignerOptions {
  /**
   * Verify every signature with the independent backend before returning it. Default: on for the
   * JS library (≈2 ms; a fault in it then costs a retry with a new k, not a bad signature), off for
   * OpenSSL (signEnvelope checks the whole signed envelope independently anyway).
   */
  selfCheck?: boolean;
  /** Sign with this backend instead of the one in force (tests, the benchmark). */
  backend?: "native" | "js";
}

export class SoftwareSigner implements Signer {
  readonly certificate: Buffer;
  readonly info: CertInfo;
  /** Which implementation makes the signatures. */
  readonly backend: "native" | "js";
  private readonly curve: string;
  private readonly nativeKey: crypto.KeyObject | null = null;
  private readonly checker: GostBackend | null;

  constructor(
    private readonly key: GostPrivateKey,
    certificate: Buffer,
    opts: SoftwareSignerOptions = {},
  ) {
    this.certificate = certificate;
    this.info = readCertificate(certificate);
    this.curve = curveName(key.curveOid);
    if (this.info.keyAlgorithm === GOST_2012_256 && this.info.publicKey.length === 64 && this.info.curveOid && GOST_CURVES[this.info.curveOid]) {
      if (!gostPublicKey(key.curveOid, key.d).equals(this.info.publicKey))
        throw new Error("закрытый ключ не соответствует сертификату (открытые ключи различаются)");
    }
    const want = opts.backend ?? gostBackend().name;
    if (want === "native") {
      if (gostBackend().name !== "native") throw new Error("подпись OpenSSL недоступна: gost engine не загружен (см. состояние ГОСТ)");
      try {
        this.nativeKey = nativePrivateKey(gostPkcs8(key));
      } catch (e) {
        // Chosen automatically: the JS signer still works. Asked for explicitly: say why not.
        if (opts.backend) throw new Error(`OpenSSL не принял ключ ГОСТ: ${(e as Error).message}`);
      }
    }
    this.backend = this.nativeKey ? "native" : "js";
    const check = opts.selfCheck ?? this.backend === "js";
    // The JS signature is checked natively when the engine is there, else by the BigInt verifier.
    this.checker = !check ? null : this.backend === "native" ? independentBackend() : gostBackend();
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
      name: "GOST R 34.10",
      version: 2012,
      length: 256,
      namedCurve: this.curve,
      procreator: "CP",
      hash: STREEBOG_256,
      ukm: crypto.randomBytes(32),
    });
    return Buffer.from(engine.sign(toArrayBuffer(this.key.d), toArrayBuffer(data)));
  }

  async sign(data: Buffer): Promise<Buffer> {
    if (this.nativeKey) {
      const sig = nativeSign(this.nativeKey, data);
      if (this.checker && !this.checker.verify(this.info, data, sig)) throw new Error("подпись OpenSSL не прошла независимую проверку");
      return sig;
    }
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
      if (!this.checker || this.checker.verify(this.info, data, sig)) return sig;
      last = new Error("подпись не прошла самопроверку");
    }
    throw new Error(`программная подпись ГОСТ не удалась: ${(last as Error)?.message ?? last}`);
  }
}

/**
 * Checks a GOST signature (s‖r) with a certificate's public key: GIS's signed answers, our own output.
 * Hash Streebog-256 (2012) or GOST 34.11-94 (2001); by the backend in force unless one is given.
 */
export function verifyGost(cert: CertInfo, data: Buffer, signature: Buffer, backend: GostBackend = gostBackend()): boolean {
  return backend.verify(cert, data, signature);
}

/**
 * `gis-sync keygen`: a GOST R 34.10-2012 (256, CryptoPro-A) test key and a self-signed certificate,
 * made in pure JavaScript, for the demo and the built-in stand. The files are what openssl makes
 * (PKCS#8 PEM with the key little-endian in an OCTET STRING; an X.509 v3 certificate signed with
 * GOST 2012 / Streebog-256), so openssl with the gost engine reads and verifies them.
 * Not a qualified signature: production keys come from an accredited CA on a token.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import forge from "node-forge";
import { SoftwareSigner } from "./software-signer";
import { gostPublicKey } from "./gost3410";

const { asn1 } = forge;
const OID = {
  gost2012_256: "1.2.643.7.1.1.1.1",
  sigAlg: "1.2.643.7.1.1.3.2",
  cryptoProA: "1.2.643.2.2.35.1",
  streebog256: "1.2.643.7.1.1.2.2",
  cn: "2.5.4.3",
  o: "2.5.4.10",
  c: "2.5.4.6",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
};

const seq = (v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, v);
const oid = (o: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const octets = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString("binary"));
const bits = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${b.toString("binary")}`);
const int = (b: Buffer) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, b.toString("binary"));
const utf8 = (s: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, forge.util.encodeUtf8(s));
const printable = (s: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, s);
const utc = (d: Date) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d));
const bool = (v: boolean) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, v ? "\u00ff" : "\u0000");
const der = (a: forge.asn1.Asn1) => Buffer.from(asn1.toDer(a).getBytes(), "binary");
const pem = (label: string, b: Buffer) =>
  `-----BEGIN ${label}-----\n${b
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .replace(/\n$/, "")}\n-----END ${label}-----\n`;

/** Order q of the CryptoPro-A curve (RFC 4357 §11.4). */
const Q_CRYPTOPRO_A = 0xffffffffffffffffffffffffffffffff6c611070995ad10045841b09b761b893n;

const gostAlgorithm = () => seq([oid(OID.gost2012_256), seq([oid(OID.cryptoProA), oid(OID.streebog256)])]);

export interface KeygenOptions {
  commonName: string;
  organization?: string;
  days: number;
  now?: Date;
}

export interface KeyPairFiles {
  keyPem: string;
  certPem: string;
}

export async function generateTestKey(o: KeygenOptions): Promise<KeyPairFiles> {
  // The private key d (32 bytes little-endian, openssl's PKCS#8 form) from the OS CSPRNG, 0 < d < q
  // (rejection sampling; q of CryptoPro-A is just below 2^256); the public key by ./gost3410.ts.
  let seed: Buffer;
  for (;;) {
    seed = crypto.randomBytes(32);
    const v = BigInt(`0x${Buffer.from(seed).reverse().toString("hex")}`);
    if (v > 0n && v < Q_CRYPTOPRO_A) break;
  }
  const d = seed;
  const pub = gostPublicKey(OID.cryptoProA, d); // X_le‖Y_le, as in the certificate
  const keyPem = pem("PRIVATE KEY", der(seq([int(Buffer.from([0])), gostAlgorithm(), octets(d)])));

  const now = o.now ?? new Date();
  const name = seq([
    set([seq([oid(OID.c), printable("RU")])]),
    ...(o.organization ? [set([seq([oid(OID.o), utf8(o.organization)])])] : []),
    set([seq([oid(OID.cn), utf8(o.commonName)])]),
  ]);
  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x01; // positive, no leading zero byte needed
  const extensions = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [
    seq([
      seq([oid(OID.basicConstraints), bool(true), octets(der(seq([bool(true)])))]),
      // digitalSignature + nonRepudiation + keyCertSign
      seq([oid(OID.keyUsage), bool(true), octets(der(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, "\u0002\u00c4")))]),
    ]),
  ]);
  const tbs = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [int(Buffer.from([2]))]),
    int(serial),
    seq([oid(OID.sigAlg)]),
    name,
    seq([utc(new Date(now.getTime() - 3_600_000)), utc(new Date(now.getTime() + o.days * 86_400_000))]),
    name,
    seq([gostAlgorithm(), bits(der(octets(pub)))]),
    extensions,
  ]);
  const tbsDer = der(tbs);
  // The certificate's own signature: a throwaway signer over the TBS bytes (s‖r, as RFC 4491 wants).
  const selfSigner = new SoftwareSigner({ d, curveOid: OID.cryptoProA }, der(seq([tbs, seq([oid(OID.sigAlg)]), bits(Buffer.alloc(64))])));
  const signature = await selfSigner.sign(tbsDer);
  const certPem = pem("CERTIFICATE", der(seq([tbs, seq([oid(OID.sigAlg)]), bits(signature)])));
  return { keyPem, certPem };
}

/** Writes key.pem (mode 0600) and cert.pem into `dir`; refuses to overwrite an existing key. */
export async function writeTestKey(dir: string, o: KeygenOptions): Promise<{ key: string; cert: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const key = path.join(dir, "key.pem");
  const cert = path.join(dir, "cert.pem");
  if (fs.existsSync(key)) throw new Error(`${key} уже существует: удалите его, если нужен новый ключ`);
  const files = await generateTestKey(o);
  fs.writeFileSync(key, files.keyPem, { mode: 0o600 });
  fs.writeFileSync(cert, files.certPem);
  return { key, cert };
}

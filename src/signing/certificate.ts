/**
 * Reading what XAdES needs from an X.509 certificate, GOST ones included (node-forge's certificate
 * class only knows RSA keys, so the ASN.1 is walked directly): the serial as a decimal number, the
 * issuer in the form the GIS server writes it, validity, subject, and the public key.
 */
import forge from "node-forge";
import { log } from "../log";

export interface CertInfo {
  der: Buffer;
  serialDecimal: string;
  issuerName: string;
  subjectName: string;
  notBefore: Date;
  notAfter: Date;
  /** OID of the public key algorithm and its curve parameter set. */
  keyAlgorithm: string;
  curveOid: string | null;
  /** Public key bytes as the certificate holds them (GOST: X_le‖Y_le, 64 bytes). */
  publicKey: Buffer;
}

/** RFC 4519 names, lower-case, as BouncyCastle's RFC4519Style (what GIS emits). */
const SHORT_NAMES: Record<string, string> = {
  "2.5.4.3": "cn",
  "2.5.4.6": "c",
  "2.5.4.7": "l",
  "2.5.4.8": "st",
  "2.5.4.9": "street",
  "2.5.4.10": "o",
  "2.5.4.11": "ou",
  "2.5.4.4": "sn",
  "2.5.4.42": "givenName",
  "2.5.4.12": "title",
  "2.5.4.5": "serialNumber",
  "0.9.2342.19200300.100.1.25": "dc",
  "0.9.2342.19200300.100.1.1": "uid",
};

const bin = (s: string) => Buffer.from(s, "binary");

function stringValue(node: forge.asn1.Asn1): string {
  const raw = node.value as string;
  switch (node.type) {
    case forge.asn1.Type.UTF8:
      return bin(raw).toString("utf8");
    case forge.asn1.Type.BMPSTRING:
      return bin(raw).swap16().toString("utf16le");
    default:
      return raw; // Printable, IA5, Numeric, T61 (Latin)
  }
}

const escapeRdn = (v: string) => v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);

/** RDNs in reverse DER order, `type=value` joined by `,`, multi-valued RDNs by `+`. */
export function formatName(name: forge.asn1.Asn1): string {
  const rdns = (name.value as forge.asn1.Asn1[]).map((set) =>
    (set.value as forge.asn1.Asn1[])
      .map((atv) => {
        const [oidNode, valueNode] = atv.value as forge.asn1.Asn1[];
        const oid = forge.asn1.derToOid(oidNode.value as string);
        return `${SHORT_NAMES[oid] ?? oid}=${escapeRdn(stringValue(valueNode))}`;
      })
      .join("+"),
  );
  return rdns.reverse().join(",");
}

function time(node: forge.asn1.Asn1): Date {
  return node.type === forge.asn1.Type.UTCTIME ? forge.asn1.utcTimeToDate(node.value as string) : forge.asn1.generalizedTimeToDate(node.value as string);
}

export function pemToDer(pem: string): Buffer {
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END [^-]+-----/.exec(pem);
  if (!m) throw new Error("не PEM");
  return Buffer.from(m[1].replace(/\s+/g, ""), "base64");
}

export function readCertificate(input: Buffer | string): CertInfo {
  const der = typeof input === "string" ? pemToDer(input) : input;
  const cert = forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")), { decodeBitStrings: false } as never);
  const tbs = (cert.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
  const hasVersion = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC;
  const [serial, , issuer, validity, subject, spki] = tbs.slice(hasVersion ? 1 : 0);
  const [nb, na] = validity.value as forge.asn1.Asn1[];
  const [alg, keyBits] = spki.value as forge.asn1.Asn1[];
  const algParts = alg.value as forge.asn1.Asn1[];
  const keyAlgorithm = forge.asn1.derToOid(algParts[0].value as string);
  let curveOid: string | null = null;
  if (algParts[1] && Array.isArray(algParts[1].value) && algParts[1].value.length > 0) {
    curveOid = forge.asn1.derToOid((algParts[1].value as forge.asn1.Asn1[])[0].value as string);
  } else if (algParts[1] && algParts[1].type === forge.asn1.Type.OID) {
    curveOid = forge.asn1.derToOid(algParts[1].value as string);
  }
  // BIT STRING: first byte = unused bits; GOST wraps the point in an OCTET STRING.
  let key = bin(keyBits.value as string).subarray(1);
  if (keyAlgorithm.startsWith("1.2.643.")) {
    const inner = forge.asn1.fromDer(forge.util.createBuffer(key.toString("binary")));
    key = bin(inner.value as string);
  }
  return {
    der,
    serialDecimal: BigInt(`0x${bin(serial.value as string).toString("hex") || "0"}`).toString(10),
    issuerName: formatName(issuer),
    subjectName: formatName(subject),
    notBefore: time(nb),
    notAfter: time(na),
    keyAlgorithm,
    curveOid,
    publicKey: key,
  };
}

export type ExpiryLevel = "ok" | "warn30" | "warn7" | "warn1" | "expired";

/** Ahead of expiry: warnings at 30, 7 and 1 day(s), an error once expired. */
export function expiryCheck(c: Pick<CertInfo, "notAfter" | "subjectName">, now = new Date()): { level: ExpiryLevel; message: string | null } {
  const days = (c.notAfter.getTime() - now.getTime()) / 86_400_000;
  const until = c.notAfter.toISOString().slice(0, 10);
  if (days <= 0) return { level: "expired", message: `Сертификат подписи «${c.subjectName}» истёк ${until}: ГИС ЖКХ не примет подписанные им запросы` };
  const level: ExpiryLevel = days <= 1 ? "warn1" : days <= 7 ? "warn7" : days <= 30 ? "warn30" : "ok";
  if (level === "ok") return { level, message: null };
  return { level, message: `Сертификат подписи «${c.subjectName}» истекает ${until} (осталось дней: ${Math.ceil(days)}): замените его заранее` };
}

const reported = new Map<string, ExpiryLevel>();

/**
 * expiryCheck plus logging through the application logger: warn at 30/7/1 day(s), error once
 * expired. Each certificate is reported once per level per process, so signing in a loop does not
 * flood the log.
 */
export function checkCertificateExpiry(
  c: Pick<CertInfo, "notAfter" | "subjectName" | "serialDecimal">,
  now = new Date(),
  logger: { warn(msg: string, meta?: object): unknown; error(msg: string, meta?: object): unknown } = log,
): { level: ExpiryLevel; message: string | null } {
  const r = expiryCheck(c, now);
  if (r.level === "ok" || !r.message) return r;
  const key = `${c.serialDecimal}|${c.subjectName}`;
  if (reported.get(key) === r.level) return r;
  reported.set(key, r.level);
  const meta = { certificateSerial: c.serialDecimal, notAfter: c.notAfter.toISOString(), level: r.level };
  if (r.level === "expired") logger.error(r.message, meta);
  else logger.warn(r.message, meta);
  return r;
}

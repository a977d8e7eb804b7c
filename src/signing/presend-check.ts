/**
 * The last check before a signed envelope leaves (issue 15): the envelope *as it will be sent* is
 * verified by the other GOST implementation (./gost-backend.ts `independentBackend`) — pure JS when
 * OpenSSL signed, OpenSSL when JS signed and the engine is there. A mismatch throws
 * PresendCheckError, which stops the send: a faulty engine, library or splice can never put a
 * signature GIS would reject (or, worse, one over other bytes) on the wire.
 *
 * What is checked, from the output text, not from the values the signing pass kept:
 * - the container's digest over its bytes as sent less the Signature (cut out of the text by
 *   `rawEnvelopedContainer`, not by the canonicalizer; the walker only when the builder's output was
 *   not canonical);
 * - the SignedProperties digest, the CertDigest, and that KeyInfo carries the signer's certificate;
 * - the SignatureValue over the canonical SignedInfo, with the certificate's public key.
 * When no second implementation exists (JS only, no engine) the digests are not recomputed by the
 * same code — the hashed bytes are compared with the sent ones instead — and the signature is
 * checked by the BigInt verifier, which shares no code with the library that signed.
 *
 * Cost (CPU, this machine): the signature check is fixed, ≈3 ms in JS; the container digest by the
 * JS path grows with the container (≈12 MB/s: ≈50 ms for 620 KB — more than native signing itself).
 * So by default (GIS_SYNC_PRESEND_CHECK=sampled) the first envelope of the process and every 100th
 * get the full check, the others the "signature" check: SignatureValue, SignedProperties and
 * CertDigest by the independent path, and the container's bytes as sent compared with the bytes
 * that were hashed (the native digest itself is proved at start against the standard's vectors and
 * the JS code, ./gost-native.ts). GIS_SYNC_PRESEND_CHECK=full checks every digest independently
 * on every envelope.
 */
import { byIdAttribute, byQName, excC14nText } from "./c14n";
import type { CertInfo } from "./certificate";
import type { GostBackend } from "./gost-js";

export class PresendCheckError extends Error {
  constructor(what: string) {
    super(`Подписанный запрос не прошёл независимую проверку подписи (${what}): отправка остановлена`);
    this.name = "PresendCheckError";
  }
}

export interface SignedEnvelope {
  xml: string;
  containerId: string;
  /** Where ds:Signature starts in `xml`, and its length. */
  signatureAt: number;
  signatureLength: number;
  /** The Signature's Id (xmldsig-…). */
  signatureId: string;
  /** The canonical container text the signing pass digested. */
  canonicalContainer: string;
  cert: CertInfo;
}

const one = (re: RegExp, s: string, what: string): string => {
  const m = re.exec(s);
  if (!m) throw new PresendCheckError(`нет ${what}`);
  return m[1];
};

export type PresendMode = "full" | "signature";
export type PresendSetting = PresendMode | "sampled";

/** Every how many envelopes the sampled setting checks the container digest independently. */
export const FULL_CHECK_EVERY = 100;
let envelopes = 0;

/** The mode for the next envelope, from GIS_SYNC_PRESEND_CHECK (full | signature | sampled, the default). */
export function presendMode(env: NodeJS.ProcessEnv = process.env): PresendMode {
  const v = ((env.GIS_SYNC_PRESEND_CHECK ?? "").trim().toLowerCase() || "sampled") as PresendSetting;
  if (v !== "full" && v !== "signature" && v !== "sampled") throw new Error(`GIS_SYNC_PRESEND_CHECK=${v}: ожидается sampled, full или signature`);
  if (v !== "sampled") return v;
  return envelopes++ % FULL_CHECK_EVERY === 0 ? "full" : "signature";
}

/**
 * Throws PresendCheckError unless `backend` confirms the signed envelope. `signedBy` is the backend
 * that made the digests; when it is `backend` itself (no second one available), or in "signature"
 * mode, the container's digest is not recomputed: its bytes as sent are compared with those hashed.
 */
export function checkSignedEnvelope(s: SignedEnvelope, backend: GostBackend, signedBy: GostBackend, mode: PresendMode = "full"): void {
  const sameCode = backend === signedBy;
  const sig = s.xml.slice(s.signatureAt, s.signatureAt + s.signatureLength);
  if (!sig.startsWith("<ds:Signature ") || !sig.endsWith("</ds:Signature>")) throw new PresendCheckError("ds:Signature не на своём месте");
  const refs = [...sig.matchAll(/<ds:Reference [^>]*URI="#([^"]+)">[\s\S]*?<ds:DigestValue>([^<]+)<\/ds:DigestValue>/g)];
  const dataRef = refs.find((r) => r[1] === s.containerId)?.[2];
  const propsRef = refs.find((r) => r[1] === `${s.signatureId}-signedprops`)?.[2];
  if (!dataRef || !propsRef || refs.length !== 2) throw new PresendCheckError("ссылки SignedInfo");

  // The container as sent, less its Signature.
  let sent = rawEnvelopedContainer(s.xml, s.containerId);
  if (sent === null || sent !== s.canonicalContainer) {
    sent = excC14nText(s.xml, byIdAttribute(s.containerId), (q) => q === "ds:Signature").canonical;
  }
  if (sameCode || mode === "signature") {
    if (sent !== s.canonicalContainer) throw new PresendCheckError("отправляемые байты контейнера не те, что хешировались");
  } else if (backend.streebog256(Buffer.from(sent, "utf8")).toString("base64") !== dataRef) {
    throw new PresendCheckError(`дайджест контейнера Id="${s.containerId}"`);
  }

  const props = excC14nText(sig, byIdAttribute(`${s.signatureId}-signedprops`)).canonical;
  if (backend.streebog256(Buffer.from(props, "utf8")).toString("base64") !== propsRef) throw new PresendCheckError("дайджест SignedProperties");
  const certB64 = s.cert.der.toString("base64");
  if (one(/<ds:X509Certificate>([^<]+)</, sig, "X509Certificate") !== certB64) throw new PresendCheckError("сертификат в KeyInfo");
  if (one(/<xades:CertDigest>[\s\S]*?<ds:DigestValue>([^<]+)</, sig, "CertDigest") !== backend.streebog256(s.cert.der).toString("base64")) {
    throw new PresendCheckError("CertDigest");
  }
  const signedInfo = excC14nText(sig, byQName("ds:SignedInfo")).canonical;
  const value = Buffer.from(one(/<ds:SignatureValue[^>]*>([^<]+)</, sig, "SignatureValue"), "base64");
  if (!backend.verify(s.cert, Buffer.from(signedInfo, "utf8"), value)) throw new PresendCheckError("SignatureValue");
}

/**
 * The bytes of the element with this Id, as sent, less its first child ds:Signature — or null when
 * the text does not have that simple shape (the caller then canonicalizes the parsed document).
 */
export function rawEnvelopedContainer(xml: string, id: string): string | null {
  const at = xml.indexOf(`Id="${id}"`);
  if (at < 0 || xml.indexOf(`Id="${id}"`, at + 1) >= 0) return null;
  const open = xml.lastIndexOf("<", at);
  const name = /^<([A-Za-z_][\w.-]*(?::[\w.-]+)?)[\s>]/.exec(xml.slice(open, open + 200))?.[1];
  if (!name) return null;
  const openEnd = xml.indexOf(">", at);
  const close = xml.lastIndexOf(`</${name}>`);
  if (openEnd < 0 || close < openEnd || (xml.indexOf(`<${name}`, openEnd) >= 0 && xml.indexOf(`<${name}`, openEnd) < close)) return null;
  const sigStart = openEnd + 1;
  const m = /^<([A-Za-z_][\w.-]*:)?Signature[\s>]/.exec(xml.slice(sigStart, sigStart + 100));
  if (!m) return null;
  const sigClose = `</${m[1] ?? ""}Signature>`;
  const sigEnd = xml.indexOf(sigClose, sigStart);
  if (sigEnd < 0 || sigEnd > close) return null;
  return xml.slice(open, sigStart) + xml.slice(sigEnd + sigClose.length, close + name.length + 3);
}

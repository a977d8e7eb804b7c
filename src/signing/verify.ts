/**
 * Checking an XMLDSig/XAdES-BES signature inside a GIS message: GIS's signed answers (to keep and
 * later re-verify archived answers) and our own signed requests. Input is untrusted: parsed without
 * DTDs, every reference digest recomputed, the SignatureValue checked with the KeyInfo certificate's
 * public key (GOST R 34.10-2012 256 or the legacy 2001 that GIS used until 2019), and the XAdES
 * SigningCertificate (CertDigest, serial, issuer) compared with that certificate.
 *
 * What this does NOT do: certificate chain / CRL / qualified-status checks (that needs the CA list
 * of the Минцифры trust service), or XAdES-T/-X timestamps. `valid` means "these bytes were signed
 * by the key of the certificate carried in KeyInfo, and nothing signed was changed".
 *
 * Transforms supported: enveloped-signature, exclusive c14n, inclusive c14n 1.0 (the default when a
 * reference has none — Variant L, as the GIS server emits it). The DOM (xmldom) checks that the
 * message is well-formed and finds the values; the canonical bytes come from the text walker in
 * ./c14n.ts, the same canonicalizer that signs.
 */
import { DOMParser } from "@xmldom/xmldom";
import { EXC_C14N, ElementMatcher, INCL_C14N, byIdAttribute, canonicalize, localName } from "./c14n";
import { CertInfo, readCertificate } from "./certificate";
import { GostBackend, gostBackend } from "./gost-backend";
import { rawEnvelopedContainer } from "./presend-check";
import { ALG, CONTAINER_ID, DS_NS, XADES_NS } from "./xades";

export { rawEnvelopedContainer };

export interface ReferenceCheck {
  uri: string;
  type: string | null;
  c14n: string;
  expected: string;
  actual: string | null;
  ok: boolean;
  error?: string;
}

export interface XadesVerification {
  /** All of: every reference digest, the SignatureValue, CertDigest and serial. */
  valid: boolean;
  references: ReferenceCheck[];
  signatureOk: boolean;
  certDigestOk: boolean | null;
  serialOk: boolean | null;
  /** The XAdES X509IssuerName equals our GIS-style rendering of the certificate's issuer. */
  issuerNameMatches: boolean | null;
  signingTime: string | null;
  signatureAlgorithm: string;
  certificate: CertInfo | null;
  errors: string[];
}

export interface VerifyOptions {
  /** Which signature: the one that is a child of the element with this Id (default signed-data-container), else the first ds:Signature. */
  containerId?: string;
  /** The GOST implementation for digests and the signature (default: the one in force). */
  backend?: GostBackend;
  /** The message already parsed (without DTDs) from this very text — saves a second parse (the stand's intake). */
  document?: Document;
}

/** Untrusted XML into a DOM: no DTDs, every parser error is a refusal. */
function parseXml(xml: string): Document {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error("XML с DTD или объявлениями сущностей не принимается");
  const errors: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: () => undefined, error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(xml, "text/xml") as unknown as Document;
  if (errors.length > 0 || !doc?.documentElement)
    throw new Error(`некорректный XML: ${(errors[0] ?? "нет корневого элемента").replace(/\s+/g, " ").slice(0, 300)}`);
  return doc;
}

function child(el: Element, ns: string, local: string): Element | null {
  for (let n = el.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).localName === local && (n as Element).namespaceURI === ns) return n as Element;
  return null;
}

function descendant(el: Element, ns: string, local: string): Element | null {
  const list = el.getElementsByTagNameNS(ns, local);
  return list.length > 0 ? list[0] : null;
}

const text = (el: Element | null): string => (el?.textContent ?? "").replace(/\s+/g, "");

function findSignature(doc: Document, containerId: string): { sig: Element; index: number } | null {
  const all = doc.getElementsByTagNameNS(DS_NS, "Signature");
  for (let i = 0; i < all.length; i++) {
    const parent = all[i].parentNode as Element | null;
    if (parent && parent.nodeType === 1 && parent.getAttribute("Id") === containerId) return { sig: all[i], index: i };
  }
  return all.length > 0 ? { sig: all[0], index: 0 } : null;
}

/**
 * Follows the ds:Signature start tags the walker passes (in document order); `see` is true for the
 * index-th one, also when asked twice about the same tag.
 */
function signatureTracker(index: number): { see(qname: string, ns: string, offset: number): boolean; count(): number } {
  let count = -1;
  let last = -1;
  return {
    see(qname, ns, offset) {
      if (ns !== DS_NS || localName(qname) !== "Signature") return false;
      if (offset > last) {
        last = offset;
        count++;
      }
      return offset === last && count === index;
    },
    count: () => count,
  };
}

function digestFor(algorithm: string, b: GostBackend): (data: Buffer) => Buffer {
  if (algorithm === ALG.streebog256) return (d) => b.streebog256(d);
  if (algorithm === ALG.gost94) return (d) => b.gost94(d);
  throw new Error(`алгоритм хеширования ${algorithm} не поддерживается`);
}

/** Verifies the XAdES-BES signature of a GIS message (answer or request). Never throws on a bad signature; reports it. */
export function verifyXades(xml: string, opts: VerifyOptions = {}): XadesVerification {
  const containerId = opts.containerId ?? CONTAINER_ID;
  const backend = opts.backend ?? gostBackend();
  const result: XadesVerification = {
    valid: false,
    references: [],
    signatureOk: false,
    certDigestOk: null,
    serialOk: null,
    issuerNameMatches: null,
    signingTime: null,
    signatureAlgorithm: "",
    certificate: null,
    errors: [],
  };
  // As a parser does, and as the signer did: CRLF/CR → LF, so the text walker sees what was digested.
  xml = xml.indexOf("\r") < 0 ? xml : xml.replace(/\r\n?/g, "\n");
  let doc: Document;
  try {
    doc = opts.document ?? parseXml(xml);
  } catch (e) {
    result.errors.push((e as Error).message);
    return result;
  }
  const found = findSignature(doc, containerId);
  if (!found) {
    result.errors.push("подпись ds:Signature не найдена");
    return result;
  }
  const { sig, index } = found;
  const si = child(sig, DS_NS, "SignedInfo");
  if (!si) {
    result.errors.push("нет ds:SignedInfo");
    return result;
  }

  // The certificate from KeyInfo.
  try {
    const certB64 = text(descendant(sig, DS_NS, "X509Certificate"));
    if (!certB64) throw new Error("в KeyInfo нет X509Certificate");
    result.certificate = readCertificate(Buffer.from(certB64, "base64"));
  } catch (e) {
    result.errors.push(`сертификат: ${(e as Error).message}`);
  }

  // The enveloped transform leaves out exactly this Signature (the index-th in document order).
  const thisSignature = signatureTracker(index);

  // References.
  for (let r = si.firstChild; r; r = r.nextSibling) {
    if (r.nodeType !== 1 || (r as Element).localName !== "Reference") continue;
    const ref = r as Element;
    const uri = ref.getAttribute("URI") ?? "";
    const check: ReferenceCheck = {
      uri,
      type: ref.getAttribute("Type"),
      c14n: INCL_C14N,
      expected: text(child(ref, DS_NS, "DigestValue")),
      actual: null,
      ok: false,
    };
    result.references.push(check);
    try {
      if (!uri.startsWith("#")) throw new Error(`ссылка ${uri || "(пустая)"} не поддерживается (только #Id)`);
      const transforms = child(ref, DS_NS, "Transforms");
      let enveloped = false;
      for (let t = transforms?.firstChild ?? null; t; t = t.nextSibling) {
        if (t.nodeType !== 1) continue;
        const alg = (t as Element).getAttribute("Algorithm");
        if (alg === ALG.enveloped) enveloped = true;
        else if (alg === EXC_C14N || alg === INCL_C14N) check.c14n = alg;
        else throw new Error(`преобразование ${alg} не поддерживается`);
      }
      const digest = digestFor(child(ref, DS_NS, "DigestMethod")?.getAttribute("Algorithm") ?? "", backend);
      // Fast path: a sender that signs what it sends (as gis-sync does) sent the container already in
      // exclusive canonical form, so its bytes without the Signature are what was digested. A match
      // proves exactly that; anything else goes the full way (canonicalize, this Signature left out).
      if (enveloped && check.c14n === EXC_C14N) {
        const raw = rawEnvelopedContainer(xml, uri.slice(1));
        if (raw !== null && digest(Buffer.from(raw, "utf8")).toString("base64") === check.expected) {
          check.actual = check.expected;
          check.ok = true;
          continue;
        }
      }
      const byId = byIdAttribute(uri.slice(1));
      const tracker = signatureTracker(index);
      const target: ElementMatcher = (q, a, n, offset) => (tracker.see(q, n, offset), byId(q, a, n, offset));
      const bytes = canonicalize(xml, target, enveloped ? (q, _a, n, offset) => tracker.see(q, n, offset) : undefined, { inclusive: check.c14n === INCL_C14N });
      check.actual = digest(Buffer.from(bytes, "utf8")).toString("base64");
      check.ok = check.actual === check.expected;
    } catch (e) {
      check.error = (e as Error).message;
    }
    if (!check.ok) result.errors.push(`ссылка ${uri}: ${check.error ?? `дайджест не совпал (${check.actual} ≠ ${check.expected})`}`);
  }
  if (result.references.length === 0) result.errors.push("в SignedInfo нет ссылок");

  // SignatureValue over c14n(SignedInfo).
  result.signatureAlgorithm = child(si, DS_NS, "SignatureMethod")?.getAttribute("Algorithm") ?? "";
  try {
    if (!result.certificate) throw new Error("нет сертификата для проверки");
    const expectedKey =
      result.signatureAlgorithm === ALG.gost2012_256 ? "1.2.643.7.1.1.1.1" : result.signatureAlgorithm === ALG.gost2001 ? "1.2.643.2.2.19" : null;
    if (!expectedKey) throw new Error(`алгоритм подписи ${result.signatureAlgorithm} не поддерживается`);
    if (result.certificate.keyAlgorithm !== expectedKey)
      throw new Error(`ключ сертификата (${result.certificate.keyAlgorithm}) не соответствует алгоритму подписи`);
    const c14nAlg = child(si, DS_NS, "CanonicalizationMethod")?.getAttribute("Algorithm") ?? "";
    if (c14nAlg !== EXC_C14N && c14nAlg !== INCL_C14N) throw new Error(`канонизация ${c14nAlg} не поддерживается`);
    // SignedInfo is the Signature's first child: the first one after this Signature's start tag.
    const signedInfo: ElementMatcher = (q, _a, n, offset) =>
      !thisSignature.see(q, n, offset) && thisSignature.count() === index && n === DS_NS && localName(q) === "SignedInfo";
    const siBytes = Buffer.from(canonicalize(xml, signedInfo, undefined, { inclusive: c14nAlg === INCL_C14N }), "utf8");
    const value = Buffer.from(text(child(sig, DS_NS, "SignatureValue")), "base64");
    if (value.length !== 64) throw new Error(`SignatureValue: ${value.length} байт вместо 64`);
    result.signatureOk = backend.verify(result.certificate, siBytes, value);
    if (!result.signatureOk) result.errors.push("SignatureValue не прошла проверку открытым ключом сертификата");
  } catch (e) {
    result.errors.push(`SignatureValue: ${(e as Error).message}`);
  }

  // XAdES SigningCertificate.
  const xcert = descendant(sig, XADES_NS, "Cert");
  result.signingTime = descendant(sig, XADES_NS, "SigningTime")?.textContent ?? null;
  if (xcert && result.certificate) {
    const cd = descendant(xcert, XADES_NS, "CertDigest");
    try {
      const digest = digestFor(cd ? (child(cd, DS_NS, "DigestMethod")?.getAttribute("Algorithm") ?? "") : "", backend);
      result.certDigestOk = digest(result.certificate.der).toString("base64") === text(cd ? child(cd, DS_NS, "DigestValue") : null);
    } catch (e) {
      result.certDigestOk = false;
      result.errors.push(`CertDigest: ${(e as Error).message}`);
    }
    if (result.certDigestOk === false && !result.errors.some((e) => e.startsWith("CertDigest")))
      result.errors.push("CertDigest не совпадает с сертификатом из KeyInfo");
    result.serialOk = text(descendant(xcert, DS_NS, "X509SerialNumber")) === result.certificate.serialDecimal;
    if (!result.serialOk) result.errors.push("X509SerialNumber не совпадает с серийным номером сертификата");
    result.issuerNameMatches = (descendant(xcert, DS_NS, "X509IssuerName")?.textContent ?? "") === result.certificate.issuerName;
  } else if (!xcert) {
    result.errors.push("нет xades:SigningCertificate (не XAdES-BES)");
  }

  result.valid =
    result.references.length > 0 && result.references.every((r) => r.ok) && result.signatureOk && result.certDigestOk === true && result.serialOk === true;
  return result;
}

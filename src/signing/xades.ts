/**
 * XAdES-BES enveloped signature of the request container, exactly as
 * ../shared/reference/signature-format.md describes (Variant E: exclusive c14n for SignedInfo and
 * both references, so the digests do not depend on the SOAP envelope's namespace declarations).
 *
 * Input: the full SOAP envelope text produced by our own builder (src/transport/envelope). Output:
 * the same text with ds:Signature inserted as the first child of the container (the element with
 * `Id="signed-data-container"`), no whitespace added; every other byte stays as the builder wrote it
 * ("sign what you send"), except that CRLF/CR line ends are normalized to LF first (a receiver's
 * parser would do the same, so a raw CR would break the digest).
 *
 * Canonical form: the container's digest is over its exclusive c14n, computed by the text walker in
 * ./c14n.ts (no DOM), the one canonicalizer. The builder emits the container already canonical — no
 * self-closing tags, attributes in c14n order, c14n escaping, CR as `&#xD;` — so the walker only
 * has to move namespace declarations to where exc-c14n renders them (the builder declares them all
 * on the container). What the caller must guarantee is listed at the top of ./c14n.ts (well-formed,
 * no DTD, no PIs in the container); anything else is refused with a clear error. One pass over the
 * container per request.
 *
 * Order of work: digest the container → build the Signature → digest SignedProperties (in place) →
 * c14n SignedInfo → sign → check the result with the independent GOST implementation
 * (./presend-check.ts; a mismatch throws PresendCheckError and nothing is sent).
 */
import crypto from "node:crypto";
import { C14nUnsupported, byIdAttribute, byQName, c14nText, excC14nText } from "./c14n";
import { CertInfo, checkCertificateExpiry, readCertificate } from "./certificate";
import { gostBackend, independentBackend } from "./gost-backend";
import { PresendMode, checkSignedEnvelope, presendMode } from "./presend-check";
import { Signer } from "./signer";
import { streebog256 } from "./streebog";

export const CONTAINER_ID = "signed-data-container";
export const DS_NS = "http://www.w3.org/2000/09/xmldsig#";
export const XADES_NS = "http://uri.etsi.org/01903/v1.3.2#";
export const ALG = {
  excC14n: "http://www.w3.org/2001/10/xml-exc-c14n#",
  inclC14n: "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
  enveloped: "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
  gost2012_256: "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256",
  streebog256: "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256",
  gost2001: "http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411",
  gost94: "http://www.w3.org/2001/04/xmldsig-more#gostr3411",
  signedPropertiesType: "http://uri.etsi.org/01903#SignedProperties",
} as const;

/** xs:dateTime with the offset of the installation's zone (Moscow by default), as GIS clients send. */
export function signingTime(now: Date, offsetMinutes = 180): string {
  const local = new Date(now.getTime() + offsetMinutes * 60_000).toISOString().replace("Z", "");
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export interface SignOptions {
  now?: Date;
  /** UTC offset of SigningTime, minutes (Moscow +180). */
  offsetMinutes?: number;
  /** The Signature's Id suffix (`xmldsig-<id>`); a random UUID by default. */
  id?: string;
  /**
   * Verify the signed envelope with the independent GOST implementation before returning it
   * (./presend-check.ts): "full", "signature", or by default as GIS_SYNC_PRESEND_CHECK says
   * (sampled: full on the first and every 100th envelope); false = not at all (tests only).
   */
  presendCheck?: boolean | PresendMode;
}

export interface ContainerDigest {
  /** Base64 Streebog-256 of the container's exclusive c14n (the data reference's DigestValue). */
  digest: string;
  /** Offset in the (CR-normalized) envelope right after the container's start tag. */
  insertAt: number;
  /** The canonical bytes that were digested. */
  canonical: string;
}

const certCache = new WeakMap<Buffer, CertInfo>();
function certInfo(der: Buffer): CertInfo {
  let c = certCache.get(der);
  if (!c) {
    c = readCertificate(der);
    certCache.set(der, c);
  }
  return c;
}

/** Normalizes line ends the way a receiving XML parser will (CRLF/CR → LF). */
export function normalizeLineEnds(xml: string): string {
  return xml.indexOf("\r") < 0 ? xml : xml.replace(/\r\n?/g, "\n");
}

/** The data reference digest of the container (its exclusive c14n). `xml` must be CR-normalized. */
export function digestContainer(xml: string, containerId = CONTAINER_ID): ContainerDigest {
  let r;
  try {
    r = excC14nText(xml, byIdAttribute(containerId));
  } catch (e) {
    if (e instanceof C14nUnsupported) throw new Error(`контейнер подписи Id="${containerId}" нельзя канонизировать: ${e.message}`);
    throw e;
  }
  if (r.startTagEnd === r.end) throw new Error(`контейнер подписи Id="${containerId}" пуст (<…/>): подписывать нечего`);
  return { digest: streebog256(Buffer.from(r.canonical, "utf8")).toString("base64"), insertAt: r.startTagEnd, canonical: r.canonical };
}

/**
 * Signs an envelope: returns it with the XAdES-BES ds:Signature as the first child of the element
 * with Id=`containerId`.
 */
export async function signEnvelope(envelopeXml: string, signer: Signer, containerId = CONTAINER_ID, opts: SignOptions = {}): Promise<string> {
  const xml = normalizeLineEnds(envelopeXml);
  const now = opts.now ?? new Date();
  const { digest: dataDigest, insertAt, canonical } = digestContainer(xml, containerId);

  const cert = certInfo(signer.certificate);
  checkCertificateExpiry(cert, now);
  const id = `xmldsig-${opts.id ?? crypto.randomUUID()}`;
  const certDigest = streebog256(cert.der).toString("base64");
  // Everything below is written directly in canonical form (no self-closing tags, c14n escaping).
  const signedProps =
    `<xades:SignedProperties Id="${id}-signedprops"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${signingTime(now, opts.offsetMinutes)}</xades:SigningTime>` +
    `<xades:SigningCertificate><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${ALG.streebog256}"></ds:DigestMethod>` +
    `<ds:DigestValue>${certDigest}</ds:DigestValue></xades:CertDigest><xades:IssuerSerial>` +
    `<ds:X509IssuerName>${c14nText(cert.issuerName)}</ds:X509IssuerName><ds:X509SerialNumber>${cert.serialDecimal}</ds:X509SerialNumber>` +
    `</xades:IssuerSerial></xades:Cert></xades:SigningCertificate></xades:SignedSignatureProperties></xades:SignedProperties>`;
  const object = `<ds:Object><xades:QualifyingProperties xmlns:xades="${XADES_NS}" Target="#${id}">${signedProps}</xades:QualifyingProperties></ds:Object>`;
  const keyInfo = `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert.der.toString("base64")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
  const signedInfo = (propsDigest: string) =>
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${ALG.excC14n}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${ALG.gost2012_256}"></ds:SignatureMethod>` +
    `<ds:Reference Id="${id}-ref0" URI="#${c14nText(containerId)}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${ALG.enveloped}"></ds:Transform>` +
    `<ds:Transform Algorithm="${ALG.excC14n}"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="${ALG.streebog256}"></ds:DigestMethod>` +
    `<ds:DigestValue>${dataDigest}</ds:DigestValue></ds:Reference>` +
    `<ds:Reference Type="${ALG.signedPropertiesType}" URI="#${id}-signedprops">` +
    `<ds:Transforms><ds:Transform Algorithm="${ALG.excC14n}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${ALG.streebog256}"></ds:DigestMethod><ds:DigestValue>${propsDigest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  const signature = (si: string, value: string) =>
    `<ds:Signature xmlns:ds="${DS_NS}" Id="${id}">${si}<ds:SignatureValue Id="${id}-sigvalue">${value}</ds:SignatureValue>${keyInfo}${object}</ds:Signature>`;

  // Under exclusive c14n a subtree's form depends only on the prefixes it uses (ds, xades), both
  // declared inside the Signature: canonicalizing within the Signature text equals doing it in place.
  const propsC14n = excC14nText(signature(signedInfo(""), ""), byIdAttribute(`${id}-signedprops`)).canonical;
  const si = signedInfo(streebog256(Buffer.from(propsC14n, "utf8")).toString("base64"));
  const siC14n = excC14nText(signature(si, ""), byQName("ds:SignedInfo")).canonical;
  const value = await signer.sign(Buffer.from(siC14n, "utf8"));
  if (value.length !== 64) throw new Error(`подпись: ожидалось 64 байта (ГОСТ Р 34.10-2012, 256 бит), получено ${value.length}`);
  const sigText = signature(si, value.toString("base64"));
  const signed = xml.slice(0, insertAt) + sigText + xml.slice(insertAt);
  if (opts.presendCheck !== false) {
    const mode = typeof opts.presendCheck === "string" ? opts.presendCheck : presendMode();
    checkSignedEnvelope(
      { xml: signed, containerId, signatureAt: insertAt, signatureLength: sigText.length, signatureId: id, canonicalContainer: canonical, cert },
      independentBackend(),
      gostBackend(),
      mode,
    );
  }
  return signed;
}

/** A Signer bound to XAdES: `sign(envelopeXml, containerId)` → signed envelope. */
export class XadesSigner {
  constructor(
    readonly signer: Signer,
    private readonly defaults: SignOptions = {},
  ) {}

  sign(envelopeXml: string, containerId = CONTAINER_ID, opts: SignOptions = {}): Promise<string> {
    return signEnvelope(envelopeXml, this.signer, containerId, { ...this.defaults, ...opts });
  }
}

/** Signs the container of a built request (the exchange pipeline's entry point). */
export function signRequest(requestXml: string, signer: Signer, opts: SignOptions = {}): Promise<string> {
  return signEnvelope(requestXml, signer, CONTAINER_ID, opts);
}

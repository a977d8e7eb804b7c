/**
 * XAdES-BES enveloped signature of the request container, exactly as
 * ../shared/reference/signature-format.md describes (Variant E: exclusive c14n everywhere, so the
 * digests do not depend on the SOAP envelope's namespace declarations).
 *
 * Order of work: digest the container → build the Signature → digest SignedProperties → c14n
 * SignedInfo → sign. The Signature is spliced into the request text as the container's first
 * child; the rest of the bytes stay exactly as the builder wrote them ("sign what you send").
 * Canonical forms come from xml-crypto's exclusive c14n over an @xmldom/xmldom tree.
 */
import crypto from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { ExclusiveCanonicalization } from "xml-crypto/lib/exclusive-canonicalization";
import { readCertificate } from "./certificate";
import { Signer } from "./signer";
import { streebog256 } from "./streebog";

export const CONTAINER_ID = "signed-data-container";
const EXC = "http://www.w3.org/2001/10/xml-exc-c14n#";
const SIG_ALG = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256";
const DIG_ALG = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256";
const DS = "http://www.w3.org/2000/09/xmldsig#";
const XADES = "http://uri.etsi.org/01903/v1.3.2#";

const escText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#xD;");

function parse(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: () => undefined, error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(xml, "text/xml");
  if (errors.length > 0) throw new Error(`XML для подписи некорректен: ${errors[0]}`);
  return doc as unknown as Document;
}

function byId(doc: Document, id: string): Element {
  const all = doc.getElementsByTagName("*");
  for (let i = 0; i < all.length; i++) if (all[i].getAttribute("Id") === id) return all[i];
  throw new Error(`нет элемента с Id="${id}"`);
}

function excC14n(el: Element): string {
  return new ExclusiveCanonicalization().process(el as never, {}) as unknown as string;
}

/** Where the container's start tag ends in the text (quotes respected). */
function endOfStartTag(xml: string, id: string): number {
  const at = xml.indexOf(`Id="${id}"`);
  if (at < 0) throw new Error(`нет элемента с Id="${id}"`);
  let quote: string | null = null;
  for (let i = at; i < xml.length; i++) {
    const c = xml[i];
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === ">") {
      if (xml[i - 1] === "/") throw new Error("контейнер подписи пуст");
      return i + 1;
    }
  }
  throw new Error("незакрытый начальный тег контейнера подписи");
}

/** xs:dateTime with the offset of the installation's zone (Moscow by default), as GIS clients send. */
export function signingTime(now: Date, offsetMinutes = 180): string {
  const local = new Date(now.getTime() + offsetMinutes * 60_000).toISOString().replace("Z", "");
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export interface SignOptions {
  now?: Date;
  offsetMinutes?: number;
  /** The Signature's Id suffix; random by default. */
  id?: string;
}

/** Returns the request with ds:Signature as the first child of the container. */
export async function signRequest(requestXml: string, signer: Signer, opts: SignOptions = {}): Promise<string> {
  // Raw CRs would be normalized away by the receiver's parser; write them as &#xD; or not at all.
  if (requestXml.includes("\r")) requestXml = requestXml.replace(/\r\n?/g, "\n");
  const doc = parse(requestXml);
  const dataDigest = streebog256(excC14n(byId(doc, CONTAINER_ID))).toString("base64");

  const cert = readCertificate(signer.certificate);
  const id = `xmldsig-${opts.id ?? crypto.randomUUID()}`;
  const certDigest = streebog256(cert.der).toString("base64");
  const signedProps =
    `<xades:SignedProperties Id="${id}-signedprops"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${signingTime(opts.now ?? new Date(), opts.offsetMinutes)}</xades:SigningTime>` +
    `<xades:SigningCertificate><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="${DIG_ALG}"></ds:DigestMethod>` +
    `<ds:DigestValue>${certDigest}</ds:DigestValue></xades:CertDigest><xades:IssuerSerial>` +
    `<ds:X509IssuerName>${escText(cert.issuerName)}</ds:X509IssuerName><ds:X509SerialNumber>${cert.serialDecimal}</ds:X509SerialNumber>` +
    `</xades:IssuerSerial></xades:Cert></xades:SigningCertificate></xades:SignedSignatureProperties></xades:SignedProperties>`;
  const object = `<ds:Object><xades:QualifyingProperties xmlns:xades="${XADES}" Target="#${id}">${signedProps}</xades:QualifyingProperties></ds:Object>`;
  const keyInfo = `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert.der.toString("base64")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
  const signedInfo = (propsDigest: string) =>
    `<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="${EXC}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${SIG_ALG}"></ds:SignatureMethod>` +
    `<ds:Reference Id="${id}-ref0" URI="#${CONTAINER_ID}"><ds:Transforms>` +
    `<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"></ds:Transform>` +
    `<ds:Transform Algorithm="${EXC}"></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="${DIG_ALG}"></ds:DigestMethod>` +
    `<ds:DigestValue>${dataDigest}</ds:DigestValue></ds:Reference>` +
    `<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#${id}-signedprops">` +
    `<ds:Transforms><ds:Transform Algorithm="${EXC}"></ds:Transform></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="${DIG_ALG}"></ds:DigestMethod><ds:DigestValue>${propsDigest}</ds:DigestValue></ds:Reference></ds:SignedInfo>`;
  const signature = (si: string, value: string) =>
    `<ds:Signature xmlns:ds="${DS}" Id="${id}">${si}<ds:SignatureValue Id="${id}-sigvalue">${value}</ds:SignatureValue>${keyInfo}${object}</ds:Signature>`;

  // Under exclusive c14n a subtree's form depends only on the prefixes it uses (ds, xades), both
  // declared inside the Signature: canonicalizing the Signature on its own equals doing it in place.
  const draft = parse(signature(signedInfo(""), ""));
  const propsDigest = streebog256(excC14n(byId(draft, `${id}-signedprops`))).toString("base64");
  const si = signedInfo(propsDigest);
  const withSi = parse(signature(si, ""));
  const siC14n = excC14n(withSi.getElementsByTagNameNS(DS, "SignedInfo")[0]);
  const value = (await signer.sign(Buffer.from(siC14n, "utf8"))).toString("base64");
  const at = endOfStartTag(requestXml, CONTAINER_ID);
  return requestXml.slice(0, at) + signature(si, value) + requestXml.slice(at);
}

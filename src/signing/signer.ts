/**
 * What signs: a certificate and a GOST R 34.10-2012 (256) key, wherever the key lives (a file, a
 * PKCS#11 token, an external program). The XAdES module needs only this.
 */
export interface Signer {
  /** DER of the signer's certificate (KeyInfo, CertDigest, IssuerSerial). */
  readonly certificate: Buffer;
  /** GOST R 34.10-2012 signature over Streebog-256 of `data`: 64 bytes s‖r, big-endian (the XMLDSig form). */
  sign(data: Buffer): Promise<Buffer>;
}

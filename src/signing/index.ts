/**
 * Signing for GIS ЖКХ requests: the Signer interface, three signers (key file — OpenSSL's gost engine or pure JS —, PKCS#11
 * token, external command), the XAdES-BES module, verification of signed messages, certificate
 * helpers and the canonicalizers. `openSigner` makes a signer from configuration.
 */
import fs from "node:fs";
import { CommandSigner, CommandSignerOptions } from "./command-signer";
import { pemToDer } from "./certificate";
import { Pkcs11Options, Pkcs11Signer } from "./pkcs11-signer";
import { Signer } from "./signer";
import { SoftwareSigner } from "./software-signer";

export type { Signer } from "./signer";
export { SoftwareSigner, readPkcs8GostKey, verifyGost } from "./software-signer";
export { Pkcs11Signer, MECHANISMS, CKM_GOSTR3410, CKM_GOSTR3410_WITH_GOSTR3411_12_256 } from "./pkcs11-signer";
export type { Pkcs11Options, Pkcs11Mechanism } from "./pkcs11-signer";
export { CommandSigner } from "./command-signer";
export type { CommandSignerOptions } from "./command-signer";
export { signEnvelope, signRequest, XadesSigner, digestContainer, signingTime, CONTAINER_ID } from "./xades";
export type { SignOptions } from "./xades";
export { verifyXades } from "./verify";
export type { XadesVerification, ReferenceCheck } from "./verify";
export { readCertificate, expiryCheck, checkCertificateExpiry, formatName, pemToDer } from "./certificate";
export type { CertInfo, ExpiryLevel } from "./certificate";
export { canonicalize, excC14nText, C14nUnsupported } from "./c14n";
export { streebog256, streebogBackend, gost94 } from "./streebog";
export { selectGostBackend, gostBackend, gostBackendStatus, independentBackend } from "./gost-backend";
export type { GostBackend, GostBackendStatus } from "./gost-backend";
export { PresendCheckError } from "./presend-check";
export { generateTestKey, writeTestKey } from "./keygen";

export type SignerConfig =
  | { kind: "software"; keyFile: string; certFile: string }
  | ({ kind: "pkcs11"; pinSource: string } & Omit<Pkcs11Options, "pin" | "mode"> & { mode?: Pkcs11Options["mode"] })
  | ({ kind: "command"; certFile: string } & Omit<CommandSignerOptions, "certificate">);

/** A signer from configuration; the PKCS#11 PIN is read from its secret source (env:NAME / file:PATH). */
export async function openSigner(c: SignerConfig): Promise<Signer> {
  switch (c.kind) {
    case "software":
      return SoftwareSigner.fromFiles(c.keyFile, c.certFile);
    case "pkcs11": {
      const { kind: _kind, mode, ...rest } = c;
      return Pkcs11Signer.open({ ...rest, mode: mode ?? "gost-combined" });
    }
    case "command": {
      const { kind: _kind, certFile, ...rest } = c;
      return new CommandSigner({ ...rest, certificate: pemToDer(fs.readFileSync(certFile, "utf8")) });
    }
  }
}

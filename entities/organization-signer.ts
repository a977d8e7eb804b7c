import { Entity, PrimaryColumn } from "typeorm";
import { Moment, Str, Text } from "./columns";

/**
 * How requests for one organization are signed. A settlement centre sends for many organizations;
 * each may sign with its own key (a key file, a PKCS#11 token slot, an external command), or the
 * installation's own signer (the `signer.*` settings) signs as operator on its behalf
 * (`IsOperatorSignature`), where GIS has the organization's delegated rights. No row: operator.
 * Secrets are never stored here: a PIN is named by its source (env:NAME / file:PATH).
 */
export const SIGNER_KINDS = ["software", "pkcs11", "command", "operator"] as const;
export type SignerKind = (typeof SIGNER_KINDS)[number];

@Entity("organization_signer")
export class OrganizationSigner {
  @PrimaryColumn({ type: "int" })
  organizationId!: number;

  @Str(20, { nullable: false, default: "operator" })
  kind!: SignerKind;

  /** software: PKCS#8 PEM key file. */
  @Text()
  keyFile!: string | null;

  /** software and command: the certificate (PEM) the signature carries. */
  @Text()
  certFile!: string | null;

  /** pkcs11: the token's label and the key's CKA_ID (hex); the library is the server's `signer.pkcs11Library`. */
  @Str(100)
  tokenLabel!: string | null;

  @Str(100)
  keyId!: string | null;

  /** pkcs11: where the PIN is read from, env:NAME or file:PATH — never the PIN itself. */
  @Str(300)
  pinSource!: string | null;

  /** command: the program and its arguments as a JSON array; set from the command line only, never through the web. */
  @Text()
  command!: string | null;

  @Moment()
  updatedAt!: Date | null;

  @Str(100)
  updatedBy!: string | null;
}

import { Entity, PrimaryGeneratedColumn } from "typeorm";
import { Int, Moment, Str, Text } from "./columns";

/**
 * A signed statement of the archive's hash-chain head ("at this moment the newest entry was N,
 * with hash H"), made at each day's end and on demand, signed with the organization's key and
 * also written to files kept apart from the database. Deleting the newest entries or rewriting
 * the chain no longer matches an anchor, and an anchor cannot be forged without the key.
 */
@Entity("archive_anchor")
export class ArchiveAnchor {
  @PrimaryGeneratedColumn()
  id!: number;

  @Moment({ nullable: false })
  createdAt!: Date;

  /** The newest archive entry at anchoring time (0: the archive was empty). */
  @Int({ nullable: false })
  headId!: number;

  @Str(64, { nullable: false })
  headHash!: string;

  /** The statement that was signed, byte for byte (UTF-8). */
  @Text({ nullable: false })
  statement!: string;

  /** GOST R 34.10-2012 signature over Streebog-256 of the statement, base64. */
  @Text({ nullable: false })
  signature!: string;

  /** The signer's certificate, DER in base64. */
  @Text({ nullable: false })
  certificate!: string;
}

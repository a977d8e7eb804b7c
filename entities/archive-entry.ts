import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { archiveBodyTransformer } from "../src/archive/at-rest";
import { Guid, Int, Moment, Str, Text } from "./columns";

export const ARCHIVE_KINDS = ["request", "signed_request", "ack", "state", "result", "fault"] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

/**
 * A message of the exchange archive, kept always. Tamper-evident: each entry stores the hash of
 * its body and the hash of the entry before it, so altering one breaks the chain after it.
 */
@Entity("archive_entry")
@Index(["operationId", "seq"])
export class ArchiveEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Guid({ nullable: false })
  operationId!: string;

  /** Order within the operation (request 0, signed 1, ack 2, states 3…). */
  @Int({ nullable: false })
  seq!: number;

  @Str(20, { nullable: false })
  kind!: ArchiveKind;

  @Guid()
  messageGuid!: string | null;

  @Int()
  httpStatus!: number | null;

  /** The message as sent or received; stored encrypted when the installation has an archive key (src/archive/at-rest.ts). */
  @Text({ nullable: false, transformer: archiveBodyTransformer })
  body!: string;

  @Int({ nullable: false })
  sizeBytes!: number;

  @Str(64, { nullable: false })
  hash!: string;

  @Str(64, { nullable: false })
  prevHash!: string;

  @Moment({ nullable: false })
  createdAt!: Date;

  /**
   * GIS's signature on an answer, checked when it arrived: valid, invalid, unsigned (Acks, faults,
   * stands that do not sign) or unsupported (an algorithm the verifier does not know). Null for
   * our own messages.
   */
  @Str(12)
  signatureState!: "valid" | "invalid" | "unsigned" | "unsupported" | null;

  /** Who signed (certificate subject) or why the check failed. */
  @Str(500)
  signatureNote!: string | null;
}

import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { BigInt, Guid, Int, Moment, Str, Text } from "./columns";
import { AtStand } from "./at-stand";

/**
 * A file attached to a GIS object (a contract scan, a charter, a protocol). GIS wants it uploaded
 * to its file store first; the upload answers with the attachment GUID the import message cites.
 */
@Entity("attachment")
@Index(["ownerType", "ownerId"])
export class Attachment {
  @PrimaryGeneratedColumn()
  id!: number;

  /** What the file belongs to: "contract", "contract_object"… and that row's id. */
  @Str(40, { nullable: false })
  ownerType!: string;

  @Int({ nullable: false })
  ownerId!: number;

  @Str(255, { nullable: false })
  fileName!: string;

  /** Where the bytes are, relative to GIS_SYNC_HOME/attachments. */
  @Str(500, { nullable: false })
  storagePath!: string;

  @Str(500)
  name!: string | null;

  @Text()
  description!: string | null;

  /** Document type (NSI code) as GIS asks for it. */
  @Str(20)
  documentType!: string | null;

  @BigInt()
  sizeBytes!: number | null;

  /** Streebog-256 hash, hex, as GIS computes it for AttachmentHASH. */
  @Str(128)
  hash!: string | null;

  /** On a stand (entities/at-stand.ts): a file uploaded to SIT01's file store is not in production's. */
  @AtStand()
  gisAttachmentGuid!: string | null;

  @Moment()
  uploadedAt!: Date | null;
}

import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Guid, Int, Moment, Str, Text } from "./columns";

/** The journal operators read: what happened, to which object, in plain words. */
@Entity("message_log")
@Index(["createdAt"])
@Index(["objectType", "objectId"])
export class MessageLog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Moment({ nullable: false })
  createdAt!: Date;

  @Str(10, { nullable: false, default: "info" })
  level!: "info" | "warning" | "error";

  /** Group and subgroup: "fund" / "importHouseUOData", "import" / "accounts.csv", "signer" / "certificate". */
  @Str(50, { nullable: false })
  group!: string;

  @Str(100)
  subgroup!: string | null;

  @Str(100)
  author!: string | null;

  @Text({ nullable: false })
  text!: string;

  @Str(40)
  objectType!: string | null;

  @Int()
  objectId!: number | null;

  @Guid()
  operationId!: string | null;

  /** Error code, when the entry is about one (a GIS code or our pre-flight PRE_… code). */
  @Str(20)
  code!: string | null;

  /** The pipeline run that wrote it (pre-flight rejections are counted in the run's summary). */
  @Guid()
  runId!: string | null;
}

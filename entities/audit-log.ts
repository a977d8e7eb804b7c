import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Moment, Str, Text } from "./columns";

/** Who started, cancelled, retried or changed what (and who exported personal data). */
@Entity("audit_log")
@Index(["createdAt"])
export class AuditLog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Moment({ nullable: false })
  createdAt!: Date;

  @Str(100, { nullable: false })
  actor!: string;

  @Str(60, { nullable: false })
  action!: string;

  @Str(200)
  target!: string | null;

  @Text()
  details!: string | null;
}

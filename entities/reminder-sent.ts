import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Day, Int, Moment, Str, Text } from "./columns";

/**
 * One reminder e-mail of one deadline to one user: recorded (claimed) before it is sent, so each
 * deadline reaches each user once; sentAt stays empty until the SMTP server accepted it.
 */
@Entity("reminder_sent")
@Index(["userId", "deadlineKey"], { unique: true })
export class ReminderSent {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  userId!: number;

  /** The deadline's identity: kind, date and what it is about ("readings:2026-12-25:15-25"). */
  @Str(200, { nullable: false })
  deadlineKey!: string;

  @Str(30, { nullable: false })
  kind!: string;

  @Day()
  dueDate!: string | null;

  @Str(200, { nullable: false })
  email!: string;

  @Moment({ nullable: false })
  createdAt!: Date;

  @Moment()
  sentAt!: Date | null;

  /** Why the last attempt failed (the SMTP server's answer); retried by the next run. */
  @Text()
  error!: string | null;
}

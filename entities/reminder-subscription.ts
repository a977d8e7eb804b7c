import { Entity, PrimaryColumn } from "typeorm";
import { Moment, Str } from "./columns";

/**
 * Who is reminded of deadlines by e-mail, and of which kinds (src/reminders/kinds.ts). Kept apart
 * from app_user: a user without a row is not subscribed.
 */
@Entity("reminder_subscription")
export class ReminderSubscription {
  @PrimaryColumn({ type: "int" })
  userId!: number;

  @Str(200, { nullable: false })
  email!: string;

  /** Reminder kinds, comma-separated ("readings,certificate"); empty = none. */
  @Str(300, { nullable: false, default: "" })
  kinds!: string;

  @Moment()
  updatedAt!: Date | null;
}

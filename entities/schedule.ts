import { Entity, PrimaryGeneratedColumn } from "typeorm";
import { Day, Flag, Guid, Int, Moment, Str, Text } from "./columns";

/** A stored schedule for one of the manual's job types (sync accounts, send readings…). */
@Entity("schedule")
export class Schedule {
  @PrimaryGeneratedColumn()
  id!: number;

  @Str(200, { nullable: false })
  name!: string;

  @Str(40, { nullable: false })
  jobType!: string;

  @Flag()
  enabled!: boolean;

  @Str(10, { nullable: false, default: "prod" })
  stand!: string;

  /** ISO weekdays it runs on, "1,2,3,4,5" (1 = Monday). */
  @Str(20, { nullable: false, default: "1,2,3,4,5,6,7" })
  daysOfWeek!: string;

  /** once: at timeOfDay; interval: every everyMinutes between windowStart and windowEnd. */
  @Str(10, { nullable: false, default: "once" })
  mode!: "once" | "interval";

  @Str(5)
  timeOfDay!: string | null;

  @Int()
  everyMinutes!: number | null;

  @Str(5)
  windowStart!: string | null;

  @Str(5)
  windowEnd!: string | null;

  @Day()
  startDate!: string | null;

  @Day()
  endDate!: string | null;

  /** Scope as JSON: {"organizationId":1,"houseIds":[…]}; empty = everything. */
  @Text()
  scope!: string | null;

  @Moment()
  lastStartedAt!: Date | null;

  @Int()
  lastDurationMs!: number | null;

  /** How the last start ended: running, ok, warning (done with object errors), error. */
  @Str(20)
  lastOutcome!: "running" | "ok" | "warning" | "error" | null;

  /** What the last start did or why it failed, in Russian (also written to the message log). */
  @Text()
  lastResult!: string | null;

  /** The pipeline run the last start began, for pipeline job types. */
  @Guid()
  lastRunId!: string | null;
}

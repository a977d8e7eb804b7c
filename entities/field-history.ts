import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Day, Int, Moment, Str, Text } from "./columns";

/**
 * An earlier value of a field marked "history", with the period it was in force
 * [validFrom, validTo]. The current value lives on the object itself.
 */
@Entity("field_history")
@Index(["entityType", "entityId", "field", "validTo"])
export class FieldHistory {
  @PrimaryGeneratedColumn()
  id!: number;

  @Str(40, { nullable: false })
  entityType!: string;

  @Int({ nullable: false })
  entityId!: number;

  @Str(60, { nullable: false })
  field!: string;

  /** The value as JSON (null, number, string). */
  @Text()
  value!: string | null;

  /** First day the value was in force (null = since the object appeared). */
  @Day()
  validFrom!: string | null;

  /** Last day the value was in force. */
  @Day({ nullable: false })
  validTo!: string;

  @Moment({ nullable: false })
  changedAt!: Date;

  @Str(100)
  changedBy!: string | null;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Int, Moment, Reading, Str } from "./columns";
import { Meter } from "./meter";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/** billing: ours, to send; citizen: entered by a resident in GIS, pulled back; control: a check reading. */
export const READING_SOURCES = ["billing", "citizen", "control", "verification"] as const;
export type ReadingSource = (typeof READING_SOURCES)[number];

@Entity("meter_reading")
@Index(["meterId", "readingDate", "source"])
export class MeterReading {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Billing id for our readings; "gis:<guid>" for readings pulled from GIS. */
  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Int({ nullable: false })
  meterId!: number;

  @ManyToOne(() => Meter)
  @JoinColumn({ name: "meterId" })
  meter?: Meter;

  @Day({ nullable: false })
  readingDate!: string;

  @Reading({ nullable: false })
  valueT1!: string;

  @Reading()
  valueT2!: string | null;

  @Reading()
  valueT3!: string | null;

  /** The stand whose export answer made this row (null: ours, from billing or the UI); see src/storage/identity/origin.ts. */
  @Str(10)
  originStand!: string | null;

  @Str(12, { nullable: false, default: "billing" })
  source!: ReadingSource;

  @Int()
  periodYear!: number | null;

  @Int()
  periodMonth!: number | null;

  /** When GIS recorded a pulled reading (citizens' ones). */
  @Moment()
  enteredAt!: Date | null;

  @AtStand()
  gisGuid!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

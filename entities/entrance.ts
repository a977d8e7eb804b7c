import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Int, Str } from "./columns";
import { House } from "./house";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

@Entity("entrance")
@Index(["houseId", "number"], { unique: true })
export class Entrance {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Int({ nullable: false })
  houseId!: number;

  @ManyToOne(() => House)
  @JoinColumn({ name: "houseId" })
  house?: House;

  @Str(10, { nullable: false })
  number!: string;

  @Int()
  floors!: number | null;

  @Int()
  builtYear!: number | null;

  @Day()
  closedDate!: string | null;

  /** Annulment reason in GIS, NSI 330 code (set when the operator annuls the object there). */
  @Str(20)
  annulmentReasonCode!: string | null;

  @AtStand()
  gisGuid!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

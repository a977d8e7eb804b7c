import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Area, Day, Int, Str } from "./columns";
import { House } from "./house";
import { Premise } from "./premise";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/** A room of a communal flat (or of a detached house), accounted for separately. */
@Entity("room")
export class Room {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Index()
  @Int({ nullable: false })
  houseId!: number;

  @ManyToOne(() => House)
  @JoinColumn({ name: "houseId" })
  house?: House;

  @Index()
  @Int()
  premiseId!: number | null;

  @ManyToOne(() => Premise)
  @JoinColumn({ name: "premiseId" })
  premise?: Premise;

  @Str(255, { nullable: false })
  number!: string;

  @Str(10)
  floor!: string | null;

  @Area()
  area!: number | null;

  @Str(40)
  cadastralNumber!: string | null;

  @Day()
  closedDate!: string | null;

  @AtStand()
  gisGuid!: string | null;

  @AtStand()
  gisUniqueNumber!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

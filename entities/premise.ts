import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Area, Day, Int, Str } from "./columns";
import { Entrance } from "./entrance";
import { House } from "./house";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

export const PREMISE_KINDS = ["residential", "non_residential", "common"] as const;
export type PremiseKind = (typeof PREMISE_KINDS)[number];

/** A flat, a non-residential premise or a common-property premise of an apartment building. */
@Entity("premise")
@Index(["houseId", "number"])
export class Premise {
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

  @Int()
  entranceId!: number | null;

  @ManyToOne(() => Entrance)
  @JoinColumn({ name: "entranceId" })
  entrance?: Entrance;

  @Str(20, { nullable: false, default: "residential" })
  kind!: PremiseKind;

  @Str(255, { nullable: false })
  number!: string;

  @Str(10)
  floor!: string | null;

  @Area()
  totalArea!: number | null;

  @Area()
  residentialArea!: number | null;

  @Int()
  roomsCount!: number | null;

  @Int()
  residentsCount!: number | null;

  @Str(40)
  cadastralNumber!: string | null;

  /** Premise characteristic, NSI 30 code (отдельная квартира, коммунальная…). */
  @Str(20)
  characteristicCode!: string | null;

  @Day()
  closedDate!: string | null;

  /** Annulment reason in GIS, NSI 330 code (set when the operator annuls the object there). */
  @Str(20)
  annulmentReasonCode!: string | null;

  @AtStand()
  gisGuid!: string | null;

  @AtStand()
  gisUniqueNumber!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

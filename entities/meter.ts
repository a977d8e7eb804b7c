import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Decimal, Flag, Guid, Int, Reading, Str } from "./columns";
import { House } from "./house";
import { Organization } from "./organization";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/** individual (ИПУ), common_house (ОДПУ), collective (общий квартирный), room (комнатный). */
export const METER_TYPES = ["individual", "common_house", "collective", "room"] as const;
export type MeterType = (typeof METER_TYPES)[number];

/**
 * A metering device. GIS identifies it by a root GUID (stable) and a version GUID (changes on
 * every edit). Verification: the manual's rule applies at import — when the billing side keeps
 * the *next* verification date, last = next − interval.
 */
@Entity("meter")
@Index(["houseId", "municipalResourceCode", "factoryNumber"])
export class Meter {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Int({ nullable: false })
  organizationId!: number;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: "organizationId" })
  organization?: Organization;

  @Str(50, { nullable: false })
  factoryNumber!: string;

  @Str(20, { nullable: false, default: "individual" })
  meterType!: MeterType;

  @Int()
  serviceId!: number | null;

  /** Municipal resource, NSI 2 code (1 cold water, 2 hot water, 3 electricity, 4 gas, 5 heat…). */
  @Str(20)
  municipalResourceCode!: string | null;

  @Guid()
  municipalResourceGuid!: string | null;

  @Str(100)
  model!: string | null;

  @Str(100)
  brand!: string | null;

  @Day()
  installedDate!: string | null;

  @Day()
  commissionedDate!: string | null;

  @Day()
  lastVerificationDate!: string | null;

  /** Interval between verifications, months. */
  @Int()
  verificationIntervalMonths!: number | null;

  @Flag()
  factorySealed!: boolean;

  @Int({ nullable: false, default: 1 })
  tariffCount!: number;

  @Flag()
  remoteReading!: boolean;

  @Decimal(10, 2)
  transformationRatio!: number | null;

  /** Readings at placement (GIS asks for them when the device is created). */
  @Reading()
  initialValueT1!: string | null;

  @Reading()
  initialValueT2!: string | null;

  @Reading()
  initialValueT3!: string | null;

  @Index()
  @Int()
  houseId!: number | null;

  @ManyToOne(() => House)
  @JoinColumn({ name: "houseId" })
  house?: House;

  @Int()
  premiseId!: number | null;

  @Int()
  roomId!: number | null;

  @AtStand()
  gisRootGuid!: string | null;

  @AtStand()
  gisVersionGuid!: string | null;

  @AtStand()
  gisNumber!: string | null;

  /** Ours (the billing's, or an archive action here): what every stand is to be told. */
  @Str(10, { nullable: false, default: "active" })
  state!: "active" | "archived";

  /** The stand holds the meter archived (its export says so, or our archive was accepted there). */
  @AtStand()
  gisArchived!: boolean;

  /** Archive reason, NSI 224 code, and when. */
  @Str(20)
  archiveReasonCode!: string | null;

  @Day()
  archivedDate!: string | null;

  /** The device that replaced this one ("replace" = archive old + place new). */
  @Int()
  replacedByMeterId!: number | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

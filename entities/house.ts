import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Area, Day, Flag, Guid, Int, Str } from "./columns";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

export const HOUSE_TYPES = ["MKD", "ZHD"] as const;
/** МКД — apartment building; ЖД — a detached (living) house. */
export type HouseType = (typeof HOUSE_TYPES)[number];

/** A building of the housing fund, identified in GIS by its FIAS GUID. */
@Entity("house")
export class House {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  /** Address as the billing system writes it ("г. Волгоград, ул. Садовая, д. 10"). */
  @Index()
  @Str(500, { nullable: false })
  address!: string;

  /** Billing district (участок), for filtering. */
  @Str(100)
  district!: string | null;

  @Index()
  @Guid()
  fiasHouseGuid!: string | null;

  @Str(11)
  oktmo!: string | null;

  /** FIAS GUIDs of the settlement and the street the house stands on (set by FIAS coding). */
  @Guid()
  fiasSettlementGuid!: string | null;

  @Guid()
  fiasStreetGuid!: string | null;

  @Str(3, { nullable: false, default: "MKD" })
  houseType!: HouseType;

  /** Technical state, NSI 24 code (исправный, ветхий, аварийный…). */
  @Str(20)
  stateCode!: string | null;

  @Area()
  totalArea!: number | null;

  @Area()
  residentialArea!: number | null;

  @Area()
  nonResidentialArea!: number | null;

  @Area()
  buildingArea!: number | null;

  @Int()
  floors!: number | null;

  @Int()
  undergroundFloors!: number | null;

  @Int()
  minFloors!: number | null;

  @Int()
  entrancesCount!: number | null;

  @Int()
  builtYear!: number | null;

  @Int()
  commissionedYear!: number | null;

  @Flag()
  culturalHeritage!: boolean;

  /** IANA zone ("Europe/Moscow"); GIS wants its NSI 32 code, looked up when sending. */
  @Str(64)
  timeZone!: string | null;

  @Str(40)
  cadastralNumber!: string | null;

  /** The house is no longer served (kept for history). */
  @Day()
  closedDate!: string | null;

  @AtStand()
  gisHouseGuid!: string | null;

  @AtStand()
  gisUniqueNumber!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

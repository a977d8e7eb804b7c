import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Int, Str } from "./columns";
import { Contract } from "./contract";
import { House } from "./house";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/** A house under a contract; supply contracts may name a premise or room instead of a whole house. */
@Entity("contract_object")
@Index(["contractId", "houseId"])
export class ContractObject {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Int({ nullable: false })
  contractId!: number;

  @ManyToOne(() => Contract)
  @JoinColumn({ name: "contractId" })
  contract?: Contract;

  @Index()
  @Int({ nullable: false })
  houseId!: number;

  @ManyToOne(() => House)
  @JoinColumn({ name: "houseId" })
  house?: House;

  @Int()
  premiseId!: number | null;

  @Int()
  roomId!: number | null;

  @Day()
  startDate!: string | null;

  @Day()
  endDate!: string | null;

  /** Reason the house left the contract (excluded), if it did. */
  @Str(500)
  exclusionReason!: string | null;

  @AtStand()
  gisObjectGuid!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

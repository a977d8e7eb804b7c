import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Decimal, Int } from "./columns";
import { Account } from "./account";

/** What an account pays for: a premise, a room, or a whole (detached) house, with its share. */
@Entity("account_accommodation")
@Index(["accountId", "premiseId", "roomId", "houseId"], { unique: true })
export class AccountAccommodation {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Int({ nullable: false })
  accountId!: number;

  @ManyToOne(() => Account)
  @JoinColumn({ name: "accountId" })
  account?: Account;

  @Index()
  @Int()
  houseId!: number | null;

  @Index()
  @Int()
  premiseId!: number | null;

  @Int()
  roomId!: number | null;

  /** Share in percent (0…100). */
  @Decimal(5, 2)
  sharePercent!: number | null;
}

import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Int } from "./columns";
import { Account } from "./account";
import { Meter } from "./meter";

/** Accounts a meter serves (a collective meter can serve several). */
@Entity("meter_account")
@Index(["meterId", "accountId"], { unique: true })
export class MeterAccount {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  meterId!: number;

  @ManyToOne(() => Meter)
  @JoinColumn({ name: "meterId" })
  meter?: Meter;

  @Index()
  @Int({ nullable: false })
  accountId!: number;

  @ManyToOne(() => Account)
  @JoinColumn({ name: "accountId" })
  account?: Account;
}

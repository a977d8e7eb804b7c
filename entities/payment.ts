import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Flag, Int, Money, Str } from "./columns";
import { Account } from "./account";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/**
 * A payment, sent to GIS as a notification of order execution (извещение о принятии к
 * исполнению распоряжения). "own" payments came through our cash desks; "other" were placed in
 * GIS by another organization (a bank) and are pulled by "check payments".
 */
@Entity("payment")
@Index(["accountId", "orderDate"])
export class Payment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Int({ nullable: false })
  organizationId!: number;

  /** Unique order id of the payment (OrderID, ≤32 chars). */
  @Index()
  @Str(32, { nullable: false })
  orderId!: string;

  @Day({ nullable: false })
  orderDate!: string;

  @Str(30)
  orderNumber!: string | null;

  /** Roubles; sent to GIS in kopecks. */
  @Money({ nullable: false })
  amount!: number;

  @Int()
  accountId!: number | null;

  @ManyToOne(() => Account)
  @JoinColumn({ name: "accountId" })
  account?: Account;

  @Int()
  paymentDocumentId!: number | null;

  @Str(10)
  unifiedAccountNumber!: string | null;

  /** ИПД of the bill the payment pays, as the stand's notice names it (another organization's payments). */
  @AtStand()
  gisPaymentDocumentId!: string | null;

  @Int()
  serviceId!: number | null;

  @Int()
  periodYear!: number | null;

  @Int()
  periodMonth!: number | null;

  /** The stand whose export answer made this row (null: ours, from billing or the UI); see src/storage/identity/origin.ts. */
  @Str(10)
  originStand!: string | null;

  @Str(8, { nullable: false, default: "own" })
  source!: "own" | "other";

  @Int()
  sourceOrganizationId!: number | null;

  /** NotificationsOfOrderExecutionGUID. */
  @AtStand()
  gisGuid!: string | null;

  @Flag()
  annulled!: boolean;

  @Day()
  annulledDate!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

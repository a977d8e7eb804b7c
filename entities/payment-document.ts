import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Int, Money, Str } from "./columns";
import { Account } from "./account";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/** to_issue → (Expose) → issued → to_withdraw → (Withdraw) → withdrawn. */
export const PAYMENT_DOCUMENT_STATES = ["to_issue", "issued", "to_withdraw", "withdrawn"] as const;
export type PaymentDocumentState = (typeof PAYMENT_DOCUMENT_STATES)[number];

/** A monthly bill (платёжный документ). GIS assigns its identifier ИПД (PaymentDocumentID). */
@Entity("payment_document")
@Index(["accountId", "periodYear", "periodMonth"])
export class PaymentDocument {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Int({ nullable: false })
  organizationId!: number;

  @Int({ nullable: false })
  accountId!: number;

  @ManyToOne(() => Account)
  @JoinColumn({ name: "accountId" })
  account?: Account;

  @Int({ nullable: false })
  periodYear!: number;

  @Int({ nullable: false })
  periodMonth!: number;

  @Str(30)
  number!: string | null;

  /** ИПД — идентификатор платёжного документа. */
  @AtStand()
  gisPaymentDocumentId!: string | null;

  @AtStand()
  gisGuid!: string | null;

  /** The stand whose export answer made this row (null: ours, from billing or the UI); see src/storage/identity/origin.ts. */
  @Str(10)
  originStand!: string | null;

  @Str(12, { nullable: false, default: "to_issue" })
  state!: PaymentDocumentState;

  @Money()
  totalCharged!: number | null;

  /** What the payer owes for the period, with debt and advance applied. */
  @Money()
  totalPayable!: number | null;

  @Money()
  debt!: number | null;

  @Money()
  advance!: number | null;

  /** Recipient's bank requisites (PaymentInformation): BIK and operating account. */
  @Str(9)
  bankBik!: string | null;

  @Str(20)
  operatingAccount!: string | null;

  @Int()
  recipientOrganizationId!: number | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Int, Money, Str } from "./columns";
import { Payment } from "./payment";
import { PaymentDocument } from "./payment-document";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

export const ACKNOWLEDGMENT_STATES = ["pending", "acknowledged", "to_cancel", "cancelled", "impossible"] as const;
export type AcknowledgmentState = (typeof ACKNOWLEDGMENT_STATES)[number];

/**
 * Kvitirovanie (квитирование): matching a payment to the bill and the service it pays for, so
 * GIS shows the bill as paid.
 */
@Entity("acknowledgment")
@Index(["paymentId", "paymentDocumentId", "serviceId"], { unique: true })
export class Acknowledgment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  paymentId!: number;

  @ManyToOne(() => Payment)
  @JoinColumn({ name: "paymentId" })
  payment?: Payment;

  @Index()
  @Int({ nullable: false })
  paymentDocumentId!: number;

  @ManyToOne(() => PaymentDocument)
  @JoinColumn({ name: "paymentDocumentId" })
  paymentDocument?: PaymentDocument;

  @Int({ nullable: false })
  serviceId!: number;

  @Money({ nullable: false })
  amount!: number;

  /** On a stand (entities/at-stand.ts): an acknowledgment made on SIT01 is still pending for production. */
  @AtStand()
  state!: AcknowledgmentState;

  /** GIS AckStatus of the notification (0 new … 5 impossible). */
  @AtStand()
  gisAckStatus!: number | null;

  @Str(210)
  impossibleReason!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

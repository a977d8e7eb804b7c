import { Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Decimal, Int, Money, Str } from "./columns";
import { PaymentDocument } from "./payment-document";
import { Service } from "./service";

/** One service line of a bill: volume × tariff = charged, plus recalculation = total. */
@Entity("payment_document_line")
@Index(["paymentDocumentId", "serviceId"], { unique: true })
export class PaymentDocumentLine {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  paymentDocumentId!: number;

  @ManyToOne(() => PaymentDocument)
  @JoinColumn({ name: "paymentDocumentId" })
  paymentDocument?: PaymentDocument;

  @Int({ nullable: false })
  serviceId!: number;

  @ManyToOne(() => Service)
  @JoinColumn({ name: "serviceId" })
  service?: Service;

  @Decimal(18, 6)
  volume!: number | null;

  /** individual or house (общедомовые нужды) consumption, for municipal services. */
  @Str(12)
  consumptionKind!: "individual" | "house" | null;

  @Decimal(18, 6)
  tariff!: number | null;

  @Money()
  charged!: number | null;

  @Money()
  recalculation!: number | null;

  @Money()
  total!: number | null;
}

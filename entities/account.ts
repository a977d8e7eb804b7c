import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Area, Day, Decimal, Flag, Int, Str, Text } from "./columns";
import { Organization } from "./organization";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/** GIS account types: isUOAccount, isRSOAccount, isCRAccount, isRCAccount, isOGVorOMSAccount, isTKOAccount. */
export const ACCOUNT_TYPES = ["UO", "RSO", "KR", "RC", "OGV_OMS", "TKO"] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/**
 * A personal account (лицевой счёт). GIS gives back two identifiers the receipts must carry:
 * the unified account number (ЕЛС, 10 chars) and the housing-and-utility service id (ИЖКУ).
 * The payer's name and documents are personal data.
 */
@Entity("account")
@Index(["organizationId", "number"])
export class Account {
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

  @Str(30, { nullable: false })
  number!: string;

  /** ЕЛС — единый лицевой счёт, assigned by GIS. */
  @AtStand()
  unifiedNumber!: string | null;

  /** ИЖКУ — идентификатор жилищно-коммунальной услуги (GIS ServiceID), assigned by GIS. */
  @AtStand()
  utilityServiceId!: string | null;

  @Str(10, { nullable: false, default: "UO" })
  accountType!: AccountType;

  @Day()
  openedDate!: string | null;

  @Day()
  closedDate!: string | null;

  /** Close reason, NSI 22 code. */
  @Str(20)
  closeReasonCode!: string | null;

  @Str(255)
  closeDescription!: string | null;

  @Area()
  totalArea!: number | null;

  @Area()
  residentialArea!: number | null;

  @Area()
  heatedArea!: number | null;

  @Int()
  residentsCount!: number | null;

  @Str(12, { nullable: false, default: "person" })
  payerKind!: "person" | "organization";

  @Str(100)
  payerLastName!: string | null;

  @Str(100)
  payerFirstName!: string | null;

  @Str(100)
  payerMiddleName!: string | null;

  @Str(11)
  payerSnils!: string | null;

  /** Identity document: NSI 95 code, series, number. */
  @Str(20)
  payerDocumentType!: string | null;

  @Str(45)
  payerDocumentSeries!: string | null;

  @Str(45)
  payerDocumentNumber!: string | null;

  @Int()
  payerOrganizationId!: number | null;

  @Flag()
  payerIsRenter!: boolean;

  @Flag()
  isAccountsDivided!: boolean;

  /** Share of the payment this account carries (доля внесения платы, 0…1). */
  @Decimal(5, 4)
  paymentShare!: number | null;

  @Text()
  note!: string | null;

  @AtStand()
  gisAccountGuid!: string | null;

  /** GIS holds the account closed (our close was accepted): opening it again places it anew («Открыть новые»). */
  @AtStand()
  gisClosed!: boolean;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Day, Flag, Int, Str, Text } from "./columns";
import { Organization } from "./organization";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

export const CONTRACT_KINDS = ["management", "supply", "charter"] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/** GIS ContractStatus / VersionStatus and State values, as GIS spells them. */
export type ContractGisStatus = "Project" | "ApprovalProcess" | "Rejected" | "Approved" | "Terminated" | "Reviewed" | "Annul" | "Posted" | "Draft";
export type ContractGisState = "Running" | "NotRunning" | "Expired" | "NotTakeEffect" | "Proceed";

/**
 * A management contract (УО), a resource supply contract (РСО) or the charter of a ТСЖ/ЖК/ЖСК:
 * the document under which GIS accepts houses, meters and bills from the organization.
 * Day-of-month deadlines: "…Day" is the day, "…NextMonth" says it falls in the month after.
 */
@Entity("contract")
export class Contract {
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

  @Str(20, { nullable: false })
  kind!: ContractKind;

  @Str(255)
  number!: string | null;

  @Day()
  signedDate!: string | null;

  @Day()
  effectiveDate!: string | null;

  @Day()
  plannedEndDate!: string | null;

  @Day()
  terminationDate!: string | null;

  @Str(500)
  terminationReason!: string | null;

  @Str(500)
  annulmentReason!: string | null;

  /** Who signed on the other side: owners (собственники), an organization, a person, a municipality. */
  @Str(20)
  secondPartyKind!: "owners" | "organization" | "person" | "municipality" | "developer" | null;

  @Int()
  secondPartyOrganizationId!: number | null;

  @Str(1000)
  secondPartyName!: string | null;

  /** Window in which readings are accepted: from day N to day M (same or next month). */
  @Int()
  readingsFromDay!: number | null;

  @Flag()
  readingsFromNextMonth!: boolean;

  @Int()
  readingsToDay!: number | null;

  @Flag()
  readingsToNextMonth!: boolean;

  @Int()
  paymentDocumentDay!: number | null;

  @Flag()
  paymentDocumentNextMonth!: boolean;

  @Int()
  paymentDay!: number | null;

  @Flag()
  paymentNextMonth!: boolean;

  @Int()
  paymentInfoDay!: number | null;

  @Flag()
  isPublic!: boolean;

  @AtStand()
  gisContractGuid!: string | null;

  @AtStand()
  gisVersionGuid!: string | null;

  @AtStand()
  gisRootGuid!: string | null;

  @AtStand()
  gisVersionNumber!: number | null;

  @AtStand()
  gisStatus!: ContractGisStatus | null;

  @AtStand()
  gisState!: ContractGisState | null;

  @Text()
  note!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Flag, Guid, Moment, Str, Text } from "./columns";
import { SyncState } from "./sync-state";
import { AtStand } from "./at-stand";

/** Roles an organization plays in GIS ЖКХ; they decide which contracts and methods apply. */
export const ORGANIZATION_ROLES = ["UO", "RSO", "TSZH", "ZHK", "ZHSK", "RC", "IS_OPERATOR"] as const;
export type OrganizationRole = (typeof ORGANIZATION_ROLES)[number];

/**
 * A legal entity or sole trader. One installation serves many: a settlement centre (РЦ) sends
 * for many providers, and second parties of contracts live here too.
 */
@Entity("organization")
export class Organization {
  @PrimaryGeneratedColumn()
  id!: number;

  /** The billing system's own id: the key imports upsert by. */
  @Index({ unique: true })
  @Str(64, { nullable: false })
  externalId!: string;

  @Str(1000, { nullable: false })
  fullName!: string;

  @Str(500)
  shortName!: string | null;

  @Str(12)
  inn!: string | null;

  @Str(9)
  kpp!: string | null;

  /** OGRN (13 digits) or OGRNIP (15 digits) — the key exportOrgRegistry searches by. */
  @Index()
  @Str(15)
  ogrn!: string | null;

  @Str(20)
  role!: OrganizationRole | null;

  /** One of ours: we send on its behalf (it has granted our information system the rights). */
  @Flag()
  isOurs!: boolean;

  @Flag()
  isManagingCompany!: boolean;

  @Flag()
  isSupplier!: boolean;

  @Flag()
  isPaymentSource!: boolean;

  @Flag()
  isPaymentRecipient!: boolean;

  @Flag()
  isInformationProvider!: boolean;

  @Text()
  address!: string | null;

  @Guid()
  fiasAddressGuid!: string | null;

  @AtStand()
  gisOrgRootEntityGuid!: string | null;

  @AtStand()
  gisOrgVersionGuid!: string | null;

  /** Identifier of the registered organization: goes into every RequestHeader. */
  @AtStand()
  gisOrgPpaGuid!: string | null;

  /**
   * Its data-provider GUID in our information system, as exportDataProvider gives it: set while the
   * organization has granted our system active rights (a settlement centre or operator sends for it);
   * null when it has not, or they are disabled.
   */
  @AtStand()
  gisDataProviderGuid!: string | null;

  /** When exportDataProvider last checked those rights (null: never). */
  @Moment()
  dataProviderCheckedAt!: Date | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

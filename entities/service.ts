import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { AtStand } from "./at-stand";
import { Flag, Guid, Int, Str } from "./columns";
import { Organization } from "./organization";
import { SyncState } from "./sync-state";

export const SERVICE_KINDS = ["housing", "municipal", "additional", "capital_repair"] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/**
 * A service as the billing system names it, mapped to its GIS reference: a common NSI item
 * (NSI = нормативно-справочная информация, GIS dictionaries) or a private one the organization
 * placed itself (additional services NSI 1, main municipal services NSI 51).
 * nsiRegistry / nsiCode / nsiGuid are the organization's mapping (НСИ 50 housing, НСИ 3 municipal…);
 * the element a stand created when we placed the service is that stand's (gisElementGuid / gisElementCode).
 */
@Entity("service")
@Index(["organizationId", "code"], { unique: true })
export class Service {
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

  /** Local service code in the billing system. */
  @Str(50, { nullable: false })
  code!: string;

  @Str(500, { nullable: false })
  name!: string;

  @Str(20, { nullable: false })
  kind!: ServiceKind;

  /** Registry the reference comes from: 1, 3, 50, 51… */
  @Int()
  nsiRegistry!: number | null;

  @Str(20)
  nsiCode!: string | null;

  @Guid()
  nsiGuid!: string | null;

  /** Municipal resource (NSI 2) for municipal services: cold water, heat, electricity… */
  @Str(20)
  municipalResourceCode!: string | null;

  @Guid()
  municipalResourceGuid!: string | null;

  /** OKEI unit code ("113" m³, "245" kWh…). */
  @Str(10)
  okei!: string | null;

  @Flag({ default: true })
  isActive!: boolean;

  /** The element of the organization's own dictionary (НСИ 1 additional, НСИ 51 municipal) this stand gave the service. */
  @AtStand()
  gisElementGuid!: string | null;

  /** That element's code (its number in the dictionary). */
  @AtStand()
  gisElementCode!: string | null;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

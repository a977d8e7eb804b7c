import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Guid, Int, Moment, Str, Text } from "./columns";
import { SyncState } from "./sync-state";

/**
 * An object GIS holds for our organization that our database does not have — an open account, an
 * active meter — as found in exportAccountData / exportMeteringDeviceData answers. GIS closes or
 * archives it only when asked («Закрыть неиспользуемые лицевые», «Архивировать неиспользуемые ПУ»).
 * The pipeline carries such an object as one of the import's type (account, meter) with a negative
 * id: −id of this row, so it never collides with our own objects. A row is one stand's: SIT01's
 * export never makes production close anything.
 */
@Entity("gis_unused_object")
@Index("IDX_gis_unused_object_stand_key", ["organizationId", "stand", "kind", "gisGuid"], { unique: true })
export class GisUnusedObject {
  @PrimaryGeneratedColumn()
  id!: number;

  @Int({ nullable: false })
  organizationId!: number;

  /** The stand whose export found it: only that stand closes / archives it (entities/gis-operation.ts STANDS). */
  @Str(10, { nullable: false, default: "prod" })
  stand!: string;

  @Str(10, { nullable: false })
  kind!: "account" | "meter";

  /** AccountGUID, or the meter's MeteringDeviceRootGUID. */
  @Guid({ nullable: false })
  gisGuid!: string;

  /** The meter's version GUID (archiving names it). */
  @Guid()
  versionGuid!: string | null;

  /** Account number or factory number, for messages. */
  @Str(50)
  number!: string | null;

  @Guid()
  fiasHouseGuid!: string | null;

  /** What the closing / archiving request needs, as GIS exported it (JSON). */
  @Text()
  data!: string | null;

  /** When the export answer that listed it open arrived. */
  @Moment({ nullable: false })
  foundAt!: Date;

  @Column(() => SyncState, { prefix: "sync" })
  sync!: SyncState;
}

import { Entity, Index, PrimaryColumn } from "typeorm";
import { Flag, Guid, Int, Moment, Str, Text } from "./columns";
import { SyncStatus } from "./sync-state";

/**
 * What one GIS stand knows of one of our objects: its identity there (GUIDs, unique numbers, ЕЛС,
 * ИЖКУ, ИПД…) and where the object stands with that stand (status, error, last operation). Stands
 * never share it: a push to SIT01 writes SIT01's row only. No row: never sent to that stand.
 * Which entity field each column holds per kind is src/storage/identity/fields.ts.
 */
@Entity("gis_identity")
@Index("IDX_gis_identity_guid", ["objectType", "stand", "guid"])
@Index("IDX_gis_identity_status", ["objectType", "stand", "status"])
export class GisIdentity {
  /** gis_operation_item.objectType: the object's table (house, account, meter…). */
  @PrimaryColumn({ type: String, length: 40 })
  objectType!: string;

  @PrimaryColumn({ type: "int" })
  objectId!: number;

  /** entities/gis-operation.ts STANDS. */
  @PrimaryColumn({ type: String, length: 10 })
  stand!: string;

  /** The object's own GUID (house, premise, account, reading, document, contract, orgPPAGUID…). */
  @Guid()
  guid!: string | null;

  @Guid()
  rootGuid!: string | null;

  @Guid()
  versionGuid!: string | null;

  /** GIS unique number (house, premise, room, meter) or the account's ЕЛС. */
  @Str(40)
  uniqueNumber!: string | null;

  /** ИЖКУ of an account. */
  @Str(13)
  serviceId!: string | null;

  /** ИПД of a payment document. */
  @Str(18)
  documentId!: string | null;

  @Int()
  versionNumber!: number | null;

  /** The account is held closed by GIS. */
  @Flag()
  closed!: boolean;

  @Str(20)
  gisStatus!: string | null;

  @Str(20)
  gisState!: string | null;

  @Int()
  ackStatus!: number | null;

  /** An organization's data-provider GUID. */
  @Guid()
  providerGuid!: string | null;

  @Str(20, { nullable: false, default: "not_sent" })
  status!: SyncStatus;

  /** GIS error code of the last failed attempt (e.g. SRV007013), or our own pre-flight code. */
  @Str(20)
  errorCode!: string | null;

  @Text()
  errorText!: string | null;

  /** TransportGUID of the item in the operation currently carrying this object. */
  @Guid()
  transportGuid!: string | null;

  @Guid()
  lastOperationId!: string | null;

  /** Last time this stand accepted the object. */
  @Moment()
  syncedAt!: Date | null;
}

import { Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { Guid, Int, Str, Text } from "./columns";

/** One object carried by an operation, keyed by the TransportGUID GIS answers with. */
@Entity("gis_operation_item")
@Index(["objectType", "objectId"])
export class GisOperationItem {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index()
  @Guid({ nullable: false })
  operationId!: string;

  @Str(40, { nullable: false })
  objectType!: string;

  @Int({ nullable: false })
  objectId!: number;

  @Index()
  @Guid({ nullable: false })
  transportGuid!: string;

  /** pending, ok, error, skipped (failed a pre-flight check), reconciled. */
  @Str(12, { nullable: false, default: "pending" })
  outcome!: string;

  /** The object's identity in GIS from the answer or a reconciling export: its GUID (for a bill, its ИПД). */
  @Guid()
  gisGuid!: string | null;

  @Str(20)
  errorCode!: string | null;

  @Text()
  errorText!: string | null;
}

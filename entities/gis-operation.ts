import { Entity, Index, PrimaryColumn } from "typeorm";
import { Guid, Int, Moment, Str, Text } from "./columns";

/**
 * One GIS operation: a single request (one method, one batch) and its whole life. Workers hold no
 * state; everything needed to resume after a crash is here.
 *   created → validated → signed → sent → processing → done | done_with_errors | failed | cancelled
 * An import whose outcome is unknown (lost Ack, reset, no result in time) goes to reconciling while
 * an export child operation looks for its objects in GIS; then back to signed for the missing ones only.
 */
export const OPERATION_STATES = [
  "created",
  "validated",
  "signed",
  "sent",
  "processing",
  "reconciling",
  "done",
  "done_with_errors",
  "failed",
  "cancelled",
] as const;
export type OperationState = (typeof OPERATION_STATES)[number];
/**
 * The error code of an operation (and of its objects) whose outcome GIS never told and no export could
 * check (src/exchange/reconcile.ts). Such objects are held: later runs do not send them again, lest GIS
 * get them twice; an operator who has checked GIS resends them by name (a card or a list).
 */
export const UNKNOWN_OUTCOME = "UNKNOWN_OUTCOME";

export const STANDS = ["prod", "sit01", "sit02", "local"] as const;
export type Stand = (typeof STANDS)[number];

@Entity("gis_operation")
@Index(["state", "nextPollAt"])
@Index(["stage", "createdAt"])
export class GisOperation {
  /** Our id for the operation (a GUID); MessageGUID changes on every rebuilt resend. */
  @PrimaryColumn({ type: String, length: 36 })
  id!: string;

  @Str(10, { nullable: false })
  stand!: Stand;

  @Int()
  organizationId!: number | null;

  /** GIS service folder: house-management, device-metering, bills… */
  @Str(60, { nullable: false })
  service!: string;

  /** WSDL operation name: importAccountData… */
  @Str(80, { nullable: false })
  method!: string;

  /** Pipeline stage: services, contracts, fund, accounts, meters, readings, bills, payments, kvitirovanie. */
  @Str(20)
  stage!: string | null;

  @Str(20, { nullable: false, default: "created" })
  state!: OperationState;

  /** MessageGUID of the current attempt (our header). */
  @Index()
  @Guid()
  messageGuid!: string | null;

  /** MessageGUID GIS assigned in its Ack: the key for getState. */
  @Index()
  @Guid()
  gisMessageGuid!: string | null;

  @Int({ nullable: false, default: 0 })
  attempts!: number;

  @Int({ nullable: false, default: 0 })
  polls!: number;

  @Moment()
  nextPollAt!: Date | null;

  /** A batch split into children keeps the parent as their summary. */
  @Index()
  @Guid()
  parentId!: string | null;

  /** Pipeline run this operation belongs to, if any. */
  @Index()
  @Guid()
  runId!: string | null;

  /** The run's lane that made it (pipeline_lane.lane); null for an organization-level step. */
  @Int()
  lane!: number | null;

  @Int({ nullable: false, default: 0 })
  itemCount!: number;

  @Str(100)
  author!: string | null;

  /** What started it: manual, schedule:<id>, api, demo… */
  @Str(100)
  trigger!: string | null;

  @Str(20)
  errorCode!: string | null;

  @Text()
  errorText!: string | null;

  @Moment({ nullable: false })
  createdAt!: Date;

  @Moment()
  sentAt!: Date | null;

  @Moment()
  answeredAt!: Date | null;

  @Moment()
  finishedAt!: Date | null;

  /** When the result was written onto the model: set once, in the same transaction, so no result is applied twice. */
  @Moment()
  appliedAt!: Date | null;
}

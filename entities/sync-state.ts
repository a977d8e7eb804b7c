import { Guid, Moment, Str, Text } from "./columns";

/**
 * Where an object stands with GIS ЖКХ. Embedded in every object the pipeline sends, as columns
 * prefixed `sync` (syncStatus, syncErrorCode…), so status roll-ups are plain indexed queries.
 * The four states are the ones of the manual's house directory, plus "in progress".
 */
export const SYNC_STATUSES = ["not_sent", "in_progress", "ok", "ok_nested_errors", "error"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export class SyncState {
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

  /** Last time GIS accepted the object. */
  @Moment()
  syncedAt!: Date | null;

  /** Last local change (billing import or edit); "push" sends what changed after syncedAt. */
  @Moment()
  changedAt!: Date | null;
}

import { AtStand } from "./at-stand";
import { Moment } from "./columns";

/**
 * Where an object stands with one GIS ЖКХ stand. Embedded in every object the pipeline sends; all
 * but changedAt (ours, a column `syncChangedAt`) are that stand's (entities/at-stand.ts): kept in
 * gis_identity per (object, stand), so roll-ups are indexed queries of that table.
 * The four states are the ones of the manual's house directory, plus "in progress".
 */
export const SYNC_STATUSES = ["not_sent", "in_progress", "ok", "ok_nested_errors", "error"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

export class SyncState {
  @AtStand()
  status!: SyncStatus;

  /** GIS error code of the last failed attempt (e.g. SRV007013), or our own pre-flight code. */
  @AtStand()
  errorCode!: string | null;

  @AtStand()
  errorText!: string | null;

  /** TransportGUID of the item in the operation currently carrying this object. */
  @AtStand()
  transportGuid!: string | null;

  @AtStand()
  lastOperationId!: string | null;

  /** Last time GIS accepted the object. */
  @AtStand()
  syncedAt!: Date | null;

  /** Last local change (billing import or edit); "push" sends what changed after syncedAt. */
  @Moment()
  changedAt!: Date | null;
}

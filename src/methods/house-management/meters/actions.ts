/**
 * Object actions of importMeteringDeviceData on chosen meters (the meter card's and the house's
 * context menus). Each one changes the meter here the way the action means and marks it for
 * sending; the descriptor's prepare then builds the request from the meter as it now is:
 * - archive: retired here (today unless already) and archived in GIS with its NSI reason;
 * - forceArchive («Принудительно архивировать»): archived in GIS whatever its state here, the
 *   reason «Ошибка ввода» when it has none; chosen houses: every meter GIS has there — ours and
 *   those only GIS has (from the latest export of the house, as «Архивировать неиспользуемые ПУ»);
 * - replace: retired here and archived in GIS with replacement by replacedByMeterId, which GIS
 *   must have already (ReplaceDevice / ReplacingMeteringDeviceVersionGUID).
 */
import { DataSource } from "typeorm";
import { Meter } from "../../../../entities";
import { Scope, StageContext } from "../../../stages/descriptor";
import { findAt } from "../../../storage/identity/store";
import { updateAt } from "../../../storage/identity/update";
import { NSI, NsiIndex } from "../../../stages/nsi";
import { UNUSED_ARCHIVE_REASON, selectUnusedMeters } from "./archive-unused-meters";

export const METER_ACTIONS = ["archive", "forceArchive", "replace"] as const;

export async function selectForAction(ds: DataSource, scope: Scope, ctx: StageContext): Promise<number[]> {
  if (!scope.objectIds?.length) return [];
  const byHouse = scope.action === "forceArchive" && scope.objectType === "house";
  if (!byHouse && scope.objectType && scope.objectType !== "meter") return [];
  // What the run's stand has: a meter placed on another stand only is not archived here.
  const chosen = (await findAt(ds, "meter", byHouse ? "houseId" : "id", scope.objectIds, ctx.stand, { organizationId: scope.organizationId })).filter(
    (m) => m.gisVersionGuid && m.sync.status !== "in_progress" && (scope.action !== "replace" || m.replacedByMeterId !== null),
  );
  const nsi = await NsiIndex.load(ds, [NSI.meterArchiveReason]);
  const fallback = scope.action === "forceArchive" ? (nsi.byValue(NSI.meterArchiveReason, UNUSED_ARCHIVE_REASON)?.code ?? null) : null;
  const today = ctx.now.toISOString().slice(0, 10);
  for (const m of chosen) {
    const reason = fallback && !nsi.byCode(NSI.meterArchiveReason, m.archiveReasonCode) ? fallback : m.archiveReasonCode;
    await updateAt(ds, ctx.stand, Meter, m.id, {
      state: "archived",
      archivedDate: m.archivedDate ?? today,
      archiveReasonCode: reason,
      // A forced or plain archive is no replacement, whatever the meter says.
      ...(scope.action === "replace" ? {} : { replacedByMeterId: null }),
      sync: { status: "not_sent", changedAt: ctx.now },
    });
  }
  const own = chosen.map((m) => m.id).sort((a, b) => a - b);
  return byHouse ? [...(await selectUnusedMeters(ds, { ...scope, houseIds: scope.objectIds }, ctx.stand)), ...own] : own;
}

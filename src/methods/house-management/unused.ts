/**
 * «Закрыть неиспользуемые лицевые» / «Архивировать неиспользуемые ПУ»: objects GIS holds for our
 * organization that our database does not. They run only when asked — a run whose scope carries
 * `unused: true` (with the accounts stage it closes accounts, with the meters stage it archives
 * meters), in push or sync mode; never by default. They are known from the latest
 * exportAccountData / exportMeteringDeviceData answer of each house of the scope (sync mode runs
 * that export first in the same run; push mode uses the last one in the archive).
 *
 * The objects become gis_unused_object rows and travel through the import's operations as objects
 * of its type with negative ids (−row id): the import descriptor (one per GIS method) hands them to
 * the helpers here and writes their outcome onto the row. A row is the stand's whose export found it
 * (`stand`, part of its unique key): a row SIT01 found is never closed on production, the same GUID
 * found by two stands is two rows. Its sync state is in gis_identity (kind gis_unused_object).
 */
import { DataSource, EntityManager, In } from "typeorm";
import { ArchiveEntry, GisOperation, GisOperationItem, GisUnusedObject, House } from "../../../entities";
import { parseResponse } from "../../transport/results/results";
import { MatchedResult, Mode, Scope, StageContext } from "../../stages/descriptor";
import { findIn } from "../../stages/load";
import { writeOutcomes } from "../../stages/outcome";
import { hydrate } from "../../storage/identity/store";
import { scopeHouses } from "./fund/house-export-common";
import { StateAnswer } from "../../stages/types";

/** True when the run asks for closing / archiving what GIS has and we do not. */
export const unusedRequested = (scope: Scope, mode: Mode): boolean =>
  mode !== "pull" && !scope.objectIds && (scope as Scope & { unused?: boolean }).unused === true;

/** The latest answered export of `method` on `stand` for each house of the scope, with when it was answered. */
export async function latestHouseExports(
  ds: DataSource,
  scope: Scope,
  method: string,
  stand: string,
): Promise<Array<{ house: House; answer: StateAnswer; at: Date }>> {
  const houses = (await findIn(ds, House, "id", await scopeHouses(ds, scope))).filter((h) => h.fiasHouseGuid);
  if (houses.length === 0) return [];
  const rows: Array<{ operationId: string; objectId: number | string; createdAt: Date | string }> = [];
  // In chunks: SQL Server takes at most 2100 parameters.
  for (let i = 0; i < houses.length; i += 1000) {
    rows.push(
      ...(await ds
        .getRepository(GisOperationItem)
        .createQueryBuilder("i")
        .innerJoin(GisOperation, "o", "o.id = i.operationId")
        .select("i.operationId", "operationId")
        .addSelect("i.objectId", "objectId")
        .addSelect("o.createdAt", "createdAt")
        .where("i.objectType = 'house'")
        .andWhere("i.objectId IN (:...houses)", { houses: houses.slice(i, i + 1000).map((h) => h.id) })
        .andWhere("o.method = :method", { method })
        .andWhere("o.organizationId = :org", { org: scope.organizationId })
        .andWhere("o.stand = :stand", { stand })
        .andWhere("o.state IN ('done', 'done_with_errors')")
        .getRawMany()),
    );
  }
  const latest = new Map<number, { operationId: string; at: Date }>();
  for (const r of rows) {
    const at = new Date(r.createdAt);
    const prior = latest.get(Number(r.objectId));
    if (!prior || prior.at < at) latest.set(Number(r.objectId), { operationId: r.operationId, at });
  }
  const out: Array<{ house: House; answer: StateAnswer; at: Date }> = [];
  for (const h of houses) {
    const l = latest.get(h.id);
    if (!l) continue;
    const entry = await ds.getRepository(ArchiveEntry).findOne({ where: { operationId: l.operationId, kind: "result" }, order: { seq: "DESC" } });
    const answer = entry ? parseResponse(entry.body) : null;
    if (answer?.kind === "state" && !answer.error) out.push({ house: h, answer, at: l.at });
  }
  return out;
}

export interface FoundUnused {
  gisGuid: string;
  versionGuid?: string | null;
  number: string | null;
  fiasHouseGuid: string;
  data: unknown;
  foundAt: Date;
}

/**
 * Records what the exports of `stand` found (as that stand's rows) and returns the negative ids of those to close/archive
 * there now: new ones, failed ones, and ones closed before but listed open by a newer export (by
 * that stand's sync state of the rows).
 */
export async function recordUnused(
  ds: DataSource,
  organizationId: number,
  kind: GisUnusedObject["kind"],
  found: FoundUnused[],
  stand: string,
): Promise<number[]> {
  if (found.length === 0) return [];
  const repo = ds.getRepository(GisUnusedObject);
  const known = new Map<string, GisUnusedObject>();
  for (let i = 0; i < found.length; i += 500) {
    const rows = await repo.find({ where: { organizationId, stand, kind, gisGuid: In(found.slice(i, i + 500).map((f) => f.gisGuid)) } });
    for (const r of await hydrate(ds, "gis_unused_object", rows, stand)) known.set(r.gisGuid, r);
  }
  const ids: number[] = [];
  for (const f of found) {
    const fields = {
      versionGuid: f.versionGuid ?? null,
      number: f.number?.slice(0, 50) ?? null,
      fiasHouseGuid: f.fiasHouseGuid,
      data: JSON.stringify(f.data),
      foundAt: f.foundAt,
    };
    const row = known.get(f.gisGuid);
    if (!row) {
      // No sync state filed: never sent to any stand (not_sent).
      const inserted = await repo.insert({ organizationId, stand, kind, gisGuid: f.gisGuid, ...fields });
      ids.push(-Number(inserted.identifiers[0].id));
      continue;
    }
    if (row.sync.status === "in_progress") continue;
    const again = row.sync.status !== "ok" || (row.sync.syncedAt !== null && new Date(row.sync.syncedAt) < f.foundAt);
    await repo.update(row.id, fields);
    if (again) ids.push(-row.id);
  }
  return ids.sort((a, b) => a - b);
}

/** The rows behind negative object ids (their own columns only: no stand's sync state). */
export async function unusedRows(db: DataSource | EntityManager, negativeIds: number[]): Promise<GisUnusedObject[]> {
  return findIn(
    db,
    GisUnusedObject,
    "id",
    negativeIds.map((id) => -id),
  );
}

/** GIS's verdict on closed / archived unused objects, onto their rows (ok, or error with GIS's code and text). */
export async function applyUnused(em: EntityManager, matched: MatchedResult[], ctx: StageContext): Promise<void> {
  const unused = matched.filter((m) => m.objectId < 0).map((m) => ({ ...m, objectId: -m.objectId }));
  await writeOutcomes(em, GisUnusedObject, unused, ctx, () => ({}));
}

/** Negative ids are unused GIS objects, the rest ours. */
export function splitIds(ids: number[]): { ours: number[]; unused: number[] } {
  return { ours: ids.filter((i) => i > 0), unused: ids.filter((i) => i < 0) };
}

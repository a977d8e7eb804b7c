/**
 * Reading and writing gis_identity: one stand's identity and sync state of objects. Objects are
 * loaded for a stand (`loadAt`, `findAt`: the entity plus that stand's identity under the entity's
 * field names); results are written set-based (`writeIdentities`: per batch one read, one delete and
 * multi-row inserts per kind, whatever the number of objects), portable across SQLite, PostgreSQL
 * and MS SQL. Selects join the store with `joinIdentity`.
 */
import { DataSource, EntityManager, FindOptionsWhere, In, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { GisIdentity } from "../../../entities/gis-identity";
import { SyncState } from "../../../entities/sync-state";
import { DEFAULTS, Entities, FIELDS, IdentityColumn, WITHOUT_SYNC, Identities, Kind, SYNC_COLUMNS, SyncColumn, columnOf, isKind } from "./fields";

export type { Entities, Kind, Identities } from "./fields";
export { FIELDS, columnOf, isKind } from "./fields";

/** A stand's view of an object: its identity fields and its sync state. */
export type IdentityAt<K extends Kind> = Identities[K] & { sync: SyncState };
/** An object loaded for a stand. */
export type AtStand<K extends Kind> = Entities[K] & Identities[K] & { sync: SyncState };
/** The stand-specific part of the sync state (changedAt is ours, on the object). */
export type StandSync = Omit<SyncState, "changedAt">;

type Db = DataSource | EntityManager;
const CHUNK = 1000;
/** Rows per INSERT: 21 columns × 90 stays under MS SQL's 2,100 bound parameters. */
const INSERT_ROWS = 90;

const repo = (db: Db) => db.getRepository(GisIdentity);

function emptyRow(kind: string, objectId: number, stand: string): GisIdentity {
  return Object.assign(new GisIdentity(), {
    objectType: kind,
    objectId,
    stand,
    guid: null,
    rootGuid: null,
    versionGuid: null,
    uniqueNumber: null,
    serviceId: null,
    documentId: null,
    versionNumber: null,
    closed: false,
    gisStatus: null,
    gisState: null,
    ackStatus: null,
    providerGuid: null,
    status: "not_sent",
    errorCode: null,
    errorText: null,
    transportGuid: null,
    lastOperationId: null,
    syncedAt: null,
  });
}

/** Store rows of objects of one kind on one stand, by object id. */
export async function rowsAt(db: Db, kind: string, ids: readonly number[], stand: string): Promise<Map<number, GisIdentity>> {
  const distinct = [...new Set(ids)];
  const out = new Map<number, GisIdentity>();
  for (let i = 0; i < distinct.length; i += CHUNK) {
    const rows = await repo(db).find({ where: { objectType: kind, stand, objectId: In(distinct.slice(i, i + CHUNK)) } });
    for (const r of rows) out.set(r.objectId, r);
  }
  return out;
}

/** The identity fields and sync state a store row gives an object of `kind` (defaults when no row). */
export function viewOf<K extends Kind>(kind: K, row: GisIdentity | undefined, changedAt: Date | null = null): IdentityAt<K> {
  const r = row ?? emptyRow(kind, 0, "");
  const out: Record<string, unknown> = {};
  const defaults = (DEFAULTS[kind] ?? {}) as Record<string, unknown>;
  for (const [field, col] of Object.entries(FIELDS[kind] as Record<string, IdentityColumn>)) out[field] = r[col] ?? defaults[field] ?? r[col];
  const sync: SyncState = {
    status: r.status,
    errorCode: r.errorCode,
    errorText: r.errorText,
    transportGuid: r.transportGuid,
    lastOperationId: r.lastOperationId,
    syncedAt: r.syncedAt,
    changedAt,
  };
  return { ...out, sync } as IdentityAt<K>;
}

/** Adds a stand's identity to loaded objects of `kind` (in place) and returns them typed so. */
export async function hydrate<K extends Kind>(db: Db, kind: K, objects: Entities[K][], stand: string): Promise<AtStand<K>[]> {
  const rows = await rowsAt(
    db,
    kind,
    objects.map((o) => o.id),
    stand,
  );
  for (const o of objects as Array<Entities[K] & { sync?: SyncState }>) {
    const { sync, ...fields } = viewOf(kind, rows.get(o.id), o.sync?.changedAt ?? null);
    Object.assign(o, fields);
    // A kind without a sync state of its own (files) gets none.
    if (!WITHOUT_SYNC.includes(kind)) o.sync = Object.assign(o.sync ?? {}, sync);
  }
  return objects as AtStand<K>[];
}

/** The identity of objects of `kind` on a stand, without loading the objects. */
export async function identitiesAt<K extends Kind>(db: Db, kind: K, ids: readonly number[], stand: string): Promise<Map<number, IdentityAt<K>>> {
  const rows = await rowsAt(db, kind, ids, stand);
  return new Map([...new Set(ids)].map((id) => [id, viewOf(kind, rows.get(id))]));
}

/** Objects of `kind` whose `column` is one of `values`, loaded for a stand; in chunks, order not kept. */
export async function findAt<K extends Kind>(
  db: Db,
  kind: K,
  column: keyof Entities[K] & string,
  values: readonly unknown[],
  stand: string,
  extra: FindOptionsWhere<Entities[K]> = {},
): Promise<AtStand<K>[]> {
  const distinct = [...new Set(values.filter((v) => v !== null && v !== undefined))];
  const out: Entities[K][] = [];
  const target = (db instanceof DataSource ? db : db.connection).getMetadata(kind).target;
  for (let i = 0; i < distinct.length; i += CHUNK) {
    const where = { ...extra, [column]: In(distinct.slice(i, i + CHUNK)) } as FindOptionsWhere<Entities[K]>;
    out.push(...((await db.getRepository(target).find({ where })) as Entities[K][]));
  }
  return hydrate(db, kind, out, stand);
}

/** Objects of `kind` by id, loaded for a stand, as a map. */
export async function loadAt<K extends Kind>(db: Db, kind: K, ids: readonly unknown[], stand: string): Promise<Map<number, AtStand<K>>> {
  return new Map((await findAt(db, kind, "id" as keyof Entities[K] & string, ids, stand)).map((e) => [e.id, e]));
}

/** One object loaded for a stand, or null. */
export async function oneAt<K extends Kind>(db: Db, kind: K, id: number, stand: string): Promise<AtStand<K> | null> {
  return (await loadAt(db, kind, [id], stand)).get(id) ?? null;
}

/** Ids of objects of `kind` whose identity `field` on a stand is one of `values`, by value. */
export async function idsByIdentity<K extends Kind>(
  db: Db,
  kind: K,
  field: keyof Identities[K] & string,
  values: readonly unknown[],
  stand: string,
): Promise<Map<string, number[]>> {
  const col = columnOf(kind, field);
  const distinct = [...new Set(values.filter((v) => v !== null && v !== undefined))];
  const out = new Map<string, number[]>();
  for (let i = 0; i < distinct.length; i += CHUNK) {
    const rows = await repo(db).find({
      select: { objectId: true, [col]: true },
      where: { objectType: kind, stand, [col]: In(distinct.slice(i, i + CHUNK)) } as FindOptionsWhere<GisIdentity>,
    });
    for (const r of rows) {
      const key = String(r[col]);
      out.set(key, [...(out.get(key) ?? []), r.objectId]);
    }
  }
  return out;
}

/** One object's change: identity fields under the entity's names, and/or sync state. */
export interface IdentityWrite<K extends Kind = Kind> {
  kind: K;
  objectId: number;
  fields?: Partial<Identities[K]>;
  sync?: Partial<StandSync>;
  /** Only while the object is in progress (a status a descriptor wrote is not overwritten by a plain ok). */
  onlyInProgress?: boolean;
}

const COLUMNS = Object.keys(emptyRow("", 0, "")) as Array<keyof GisIdentity>;

/** True when `row` holds what the stored row `was` holds (dates by their time); no stored row: false. */
function sameRow(was: GisIdentity | undefined, row: GisIdentity): boolean {
  if (!was) return false;
  return COLUMNS.every((c) => {
    const a: unknown = was[c];
    const b: unknown = row[c];
    if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
    return a === b;
  });
}

/**
 * Writes changes of objects on one stand, set-based: per kind and chunk one SELECT of the rows
 * there, one DELETE, and multi-row INSERTs of the merged rows that differ from the stored ones (an
 * unchanged row is not rewritten). Several changes of one object merge in order.
 */
export async function writeIdentities(em: Db, stand: string, writes: IdentityWrite[]): Promise<void> {
  const byKind = new Map<string, IdentityWrite[]>();
  for (const w of writes) if (isKind(w.kind)) byKind.set(w.kind, [...(byKind.get(w.kind) ?? []), w]);
  for (const [kind, list] of byKind) {
    for (let i = 0; i < list.length; i += CHUNK) {
      const chunk = list.slice(i, i + CHUNK);
      const ids = [...new Set(chunk.map((w) => w.objectId))];
      const existing = await rowsAt(em, kind, ids, stand);
      const merged = new Map<number, GisIdentity>();
      for (const w of chunk) {
        const row = merged.get(w.objectId) ?? { ...(existing.get(w.objectId) ?? emptyRow(kind, w.objectId, stand)) };
        if (w.onlyInProgress && row.status !== "in_progress") {
          merged.set(w.objectId, row);
          continue;
        }
        for (const [field, value] of Object.entries(w.fields ?? {}))
          if (value !== undefined) (row as unknown as Record<string, unknown>)[columnOf(kind, field)] = value;
        for (const col of SYNC_COLUMNS) if (w.sync && w.sync[col] !== undefined) (row as unknown as Record<SyncColumn, unknown>)[col] = w.sync[col];
        merged.set(w.objectId, row);
      }
      // A row that would be written back as it is (a repeated answer, an ok for what was ok) is left alone.
      const changed = [...merged.values()].filter((r) => !sameRow(existing.get(r.objectId), r));
      const rows = changed.map((r) => Object.assign(new GisIdentity(), r));
      const present = changed.map((r) => r.objectId).filter((id) => existing.has(id));
      if (present.length) await repo(em).delete({ objectType: kind, stand, objectId: In(present) });
      for (let j = 0; j < rows.length; j += INSERT_ROWS) await repo(em).insert(rows.slice(j, j + INSERT_ROWS));
    }
  }
}

/** Sets the sync state of objects of one kind (the same patch for all). */
export async function markAt(em: Db, stand: string, kind: string, ids: readonly number[], sync: Partial<StandSync>, onlyInProgress = false): Promise<void> {
  if (!isKind(kind) || ids.length === 0) return;
  await writeIdentities(
    em,
    stand,
    ids.map((objectId) => ({ kind, objectId, sync, onlyInProgress })),
  );
}

/**
 * Left-joins the stand's store row of `alias`'s objects as `<alias>_gi` and returns that alias:
 * conditions read `<alias>_gi.status`, `<alias>_gi.guid`… (no row: never sent to the stand).
 */
export function joinIdentity<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, stand: string): string {
  const as = `${alias}_gi`;
  if (qb.expressionMap.aliases.some((a) => a.name === as)) return as;
  const kind = qb.expressionMap.findAliasByName(alias).metadata.tableName;
  qb.leftJoin(GisIdentity, as, `${as}.objectType = :${as}_kind AND ${as}.objectId = ${alias}.id AND ${as}.stand = :${as}_stand`, {
    [`${as}_kind`]: kind,
    [`${as}_stand`]: stand,
  });
  return as;
}

/** The SQL expression of an identity field of `alias`'s objects on the stand (joins the store when needed). */
export function identityExpr<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, field: string, stand: string): string {
  const as = joinIdentity(qb, alias, stand);
  return `${as}.${columnOf(qb.expressionMap.findAliasByName(alias).metadata.tableName, field)}`;
}

/** The SQL expression of the stand's sync status of `alias`'s objects ('not_sent' without a row). */
export function statusExpr<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, stand: string): string {
  return `COALESCE(${joinIdentity(qb, alias, stand)}.status, 'not_sent')`;
}

/** Objects of `kind` whose identity `field` on the stand is one of `values`, loaded for that stand. */
export async function findByIdentity<K extends Kind>(
  db: DataSource | EntityManager,
  kind: K,
  field: keyof Identities[K] & string,
  values: readonly unknown[],
  stand: string,
  extra: FindOptionsWhere<Entities[K]> = {},
): Promise<AtStand<K>[]> {
  const ids = [...(await idsByIdentity(db, kind, field, values, stand)).values()].flat();
  return ids.length ? findAt(db, kind, "id" as keyof Entities[K] & string, ids, stand, extra) : [];
}

/**
 * Writing an object's change where each part lives: its own columns (billing data, syncChangedAt)
 * in its table, its stand's identity and sync state in gis_identity. Callers write one patch under
 * the entity's field names, as they would with `em.update`; this splits it.
 */
import { DataSource, EntityManager, EntityTarget, In, ObjectLiteral } from "typeorm";
import { FIELDS, isKind } from "./fields";
import { IdentityWrite, StandSync, writeIdentities } from "./store";

type Db = DataSource | EntityManager;
const CHUNK = 500;

export interface SplitPatch {
  /** Columns of the object's own table (sync.changedAt included, as `sync: { changedAt }`). */
  own: Record<string, unknown>;
  /** Identity fields (entity names) and the stand's sync state. */
  fields: Record<string, unknown>;
  sync: Partial<StandSync>;
}

/** Splits a patch of an object of `kind` into its own columns and its stand's identity. */
export function splitPatch(kind: string, patch: Record<string, unknown>): SplitPatch {
  const identity = isKind(kind) ? (FIELDS[kind] as Record<string, string>) : {};
  const out: SplitPatch = { own: {}, fields: {}, sync: {} };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === "sync" && value && typeof value === "object") {
      const { changedAt, ...sync } = value as Record<string, unknown>;
      if (changedAt !== undefined) out.own.sync = { changedAt };
      out.sync = sync as Partial<StandSync>;
    } else if (Object.hasOwn(identity, key)) out.fields[key] = value;
    else out.own[key] = value;
  }
  return out;
}

const kindOf = (db: Db, entity: EntityTarget<ObjectLiteral>): string => (db instanceof DataSource ? db : db.connection).getMetadata(entity).tableName;

/**
 * `em.update` of objects by id, for one stand: the patch's own columns go to the object's table, its
 * identity fields and sync state to the stand's gis_identity rows (set-based for many ids).
 */
export async function updateAt<E extends ObjectLiteral>(
  db: Db,
  stand: string,
  entity: EntityTarget<E>,
  ids: number | readonly number[],
  patch: Record<string, unknown>,
  o: { onlyInProgress?: boolean } = {},
): Promise<void> {
  const list = typeof ids === "number" ? [ids] : [...ids];
  if (list.length === 0) return;
  const kind = kindOf(db, entity);
  const { own, fields, sync } = splitPatch(kind, patch);
  if (Object.keys(own).length)
    for (let i = 0; i < list.length; i += CHUNK) await db.getRepository(entity).update({ id: In(list.slice(i, i + CHUNK)) } as never, own as never);
  if (Object.keys(fields).length || Object.keys(sync).length)
    await writeIdentities(
      db,
      stand,
      list.map((objectId) => ({ kind, objectId, fields, sync, onlyInProgress: o.onlyInProgress }) as IdentityWrite),
    );
}

/** A patch's own columns as a key: patches with the same key write the same values. */
function sameValues(own: Record<string, unknown>): string {
  return JSON.stringify(own, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

/**
 * Several objects' patches at once (each its own), for one stand: objects whose own columns get the
 * same values share one UPDATE (per chunk of ids), and one set-based identity write for all.
 */
export async function updateManyAt<E extends ObjectLiteral>(
  db: Db,
  stand: string,
  entity: EntityTarget<E>,
  patches: ReadonlyArray<{ id: number; patch: Record<string, unknown> }>,
): Promise<void> {
  const kind = kindOf(db, entity);
  const writes: IdentityWrite[] = [];
  const byValues = new Map<string, { own: Record<string, unknown>; ids: number[] }>();
  // An object patched twice keeps the order of its patches: then one UPDATE per patch, as given.
  const once = new Set(patches.map((p) => p.id)).size === patches.length;
  for (const { id, patch } of patches) {
    const { own, fields, sync } = splitPatch(kind, patch);
    if (Object.keys(own).length && !once) await db.getRepository(entity).update(id, own as never);
    else if (Object.keys(own).length) {
      const key = sameValues(own);
      const group = byValues.get(key) ?? { own, ids: [] };
      group.ids.push(id);
      byValues.set(key, group);
    }
    if (Object.keys(fields).length || Object.keys(sync).length) writes.push({ kind, objectId: id, fields, sync } as IdentityWrite);
  }
  for (const { own, ids } of byValues.values())
    for (let i = 0; i < ids.length; i += CHUNK) await db.getRepository(entity).update({ id: In(ids.slice(i, i + CHUNK)) } as never, own as never);
  await writeIdentities(db, stand, writes);
}

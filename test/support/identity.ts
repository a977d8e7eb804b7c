/**
 * Test data's GIS identity. Fixtures build objects with their identity fields and sync state the way
 * a stand knows them (gisHouseGuid, sync: { status: "ok" }…); `saveAt` saves the object and files
 * that part in gis_identity for the stand, `fileIdentity` files it for objects saved otherwise, and
 * `reloadAt` reads an object back as the stand sees it.
 */
import { DataSource, DeepPartial, EntityManager } from "typeorm";
import { FIELDS, Kind } from "../../src/storage/identity/fields";
import { AtStand, Entities, IdentityWrite, oneAt, writeIdentities } from "../../src/storage/identity/store";

/** The stand test pipelines run on (test/support/pipeline-env.ts). */
export const STAND = "local";

type Db = DataSource | EntityManager;

/** Files the identity part of objects already saved (fields of FIELDS[kind] and sync but changedAt). */
export async function fileIdentity(db: Db, kind: Kind, objects: ReadonlyArray<{ id: number }>, stand = STAND): Promise<void> {
  const names = Object.keys(FIELDS[kind]);
  const writes: IdentityWrite[] = [];
  for (const o of objects) {
    const own = Object.getOwnPropertyDescriptors(o);
    const fields = Object.fromEntries(names.filter((n) => own[n] && own[n].value !== undefined).map((n) => [n, own[n].value]));
    const sync = own.sync?.value ? Object.fromEntries(Object.entries(own.sync.value as object).filter(([k, v]) => k !== "changedAt" && v !== undefined)) : {};
    if (Object.keys(fields).length || Object.keys(sync).length) writes.push({ kind, objectId: o.id, fields, sync } as IdentityWrite);
  }
  await writeIdentities(db, stand, writes);
}

/** Saves an object of `kind` (its own columns) and files its identity part for the stand. */
export async function saveAt<K extends Kind>(db: Db, kind: K, object: DeepPartial<Entities[K]>, stand = STAND): Promise<AtStand<K>> {
  const target = (db instanceof DataSource ? db : db.connection).getMetadata(kind).target;
  const saved = (await db.getRepository(target).save(object as object)) as Entities[K];
  await fileIdentity(db, kind, [saved], stand);
  return (await oneAt(db, kind, saved.id, stand))!;
}

/** An object as the stand sees it (fails when it does not exist). */
export async function reloadAt<K extends Kind>(db: Db, kind: K, id: number, stand = STAND): Promise<AtStand<K>> {
  const o = await oneAt(db, kind, id, stand);
  if (!o) throw new Error(`${kind} ${id} not found`);
  return o;
}

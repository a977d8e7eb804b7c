/**
 * Finding our objects by a GIS identifier on one stand (an ИПД, an account GUID, an ЕЛС…): GIS's
 * answers name objects by the identifiers it gave, and another stand's identifiers are not ours there.
 * A generic helper; it belongs next to findAt in src/storage/identity/store.ts.
 */
import { DataSource, EntityManager, FindOptionsWhere } from "typeorm";
import { Entities, Identities, Kind } from "../../storage/identity/fields";
import { AtStand, findAt, idsByIdentity } from "../../storage/identity/store";

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

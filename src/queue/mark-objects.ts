/** The embedded sync state of model objects (status, error, last operation), written by batching and applying. */
import { DataSource, EntityManager, In } from "typeorm";

/** Sets the embedded sync state of objects of one type, when the type keeps one. */
export async function markObjects(
  ds: DataSource,
  objectType: string,
  ids: number[],
  patch: Record<string, unknown>,
  em: EntityManager = ds.manager,
  onlyInProgress = false,
): Promise<void> {
  const meta = ds.entityMetadatas.find((m) => m.tableName === objectType);
  if (!meta?.embeddeds.some((e) => e.propertyName === "sync") || ids.length === 0) return;
  for (let i = 0; i < ids.length; i += 500) {
    const where = { id: In(ids.slice(i, i + 500)), ...(onlyInProgress ? { sync: { status: "in_progress" } } : {}) };
    await em.getRepository(meta.target).update(where, { sync: patch });
  }
}

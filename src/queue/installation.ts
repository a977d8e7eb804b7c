/**
 * The installation's id, kept in its database (table `installation`, one row made by the migration
 * Installation), and the Redis prefix that follows from it. One database = one installation: two
 * processes on the same database share queues; two databases on one Redis never do.
 */
import crypto from "node:crypto";
import { DataSource } from "typeorm";
import { installationPrefix, useRedisPrefix } from "./names";

const known = new WeakMap<DataSource, string>();

export async function installationId(ds: DataSource): Promise<string> {
  const cached = known.get(ds);
  if (cached) return cached;
  const read = () => ds.createQueryBuilder().select("i.id", "id").from("installation", "i").orderBy("i.id").getRawOne<{ id: string }>();
  let row = await read();
  if (!row) {
    // The row was removed by hand: a new identity (the old one's Redis keys are simply not seen again).
    await ds.createQueryBuilder().insert().into("installation", ["id"]).values({ id: crypto.randomUUID() }).execute();
    row = await read();
  }
  const id = String(row!.id);
  known.set(ds, id);
  return id;
}

/** The Redis key prefix of the installation whose database this is. */
export async function redisPrefixOf(ds: DataSource): Promise<string> {
  return installationPrefix(await installationId(ds));
}

/** Makes this installation's prefix the process's default (sessions, schedule locks, worker lists read it). */
export async function bindInstallation(ds: DataSource): Promise<string> {
  const prefix = await redisPrefixOf(ds);
  useRedisPrefix(prefix);
  return prefix;
}
